package dedup

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/longbridgeapp/opencc"
)

const (
	noticeTitle = "关于2024年朝阳区望京街道部分地区临时停水的通知"
	noticeLead  = "京朝水务〔2024〕12号"
	noticeBody  = "各位居民：因京顺路供水管线改造施工，朝阳区望京街道部分地区将于2024年3月5日8时至18时临时停水。停水范围：京顺路以东、广顺北大街以北的居民小区和单位。\n" +
		"请广大居民提前做好储水准备，停水期间请关闭水龙头，以免恢复供水时跑水。施工单位将尽量缩短停水时间，给您带来的不便，敬请谅解。\n" +
		"如有疑问，请拨打供水服务热线。朝阳区水务局，2024年3月1日。"
	// quotedPara is a paragraph of the work report quoted by another article.
	reportPara1 = "过去一年，我们坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展，全面深化改革开放，加大宏观调控力度，经济社会发展主要目标任务圆满完成。"
	reportPara2 = "就业形势总体稳定，城镇新增就业一千二百多万人，城镇调查失业率平均为百分之五点二。居民消费价格上涨百分之零点二，国际收支基本平衡，粮食产量创历史新高，能源资源安全保障能力持续增强。"
	reportPara3 = "科技创新实现新的突破，现代化产业体系建设取得重要进展，改革开放持续深化，安全发展基础巩固夯实，民生保障扎实有力，社会大局保持稳定，人民群众获得感幸福感安全感不断增强。"
	ownPara     = "区委理论学习中心组召开专题学习会，区委书记主持会议并讲话。会议强调，要把学习成果转化为推动全区高质量发展的实际行动，对标对表抓好各项任务落实，以钉钉子精神推动重点工作取得实效，确保全年目标任务圆满完成，奋力谱写新篇章。"
)

var notice = noticeLead + "\n" + noticeBody

