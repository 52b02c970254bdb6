package source

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/indexer/govdoc"
)

// docFields is the part of a Meta these tests compare.
type docFields struct {
	DocNo, Written, IndexNo, Category, Validity, Date string
	Issuer                                            []string
}

func fieldsOf(m Meta) docFields {
	return docFields{DocNo: m.DocNo, Written: m.Written, IndexNo: m.IndexNo, Category: m.Category,
		Validity: m.Validity, Date: m.Date, Issuer: m.Issuer}
}

// TestGovdocPages reads the real layouts of the dev set (testdata/govdocs)
// through every reader: the fields each states, and a body that keeps the
// document's text and leaves the metadata block out.
func TestGovdocPages(t *testing.T) {
	gwy := []string{"国务院"}
	tests := []struct {
		file string
		want docFields
		body string // a part of the document's text the body keeps
	}{
		{"beijing-list.html", docFields{DocNo: "国发〔2018〕22号", Written: "2018-06-27", IndexNo: "000014349/2018-00120",
			Category: "城乡建设、环境保护\\其他", Validity: "有效", Date: "2018-07-03", Issuer: gwy}, "现将《打赢蓝天保卫战三年行动计划》印发给你们"},
		{"govcn-table.html", docFields{DocNo: "国发〔2015〕17号", Written: "2015-04-02", IndexNo: "000014349/2015-00065",
			Category: "城乡建设、环境保护\\节能与资源综合利用", Date: "2015-04-16", Issuer: gwy}, "现将《水污染防治行动计划》印发给你们"},
		{"labelled-lines.html", docFields{DocNo: "国发〔2015〕28号", Written: "2015-05-08", Category: "工业、交通\\其他",
			Validity: "有效", Date: "2015-05-19", Issuer: gwy}, "现将《中国制造2025》印发给你们"},
		{"content-labels.html", docFields{DocNo: "国发〔2015〕50号", Written: "2015-08-31", IndexNo: "000014349/2015-00140",
			Category: "综合政务\\其他", Date: "2015-09-05", Issuer: gwy}, "现将《促进大数据发展行动纲要》印发给你们"},
		{"big5.html", docFields{DocNo: "国发〔2017〕35号", Written: "2017-07-08", Category: "科技、教育\\科技",
			Validity: "有效", Date: "2017-07-20", Issuer: []string{"國務院"}}, "現將《新一代人工智能發展規劃》印發給你們"},
		{"gb2312.html", docFields{DocNo: "国发〔2016〕65号", Written: "2016-11-24", Category: "城乡建设、环境保护\\其他",
			Validity: "有效", Date: "2016-12-05", Issuer: gwy}, "现将《“十三五”生态环境保护规划》印发给你们"},
		{"turang.txt", docFields{DocNo: "国发〔2016〕31号", Written: "2016-05-28", Issuer: gwy}, "现将《土壤污染防治行动计划》印发给你们"},
		{"daqi.pdf", docFields{DocNo: "国发〔2013〕37号", Written: "2013-09-10", Issuer: gwy}, "现将《大气污染防治行动计划》印发给你们"},
		{"xinxihua.docx", docFields{DocNo: "国发〔2016〕73号", Written: "2016-12-15", Issuer: gwy}, "现将《“十三五”国家信息化规划》印发给你们"},
		{"news-changping.html", docFields{Date: "2021-11-03"}, "养老"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("../../testdata/govdocs", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			p, err := Read(tt.file, data)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Docs) != 1 {
				t.Fatalf("%d articles, want 1", len(p.Docs))
			}
			d := p.Docs[0]
			if got := fieldsOf(d.Given); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("fields\n%+v\nwant\n%+v", got, tt.want)
			}
			if !strings.Contains(d.Body, tt.body) {
				t.Errorf("body lost the text %q:\n%s", tt.body, d.Body)
			}
			for _, label := range []string{"索引号", "发文机构", "主题分类", "發文字號", "发文机关：", "[有效性]"} {
				if strings.Contains(d.Body, label) {
					t.Errorf("body holds the metadata block (%s):\n%s", label, d.Body)
				}
			}
			if len(p.Problems) > 0 {
				t.Errorf("problems: %v", p.Problems)
			}
		})
	}
}

