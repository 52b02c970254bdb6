package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultSeed is the corpus seed of `make bench`.
const DefaultSeed uint64 = 20240601

// GenConfig sets the size and seed of a corpus.
type GenConfig struct {
	N      int    // articles
	Seed   uint64 // 0 means DefaultSeed
	PerDir int    // articles per subfolder; 0 means 500
}

// Article is one generated article.
type Article struct {
	Title    string
	Body     string // paragraphs (and section heads) separated by "\n"
	District string
	Town     string
	Topics   []string
	Year     int
}

// Page is one generated bulletin page: a .txt file holding 3–6 articles.
type Page struct {
	Dir      string // subfolder, e.g. "0003"
	Name     string // file name, e.g. "000412_9f3c…txt"
	Articles []Article
	Data     []byte // the file's bytes
}

// Generator yields the pages of a corpus, deterministically: the same
// vocabulary and config give the same bytes.
type Generator struct {
	v         *Vocab
	cfg       GenConfig
	r         *rand.Rand
	done      int // articles generated
	page      int // pages generated
	years     weighted[int]
	districts weighted[int]
	topics    weighted[int]
}

// NewGenerator starts a corpus of cfg.N articles.
func (v *Vocab) NewGenerator(cfg GenConfig) *Generator {
	if cfg.Seed == 0 {
		cfg.Seed = DefaultSeed
	}
	if cfg.PerDir <= 0 {
		cfg.PerDir = 500
	}
	g := &Generator{v: v, cfg: cfg, r: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))}
	for _, y := range yearWeights {
		g.years.add(y.year, y.w)
	}
	for i, d := range v.districts {
		w := districtWeight[d.full]
		if w == 0 {
			w = 1
		}
		g.districts.add(i, w)
	}
	for i, t := range v.topics {
		w := topicWeight[t.name]
		if w == 0 {
			w = 5
		}
		g.topics.add(i, w)
	}
	return g
}

// Next returns the next page, or false when all N articles are out.
func (g *Generator) Next() (*Page, bool) {
	if g.done >= g.cfg.N {
		return nil, false
	}
	k := 3 + g.r.IntN(4)
	if rest := g.cfg.N - g.done; k > rest {
		k = rest
	}
	p := &Page{
		Dir:  fmt.Sprintf("%04d", g.done/g.cfg.PerDir),
		Name: fmt.Sprintf("%06d_%016x.txt", g.page, g.r.Uint64()),
	}
	year := g.year()
	var b strings.Builder
	b.WriteString("\n\n")
	for i := 0; i < k; i++ {
		if i > 0 {
			b.WriteString("\n\n\n") // articles are set apart by a wider gap than paragraphs
		}
		a := g.article(year)
		// The lead article of a page always has a byline (as in the seeds);
		// the others often do.
		g.layout(&b, a, i == 0 || g.r.Float64() < 0.5)
		p.Articles = append(p.Articles, a.Article)
	}
	b.WriteString("\n")
	p.Data = []byte(b.String())
	g.done += k
	g.page++
	return p, true
}

// genArticle is an article with its paragraphs as laid out on the page.
type genArticle struct {
	Article
	paras   []string // body paragraphs; section heads start with "## "
	byline  string
	heading bool // title as a `## ` heading
}

func (g *Generator) year() int { return g.years.pick(g.r.Float64()) }

// ctx is what the slots of one article are filled with.
type ctx struct {
	g       *Generator
	d       *district
	town    town
	other   *district
	topics  []*topic
	year    int
	pKeep   float64 // chance a seed keyword stays as written
	inTitle bool
}

func (g *Generator) pickDistrict() *district {
	return &g.v.districts[g.districts.pick(g.r.Float64())]
}

// pickTopic draws a topic other than not (when there is another).
func (g *Generator) pickTopic(not *topic) *topic {
	t := &g.v.topics[g.topics.pick(g.r.Float64())]
	for try := 0; t == not && try < 20; try++ {
		t = &g.v.topics[g.topics.pick(g.r.Float64())]
	}
	return t
}

// Article lengths: a triangular distribution on 300–1800 characters with its
// mode at 600, so the mean is 900 (like the seeds' articles).
func (g *Generator) length() int {
	const a, c, b = 300.0, 600.0, 1800.0
	u := g.r.Float64()
	if u < (c-a)/(b-a) {
		return int(a + math.Sqrt(u*(b-a)*(c-a)))
	}
	return int(b - math.Sqrt((1-u)*(b-a)*(b-c)))
}

