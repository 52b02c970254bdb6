package enrich

import (
	"fmt"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/indexer/source"
)

// TestArticlesPrecedence: given metadata overrides inference; a shared
// page's articles take the page's date, but never a district that another
// article of the page names; an article of its own (JSON Lines) infers its
// own date.
func TestArticlesPrecedence(t *testing.T) {
	e := newEnricher(t, Config{})
	id := func(i int, given string) string { return fmt.Sprintf("%d:%s", i, given) }
	page := &source.Page{
		Shared: true,
		Text:   "2023年5月10日 星期三\n丰台区新建养老驿站\n本报讯 丰台区新建养老驿站3处。\n公园开放\n公园今日开放，市民可以游览。",
		Docs: []source.Doc{
			{Title: "丰台区新建养老驿站", Body: "本报讯 丰台区新建养老驿站3处。"},
			{Title: "公园开放", Body: "公园今日开放，市民可以游览。"},
			{Title: "题", Body: "正文。", Given: source.Meta{Title: "给定标题", Date: "2021-02-03", Source: "来源", URL: "http://x",
				Districts: []string{"昌平", "昌平区", " "}, Topics: []string{" 教育 ", "教育"}}},
		},
	}
	arts := e.Articles(page, "page.txt", id)
	if len(arts) != 3 {
		t.Fatalf("%d articles, want 3", len(arts))
	}
	got := func(i int) string {
		a := arts[i]
		return strings.Join([]string{a.ID, a.Title, a.Date, fmt.Sprint(a.Year), a.Source, a.URL,
			strings.Join(a.Districts, ","), strings.Join(a.Topics, ",")}, "|")
	}
	for i, want := range []string{
		"0:|丰台区新建养老驿站|2023-05-10|2023|page.txt||丰台区|养老服务",
		"1:|公园开放|2023-05-10|2023|page.txt|||生态环境",
		"2:|给定标题|2021-02-03|2021|来源|http://x|昌平区|教育",
	} {
		if g := got(i); g != want {
			t.Errorf("article %d:\n got %s\nwant %s", i, g, want)
		}
	}
	if arts[0].NormTitle != "丰台区新建养老驿站" || arts[2].NormBody != "正文。" {
		t.Errorf("normalised text: %q %q", arts[0].NormTitle, arts[2].NormBody)
	}

	own := &source.Page{Docs: []source.Doc{{Title: "2019年工作回顾", Body: "2019年，朝阳区完成改造。"}}}
	if a := e.Articles(own, "x.jsonl", id)[0]; a.Year != 2019 || a.Districts[0] != "朝阳区" {
		t.Errorf("article of its own: year %d districts %v", a.Year, a.Districts)
	}
}

// TestArticlesGivenDistrict: Config.District (index --district) comes first
// on every article, before the districts its text names; districts given
// with an article still override; an unknown district is refused.
func TestArticlesGivenDistrict(t *testing.T) {
	e := newEnricher(t, Config{District: "昌平"})
	id := func(i int, given string) string { return fmt.Sprint(i) }
	page := &source.Page{Shared: true, Text: "x", Docs: []source.Doc{
		{Title: "丰台区新建养老驿站", Body: "丰台区新建养老驿站3处。"},
		{Title: "公园开放", Body: "公园今日开放。"},
		{Title: "题", Body: "正文。", Given: source.Meta{Districts: []string{"海淀"}}},
	}}
	var got []string
	for _, a := range e.Articles(page, "p.txt", id) {
		got = append(got, strings.Join(a.Districts, ","))
	}
	if want := "昌平区,丰台区|昌平区|海淀区"; strings.Join(got, "|") != want {
		t.Errorf("districts %q, want %q", strings.Join(got, "|"), want)
	}
	if _, err := New(Config{District: "浦东新区"}); err == nil || !strings.Contains(err.Error(), "浦东新区") {
		t.Errorf("a district of another region: %v", err)
	}
}