// TestGovdocBadBlock: a malformed block (a number with no year, a date
// that is no date, a 10,000-character value) gives what it can, names the
// bad date, and loses none of the article.
func TestGovdocBadBlock(t *testing.T) {
	data, err := os.ReadFile("../../testdata/govdocs/bad-block.html")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Read("bad-block.html", data)
	if err != nil {
		t.Fatal(err)
	}
	d := p.Docs[0]
	want := docFields{Validity: "有效", Issuer: []string{"北京市民政局"}}
	if got := fieldsOf(d.Given); !reflect.DeepEqual(got, want) {
		t.Errorf("fields\n%+v\nwant\n%+v", got, want)
	}
	if !strings.Contains(d.Body, "现就开展评估工作有关事项通知如下") || d.Title != "关于开展社区养老服务驿站运营情况评估的通知" {
		t.Errorf("article lost: %q / %q", d.Title, d.Body)
	}
	found := false
	for _, pr := range p.Problems {
		found = found || strings.Contains(pr.Reason, "成文日期") && strings.Contains(pr.Reason, "2019年13月45日")
	}
	if !found {
		t.Errorf("problems %v do not name the bad 成文日期", p.Problems)
	}
}

func TestStatedFields(t *testing.T) {
	tests := []struct {
		name string
		text string
		want govdoc.Fields
	}{
		{"number line and signature", "关于加强养老服务的通知\n京政办发〔2016〕26号\n\n各区人民政府：\n现就有关事项通知如下。\n\n北京市人民政府办公厅\n2016年5月28日",
			govdoc.Fields{DocNo: "京政办发〔2016〕26号", Issuer: []string{"北京市人民政府办公厅"}, Written: "2016-05-28"}},
		{"number in brackets of another form, joint signature, Chinese numerals, a note",
			"标题\n（京政办发[2016]26号）\n正文。\n北京市民政局\n北京市财政局\n二〇一六年五月二十八日\n（此件主动公开）",
			govdoc.Fields{DocNo: "京政办发〔2016〕26号", Issuer: []string{"北京市民政局", "北京市财政局"}, Written: "2016-05-28"}},
		{"a number cited in the text is not the document's", "标题\n根据国发〔2015〕17号文件精神，现通知如下。\n正文。", govdoc.Fields{}},
		{"a date line without an office is no signature", "标题\n正文。\n2016年5月28日", govdoc.Fields{}},
		{"a number with no year", "标题\n京政办发26号\n正文。", govdoc.Fields{}},
		{"a 10,000-character number", "标题\n" + strings.Repeat("京", 10000) + "〔2016〕26号\n正文。", govdoc.Fields{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := statedFields(tt.text)
			if len(got.Issuer) == 0 {
				got.Issuer = nil
			}
			if got.Written != "" {
				var m Meta
				if probs := m.addFields(got); len(probs) > 0 {
					t.Fatalf("problems %v", probs)
				}
				got.Written = m.Written
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestSignatureKeepsArticle: a text page's signature stays in its
// article: it starts none.
func TestSignatureKeepsArticle(t *testing.T) {
	data, err := os.ReadFile("../../testdata/govdocs/turang.txt")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ReadBulletin(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Docs) != 1 || !strings.Contains(p.Docs[0].Body, "2016年5月28日") {
		t.Fatalf("%d articles; first body %q", len(p.Docs), p.Docs[0].Body)
	}
}

// FuzzStatedFields: any text gives a number in normal form and a valid
// date, or none, and never panics.
func FuzzStatedFields(f *testing.F) {
	f.Add("标题\n国发〔2016〕31号\n正文。\n国务院\n2016年5月28日")
	f.Add("国发〔2013〕37号各省：\n国务院2013年9月10日")
	f.Fuzz(func(t *testing.T, text string) {
		fs := statedFields(text)
		if fs.DocNo != "" {
			if n, ok := govdoc.Parse(fs.DocNo); !ok || n.String() != fs.DocNo {
				t.Fatalf("number %q not in normal form", fs.DocNo)
			}
		}
		var m Meta
		m.addFields(fs)
		if m.Written != "" {
			if _, ok := NormalizeDate(m.Written); !ok {
				t.Fatalf("written %q", m.Written)
			}
		}
	})
}

// TestJSONLGovFields: the government-document fields of a JSON record
// under every name exports give them; a bad value is left out with a
// reason naming the line and the field, and the rest of the record is
// kept.
func TestJSONLGovFields(t *testing.T) {
	data, err := os.ReadFile("../../testdata/govdocs/govcn-export.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ReadJSONL(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []docFields{
		{DocNo: "国发〔2015〕17号", Issuer: []string{"国务院"}, Date: "2015-04-16"},
		{DocNo: "国发〔2015〕50号", Issuer: []string{"国务院"}, Written: "2015-08-31", IndexNo: "000014349/2015-00140",
			Category: "综合政务\\其他", Validity: "有效", Date: "2015-09-05"},
		{Issuer: []string{"国务院办公厅"}},
		{Issuer: []string{"国务院办公厅"}, Written: "2015-06-23"},
	}
	if len(p.Docs) != len(want) {
		t.Fatalf("%d records, want %d", len(p.Docs), len(want))
	}
	for i, w := range want {
		if got := fieldsOf(p.Docs[i].Given); !reflect.DeepEqual(got, w) {
			t.Errorf("line %d:\n%+v\nwant\n%+v", i+1, got, w)
		}
	}
	var reasons []string
	for _, pr := range p.Problems {
		reasons = append(reasons, pr.String())
	}
	all := strings.Join(reasons, "\n")
	for _, w := range []string{`line 3: "pcode" "国办发50号" is not a document number`, `line 3: "pubtimeStr" "2015.13.40" is not a date`, `line 4: "pcode"`} {
		if !strings.Contains(all, w) {
			t.Errorf("problems do not say %q:\n%s", w, all)
		}
	}
	if !strings.Contains(p.Docs[3].Body, "三证合一") {
		t.Errorf("record 4 lost its body")
	}
}

func TestJSONLGovFieldForms(t *testing.T) {
	tests := []struct {
		line string
		want docFields
		bad  string
	}{
		{`{"title":"t","body":"b","doc_no":"京政办发（2016）26号","issuer":"北京市人民政府办公厅、北京市财政局","written":"2016-05-28","validity":"有效"}`,
			docFields{DocNo: "京政办发〔2016〕26号", Issuer: []string{"北京市人民政府办公厅", "北京市财政局"}, Written: "2016-05-28", Validity: "有效"}, ""},
		{`{"title":"t","body":"b","文号":"京政辦發〔2016〕26號","issuer":["北京市民政局", "北京市财政局"],"written":1464393600}`,
			docFields{DocNo: "京政办发〔2016〕26号", Issuer: []string{"北京市民政局", "北京市财政局"}, Written: "2016-05-28"}, ""},
		{`{"title":"t","body":"b","doc_no":42}`, docFields{}, `"doc_no" must be a string`},
		{`{"title":"t","body":"b","written":"soon"}`, docFields{}, `"written" "soon" is not a date`},
		{`{"title":"t","body":"b","issuer":{"a":1}}`, docFields{}, `"issuer" must be a list of strings`},
	}
	for _, tt := range tests {
		p, err := ReadJSONL([]byte(tt.line))
		if err != nil {
			t.Fatalf("%s: %v", tt.line, err)
		}
		if got := fieldsOf(p.Docs[0].Given); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s:\n%+v\nwant\n%+v", tt.line, got, tt.want)
		}
		if tt.bad != "" && (len(p.Problems) == 0 || !strings.Contains(p.Problems[0].Reason, tt.bad)) {
			t.Errorf("%s: problems %v, want %q", tt.line, p.Problems, tt.bad)
		}
	}
}

// TestBig5Unlabelled: a traditional page in Big5 that does not say so is
// read as Big5, with its block.
func TestBig5Unlabelled(t *testing.T) {
	data, err := os.ReadFile("../../testdata/govdocs/big5.html")
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), "; charset=big5", "", 1))
	p, err := Read("big5.html", data)
	if err != nil {
		t.Fatal(err)
	}
	d := p.Docs[0]
	if d.Given.DocNo != "国发〔2017〕35号" || d.Title != "國務院關於印發新一代人工智能發展規劃的通知" || !strings.Contains(d.Body, "現將") {
		t.Errorf("read %q %q %q", d.Given.DocNo, d.Title, d.Body)
	}
}

// TestPDFWrappedTitle: a centred headline that wraps (its last line
// centred under a full one) is one line of text, so the document keeps
// its title.
func TestPDFWrappedTitle(t *testing.T) {
	data, err := os.ReadFile("../../testdata/govdocs/daqi.pdf")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Read("daqi.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Docs[0].Title; got != "国务院关于印发大气污染防治行动计划的通知" {
		t.Errorf("title %q", got)
	}
}