func (g *Generator) article(year int) genArticle {
	c := &ctx{g: g, d: g.pickDistrict(), year: year, pKeep: 0.1}
	c.town = c.d.towns.pick(g.r.Float64())
	c.other = g.pickDistrict()
	for try := 0; c.other == c.d && try < 20; try++ {
		c.other = g.pickDistrict()
	}
	t1 := g.pickTopic(nil)
	c.topics = []*topic{t1}
	if g.r.Float64() < 0.5 {
		c.topics = append(c.topics, g.pickTopic(t1))
	}
	a := genArticle{Article: Article{District: c.d.full, Town: c.town.full, Year: year}}
	for _, t := range c.topics {
		a.Topics = append(a.Topics, t.name)
	}
	a.Title = g.headline(c)
	a.heading = g.r.Float64() < 0.6
	a.byline = g.byline()

	target := g.length()
	sections := 0
	if g.r.Float64() < 0.35 {
		sections = 1 + g.r.IntN(3)
	}
	total := 0
	var para strings.Builder
	paraRunes, paraWant, paraSents := 0, 2+g.r.IntN(4), 0
	for iter := 0; iter < 400 && total < target; iter++ {
		s := g.sentence(c)
		n := utf8.RuneCountInString(s)
		if total+n > 1800 && total >= 300 {
			break
		}
		para.WriteString(s)
		paraRunes += n
		paraSents++
		total += n
		if paraSents >= paraWant || paraRunes > 260 {
			a.paras = append(a.paras, para.String())
			para.Reset()
			paraRunes, paraWant, paraSents = 0, 2+g.r.IntN(4), 0
			if sections > 0 && total < target-200 && g.r.Float64() < 0.4 {
				h := g.section(c)
				a.paras = append(a.paras, "## "+h)
				total += utf8.RuneCountInString(h)
				sections--
			}
		}
	}
	if para.Len() > 0 {
		a.paras = append(a.paras, para.String())
	}
	var body strings.Builder
	for i, p := range a.paras {
		if i > 0 {
			body.WriteByte('\n')
		}
		body.WriteString(strings.TrimPrefix(p, "## "))
	}
	a.Body = body.String()
	return a
}

// sentence draws a seed sentence (about 70%) or a synthetic one.
func (g *Generator) sentence(c *ctx) string {
	if g.r.Float64() < 0.7 {
		return c.render(g.v.sentences[g.r.IntN(len(g.v.sentences))])
	}
	return c.render(g.v.synth[g.r.IntN(len(g.v.synth))])
}

// shortLine renders a template of pool (or, three times in ten, a real
// headline) until it gives a line of min–max characters that the page
// splitter reads as a headline: no sentence punctuation, not a byline.
func (g *Generator) shortLine(c *ctx, pool []tmpl, min, max int) (string, bool) {
	c.inTitle = true
	defer func() { c.inTitle = false }()
	for try := 0; try < 30; try++ {
		var t tmpl
		if len(g.v.headlines) > 0 && g.r.Float64() < 0.3 {
			t = g.v.headlines[g.r.IntN(len(g.v.headlines))]
		} else {
			t = pool[g.r.IntN(len(pool))]
		}
		s := strings.TrimSpace(c.render(t))
		if n := utf8.RuneCountInString(s); n >= min && n <= max && headlineOK(s) {
			return s, true
		}
	}
	return "", false
}

// headline makes a title of 10–25 characters.
func (g *Generator) headline(c *ctx) string {
	if s, ok := g.shortLine(c, g.v.titles, 10, 25); ok {
		return s
	}
	s := c.d.short + c.topics[0].strong.pick(g.r.Float64()) + "工作稳步推进"
	for utf8.RuneCountInString(s) < 10 {
		s += "见实效"
	}
	if r := []rune(s); len(r) > 25 {
		s = string(r[:25])
	}
	return s
}

// section makes a section head of 6–20 characters.
func (g *Generator) section(c *ctx) string {
	if s, ok := g.shortLine(c, g.v.sections, 6, 20); ok {
		return s
	}
	return "工作稳步推进"
}

var bylinePrefixes = []string{"本报", "记者", "通讯员", "文/", "图/", "撰稿", "摄影", "供稿", "#", "□"}

