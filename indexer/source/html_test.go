package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// boilerplate that must never reach an article body: footers, breadcrumbs,
// share and print bars, navigation, scripts and styles of the fixtures.
var htmlBoilerplate = []string{
	"版权所有", "ICP", "公网安备", "网站标识码", "主办", "联系我们", "网站地图",
	"当前位置", "您现在的位置", "您的位置",
	"打印", "关闭", "分享到", "微信", "微博", "字号", "字体", "浏览次数", "责任编辑",
	"首页", "政务公开", "相关新闻", "热点推荐", "镇街动态", "西红门镇开展",
	"function", "document", "var ", "hm.baidu", "text-indent", "font-size", "__VIEWSTATE", "请输入关键词",
	"发布时间", "来源：", "浏览器",
}

func readFixture(t *testing.T, path string) *Page {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Read(filepath.Base(path), data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return p
}

func TestReadHTMLFixtures(t *testing.T) {
	cases := []struct {
		file   string
		title  string
		date   string
		source string
		url    string
		body   []string // the body contains these, in this order
		first  string   // the body starts with this
	}{
		{ // UTF-8, every government meta tag, TRS_Editor inside #zoom
			file:   "haidian_xuewei_2022.html",
			title:  "海淀区今年秋季新增中小学学位4200个",
			date:   "2022-08-26", // PubDate "2022-08-26 09:30"
			source: "海淀区教委",
			url:    "https://www.bjhd.gov.cn/ztzx/2022zt/jy/202208/t20220826_4553120.shtml", // meta Url
			first:  "8月26日，记者从海淀区教委获悉",
			body:   []string{"新增学位4200个", "北大附中西北旺学校为九年一贯制学校", "集团化办学", "提供学前教育学位540个，预计年底前完工。"},
		},
		{ // GB2312 (<meta charset="gb2312">), unclosed <p>/<li>/<tr>, #zoom, PubDate in 年月日
			file:   "tongzhou_ditie_2023.html",
			title:  "地铁6号线通州段两座新站开通 副中心路网再加密",
			date:   "2023-06-18",
			source: "通州区交通局",
			url:    "http://www.bjtzh.gov.cn/bjtz/xxfb/202306/1654321.shtml", // <link rel=canonical>
			first:  "6月18日起，地铁6号线通州段新增的两座车站正式开通运营",
			body:   []string{"调整了12条公交线路", "打通断头路7条", "缓解早晚高峰拥堵。"},
		},
		{ // no meta tags: title from <h1>/<title>, date from the visible 发布时间, no known container
			file:  "daxing_nongye_2020.htm",
			title: "大兴区西瓜种植户用上“智慧大棚” 庞各庄镇瓜农增收近两成",
			date:  "2020-09-22",
			first: "秋收时节，大兴区庞各庄镇的西瓜种植基地里一派繁忙。",
			body:  []string{"“西瓜之乡”", "引导瓜农成立专业合作社", "带动更多农户增收致富。"},
		},
		{ // GBK (http-equiv), whole page inside an ASP.NET <form>, logo <h1>, title from h2.title
			file:  "changping_yanglao_2021.html",
			title: "回龙观地区新增3家社区养老驿站 老人在家门口吃上热乎饭",
			date:  "2021-11-03",                                                                 // PubDate "2021/11/03"
			url:   "http://www.bjchp.gov.cn/cpqzf/xxgk2671/qzfxx/202111/t20211103_2525521.html", // og:url
			first: "日前，昌平区回龙观地区新建的3家社区养老驿站陆续投入运营",
			body:  []string{"老年餐桌服务", "适老化改造", "龙泽园养老驿站 龙泽园街道 10张"},
		},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			p := readFixture(t, filepath.Join("testdata/html", c.file))
			if !p.Shared || len(p.Docs) != 1 {
				t.Fatalf("shared=%v docs=%d, want one shared article", p.Shared, len(p.Docs))
			}
			if len(p.Problems) > 0 {
				t.Errorf("problems: %v", p.Problems)
			}
			d := p.Docs[0]
			if d.Title != c.title || d.Given.Title != c.title {
				t.Errorf("title %q (given %q), want %q", d.Title, d.Given.Title, c.title)
			}
			if d.Given.Date != c.date {
				t.Errorf("date %q, want %q", d.Given.Date, c.date)
			}
			if d.Given.Source != c.source {
				t.Errorf("source %q, want %q", d.Given.Source, c.source)
			}
			if d.Given.URL != c.url {
				t.Errorf("url %q, want %q", d.Given.URL, c.url)
			}
			if len(d.Given.Topics) > 0 || len(d.Given.Districts) > 0 {
				t.Errorf("topics/districts given: %v %v (ColumnName and Keywords must not become topics)", d.Given.Topics, d.Given.Districts)
			}
			if !strings.HasPrefix(d.Body, c.first) {
				t.Errorf("body starts %q, want %q", truncateRunes(d.Body, 40), c.first)
			}
			at := 0
			for _, s := range c.body {
				i := strings.Index(d.Body[at:], s)
				if i < 0 {
					t.Errorf("body lacks %q (in order)", s)
					continue
				}
				at += i
			}
			for _, bad := range htmlBoilerplate {
				if strings.Contains(d.Body, bad) {
					t.Errorf("body contains boilerplate %q:\n%s", bad, d.Body)
				}
			}
			if strings.Contains(d.Body, c.title) {
				t.Errorf("body repeats the title")
			}
			if strings.ContainsRune(d.Body, '\uFFFD') || strings.Contains(d.Body, "&nbsp;") {
				t.Errorf("body has undecoded text: %q", truncateRunes(d.Body, 80))
			}
			if !strings.HasPrefix(p.Text, c.title+"\n") || !strings.Contains(p.Text, c.first) {
				t.Errorf("page text %q is not title + body", truncateRunes(p.Text, 60))
			}
			// Paragraphs stay paragraphs.
			if n := strings.Count(d.Body, "\n\n"); n < 2 {
				t.Errorf("body has %d paragraph breaks, want at least 2", n)
			}
		})
	}
}

