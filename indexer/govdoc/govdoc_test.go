package govdoc

import (
	"reflect"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for not a number
	}{
		{"京政办发〔2016〕26号", "京政办发〔2016〕26号"},
		{"京政办发[2016]26号", "京政办发〔2016〕26号"},
		{"京政办发［2016］26号", "京政办发〔2016〕26号"},
		{"京政办发(2016)26号", "京政办发〔2016〕26号"},
		{"京政办发（2016）26号", "京政办发〔2016〕26号"},
		{"京政办发【2016】26号", "京政办发〔2016〕26号"},
		{"京政办发﹝2016﹞26号", "京政办发〔2016〕26号"},
		{"京政辦發〔2016〕26號", "京政办发〔2016〕26号"},
		{"京政办发〔2016〕第26号", "京政办发〔2016〕26号"},
		{"京政办发〔２０１６〕２６号", "京政办发〔2016〕26号"},
		{" 国发〔2015〕17号 ", "国发〔2015〕17号"},
		{"鲁政发〔2014〕20号", "鲁政发〔2014〕20号"},
		{"京政办发〔2016〕", ""},
		{"〔2016〕26号", ""},
		{"京政办发〔1800〕26号", ""},
		{"京政办发〔2016〕0号", ""},
		{"京政办发〔2016〕26号文件", ""},
		{strings.Repeat("京", 10000) + "〔2016〕26号", ""},
	}
	for _, tt := range tests {
		n, ok := Parse(tt.in)
		got := ""
		if ok {
			got = n.String()
		}
		if got != tt.want {
			t.Errorf("Parse(%.40q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFind(t *testing.T) {
	text := "根据《北京市人民政府关于加快养老服务发展的意见》（京政发〔2015〕17号）和" +
		"国务院办公厅印发国办发[2019]5号文件精神，按照京政发〔2015〕17号要求，现就有关事项通知如下。" +
		"北京市人民政府京政办发〔2016〕26号。"
	var got []string
	for _, n := range Find(text) {
		got = append(got, n.String())
	}
	want := []string{"京政发〔2015〕17号", "国办发〔2019〕5号", "北京市人民政府京政办发〔2016〕26号"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Find = %q, want %q", got, want)
	}
	keys := Number{Prefix: "北京市人民政府京政办发", Year: 2016, Serial: 26}.Keys()
	if !contains(keys, "京政办发〔2016〕26号") || contains(keys, "发〔2016〕26号") {
		t.Errorf("Keys = %q", keys)
	}
}

func TestBlock(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  Fields
	}{
		{
			name: "beijing list",
			lines: []string{
				"[索引号] 000014349/2016-00095",
				"[发文机构] 北京市人民政府办公厅",
				"[联合发文单位]",
				"[主题分类] 卫生、体育\\其他",
				"[成文日期] 2016年04月19日",
				"[发文字号] 京政办发〔2016〕26号",
				"[发布日期] 2016年04月27日",
				"[有效性] 有效",
			},
			want: Fields{DocNo: "京政办发〔2016〕26号", Issuer: []string{"北京市人民政府办公厅"},
				Written: "2016年04月19日", Published: "2016年04月27日", IndexNo: "000014349/2016-00095",
				Category: "卫生、体育\\其他", Validity: "有效"},
		},
		{
			name: "gov.cn table joined to lines, several on a line",
			lines: []string{
				"索  引  号：000014349/2015-00065 主题分类：城乡建设、环境保护\\节能与资源综合利用",
				"发文机关：国务院办公厅 成文日期：2015年04月03日",
				"发文字号：国办发〔2015〕23号",
			},
			want: Fields{DocNo: "国办发〔2015〕23号", Issuer: []string{"国务院办公厅"}, Written: "2015年04月03日",
				IndexNo: "000014349/2015-00065", Category: "城乡建设、环境保护\\节能与资源综合利用"},
		},
		{
			name:  "traditional, full-width",
			lines: []string{"【發文字號】京政辦發［2016］26號", "發文機關：北京市人民政府辦公廳、北京市財政局"},
			want:  Fields{DocNo: "京政办发〔2016〕26号", Issuer: []string{"北京市人民政府辦公廳", "北京市財政局"}},
		},
		{
			name:  "prose mentioning a label is no field",
			lines: []string{"文件明确了发文机关的职责和成文日期的写法。"},
			want:  Fields{},
		},
		{
			name:  "malformed: a number with no year, a huge value",
			lines: []string{"发文字号：京政办发26号", "发文机关：" + strings.Repeat("办", 10000)},
			want:  Fields{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Block(tt.lines)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Block =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestType(t *testing.T) {
	tests := []struct {
		title string
		f     Fields
		want  string
	}{
		{"北京市人民政府办公厅关于加快发展养老服务的意见", Fields{DocNo: "京政办发〔2016〕26号"}, TypePolicy},
		{"关于印发《养老驿站建设方案》的通知", Fields{Issuer: []string{"北京市民政局"}, Written: "2016-01-02"}, TypePolicy},
		{"《关于加快发展养老服务的意见》政策解读", Fields{DocNo: "京政办发〔2016〕26号"}, TypeInterpretation},
		{"市民政局负责人就养老驿站建设答记者问", Fields{}, TypeInterpretation},
		{"关于朝阳区停水的通告", Fields{}, TypeNotice},
		{"关于朝阳区停水的通告", Fields{Issuer: []string{"北京市朝阳区自来水公司"}, Written: "2021-05-10"}, TypeNotice},
		{"北京市公安局关于外省市机动车进京通行管理措施的通告", Fields{DocNo: "京公交管发〔2019〕12号"}, TypePolicy},
		{"拟任干部公示", Fields{}, TypeNotice},
		{"海淀区新建养老驿站12家", Fields{}, TypeNews},
		{"国务院办公厅关于加快推进“三证合一”登记制度改革的意见", Fields{Issuer: []string{"国务院办公厅"}}, TypePolicy},
		{"国务院办公厅关于加快推进“三证合一”登记制度改革的意见", Fields{}, TypeNews},
		{"区政府召开会议部署落实国务院办公厅意见", Fields{Issuer: []string{"北京市海淀区人民政府"}}, TypeNews},
	}
	for _, tt := range tests {
		if got := Type(tt.title, tt.f); got != tt.want {
			t.Errorf("Type(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

// FuzzGovdoc checks that hostile text never panics the readers and that
// every number found is in normal form.
func FuzzGovdoc(f *testing.F) {
	for _, s := range []string{"[发文字号] 京政办发〔2016〕26号", "发文机关：国务院办公厅 成文日期：2015年04月03日", "根据国发(2015)17号"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fs := Block(strings.Split(s, "\n"))
		if fs.DocNo != "" {
			if n, ok := Parse(fs.DocNo); !ok || n.String() != fs.DocNo {
				t.Fatalf("DocNo %q is not in normal form", fs.DocNo)
			}
		}
		for _, n := range Find(s) {
			if again, ok := Parse(n.String()); !ok || again != n {
				t.Fatalf("Find(%q) gave %q, which does not parse back", s, n.String())
			}
		}
		_ = Type(s, fs)
	})
}

// findAll is Find without its windows: the pattern over the whole text.
func findAll(text string) []Number {
	norm := analysis.Normalize(text)
	var out []Number
	seen := map[string]bool{}
	for _, m := range reNumber.FindAllStringSubmatch(norm, -1) {
		n, ok := number(m[1], m[2], m[3])
		if !ok || seen[n.String()] {
			continue
		}
		seen[n.String()] = true
		out = append(out, n)
	}
	return out
}

// FuzzFindWindows checks that Find, which reads windows around brackets,
// finds what the pattern finds over the whole text.
func FuzzFindWindows(f *testing.F) {
	for _, s := range []string{
		"根据京政发〔2015〕17号和国办发[2019]5号、" + strings.Repeat("京", 30) + "发（２０１６）２６号",
		"北京市人民政府京政办发〔2016〕26号。国发 ( 2015 ) 17 号",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Find(s), findAll(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("Find(%q) = %v, the whole-text pattern finds %v", s, got, want)
		}
	})
}
