package indexer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/indexer/schema"
)

// copyTree copies the files under src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFormatsEndToEnd indexes the HTML, JSON Lines and GB18030 plain-text
// samples of the source package and checks what each article becomes: its
// title, first district, topics, year and date, and the lines reported.
func TestFormatsEndToEnd(t *testing.T) {
	in := t.TempDir()
	for _, sub := range []string{"html", "jsonl", "txt"} {
		copyTree(t, filepath.Join("source", "testdata", sub), filepath.Join(in, sub))
	}
	dir := t.TempDir()
	rep, err := Build(context.Background(), dir, Config{}, in)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	arts := storedArticles(t, dir)

	cases := []struct {
		title    string // the title contains this
		source   string
		district string   // first district
		topics   []string // topics include these
		year     int
		date     string
		url      string
	}{
		// HTML: given PubDate, ContentSource and URL.
		{"海淀区今年秋季新增中小学学位", "海淀区教委", "海淀区", []string{"教育"}, 2022, "2022-08-26", "https://www.bjhd.gov.cn/ztzx/2022zt/jy/202208/t20220826_4553120.shtml"},
		{"地铁6号线通州段两座新站开通", "通州区交通局", "通州区", []string{"交通出行"}, 2023, "2023-06-18", "http://www.bjtzh.gov.cn/bjtz/xxfb/202306/1654321.shtml"},
		{"庞各庄镇瓜农增收", "daxing_nongye_2020.htm", "大兴区", []string{"农业农村"}, 2020, "2020-09-22", ""},
		{"回龙观地区新增3家社区养老驿站", "changping_yanglao_2021.html", "昌平区", []string{"养老服务"}, 2021, "2021-11-03", "http://www.bjchp.gov.cn/cpqzf/xxgk2671/qzfxx/202111/t20211103_2525521.html"},
		// JSON Lines: given dates; inferred where the date was bad or absent.
		// Line 12 has line 1's id: the later article replaces the earlier.
		{"什刹海历史文化街区完成第二批四合院修缮（重复推送）", "bulletin_export.jsonl", "西城区", []string{"文化体育"}, 0, "", ""},
		{"望京街道接诉即办", "朝阳区融媒体中心", "朝阳区", []string{"社会治理"}, 2021, "2021-10-09", ""},
		{"门头沟区春季造林绿化", "门头沟区园林绿化局", "门头沟区", []string{"生态环境"}, 2024, "", ""},
		{"良乡镇老旧小区改造", "bulletin_export.jsonl", "房山区", []string{"住房保障"}, 2018, "2018-07-26", ""},
		{"密云农品", "bulletin_export.jsonl", "密云区", []string{"农业农村", "生态环境"}, 2023, "2023-09-15", "https://www.bjmy.gov.cn/art/2023/9/15/art_1234_567.html"},
		{"丰台区新建两家社区卫生服务中心", "bulletin_export.jsonl", "丰台区", []string{"医疗卫生"}, 2022, "", ""},
		// GB18030 plain text without a declaration.
		{"延庆冰雪运动进校园", "yanqing_bingxue_2022_gb18030.txt", "延庆区", []string{"文化体育"}, 2022, "", ""},
	}
	if len(arts) != len(cases) || rep.Articles != len(cases) {
		for _, a := range arts {
			t.Logf("article %q (%s)", a.Title, a.Source)
		}
		t.Fatalf("%d articles (report %d), want %d", len(arts), rep.Articles, len(cases))
	}
	for _, c := range cases {
		var a *schema.Article
		for _, x := range arts {
			if strings.Contains(x.Title, c.title) {
				a = x
			}
		}
		if a == nil {
			t.Errorf("no article titled %q", c.title)
			continue
		}
		t.Logf("%s | %s | %v | %v | %d | %s", a.Title, a.Source, a.Districts, a.Topics, a.Year, a.Date)
		if a.Source != c.source {
			t.Errorf("%q: source %q, want %q", c.title, a.Source, c.source)
		}
		if len(a.Districts) == 0 || a.Districts[0] != c.district {
			t.Errorf("%q: districts %v, want %s first", c.title, a.Districts, c.district)
		}
		for _, tp := range c.topics {
			if !contains(a.Topics, tp) {
				t.Errorf("%q: topics %v, missing %s", c.title, a.Topics, tp)
			}
		}
		if a.Year != c.year {
			t.Errorf("%q: year %d, want %d", c.title, a.Year, c.year)
		}
		if c.date != "" && a.Date != c.date {
			t.Errorf("%q: date %q, want %q", c.title, a.Date, c.date)
		}
		if a.URL != c.url {
			t.Errorf("%q: url %q, want %q", c.title, a.URL, c.url)
		}
		for _, bad := range []string{"版权所有", "ICP", "当前位置", "您现在的位置", "打印", "分享到", "function"} {
			if strings.Contains(a.Body, bad) {
				t.Errorf("%q: body contains %q", c.title, bad)
			}
		}
	}

	// The bad lines of the export are reported with their line numbers.
	var lines []int
	for _, s := range rep.Skipped {
		if filepath.Base(s.Path) != "bulletin_export.jsonl" {
			t.Errorf("unexpected skip: %v", s)
			continue
		}
		lines = append(lines, s.Line)
	}
	sort.Ints(lines)
	if want := []int{3, 4, 5, 6, 8, 10, 11, 13}; !slices.Equal(lines, want) {
		t.Errorf("skipped lines %v, want %v (%v)", lines, want, rep.Skipped)
	}
	if rep.Replaced != 1 {
		t.Errorf("%d articles replaced by a later one with their id, want 1", rep.Replaced)
	}
	// A given id is the article's id.
	for _, a := range arts {
		if strings.Contains(a.Title, "什刹海") && a.ID != "xc-2019-0518" {
			t.Errorf("article %q has id %q, want the given xc-2019-0518", a.Title, a.ID)
		}
	}
}