// page builds a small government page around a body.
func page(head, body string) string {
	return "<!DOCTYPE html><html><head>" + head + "</head><body>" +
		`<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a></div>` + body +
		`<div class="foot">版权所有：北京市石景山区人民政府 京ICP备05060933号</div></body></html>`
}

const sjsBody = `<div class="TRS_Editor"><p>石景山区首钢园区新建的冰雪运动中心正式对外开放，市民可以在这里体验滑冰、冰壶等冰雪运动项目。</p><p>该中心利用首钢老厂房改造而成，保留了工业遗存风貌。</p></div>`

func TestReadHTMLCharsets(t *testing.T) {
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	gb18030 := func(s string) []byte {
		b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	const title = "<title>首钢园冰雪运动中心开放_北京市石景山区人民政府</title>"
	cases := []struct {
		name string
		data []byte
	}{
		{"utf-8 declared", []byte(page(`<meta charset="utf-8">`+title, sjsBody))},
		{"utf-8 with BOM, undeclared", append([]byte("\xef\xbb\xbf"), page(title, sjsBody)...)},
		{"gb2312 meta charset", gbk(page(`<meta charset="gb2312">`+title, sjsBody))},
		{"GBK http-equiv, upper case", gbk(page(`<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=GBK">`+title, sjsBody))},
		{"gb18030 with a four-byte character", gb18030(page(`<meta charset="gb18030">`+title, strings.Replace(sjsBody, "工业遗存", "工业遗存𠀋", 1)))},
		{"GBK undeclared", gbk(page(title, sjsBody))},
		{"GBK declared after 1 KB of script", gbk(page("<script>"+strings.Repeat("var a = 1;\n", 200)+"</script>"+`<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`+title, sjsBody))},
		{"declared gb2312 but really UTF-8", []byte(page(`<meta charset="gb2312">`+title, sjsBody))},
		{"declared utf-8 but really GBK", gbk(page(`<meta charset="utf-8">`+title, sjsBody))},
		{"declared iso-8859-1 but really GBK", gbk(page(`<meta charset="iso-8859-1">`+title, sjsBody))},
		{"XML declaration", gbk(`<?xml version="1.0" encoding="gb2312"?>` + page(title, sjsBody))},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ReadHTML(c.data)
			if err != nil {
				t.Fatal(err)
			}
			d := p.Docs[0]
			if d.Title != "首钢园冰雪运动中心开放" {
				t.Errorf("title %q", d.Title)
			}
			if !strings.HasPrefix(d.Body, "石景山区首钢园区新建的冰雪运动中心正式对外开放") || !strings.Contains(d.Body, "保留了工业遗存") {
				t.Errorf("body %q", d.Body)
			}
			if strings.Contains(d.Body, "版权所有") || strings.Contains(d.Body, "首页") {
				t.Errorf("boilerplate in body %q", d.Body)
			}
		})
	}
	// A four-byte GB18030 character survives.
	p, err := ReadHTML(gb18030(page(`<meta charset="gb18030">`+title, strings.Replace(sjsBody, "工业遗存", "工业遗存𠀋", 1))))
	if err != nil || !strings.Contains(p.Docs[0].Body, "工业遗存𠀋") {
		t.Errorf("GB18030 four-byte character lost: %v", err)
	}
}

