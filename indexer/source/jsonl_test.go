package source

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestReadJSONLFixture(t *testing.T) {
	p := readFixture(t, "testdata/jsonl/bulletin_export.jsonl")
	if p.Shared {
		t.Error("JSON Lines articles must not share a page date")
	}
	type want struct {
		line                   int
		id, title, date, url   string
		source                 string
		districts, topics      []string
		bodyStart, bodyContain string
	}
	wants := []want{
		{line: 1, id: "xc-2019-0518", title: "什刹海历史文化街区完成第二批四合院修缮", date: "2019-05-18", source: "西城报",
			url: "http://www.bjxch.gov.cn/xxgk/xwfb/201905/t20190518_1021.html", bodyStart: "5月18日是国际博物馆日", bodyContain: "古建构件。\n\n西城区文物部门介绍"}, // paragraphs kept
		{line: 2, id: "cy-2021-1009", title: "望京街道接诉即办“未诉先办” 12345诉求量同比下降三成", date: "2021-10-09", source: "朝阳区融媒体中心",
			bodyStart: "今年以来，朝阳区望京街道深化接诉即办改革"},
		{line: 6, id: "mtg-2024-0312", title: "门头沟区春季造林绿化启动 永定河沿线新增湿地300亩", source: "门头沟区园林绿化局",
			bodyStart: "3月12日，门头沟区2024年春季造林绿化工作在永定河畔启动。"}, // bad date dropped
		{line: 8, id: "20180726", title: "房山区良乡镇老旧小区改造启动 12栋老楼将加装电梯", date: "2018-07-26", // Unix ms
			bodyStart: "7月26日，房山区良乡镇老旧小区综合整治工程正式启动。"},
		{line: 9, id: "my-2023-0915", title: "密云水库周边村庄发展生态农业 “密云农品”带动农户增收", date: "2023-09-15",
			url: "https://www.bjmy.gov.cn/art/2023/9/15/art_1234_567.html", districts: []string{"密云区"}, topics: []string{"农业农村", "生态环境"},
			bodyStart: "9月15日，记者走进密云区溪翁庄镇金叵罗村"},
		// Line 12 repeats line 1's id: both are read; the indexer keeps the later.
		{line: 12, id: "xc-2019-0518", title: "什刹海历史文化街区完成第二批四合院修缮（重复推送）", bodyStart: "西城区什刹海历史文化街区"},
		{line: 13, id: "ft-2022-0420", title: "丰台区新建两家社区卫生服务中心投入使用",
			bodyStart: "4月20日，丰台区卢沟桥街道、宛平地区两家社区卫生服务中心正式投入使用"},
	}
	if len(p.Docs) != len(wants) {
		for _, d := range p.Docs {
			t.Logf("line %d: %s", d.Line, d.Title)
		}
		t.Fatalf("%d articles, want %d", len(p.Docs), len(wants))
	}
	for i, w := range wants {
		d := p.Docs[i]
		if d.Line != w.line || d.ID != w.id || d.Title != w.title {
			t.Errorf("article %d: line %d id %q title %q; want line %d id %q title %q", i, d.Line, d.ID, d.Title, w.line, w.id, w.title)
		}
		g := d.Given
		if g.Date != w.date || g.Source != w.source || g.URL != w.url || g.Title != "" {
			t.Errorf("line %d: given %+v; want date %q source %q url %q", w.line, g, w.date, w.source, w.url)
		}
		if !reflect.DeepEqual(g.Districts, w.districts) || !reflect.DeepEqual(g.Topics, w.topics) {
			t.Errorf("line %d: districts %v topics %v; want %v %v", w.line, g.Districts, g.Topics, w.districts, w.topics)
		}
		if !strings.HasPrefix(d.Body, w.bodyStart) || !strings.Contains(d.Body, w.bodyContain) {
			t.Errorf("line %d: body %q", w.line, truncateRunes(d.Body, 60))
		}
	}
	wantProblems := []struct {
		line int
		has  string
	}{
		{3, "not valid JSON"},
		{4, `"title" must be a string`},
		{5, `missing "body"`},
		{6, `"date" "2024-02-30" is not a date; field ignored`},
		{8, `"districts" must be a list of strings`},
		{10, `"body" is empty`},
		{11, "not a JSON object"},
		{13, `"topics" must be a list of strings`},
	}
	if len(p.Problems) != len(wantProblems) {
		t.Errorf("problems: %v", p.Problems)
	}
	for i, w := range wantProblems {
		if i >= len(p.Problems) {
			break
		}
		got := p.Problems[i]
		if got.Line != w.line || !strings.Contains(got.Reason, w.has) {
			t.Errorf("problem %d = %q, want line %d with %q", i, got.String(), w.line, w.has)
		}
		skipped := strings.HasSuffix(got.Reason, "line skipped")
		if dropsField := strings.HasSuffix(got.Reason, "field ignored"); skipped == dropsField {
			t.Errorf("problem %q must say whether the line or a field was dropped", got.String())
		}
	}
}

