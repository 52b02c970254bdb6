package dedup

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"

	"github.com/govbulletin/bulletin/seeds"
)

// The dev set generator. It writes testdata/dedup/dev.jsonl and
// heldout.jsonl from real government text and the template notices of
// testdata/dedup/gen/templates.txt:
//
//	go test ./indexer/dedup -run TestGenerateDevSet -gen -realdata PATH/government_work_reports.jsonl
//
// Everything is drawn from one fixed seed, so the output is reproducible.
var (
	genFlag  = flag.Bool("gen", false, "regenerate testdata/dedup from the real-text sources")
	realData = flag.String("realdata", "", "the government work reports (JSON Lines: title, content, year) for -gen")
)

const devSetDir = "../../testdata/dedup"

type genSource struct {
	key   string
	title string
	paras []string
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// reportSources cuts notice-sized extracts out of the work reports: runs of
// consecutive paragraphs under the nearest heading. It also returns the
// paragraphs no extract uses (quotations' own text comes from there).
func reportSources(t *testing.T, rng *rand.Rand, path string) (srcs []genSource, spare []string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	type report struct {
		Title   string `json:"title"`
		Content string `json:"content"`
	}
	var reps []report
	inReports := map[string]int{} // paragraph → reports holding it
	for n := 0; sc.Scan(); n++ {
		var rep report
		if err := json.Unmarshal(sc.Bytes(), &rep); err != nil {
			t.Fatalf("%s:%d: %v", path, n+1, err)
		}
		reps = append(reps, rep)
		seen := map[string]bool{}
		for _, p := range strings.Split(rep.Content, "\n") {
			p = strings.TrimSpace(strings.Trim(p, "　 "))
			if !seen[p] {
				seen[p] = true
				inReports[p]++
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for n, rep := range reps {
		var paras, heads []string
		head := ""
		for _, p := range strings.Split(rep.Content, "\n") {
			p = strings.TrimSpace(strings.Trim(p, "　 "))
			switch {
			case p == "":
			case inReports[p] > 1:
				// shared by several reports (the opening formula, the
				// transcription's licence notes): no article's own text
			case runes(p) < 30:
				head = p
			default:
				paras = append(paras, p)
				heads = append(heads, head)
			}
		}
		used := make([]bool, len(paras))
		for c := range 2 {
			if len(paras) < 8 {
				break
			}
			i := rng.IntN(len(paras) - 6)
			if used[i] {
				continue
			}
			target := 120 + rng.IntN(1200)
			var chunk []string
			total := 0
			for j := i; j < len(paras) && len(chunk) < 6 && total < target && !used[j]; j++ {
				chunk = append(chunk, paras[j])
				used[j] = true
				total += runes(paras[j])
			}
			title := strings.TrimSuffix(rep.Title, "中华人民共和国国务院政府工作报告") + "政府工作报告摘编"
			if heads[i] != "" {
				title += "：" + strings.TrimRight(heads[i], "　 ")
			} else {
				title += fmt.Sprintf("（%d）", c+1)
			}
			srcs = append(srcs, genSource{key: fmt.Sprintf("report%02d-%d", n, c), title: title, paras: chunk})
		}
		for j, p := range paras {
			if !used[j] && runes(p) >= 60 && runes(p) <= 400 {
				spare = append(spare, p)
			}
		}
	}
	return srcs, spare
}

// seedSources reads the sections of the sample bulletins.
func seedSources(t *testing.T) []genSource {
	var out []genSource
	err := fs.WalkDir(seeds.FS, ".", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(path, ".txt") {
			return err
		}
		b, err := seeds.FS.ReadFile(path)
		if err != nil {
			return err
		}
		var cur *genSource
		flush := func() {
			if cur != nil && len(cur.paras) >= 2 {
				total := 0
				for _, p := range cur.paras {
					total += runes(p)
				}
				if total >= 150 {
					out = append(out, *cur)
				}
			}
		}
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(line, "## "):
				flush()
				cur = &genSource{key: fmt.Sprintf("seed-%s-%d", strings.TrimSuffix(path, ".txt")[:3], len(out)), title: strings.TrimPrefix(line, "## ")}
			case line == "" || cur == nil || strings.HasPrefix(line, "□"):
			default:
				cur.paras = append(cur.paras, line)
			}
		}
		flush()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type template struct {
	title  string
	body   []string
	fields []string
}

// loadTemplates reads testdata/dedup/gen/templates.txt.
func loadTemplates(t *testing.T) ([]template, map[string][]string) {
	b, err := os.ReadFile(filepath.Join(devSetDir, "gen", "templates.txt"))
	if err != nil {
		t.Fatal(err)
	}
	values := map[string][]string{}
	var out []template
	var cur []string
	flush := func() {
		if len(cur) < 2 {
			cur = nil
			return
		}
		tp := template{title: cur[0], body: cur[1:]}
		seen := map[string]bool{}
		for _, l := range cur {
			for rest := l; ; {
				i := strings.IndexByte(rest, '{')
				if i < 0 {
					break
				}
				j := strings.IndexByte(rest[i:], '}')
				if j < 0 {
					break
				}
				name := rest[i+1 : i+j]
				if !seen[name] {
					seen[name] = true
					tp.fields = append(tp.fields, name)
				}
				rest = rest[i+j+1:]
			}
		}
		out = append(out, tp)
		cur = nil
	}
	for n, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "="):
			name, vals, ok := strings.Cut(line[1:], "\t")
			if !ok {
				t.Fatalf("templates.txt:%d: want =NAME<TAB>VALUES", n+1)
			}
			values[name] = strings.Split(vals, "|")
		case line == "---":
			flush()
		case strings.TrimSpace(line) != "":
			cur = append(cur, line)
		}
	}
	flush()
	for _, tp := range out {
		for _, f := range tp.fields {
			if len(values[f]) < 2 {
				t.Fatalf("templates.txt: field {%s} has no values", f)
			}
		}
	}
	return out, values
}

func (tp template) render(fill map[string]string) genSource {
	r := func(s string) string {
		for k, v := range fill {
			s = strings.ReplaceAll(s, "{"+k+"}", v)
		}
		return s
	}
	src := genSource{title: r(tp.title)}
	for _, l := range tp.body {
		src.paras = append(src.paras, r(l))
	}
	return src
}

// The re-posting variants.
var (
	prefixes  = []string{"转发：", "【转载】", "转载:", "转发 ", "[转载]", "转载：", "【转发】"}
	headLines = []string{"来源：{district}人民政府网站", "发布时间：{date} 10:{n}", "信息来源：{district}融媒体中心", "作者：{district}政务服务局", "【字体：大 中 小】", "发布日期：{date}　浏览次数：{n}{n}"}
	footLines = []string{"责任编辑：王{n}", "【打印本页】【关闭窗口】", "分享到：微信 微博 QQ空间", "扫一扫在手机打开当前页", "编辑：李晓{n}", "审核：{district}政务公开办公室", "【打印本页】 【关闭窗口】 【字体：大 中 小】"}
	halfPunct = strings.NewReplacer("，", ",", "。", ".", "：", ":", "；", ";", "（", "(", "）", ")", "“", "\"", "”", "\"", "！", "!", "？", "?", "、", ",")
)

func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ':
			b.WriteRune('　')
		case r > 0x20 && r < 0x7f:
			b.WriteRune(r + 0xFEE0)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

type generator struct {
	rng       *rand.Rand
	s2t       *opencc.OpenCC
	districts []string
}

func (g *generator) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

func (g *generator) id() string { return fmt.Sprintf("%012x", g.rng.Uint64()&(1<<48-1)) }

func (g *generator) date(base time.Time, spread int) string {
	return base.AddDate(0, 0, g.rng.IntN(spread+1)).Format(time.DateOnly)
}

func (g *generator) wrapperLine(l, date string) string {
	return strings.NewReplacer("{district}", g.pick(g.districts), "{date}", date, "{n}", fmt.Sprint(10+g.rng.IntN(89))).Replace(l)
}

// repost makes one copy of src as another site would post it.
func (g *generator) repost(src genSource, truth, date string, original bool) Record {
	title, paras := src.title, append([]string(nil), src.paras...)
	var kinds []string
	if original {
		kinds = append(kinds, "original")
	} else {
		if g.rng.IntN(2) == 0 {
			title = g.pick(prefixes) + title
			kinds = append(kinds, "prefix")
		}
		if len(paras) >= 2 && g.rng.IntN(3) == 0 {
			total := 0
			for _, p := range paras {
				total += runes(p)
			}
			if runes(paras[0])*100 <= total*35 {
				paras = paras[1:]
				kinds = append(kinds, "nolead")
			}
		}
		if g.rng.IntN(5) < 3 {
			for range 1 + g.rng.IntN(3) {
				paras = append([]string{g.wrapperLine(g.pick(headLines), date)}, paras...)
			}
			kinds = append(kinds, "head")
		}
		if g.rng.IntN(5) < 3 {
			for range 1 + g.rng.IntN(3) {
				paras = append(paras, g.wrapperLine(g.pick(footLines), date))
			}
			kinds = append(kinds, "foot")
		}
		if g.rng.IntN(6) == 0 {
			paras[len(paras)-1] += "（来源：" + g.pick(g.districts) + "融媒体中心）"
			kinds = append(kinds, "inline")
		}
		switch g.rng.IntN(5) {
		case 0:
			title, paras = fullWidth(title), mapAll(paras, fullWidth)
			kinds = append(kinds, "fullwidth")
		case 1:
			title, paras = halfPunct.Replace(title), mapAll(paras, halfPunct.Replace)
			kinds = append(kinds, "halfwidth")
		}
		if g.rng.IntN(10) < 3 {
			conv := func(s string) string {
				out, err := g.s2t.Convert(s)
				if err != nil {
					panic(err)
				}
				return out
			}
			title, paras = conv(title), mapAll(paras, conv)
			kinds = append(kinds, "traditional")
		}
	}
	sep := "\n"
	switch g.rng.IntN(3) {
	case 0:
		sep = "\n\n"
	case 1:
		paras = mapAll(paras, func(p string) string { return "　　" + p })
	}
	return Record{ID: g.id(), Date: date, Title: title, Body: strings.Join(paras, sep), Truth: truth, Kind: strings.Join(kinds, "+")}
}

func mapAll(xs []string, f func(string) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// copies posts src once as the original and n more times as re-posts.
func (g *generator) copies(src genSource, n int) []Record {
	base := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rng.IntN(7*365))
	out := []Record{g.repost(src, src.key, base.Format(time.DateOnly), true)}
	for range n {
		out = append(out, g.repost(src, src.key, g.date(base, 10), false))
	}
	return out
}

func TestGenerateDevSet(t *testing.T) {
	if !*genFlag {
		t.Skip("regenerates the dev set only with -gen")
	}
	if *realData == "" {
		t.Fatal("-gen needs -realdata PATH")
	}
	rng := rand.New(rand.NewPCG(20261207, 14))
	s2t, err := opencc.New("s2t")
	if err != nil {
		t.Fatal(err)
	}
	tpls, values := loadTemplates(t)
	g := &generator{rng: rng, s2t: s2t, districts: values["district"]}

	reports, spare := reportSources(t, rng, *realData)
	srcs := append(reports, seedSources(t)...)
	rng.Shuffle(len(srcs), func(i, j int) { srcs[i], srcs[j] = srcs[j], srcs[i] })
	rng.Shuffle(len(spare), func(i, j int) { spare[i], spare[j] = spare[j], spare[i] })
	split := map[string][]Record{}
	side := func(i int) string { return splits[i%2] }
	for i, src := range srcs {
		s := side(i)
		split[s] = append(split[s], g.copies(src, g.rng.IntN(8))...)
		// a quotation of one paragraph of src, in another article's own
		// words at least as long as the quotation
		q := src.paras[g.rng.IntN(len(src.paras))]
		if i%4 == 0 && len(src.paras) >= 2 && 2*runes(q) <= runes(strings.Join(src.paras, "")) && len(spare) >= 4 {
			own := []string{spare[0]}
			spare = spare[1:]
			for total := runes(own[0]); total < runes(q)+40 && len(spare) > 0; {
				own = append(own, spare[0])
				total += runes(spare[0])
				spare = spare[1:]
			}
			body := append([]string{own[0], "文件指出：“" + q + "”"}, own[1:]...)
			qs := genSource{key: src.key + "-quote", title: g.pick(g.districts) + "传达学习" + strings.SplitN(src.title, "：", 2)[0] + "精神", paras: body}
			recs := g.copies(qs, g.rng.IntN(2))
			for k := range recs {
				recs[k].Kind = "quotation+" + recs[k].Kind
			}
			split[s] = append(split[s], recs...)
		}
	}
	// template notices: families of one base fill and variants differing
	// in one field (or, for one in four, in all), each posted with copies
	fam := 0
	for ti, tp := range tpls {
		for range 4 {
			s := side(ti)
			fill := map[string]string{}
			for _, name := range tp.fields {
				fill[name] = g.pick(values[name])
			}
			rendered := map[string]bool{}
			for v := range 2 + g.rng.IntN(4) {
				var src genSource
				what := "base"
				for {
					vf := map[string]string{}
					for k, x := range fill {
						vf[k] = x
					}
					if v > 0 {
						names := tp.fields
						if g.rng.IntN(4) > 0 {
							names = []string{g.pick(tp.fields)}
						}
						for _, name := range names {
							for vf[name] == fill[name] {
								vf[name] = g.pick(values[name])
							}
						}
						what = strings.Join(names, ",")
					}
					src = tp.render(vf)
					// every notice of a family differs from the others
					if text := src.title + "\n" + strings.Join(src.paras, "\n"); !rendered[text] {
						rendered[text] = true
						break
					}
				}
				src.key = fmt.Sprintf("template%02d-%d-%d", ti, fam, v)
				recs := g.copies(src, g.rng.IntN(3))
				for k := range recs {
					recs[k].Kind = "template(" + what + ")+" + recs[k].Kind
				}
				split[s] = append(split[s], recs...)
			}
			fam++
		}
	}
	for _, s := range splits {
		recs := split[s]
		rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		for _, r := range recs {
			if err := enc.Encode(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(filepath.Join(devSetDir, s+".jsonl"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d records", s, len(recs))
	}
}