func headlineOK(s string) bool {
	if strings.ContainsAny(s, "。！？；：!?;:…") {
		return false
	}
	for _, p := range bylinePrefixes {
		if strings.HasPrefix(s, p) {
			return false
		}
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return r != '，' && r != '、' && r != '”' && r != '）'
}

var (
	surnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段")
	given    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽")
	acts     = []string{"休息聊天", "排队办理业务", "参加文体活动", "锻炼身体", "阅读图书", "咨询政策", "接受健康体检", "用餐"}
)

func (g *Generator) name() string {
	n := string(surnames[g.r.IntN(len(surnames))]) + string(given[g.r.IntN(len(given))])
	if g.r.Float64() < 0.6 {
		n += string(given[g.r.IntN(len(given))])
	}
	return n
}

func (g *Generator) byline() string {
	switch u := g.r.Float64(); {
	case u < 0.7:
		return "□本报记者 " + g.name()
	case u < 0.9:
		return "□本报记者 " + g.name() + " 通讯员 " + g.name()
	default:
		return "□本报记者 " + g.name() + " " + g.name()
	}
}

func (g *Generator) num(digits, frac int) string {
	var s string
	if digits <= 1 {
		s = strconv.Itoa(1 + g.r.IntN(9))
	} else {
		lo := int(math.Pow10(digits - 1))
		s = strconv.Itoa(lo + g.r.IntN(9*lo))
	}
	if frac > 0 {
		f := make([]byte, frac)
		for i := range f {
			f[i] = byte('0' + g.r.IntN(10))
		}
		f[frac-1] = byte('1' + g.r.IntN(9))
		s += "." + string(f)
	}
	return s
}

// keyword draws a keyword of topic i of the article (the first topic, or
// now and then any topic, when the article has no topic i).
func (c *ctx) keyword(i int) string {
	g := c.g
	var t *topic
	switch {
	case i < len(c.topics):
		t = c.topics[i]
	case g.r.Float64() < 0.1: // now and then a word of another field
		t = &g.v.topics[g.r.IntN(len(g.v.topics))]
	default:
		t = c.topics[0]
	}
	if c.inTitle {
		return t.strong.pick(g.r.Float64())
	}
	return t.keywords.pick(g.r.Float64())
}

// pickTown is mostly the article's own town, else another of its district.
func (c *ctx) pickTown() town {
	if c.inTitle || c.g.r.Float64() < 0.6 {
		return c.town
	}
	return c.d.towns.pick(c.g.r.Float64())
}

func (c *ctx) render(t tmpl) string {
	g := c.g
	var b strings.Builder
	for _, s := range t {
		switch s.kind {
		case sLit:
			b.WriteString(s.text)
		case sDistrict:
			b.WriteString(c.d.full)
		case sDistShort:
			b.WriteString(c.d.short)
		case sTown:
			b.WriteString(c.pickTown().full)
		case sTownShort:
			if t := c.pickTown(); t.short != "" {
				b.WriteString(t.short)
			} else {
				b.WriteString(t.full)
			}
		case sOtherDist:
			b.WriteString(c.other.full)
		case sYear:
			b.WriteString(strconv.Itoa(c.year - s.a))
		case sNum:
			b.WriteString(g.num(s.a, s.b))
		case sDecimal:
			b.WriteString(g.num(1+g.r.IntN(2), 1))
		case sPercent:
			b.WriteString(g.num(2, 1))
		case sMonth:
			b.WriteString(strconv.Itoa(1 + g.r.IntN(12)))
		case sKeyword:
			if s.text != "" && g.r.Float64() < c.pKeep {
				b.WriteString(s.text)
			} else if g.r.Float64() < 0.75 {
				b.WriteString(c.keyword(0))
			} else {
				b.WriteString(c.keyword(1))
			}
		case sKeyword2:
			b.WriteString(c.keyword(1))
		case sWord:
			switch u := g.r.Float64(); {
			case u < 0.35:
				b.WriteString(c.topics[0].dict.pick(g.r.Float64()))
			case u < 0.5:
				b.WriteString(c.topics[len(c.topics)-1].dict.pick(g.r.Float64()))
			default:
				b.WriteString(g.v.general.pick(g.r.Float64()))
			}
		case sDept:
			b.WriteString(c.topics[0].dept)
		case sName:
			b.WriteString(g.name())
		case sAct:
			b.WriteString(acts[g.r.IntN(len(acts))])
		}
	}
	return b.String()
}

// layout writes an article in the seeds' layout: headline (plain or `## `),
// byline, paragraphs one blank line apart; now and then a paragraph broken
// mid-sentence across a blank line, as OCR column breaks leave them.
func (g *Generator) layout(b *strings.Builder, a genArticle, withByline bool) {
	if a.heading {
		b.WriteString("## ")
	}
	b.WriteString(a.Title)
	b.WriteString("\n\n")
	if withByline {
		b.WriteString(a.byline)
		b.WriteString("\n\n")
	}
	for i, p := range a.paras {
		if i > 0 {
			b.WriteString("\n\n")
		}
		if !strings.HasPrefix(p, "## ") && g.r.Float64() < 0.08 {
			if x, y, ok := breakParagraph(p, g.r); ok {
				b.WriteString(x)
				b.WriteString("\n\n")
				b.WriteString(y)
				continue
			}
		}
		b.WriteString(p)
	}
	b.WriteString("\n")
}

// breakParagraph cuts p between two Han characters at least 40 characters in
// and 20 before the end, so that the page splitter joins the halves back.
func breakParagraph(p string, r *rand.Rand) (string, string, bool) {
	rs := []rune(p)
	if len(rs) < 80 {
		return "", "", false
	}
	at := 40 + r.IntN(len(rs)-60)
	for k := 0; k < 20 && at < len(rs)-20; k, at = k+1, at+1 {
		if unicode.Is(unicode.Han, rs[at-1]) && unicode.Is(unicode.Han, rs[at]) {
			second := string(rs[at:])
			for _, pre := range bylinePrefixes {
				if strings.HasPrefix(second, pre) {
					return "", "", false
				}
			}
			return string(rs[:at]), second, true
		}
	}
	return "", "", false
}

// Stats describe a written corpus.
type Stats struct {
	Articles  int
	Pages     int
	FileBytes int64 // bytes of the .txt files
	TextBytes int64 // bytes of the articles' titles and bodies
	TextRunes int64
}

// Write generates the corpus into dir (created; subfolders of PerDir
// articles) and returns its statistics.
func Write(dir string, v *Vocab, cfg GenConfig) (Stats, error) {
	var st Stats
	g := v.NewGenerator(cfg)
	made := map[string]bool{}
	for p, ok := g.Next(); ok; p, ok = g.Next() {
		sub := filepath.Join(dir, p.Dir)
		if !made[sub] {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				return st, err
			}
			made[sub] = true
		}
		if err := os.WriteFile(filepath.Join(sub, p.Name), p.Data, 0o644); err != nil {
			return st, err
		}
		st.add(p)
	}
	return st, nil
}