func TestReadJSONLNoUsableLine(t *testing.T) {
	for name, data := range map[string]string{
		"empty":        "\n\n  \n",
		"all bad":      "{\"id\":\"a\",\"title\":\"顺义区\"}\nnot json\n[1,2]\n",
		"empty title":  `{"id":"x","title":"  ","body":"4月1日，顺义区召开优化营商环境大会。"}`,
		"bool id":      `{"id":true,"title":"顺义区召开优化营商环境大会","body":"4月1日，顺义区召开优化营商环境大会。"}`,
		"binary":       "\x00\x01\x02\x03{}",
		"null line":    "null\n",
		"nested lists": `[{"id":"a","title":"t","body":"b"}]`,
	} {
		p, err := ReadJSONL([]byte(data))
		if err == nil {
			t.Errorf("%s: no error, got %+v", name, p.Docs)
			continue
		}
		t.Logf("%s: %v", name, err)
	}
	_, err := ReadJSONL([]byte("{\"id\":\"a\",\"title\":\"顺义区\"}\nnot json\n"))
	if err == nil || !strings.Contains(err.Error(), `line 1: missing "body"`) || !strings.Contains(err.Error(), "and 1 more") {
		t.Errorf("error should name the first bad line and count the rest: %v", err)
	}
}

func TestReadJSONLFormats(t *testing.T) {
	const line = `{"id":"cp-2021-1103","title":"昌平区回龙观新增养老驿站","body":"昌平区回龙观地区新增3家社区养老驿站。","date":%s,"districts":%s,"topics":%s}`
	cases := []struct {
		name, date, districts, topics string
		wantDate                      string
		wantDistricts, wantTopics     []string
		problems                      int
	}{
		{"plain", `"2021-11-03"`, `["昌平区"]`, `["养老服务"]`, "2021-11-03", []string{"昌平区"}, []string{"养老服务"}, 0},
		{"slashes and time", `"2021/11/3 08:00"`, `null`, `null`, "2021-11-03", nil, nil, 0},
		{"RFC 3339", `"2021-11-03T08:00:00+08:00"`, `[]`, `[]`, "2021-11-03", nil, nil, 0},
		{"年月日", `"2021年11月3日"`, `"昌平区、海淀区"`, `"养老服务,医疗卫生"`, "2021-11-03", []string{"昌平区", "海淀区"}, []string{"养老服务", "医疗卫生"}, 0},
		{"unix seconds, Beijing time", `1635868800`, `[" 昌平区 ",""]`, `["养老服务"]`, "2021-11-03", []string{"昌平区"}, []string{"养老服务"}, 0},
		{"empty date string is no date", `""`, `["昌平区"]`, `["养老服务"]`, "", []string{"昌平区"}, []string{"养老服务"}, 0},
		{"date as object, districts mixed", `{"y":2021}`, `["昌平区",5]`, `true`, "", nil, nil, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := strings.Replace(line, "%s", c.date, 1)
			data = strings.Replace(data, "%s", c.districts, 1)
			data = strings.Replace(data, "%s", c.topics, 1)
			p, err := ReadJSONL([]byte(data))
			if err != nil {
				t.Fatal(err)
			}
			g := p.Docs[0].Given
			if g.Date != c.wantDate || !reflect.DeepEqual(g.Districts, c.wantDistricts) || !reflect.DeepEqual(g.Topics, c.wantTopics) {
				t.Errorf("given %+v; want %q %v %v", g, c.wantDate, c.wantDistricts, c.wantTopics)
			}
			if len(p.Problems) != c.problems {
				t.Errorf("problems %v, want %d", p.Problems, c.problems)
			}
		})
	}
}

