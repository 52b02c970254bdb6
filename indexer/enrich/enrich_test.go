package enrich

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func newEnricher(t *testing.T, cfg Config) *Enricher {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestDistricts(t *testing.T) {
	e := newEnricher(t, Config{})
	tests := []struct {
		name, title, body string
		want              []string // exact list, most relevant first
	}{
		{"short form", "昌平“两区”建设情况", "梳理空间资源建筑面积2000余万平方米。", []string{"昌平区"}},
		{"town names", "回龙观街道新建驿站", "回龙观街道和天通苑北街道居民受益。", []string{"昌平区"}},
		{"alias", "望京地区新开社区食堂", "望京的老人可以就近用餐。", []string{"朝阳区"}},
		{"朝阳 the word", "朝阳产业蓬勃发展", "海淀区的朝阳产业迎来新机遇，海淀区企业增加。", []string{"海淀区"}},
		{"通州 outside Beijing", "南通市通州区考察团来访", "江苏省南通市通州区代表团到大兴区考察，大兴区介绍经验。", []string{"大兴区"}},
		{"passing destination", "酒仙桥旧改居民搬入新居", "朝阳区酒仙桥旧改项目居民搬家至通州区某地，朝阳区统筹推进。", []string{"朝阳区"}},
		{"subject first", "丰台区园区开园", "丰台区与中关村发展集团合作，丰台区引进企业。中关村发展集团负责人介绍。", []string{"丰台区"}},
	}
	for _, tc := range tests {
		got := e.Districts(tc.title, tc.body)
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: districts %v, want %v (scores %v)", tc.name, got, tc.want, e.Gazetteer.DistrictScores(tc.title, tc.body))
		}
	}
}

func TestOtherRegion(t *testing.T) {
	e := newEnricher(t, Config{Region: "上海市"})
	if got := e.Districts("浦东新区张江科学城新建学校", "浦东新区教育局介绍。"); len(got) == 0 || got[0] != "浦东新区" {
		t.Errorf("上海市: %v", got)
	}
	if got := e.Districts("昌平区新建学校", "昌平区教委介绍。"); len(got) != 0 {
		t.Errorf("a Beijing district found with region 上海市: %v", got)
	}
	if _, err := New(Config{Region: "火星市"}); err == nil {
		t.Error("unknown region accepted")
	}
}

func TestTopics(t *testing.T) {
	e := newEnricher(t, Config{})
	got := e.Topics("社区养老驿站开张", "新建社区养老驿站，为老年人提供助餐、助浴服务，养老服务更便利。")
	if len(got) == 0 || got[0] != "养老服务" {
		t.Errorf("topics %v", got)
	}
	if got := e.Topics("会议召开", "会议听取了汇报。"); len(got) != 0 {
		t.Errorf("generic prose got topics %v", got)
	}
}

func TestTaxonomyReplaced(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tax.yaml")
	os.WriteFile(path, []byte("topics:\n  - name: 冰雪运动\n    keywords:\n      滑雪: 3\n      冰场: 3\n"), 0o644)
	e := newEnricher(t, Config{TaxonomyFile: path})
	if got := e.Topics("滑雪场开放", "新建冰场和滑雪场，滑雪爱好者增多。"); strings.Join(got, ",") != "冰雪运动" {
		t.Errorf("topics %v", got)
	}
	if got := e.Taxonomy.Names(); len(got) != 1 {
		t.Errorf("names %v", got)
	}
	os.WriteFile(path, []byte("topics: [}"), 0o644)
	if _, err := New(Config{TaxonomyFile: path}); err == nil {
		t.Error("broken taxonomy accepted")
	}
}

func TestDefaultTaxonomyTopics(t *testing.T) {
	tax, err := LoadTaxonomy("")
	if err != nil {
		t.Fatal(err)
	}
	want := "教育,医疗卫生,养老服务,文化体育,交通出行,市政设施,生态环境,住房保障,社会治理,产业发展,农业农村"
	if got := strings.Join(tax.Names(), ","); got != want {
		t.Errorf("topics %s", got)
	}
}

func TestPageDate(t *testing.T) {
	tests := []struct {
		name, text string
		date       string
		year       int
	}{
		{"marked", "发布时间：2023-06-05 10:00\n正文提到2020年。", "2023-06-05", 2023},
		{"dateline", "本报北京2022年3月4日电 某区召开会议。", "2022-03-04", 2022},
		{"masthead line", "2021年5月10日 星期一\n\n标题\n\n正文。", "2021-05-10", 2021},
		{"latest year with 今年", "2019年开工，2021年投用，今年还将新建三处。", "", 2021},
		{"去年 without 今年", "2023年新建学校。去年9月开学。", "", 2024},
		{"plan years are not publication years", "2022年完成。将在2025年接续落实，计划2026年完工，到2027年全覆盖。", "", 2022},
		{"periods", "十四五时期（2021—2025年）规划。2022年推进。", "", 2022},
		{"截至 is past", "截至2020年，共完成造林。", "", 2020},
		{"nothing", "日前，某区召开会议。", "", 0},
	}
	for _, tc := range tests {
		d, y := PageDate(tc.text)
		if d != tc.date || y != tc.year {
			t.Errorf("%s: got %q %d, want %q %d", tc.name, d, y, tc.date, tc.year)
		}
	}
}

func TestTownNameVariants(t *testing.T) {
	e := newEnricher(t, Config{})
	if got := e.Districts("西红门镇新建公园", "西红门镇居民受益。"); len(got) == 0 || got[0] != "大兴区" {
		t.Errorf("西红门镇: %v", got)
	}
	found := false
	for _, w := range e.Gazetteer.DictWords() {
		found = found || w == "西红门镇"
	}
	if !found {
		t.Error("西红门镇 is not a dictionary word")
	}
}