func (st *Stats) add(p *Page) {
	st.Pages++
	st.FileBytes += int64(len(p.Data))
	for _, a := range p.Articles {
		st.Articles++
		st.TextBytes += int64(len(a.Title) + len(a.Body))
		st.TextRunes += int64(utf8.RuneCountInString(a.Title) + utf8.RuneCountInString(a.Body))
	}
}

// WriteJSONL generates the same corpus as Write (same config, same
// articles) as a JSON Lines export in dir: perFile articles a file, one a
// line, with the field names other systems use (`content`, `link`), an id
// each, and no date (as on the pages, it is inferred from the text). It
// returns the statistics of the articles (FileBytes: of the .jsonl files).
func WriteJSONL(dir string, v *Vocab, cfg GenConfig, perFile int) (Stats, error) {
	var st Stats
	if perFile <= 0 {
		perFile = 5000
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return st, err
	}
	g := v.NewGenerator(cfg)
	var f *os.File
	var w *bufio.Writer
	closeFile := func() error {
		if f == nil {
			return nil
		}
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	type line struct {
		ID      string `json:"id"`
		Title   string `json:"title"`
		Content string `json:"content"`
		Link    string `json:"link"`
	}
	for p, ok := g.Next(); ok; p, ok = g.Next() {
		for _, a := range p.Articles {
			if st.Articles%perFile == 0 {
				if err := closeFile(); err != nil {
					return st, err
				}
				var err error
				if f, err = os.Create(filepath.Join(dir, fmt.Sprintf("export-%04d.jsonl", st.Articles/perFile))); err != nil {
					return st, err
				}
				w = bufio.NewWriterSize(f, 1<<20)
			}
			id := fmt.Sprintf("bench-%07d", st.Articles)
			raw, err := json.Marshal(line{ID: id, Title: a.Title, Content: a.Body, Link: "http://news.example.gov.cn/" + id + ".html"})
			if err != nil {
				return st, err
			}
			w.Write(raw)
			w.WriteByte('\n')
			st.Articles++
			st.FileBytes += int64(len(raw) + 1)
			st.TextBytes += int64(len(a.Title) + len(a.Body))
			st.TextRunes += int64(utf8.RuneCountInString(a.Title) + utf8.RuneCountInString(a.Body))
		}
		st.Pages++
	}
	return st, closeFile()
}