func TestReadJSONLEncodingsAndLines(t *testing.T) {
	good := `{"id":"1","title":"大兴区庞各庄镇西瓜丰收","body":"大兴区庞各庄镇西瓜喜获丰收，瓜农增收近两成。"}`
	// BOM, CRLF, blank lines, no final newline.
	p, err := ReadJSONL([]byte("\xef\xbb\xbf" + good + "\r\n\r\n" + strings.Replace(good, `"1"`, `"2"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Docs) != 2 || p.Docs[1].Line != 3 || p.Docs[0].Title != "大兴区庞各庄镇西瓜丰收" || len(p.Problems) > 0 {
		t.Errorf("docs %+v problems %v", p.Docs, p.Problems)
	}
	// A GB18030 export.
	gb, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(good + "\n" + strings.Replace(good, `"1"`, `"2"`, 1) + "\n"))
	p, err = ReadJSONL(gb)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Docs) != 2 || p.Docs[0].Title != "大兴区庞各庄镇西瓜丰收" {
		t.Errorf("GB18030: %+v", p.Docs)
	}
	// A UTF-8 export with one corrupt line: only that line is lost.
	p, err = ReadJSONL([]byte(good + "\n" + `{"id":"2","title":"` + "\xb4\xf3\xd0\xcb" + `","body":"x"}` + "\n" + strings.Replace(good, `"1"`, `"3"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Docs) != 2 || len(p.Problems) != 1 || p.Problems[0].Line != 2 || !strings.Contains(p.Problems[0].Reason, "UTF-8") {
		t.Errorf("corrupt line: docs %d problems %v", len(p.Docs), p.Problems)
	}
	// A line of several MB is read; one past the limit is skipped.
	long := strings.Replace(good, "瓜农增收近两成。", strings.Repeat("瓜农增收近两成。", 300000), 1) // ~7 MB
	huge := `{"id":"4","title":"t","body":"` + strings.Repeat("x", maxJSONLine) + `"}`
	p, err = ReadJSONL([]byte(long + "\n" + huge + "\n" + strings.Replace(good, `"1"`, `"5"`, 1) + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Docs) != 2 || len(p.Docs[0].Body) < 7_000_000 || p.Docs[1].Line != 3 {
		t.Errorf("long lines: %d docs", len(p.Docs))
	}
	if len(p.Problems) != 1 || p.Problems[0].Line != 2 || !strings.Contains(p.Problems[0].Reason, "longer than") {
		t.Errorf("long lines: problems %v", p.Problems)
	}
}

func TestReadJSONLHTMLBody(t *testing.T) {
	data := `{"id":"dc-1","title":"东城区故宫周边胡同完成环境整治","body":"<p style=\"text-indent:2em\">　　东城区景山街道对故宫周边12条胡同完成环境整治。</p><p>整治后，胡同里增设了休憩座椅和绿植。<br>居民和游客纷纷点赞。</p><script>alert(1)</script>"}`
	p, err := ReadJSONL([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := "东城区景山街道对故宫周边12条胡同完成环境整治。\n\n整治后，胡同里增设了休憩座椅和绿植。\n\n居民和游客纷纷点赞。"
	if p.Docs[0].Body != want {
		t.Errorf("body %q, want %q", p.Docs[0].Body, want)
	}
	// Plain text with a < is not HTML.
	p, _ = ReadJSONL([]byte(`{"id":"x","title":"PM2.5浓度","body":"今年PM2.5年均浓度<30微克/立方米。"}`))
	if p.Docs[0].Body != "今年PM2.5年均浓度<30微克/立方米。" {
		t.Errorf("body %q", p.Docs[0].Body)
	}
}

func TestReadJSONLProblemCap(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"id":"ok","title":"延庆区","body":"延庆区世园公园花展开幕。"}` + "\n")
	for i := 0; i < maxProblems+50; i++ {
		b.WriteString("garbage\n")
	}
	p, err := ReadJSONL([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Problems) != maxProblems+1 || !strings.Contains(p.Problems[maxProblems].Reason, "50 more") {
		t.Errorf("%d problems, last %v", len(p.Problems), p.Problems[len(p.Problems)-1])
	}
}

// FuzzJSONLRecords: whatever an export holds, reading it never panics, every
// article has its title and body (and an id when it was given one), and
// problems name real lines.
func FuzzJSONLRecords(f *testing.F) {
	addFiles(f, "testdata/jsonl/*", func(b []byte) { f.Add(b) })
	addFiles(f, "../../testdata/govdocs/*.jsonl", func(b []byte) { f.Add(b) })
	f.Add([]byte(`{"id":1,"title":"t","body":"<p>b</p>","date":1635868800,"districts":"a、b"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadJSONL(data)
		if err != nil {
			return
		}
		checkDocs(t, p)
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, d := range p.Docs {
			if len(d.ID) > MaxIDLen || strings.TrimSpace(d.Title) == "" || strings.TrimSpace(d.Body) == "" || d.Line < 1 || d.Line > lines {
				t.Errorf("bad article %+v", d)
			}
		}
		for _, pr := range p.Problems {
			if pr.Line > lines {
				t.Errorf("problem on line %d of %d", pr.Line, lines)
			}
		}
	})
}

// Exports of other systems name their fields differently; --map names any
// other; without an id the url is the id.
func TestReadJSONLOtherNames(t *testing.T) {
	lines := `{"title":"顺义区召开优化营商环境大会","content":"4月1日，顺义区召开优化营商环境大会。","pubDate":"2024-04-01","link":"http://example.gov.cn/a/1.html"}
{"id":7,"title":"怀柔区","text":"怀柔区科学城新引进一批企业。","publish_time":1712016000}
{"title":"平谷区大桃","content":"平谷区大桃上市。","published_at":"2023-07-02T08:00:00+08:00"}
`
	p, err := ReadJSONL([]byte(lines))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Docs) != 3 || len(p.Problems) != 0 {
		t.Fatalf("docs %+v problems %v", p.Docs, p.Problems)
	}
	want := []struct{ id, body, date, url string }{
		{"http://example.gov.cn/a/1.html", "4月1日，顺义区召开优化营商环境大会。", "2024-04-01", "http://example.gov.cn/a/1.html"},
		{"7", "怀柔区科学城新引进一批企业。", "2024-04-02", ""},
		{"", "平谷区大桃上市。", "2023-07-02", ""},
	}
	for i, w := range want {
		d := p.Docs[i]
		if d.ID != w.id || d.Body != w.body || d.Given.Date != w.date || d.Given.URL != w.url {
			t.Errorf("line %d: id %q body %q date %q url %q; want %+v", i+1, d.ID, d.Body, d.Given.Date, d.Given.URL, w)
		}
	}

	fm, err := ParseFieldMap("body=正文, date=发布日期,id=编号")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := NewJSONLScanner(strings.NewReader(`{"编号":"a-1","title":"通州区","正文":"通州区城市副中心新建学校。","发布日期":"2022/9/1","body":"ignored"}`), fm)
	if err != nil {
		t.Fatal(err)
	}
	docs, probs, err := sc.Next(10, 1<<20)
	if err != io.EOF || len(docs) != 1 || len(probs) != 0 {
		t.Fatalf("docs %+v probs %v err %v", docs, probs, err)
	}
	if d := docs[0]; d.ID != "a-1" || d.Body != "通州区城市副中心新建学校。" || d.Given.Date != "2022-09-01" {
		t.Errorf("mapped: %+v", d)
	}
	for _, bad := range []string{"body", "body=", "author=writer"} {
		if _, err := ParseFieldMap(bad); err == nil {
			t.Errorf("ParseFieldMap(%q): no error", bad)
		}
	}
}

// A scanner hands out an export a few lines at a time, whatever its size,
// and counts lines across the pieces.
func TestJSONLScannerPieces(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 2500; i++ {
		fmt.Fprintf(&b, `{"id":"n%d","title":"延庆区第%d条","body":"延庆区世园公园花展开幕。"}`+"\n", i, i)
		if i == 1200 {
			b.WriteString("not json\n")
		}
	}
	sc, err := NewJSONLScanner(strings.NewReader(b.String()), nil)
	if err != nil {
		t.Fatal(err)
	}
	total, pieces := 0, 0
	var probs []Problem
	for {
		docs, p, err := sc.Next(16, 64<<10)
		if len(docs) > 16 {
			t.Fatalf("piece of %d articles", len(docs))
		}
		for _, d := range docs {
			total++
			wantLine := total
			if total > 1200 {
				wantLine++
			}
			if d.Line != wantLine || d.ID != fmt.Sprintf("n%d", total) {
				t.Fatalf("article %d: line %d id %s", total, d.Line, d.ID)
			}
		}
		probs = append(probs, p...)
		pieces++
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if total != 2500 || pieces < 2500/16 || len(probs) != 1 || probs[0].Line != 1201 {
		t.Errorf("%d articles in %d pieces, problems %v", total, pieces, probs)
	}
	if sc.Err() != nil || sc.BytesRead() != int64(b.Len()) {
		t.Errorf("err %v, read %d of %d", sc.Err(), sc.BytesRead(), b.Len())
	}
}

// TestReadJSONLYear: a `year` field (a number or digits) is read as the
// article's given year; a value that is not a year drops only the field.
func TestReadJSONLYear(t *testing.T) {
	data := strings.Join([]string{
		`{"title":"2012年政府工作报告","content":"各位代表：","year":"2012"}`,
		`{"title":"报告","content":"正文。","year":1998}`,
		`{"title":"报告","content":"正文。","year":null}`,
		`{"title":"报告","content":"正文。","year":"去年"}`,
		`{"title":"报告","content":"正文。","year":1066}`,
	}, "\n")
	p, err := ReadJSONL([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, d := range p.Docs {
		got = append(got, d.Given.Year)
	}
	if want := []int{2012, 1998, 0, 0, 0}; !reflect.DeepEqual(got, want) {
		t.Errorf("years %v, want %v", got, want)
	}
	if len(p.Problems) != 2 || p.Problems[0].Line != 4 || p.Problems[1].Line != 5 || !strings.Contains(p.Problems[0].Reason, `"year"`) {
		t.Errorf("problems %+v, want lines 4 and 5 naming the year field", p.Problems)
	}
}