// TestReadHTMLNoKnownContainer: without CMS container names the block with
// the most prose and the fewest links is the body, even next to a sidebar
// of long link titles and a comment form.
func TestReadHTMLNoKnownContainer(t *testing.T) {
	var links strings.Builder
	for i := 0; i < 20; i++ {
		links.WriteString(`<li><a href="/n/` + string(rune('a'+i)) + `.html">丰台区召开优化营商环境工作推进会暨重点项目集中签约仪式</a></li>`)
	}
	doc := `<html><head><meta charset="utf-8"><title>丰台区丽泽金融商务区新签约企业12家</title></head><body>
<div id="hd"><div class="lg">丰台区人民政府</div></div>
<table class="layout"><tr>
<td class="left"><ul>` + links.String() + `</ul></td>
<td class="right">
  <div class="tt">丰台区丽泽金融商务区新签约企业12家</div>
  <div class="sj">发布日期：2023年5月6日</div>
  <div class="nr">
    <div>　　5月6日，丰台区丽泽金融商务区举行重点企业集中签约活动，12家金融科技企业签约入驻，总投资额超过80亿元。</div>
    <div>　　丰台区相关负责人介绍，今年丽泽金融商务区将继续优化营商环境，为入驻企业提供一站式审批服务，打造首都金融发展新高地。</div>
    <div><img src="/p/1.jpg" alt="签约现场"></div>
  </div>
  <form class="pl" action="/comment"><label>留言：</label><textarea>请输入留言内容</textarea><input type="submit" value="提交"></form>
</td></tr></table>
<div class="bq"><p>版权所有：北京市丰台区人民政府 网站标识码：1101060001</p><p>京ICP备05083323号</p></div>
</body></html>`
	p, err := ReadHTML([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	d := p.Docs[0]
	if d.Title != "丰台区丽泽金融商务区新签约企业12家" {
		t.Errorf("title %q", d.Title)
	}
	if d.Given.Date != "2023-05-06" {
		t.Errorf("date %q", d.Given.Date)
	}
	want := "5月6日，丰台区丽泽金融商务区举行重点企业集中签约活动，12家金融科技企业签约入驻，总投资额超过80亿元。\n\n" +
		"丰台区相关负责人介绍，今年丽泽金融商务区将继续优化营商环境，为入驻企业提供一站式审批服务，打造首都金融发展新高地。"
	if d.Body != want {
		t.Errorf("body\n%q\nwant\n%q", d.Body, want)
	}
}

// TestReadHTMLLayoutTable: an old table-layout page, navigation in one cell
// and the article in the next. Without a known container only the prose
// block is taken: the data table in a row of its own is left out (a known
// limitation of the fallback; TRS and other CMS containers keep tables).
func TestReadHTMLLayoutTable(t *testing.T) {
	doc := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>顺义区开展汛前河道清淤_北京市顺义区人民政府</title></head><body>
<table width="980"><tr>
<td width="200"><a href="/">首页</a><br><a href="/zwgk/">政务公开</a><br><a href="/bsfw/">办事服务</a></td>
<td width="780">
<table><tr><td class="bt">顺义区开展汛前河道清淤</td></tr>
<tr><td>发布日期：2019-05-20</td></tr>
<tr><td>　　5月20日，顺义区水务局启动汛前河道清淤工程，对潮白河、小中河等12条河道进行清淤疏浚，清理淤泥3万立方米。<br>　　区水务局表示，清淤工程将在6月底前全部完工，确保汛期河道行洪安全。</td></tr>
<tr><td><table><tr><td>河道</td><td>清淤量</td></tr><tr><td>小中河</td><td>8000立方米</td></tr></table></td></tr>
</table>
</td></tr></table>
<table><tr><td>版权所有：北京市顺义区人民政府</td><td>京ICP备05064391号</td></tr></table>
</body></html>`
	p, err := ReadHTML([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	d := p.Docs[0]
	if d.Title != "顺义区开展汛前河道清淤" || d.Given.Date != "2019-05-20" {
		t.Errorf("title %q date %q", d.Title, d.Given.Date)
	}
	want := "5月20日，顺义区水务局启动汛前河道清淤工程，对潮白河、小中河等12条河道进行清淤疏浚，清理淤泥3万立方米。\n\n" +
		"区水务局表示，清淤工程将在6月底前全部完工，确保汛期河道行洪安全。"
	if d.Body != want {
		t.Errorf("body\n%q\nwant\n%q", d.Body, want)
	}
}

func TestReadHTMLTitleSources(t *testing.T) {
	body := `<div class="content"><p>怀柔区雁栖湖国际会都周边新建的滨湖绿道全线贯通，全长12公里，沿途设置了6处驿站和观景平台，方便市民骑行、步行。</p></div>`
	cases := []struct {
		name, head, body, want string
	}{
		{"ArticleTitle wins", `<meta name="ArticleTitle" content="雁栖湖滨湖绿道全线贯通"><title>别的标题_北京市怀柔区人民政府</title>`, `<h1>页面上的标题</h1>` + body, "雁栖湖滨湖绿道全线贯通"},
		{"og:title", `<meta property="og:title" content="雁栖湖滨湖绿道全线贯通">`, body, "雁栖湖滨湖绿道全线贯通"},
		{"h1 named by title", `<title>雁栖湖滨湖绿道全线贯通_通知公告_北京市怀柔区人民政府</title>`, `<h1>雁栖湖滨湖绿道全线贯通</h1>` + body, "雁栖湖滨湖绿道全线贯通"},
		{"title suffixes stripped", `<title>雁栖湖滨湖绿道全线贯通_区政府信息_北京市怀柔区人民政府</title>`, body, "雁栖湖滨湖绿道全线贯通"},
		{"dash and pipe suffixes", `<title>雁栖湖滨湖绿道全线贯通 - 首都之窗 | 北京市人民政府门户网站</title>`, body, "雁栖湖滨湖绿道全线贯通"},
		{"title is only the site name: h1", `<title>北京市怀柔区人民政府</title>`, `<div class="header"><h1>北京市怀柔区人民政府</h1></div><h1>雁栖湖滨湖绿道全线贯通</h1>` + body, "雁栖湖滨湖绿道全线贯通"},
		{"title longer than h1", `<title>雁栖湖滨湖绿道全线贯通 全长12公里_北京市怀柔区人民政府</title>`, `<div class="logo"><h1>北京市怀柔区人民政府</h1></div>` + body, "雁栖湖滨湖绿道全线贯通 全长12公里"},
		{"no title at all: first short line", ``, `<div class="content"><p>雁栖湖滨湖绿道全线贯通</p><p>怀柔区雁栖湖国际会都周边新建的滨湖绿道全线贯通，全长12公里。</p></div>`, "雁栖湖滨湖绿道全线贯通"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ReadHTML([]byte(page(`<meta charset="utf-8">`+c.head, c.body)))
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Docs[0].Title; got != c.want {
				t.Errorf("title %q, want %q", got, c.want)
			}
			if strings.HasPrefix(p.Docs[0].Body, c.want+"\n") {
				t.Errorf("body repeats the title: %q", p.Docs[0].Body)
			}
		})
	}
}

func TestStripSiteSuffix(t *testing.T) {
	for in, want := range map[string]string{
		"海淀区新增学位_政务动态_北京市海淀区人民政府":    "海淀区新增学位",
		"海淀区新增学位-北京市海淀区人民政府":         "海淀区新增学位",
		"海淀区新增学位 | 首都之窗":             "海淀区新增学位",
		"通知公告_北京市海淀区人民政府":            "通知公告_北京市海淀区人民政府", // what remains is too short
		"2022-2023学年度第一学期校历":         "2022-2023学年度第一学期校历",
		"北京市海淀区人民政府":                 "北京市海淀区人民政府",
		"关于2022-2023学年招生工作的通知_海淀区教委": "关于2022-2023学年招生工作的通知",
	} {
		if got := stripSiteSuffix(in); got != want {
			t.Errorf("stripSiteSuffix(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadHTMLDates(t *testing.T) {
	body := `<div class="TRS_Editor"><p>延庆区世园公园举办春季花展，展出郁金香、牡丹等花卉50余万株，吸引了大批游客。</p></div>`
	cases := []struct {
		name, head, body, want string
		problem                bool
	}{
		{"PubDate with time", `<meta name="PubDate" content="2024-03-05 10:20">`, body, "2024-03-05", false},
		{"PubDate in 年月日", `<meta name="PubDate" content="2024年03月05日">`, body, "2024-03-05", false},
		{"PubDate compact", `<meta name="pubdate" content="20240305">`, body, "2024-03-05", false},
		{"visible 发布时间", ``, `<div class="info">发布时间：2024-03-05　来源：延庆区园林绿化局</div>` + body, "2024-03-05", false},
		{"visible 日期 in 年月日", ``, `<div class="info">日期：2024年3月5日</div>` + body, "2024-03-05", false},
		{"发布 label wins over a bare one", ``, `<div class="info">更新时间：2024-04-01 发布日期：2024-03-05</div>` + body, "2024-03-05", false},
		{"bad PubDate falls back to the visible date", `<meta name="PubDate" content="2024-02-30">`, `<div>发布时间：2024-03-05</div>` + body, "2024-03-05", true},
		{"no date", ``, body, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ReadHTML([]byte(page(`<meta charset="utf-8"><title>世园公园春季花展开幕_北京市延庆区人民政府</title>`+c.head, c.body)))
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Docs[0].Given.Date; got != c.want {
				t.Errorf("date %q, want %q", got, c.want)
			}
			if (len(p.Problems) > 0) != c.problem {
				t.Errorf("problems %v, want problem=%v", p.Problems, c.problem)
			}
			if strings.Contains(p.Docs[0].Body, "发布") || strings.Contains(p.Docs[0].Body, "日期") {
				t.Errorf("info line in body: %q", p.Docs[0].Body)
			}
		})
	}
}

func TestReadHTMLBoilerplateLines(t *testing.T) {
	// Furniture inside the content container itself, without telling classes.
	body := `<div class="TRS_Editor">
<div>当前位置：首页 &gt; 新闻中心</div>
<p>　　平谷区大桃进入采摘季，全区桃园面积22万亩，今年预计产量超过3亿斤，桃农收入持续增长。</p>
<p>联系我们：如对本条新闻有疑问，请拨打区农业农村局电话，我们将及时答复。</p>
<div>【打印本页】【关闭窗口】</div>
<div>分享到： 微信 微博 QQ空间</div>
<div>字号：大 中 小</div>
<p>版权所有：北京市平谷区人民政府　京ICP备05060933号</p>
<div>上一篇：平谷区召开春耕生产部署会</div>
</div>`
	p, err := ReadHTML([]byte(page(`<meta charset="utf-8"><title>平谷大桃进入采摘季_北京市平谷区人民政府</title>`, body)))
	if err != nil {
		t.Fatal(err)
	}
	want := "平谷区大桃进入采摘季，全区桃园面积22万亩，今年预计产量超过3亿斤，桃农收入持续增长。\n\n" +
		"联系我们：如对本条新闻有疑问，请拨打区农业农村局电话，我们将及时答复。" // a sentence, not furniture
	if got := p.Docs[0].Body; got != want {
		t.Errorf("body\n%q\nwant\n%q", got, want)
	}
}

func TestReadHTMLUnusable(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":          []byte(" \n\t"),
		"binary":         {0x89, 'P', 'N', 'G', 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R'},
		"no text":        []byte(`<html><head><title></title></head><body><script>var x = "新闻";</script><div class="nav"><a href="/">首页</a></div></body></html>`),
		"invalid GB2312": append([]byte(`<meta charset="gb2312"><p>`), []byte{0xff, 0xfe, 0x81, 0x20, 0xff, 0xff, 0x81, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}...),
	} {
		if p, err := ReadHTML(data); err == nil {
			t.Errorf("%s: no error, got %+v", name, p.Docs)
		}
	}
	// A page whose body is only an image falls back to its Description.
	p, err := ReadHTML([]byte(page(`<meta charset="utf-8"><title>图解：2023年东城区政府工作报告_北京市东城区人民政府</title><meta name="Description" content="一图读懂2023年东城区政府工作报告。">`,
		`<div class="TRS_Editor"><img src="/tj/2023.jpg"></div>`)))
	if err != nil {
		t.Fatal(err)
	}
	if p.Docs[0].Body != "一图读懂2023年东城区政府工作报告。" {
		t.Errorf("body %q", p.Docs[0].Body)
	}
}

func TestParseLooseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2024-03-05":                "2024-03-05",
		"2024-03-05 10:20":          "2024-03-05",
		"2024-03-05T10:20:00+08:00": "2024-03-05",
		"2024/3/5":                  "2024-03-05",
		"2024.03.05":                "2024-03-05",
		"2024年03月05日":               "2024-03-05",
		"2024年3月5日 星期二":             "2024-03-05",
		"20240305":                  "2024-03-05",
		" 2024-3-5 ":                "2024-03-05",
		"2024-02-30":                "",
		"2024-13-01":                "",
		"三月五日":                      "",
		"":                          "",
		"1024-03-05":                "",
	} {
		got, ok := parseLooseDate(in)
		if got != want || ok != (want != "") {
			t.Errorf("parseLooseDate(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestReadDispatch(t *testing.T) {
	for _, name := range []string{"a.html", "b.HTM", "c.shtml", "d.jsonl", "e.txt", "f.md", "g.pdf", "h.DOCX", "i.doc", "j.wps"} {
		if !Supported(name) {
			t.Errorf("Supported(%q) = false", name)
		}
	}
	for _, name := range []string{"a.json", "b.xls", "c.png", "jsonl"} {
		if Supported(name) {
			t.Errorf("Supported(%q) = true", name)
		}
	}
	doc := page(`<meta charset="utf-8"><title>石景山区冰雪运动中心开放_北京市石景山区人民政府</title>`, sjsBody)
	if p, err := Read("x/y/Page.HTM", []byte(doc)); err != nil || p.Docs[0].Title != "石景山区冰雪运动中心开放" {
		t.Errorf("Read .HTM: %v", err)
	}
	if _, err := Read("a.xml", []byte(doc)); err != ErrUnsupported {
		t.Errorf("Read .xml: %v", err)
	}
}

// TestDecodeTextGB18030File: a GB18030 bulletin page without any declaration.
func TestDecodeTextGB18030File(t *testing.T) {
	data, err := os.ReadFile("testdata/txt/yanqing_bingxue_2022_gb18030.txt")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "延庆") {
		t.Fatal("fixture is not GB18030-encoded")
	}
	text, err := DecodeText(data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, "延庆冰雪运动进校园 全区中小学生上冰雪课\n") || !strings.Contains(text, "国家雪车雪橇中心") {
		t.Errorf("decoded %q", truncateRunes(text, 60))
	}
	p := readFixture(t, "testdata/txt/yanqing_bingxue_2022_gb18030.txt")
	if len(p.Docs) != 1 || p.Docs[0].Title != "延庆冰雪运动进校园 全区中小学生上冰雪课" {
		t.Fatalf("docs %+v", p.Docs)
	}
	if b := p.Docs[0].Body; !strings.Contains(b, "2022年北京冬奥会结束后") || strings.Contains(b, "本报记者") {
		t.Errorf("body %q", b)
	}
}