func traditional(t *testing.T, s string) string {
	t.Helper()
	cc, err := opencc.New("s2t")
	if err != nil {
		t.Fatal(err)
	}
	out, err := cc.Convert(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPairs: copies are grouped, template notices and quotations are not.
func TestPairs(t *testing.T) {
	report := reportPara1 + "\n" + reportPara2 + "\n" + reportPara3
	for _, tc := range []struct {
		name         string
		title, body  string
		other        [2]string // the article it is checked against; the notice when empty
		wantDup      bool
		wantTokensOK bool
	}{
		{name: "the same", title: noticeTitle, body: notice, wantDup: true, wantTokensOK: true},
		{name: "prefix, source and editor lines, furniture", title: "【转载】" + noticeTitle,
			body: "来源：朝阳区人民政府网站\n发布时间：2024-03-02 09:12\n" + notice + "\n责任编辑：王五\n【打印本页】【关闭窗口】\n分享到：微信 微博", wantDup: true, wantTokensOK: true},
		{name: "traditional", title: traditional(t, noticeTitle), body: traditional(t, notice), wantDup: true, wantTokensOK: true},
		{name: "without the lead paragraph", title: "转发：" + noticeTitle, body: noticeBody, wantDup: true, wantTokensOK: true},
		{name: "another district", title: strings.ReplaceAll(noticeTitle, "朝阳区", "海淀区"), body: strings.ReplaceAll(notice, "朝阳区", "海淀区"), wantTokensOK: false},
		{name: "another street", title: noticeTitle, body: strings.Replace(notice, "京顺路以东", "安立路以东", 1), wantTokensOK: false},
		{name: "another day", title: noticeTitle, body: strings.Replace(notice, "3月5日", "3月6日", 1), wantTokensOK: false},
		{name: "another hour", title: noticeTitle, body: strings.Replace(notice, "8时至18时", "9时至18时", 1), wantTokensOK: false},
		{name: "last year's", title: strings.ReplaceAll(noticeTitle, "2024", "2023"), body: strings.ReplaceAll(notice, "2024", "2023"), wantTokensOK: false},
		{name: "another document number", title: noticeTitle, body: strings.Replace(notice, "〔2024〕12号", "〔2024〕13号", 1), wantTokensOK: false},
		{name: "a figure left out", title: noticeTitle, body: strings.Replace(notice, "8时至18时", "白天", 1), wantTokensOK: false},
		{name: "the report without its lead", title: "转载:报告摘编", body: reportPara2 + "\n" + reportPara3,
			other: [2]string{"报告摘编", report}, wantDup: true, wantTokensOK: true},
		{name: "a quotation of one paragraph", title: "学习报告精神", body: ownPara + "\n报告指出：“" + reportPara2 + "”\n" + ownPara,
			other: [2]string{"报告摘编", report}, wantTokensOK: true},
		{name: "unrelated", title: "报告摘编", body: report, wantTokensOK: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			other := tc.other
			if other[0] == "" {
				other = [2]string{noticeTitle, notice}
			}
			a, b := newSketch(tc.title, tc.body), newSketch(other[0], other[1])
			m := compare(a, b, DefaultThresholds())
			if m != compare(b, a, DefaultThresholds()) {
				t.Fatalf("compare is not symmetric: %+v, %+v", m, compare(b, a, DefaultThresholds()))
			}
			if m.Duplicate != tc.wantDup || tc.wantDup && m.TokensOK != tc.wantTokensOK {
				t.Errorf("compare = %+v, want duplicate %v, tokens ok %v", m, tc.wantDup, tc.wantTokensOK)
			}
			if !tc.wantDup && !tc.wantTokensOK && m.TokensOK && m.Containment > 0.5 {
				t.Errorf("compare = %+v: the guard missed the difference", m)
			}
		})
	}
}

func TestDetectorGroups(t *testing.T) {
	d := New(Thresholds{})
	add := func(id, date, title, body string) Result {
		t.Helper()
		r := d.Add(id, date, title, body)
		if err := d.checkInvariants(); err != nil {
			t.Fatalf("after adding %s: %v", id, err)
		}
		return r
	}
	remove := func(id string) Result {
		t.Helper()
		r := d.Remove(id)
		if err := d.checkInvariants(); err != nil {
			t.Fatalf("after removing %s: %v", id, err)
		}
		return r
	}
	if r := add("c", "2024-03-02", "转发："+noticeTitle, "来源：朝阳区\n"+notice); r.Group != "c" || r.Moved != nil {
		t.Fatalf("first copy: %+v", r)
	}
	// an earlier copy takes the group over; the later one moves
	if r := add("b", "2024-03-01", noticeTitle, notice); r.Group != "b" || !slices.Equal(r.Moved, []string{"c"}) {
		t.Fatalf("earlier copy: %+v", r)
	}
	// same date: the lower id represents
	if r := add("a", "2024-03-02", traditional(t, noticeTitle), traditional(t, noticeBody)); r.Group != "b" || r.Moved != nil {
		t.Fatalf("copy without lead: %+v", r)
	}
	if r := add("z", "2024-03-01", "【转载】"+noticeTitle, notice); r.Group != "b" {
		t.Fatalf("same-date copy: %+v", r)
	}
	if r := add("x", "", noticeTitle, notice); r.Group != "b" {
		t.Fatalf("undated copy: %+v", r)
	}
	if g := d.Group("a"); !slices.Equal(g, []string{"b", "z", "a", "c", "x"}) {
		t.Fatalf("Group = %v", g)
	}
	// writing the representative again as it was moves nobody
	if r := add("b", "2024-03-01", noticeTitle, notice); r.Group != "b" || r.Moved != nil {
		t.Fatalf("rewrite: %+v", r)
	}
	// template notices of another day stay apart, with their own copies
	other := strings.ReplaceAll(notice, "3月5日", "3月9日")
	if r := add("t1", "2024-03-07", noticeTitle, other); r.Group != "t1" {
		t.Fatalf("template notice: %+v", r)
	}
	if r := add("t2", "2024-03-08", "转载:"+noticeTitle, other); r.Group != "t1" {
		t.Fatalf("template notice copy: %+v", r)
	}
	if d.Rep("c") != "b" || d.Rep("t2") != "t1" || d.Rep("nosuch") != "" || d.Group("nosuch") != nil {
		t.Fatalf("Rep: %q %q", d.Rep("c"), d.Rep("t2"))
	}
	// the representative is deleted: the next copy takes the group
	if r := remove("b"); !slices.Equal(r.Moved, []string{"a", "c", "x", "z"}) {
		t.Fatalf("remove representative: %+v", r)
	}
	if g := d.Group("c"); !slices.Equal(g, []string{"z", "a", "c", "x"}) {
		t.Fatalf("after removal Group = %v", g)
	}
	// replacing an article with other text takes it out of its group
	if r := add("z", "2024-03-01", "另一篇", reportPara1+"\n"+reportPara2); r.Group != "z" || !slices.Equal(r.Moved, []string{"a", "c", "x"}) {
		t.Fatalf("replace: %+v", r)
	}
	if d.Rep("c") != "a" || d.Len() != 6 {
		t.Fatalf("after replace: rep %q, %d held", d.Rep("c"), d.Len())
	}
	if r := remove("nosuch"); r.Moved != nil {
		t.Fatalf("remove unknown: %+v", r)
	}
	for _, id := range []string{"a", "c", "x", "z", "t1", "t2"} {
		remove(id)
	}
	if d.Len() != 0 {
		t.Fatalf("%d held after removing all", d.Len())
	}
}

// TestDetectorSplit: when the copy that linked two others goes, the group
// splits.
func TestDetectorSplit(t *testing.T) {
	d := New(Thresholds{})
	long := reportPara1 + "\n" + reportPara2 + "\n" + reportPara3
	d.Add("full", "2020-01-01", "报告摘编", long)
	d.Add("head", "2020-01-02", "报告摘编", reportPara1+"\n"+reportPara2)
	d.Add("tail", "2020-01-03", "报告摘编", reportPara2+"\n"+reportPara3)
	if g := d.Group("tail"); len(g) != 3 {
		t.Fatalf("Group = %v", g)
	}
	r := d.Remove("full")
	if err := d.checkInvariants(); err != nil {
		t.Fatal(err)
	}
	if d.Rep("head") == d.Rep("tail") || !slices.Equal(r.Moved, []string{"head", "tail"}) {
		t.Fatalf("after removing the link: head in %v, tail in %v, moved %v", d.Group("head"), d.Group("tail"), r.Moved)
	}
}

// TestDetectorConcurrent adds, reads and removes from several goroutines
// (run with -race).
func TestDetectorConcurrent(t *testing.T) {
	d := New(Thresholds{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				id := fmt.Sprintf("w%d-%d", w, i)
				d.Add(id, fmt.Sprintf("2024-03-%02d", 1+i%28), "转发："+noticeTitle, notice)
				_ = d.Group(id)
				_ = d.Rep(id)
				if i%3 == 0 {
					d.Remove(id)
				}
			}
		}()
	}
	wg.Wait()
	if err := d.checkInvariants(); err != nil {
		t.Fatal(err)
	}
	if g := d.Group("w0-1"); len(g) != d.Len() {
		t.Fatalf("one notice: group of %d, %d held", len(g), d.Len())
	}
}