// TestArticlesStatedYear: a given year (JSON Lines `year`) gives the year,
// with the date the text states when it falls in that year; a document of
// its own, or the one article of a file, is dated by what it states of
// itself before the years its text names.
func TestArticlesStatedYear(t *testing.T) {
	e := newEnricher(t, Config{})
	id := func(i int, given string) string { return fmt.Sprint(i) }
	report := "政府工作报告\n——2012年3月5日在第十一届全国人民代表大会第五次会议上\n一、2011年工作回顾\n到2015年，城镇化率达到51.5%。"
	for _, tc := range []struct {
		name string
		page *source.Page
		date string
		year int
	}{
		{"given year and its speech line", &source.Page{Docs: []source.Doc{{Title: "政府工作报告", Body: report, Given: source.Meta{Year: 2012}}}}, "2012-03-05", 2012},
		{"given year against the text", &source.Page{Docs: []source.Doc{{Title: "报告", Body: report, Given: source.Meta{Year: 2013}}}}, "", 2013},
		{"given date over given year", &source.Page{Docs: []source.Doc{{Title: "报告", Body: report, Given: source.Meta{Year: 2013, Date: "2013-03-05"}}}}, "2013-03-05", 2013},
		{"no field: the speech line", &source.Page{Docs: []source.Doc{{Title: "政府工作报告", Body: report}}}, "2012-03-05", 2012},
		{"one article of a file: its title", &source.Page{Shared: true, Text: "2012年政府工作报告\n各位代表：\n到2015年实现。2020年全面建成。",
			Docs: []source.Doc{{Title: "2012年政府工作报告", Body: "各位代表：\n到2015年实现。2020年全面建成。"}}}, "", 2012},
	} {
		a := e.Articles(tc.page, "x", id)[0]
		if a.Date != tc.date || a.Year != tc.year {
			t.Errorf("%s: %q %d, want %q %d", tc.name, a.Date, a.Year, tc.date, tc.year)
		}
	}
}

// TestArticlesGovFields: an article carries the government-document fields
// its input states and a type; the number gives the year when nothing else
// does, the date written gives the date when none is given; every article
// has a type.
func TestArticlesGovFields(t *testing.T) {
	e := newEnricher(t, Config{})
	id := func(i int, given string) string { return fmt.Sprint(i) }
	page := &source.Page{Docs: []source.Doc{
		{Title: "国务院关于印发土壤污染防治行动计划的通知", Body: "现将《土壤污染防治行动计划》印发给你们，请认真贯彻执行。",
			Given: source.Meta{DocNo: "国发〔2016〕31号", Issuer: []string{"国务院"}, Written: "2016-05-28", IndexNo: "000014349/2016-00089",
				Category: "城乡建设、环境保护\\其他", Validity: "有效"}},
		{Title: "关于做好养老服务的通知", Body: "各区民政局：现就有关事项通知如下。", Given: source.Meta{DocNo: "京民养老发〔2019〕26号"}},
		{Title: "关于做好养老服务的通知", Body: "各区民政局：现就有关事项通知如下。",
			Given: source.Meta{Date: "2016-06-01", Issuer: []string{"北京市民政局"}, Written: "2016-05-28"}},
		{Title: "《土壤污染防治行动计划》政策解读", Body: "日前，国务院印发《土壤污染防治行动计划》。"},
		{Title: "海淀区新建养老驿站12家", Body: "海淀区今年新建养老驿站12家。"},
	}}
	arts := e.Articles(page, "x.jsonl", id)
	a := arts[0]
	if a.DocNo != "国发〔2016〕31号" || strings.Join(a.Issuer, ";") != "国务院" || a.Written != "2016-05-28" ||
		a.IndexNo != "000014349/2016-00089" || a.Category != "城乡建设、环境保护\\其他" || a.Validity != "有效" {
		t.Errorf("fields not kept: %+v", a.Article)
	}
	if a.Date != "2016-05-28" || a.Year != 2016 || a.Type != "政策文件" {
		t.Errorf("date %q year %d type %q, want 2016-05-28 2016 政策文件", a.Date, a.Year, a.Type)
	}
	if b := arts[1]; b.Year != 2019 || b.Date != "" || b.Type != "政策文件" {
		t.Errorf("number only: year %d date %q type %q, want 2019, no date, 政策文件", b.Year, b.Date, b.Type)
	}
	if c := arts[2]; c.Date != "2016-06-01" || c.Written != "2016-05-28" {
		t.Errorf("a given date wins over the date written: %q (written %q)", c.Date, c.Written)
	}
	if d := arts[3]; d.Type != "政策解读" || d.DocNo != "" || d.Issuer == nil || len(d.Issuer) != 0 {
		t.Errorf("interpretation: type %q doc_no %q issuer %#v", d.Type, d.DocNo, d.Issuer)
	}
	if n := arts[4]; n.Type != "新闻" {
		t.Errorf("news: type %q", n.Type)
	}
}
