package bench

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Vocab is what the generator draws from: sentences and headlines of the
// seed bulletins (as templates with slots for places, years, numbers and
// topic keywords), the districts and towns of 北京市, the topic taxonomy and
// the government dictionary with its frequencies. Everything is kept in a
// fixed order so that generation is deterministic.
type Vocab struct {
	sentences []tmpl // seed sentences
	headlines []tmpl // seed headlines and section heads
	synth     []tmpl // synthetic sentences (below)
	titles    []tmpl // synthetic titles
	sections  []tmpl // synthetic section heads

	districts []district
	topics    []topic
	dict      weighted[string] // every dictionary word
	general   weighted[string] // words of sections that belong to no topic
}

type district struct {
	full, short string
	towns       weighted[town]
}

type town struct{ full, short string }

type topic struct {
	name     string
	keywords weighted[string]
	strong   weighted[string] // defining terms (weight 3), for titles
	dict     weighted[string] // words of the dictionary's section on this topic
	dept     string
}

// weighted is a list of items drawn with probability proportional to weight.
type weighted[T any] struct {
	items []T
	cum   []float64
}

func (w *weighted[T]) add(item T, weight float64) {
	if weight <= 0 {
		return
	}
	total := 0.0
	if n := len(w.cum); n > 0 {
		total = w.cum[n-1]
	}
	w.items = append(w.items, item)
	w.cum = append(w.cum, total+weight)
}

func (w *weighted[T]) len() int { return len(w.items) }

// pick draws one item; u is uniform in [0,1).
func (w *weighted[T]) pick(u float64) T {
	x := u * w.cum[len(w.cum)-1]
	i := sort.SearchFloat64s(w.cum, x)
	for i < len(w.cum)-1 && w.cum[i] <= x {
		i++
	}
	return w.items[i]
}

// Region and spread of the corpus. Real district news is concentrated: a few
// large districts produce most of it.
const region = "北京市"

var districtWeight = map[string]float64{
	"朝阳区": 16, "海淀区": 14, "昌平区": 12, "丰台区": 9, "大兴区": 8, "通州区": 8,
	"东城区": 5, "西城区": 5, "顺义区": 5, "房山区": 4, "石景山区": 3, "门头沟区": 3,
	"怀柔区": 2.5, "平谷区": 2, "密云区": 2, "延庆区": 1.5,
}

var topicWeight = map[string]float64{
	"社会治理": 18, "产业发展": 16, "教育": 12, "生态环境": 10, "医疗卫生": 9,
	"交通出行": 8, "文化体育": 8, "住房保障": 7, "养老服务": 5, "市政设施": 4, "农业农村": 3,
}

var topicDept = map[string]string{
	"教育": "教委", "医疗卫生": "卫健委", "养老服务": "民政局", "文化体育": "文化和旅游局",
	"交通出行": "交通委", "市政设施": "城市管理委", "生态环境": "生态环境局", "住房保障": "住房城乡建设委",
	"社会治理": "政务服务管理局", "产业发展": "发展改革委", "农业农村": "农业农村局",
}

// years: 2018–2025, skewed to recent years like an archive that grows.
var yearWeights = []struct {
	year int
	w    float64
}{{2018, 4}, {2019, 6}, {2020, 8}, {2021, 10}, {2022, 13}, {2023, 16}, {2024, 20}, {2025, 23}}

// FindRoot returns the module root (the folder holding go.mod) at or above
// the working directory.
func FindRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for i := 0; i < 64; i++ {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", errors.New("bench: no go.mod at or above the working directory")
}

// LoadVocab reads the seeds and data files of the repository at root.
func LoadVocab(root string) (*Vocab, error) {
	read := func(rel string) ([]byte, error) {
		b, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			return nil, fmt.Errorf("bench: vocabulary source: %w", err)
		}
		return b, nil
	}
	v := &Vocab{}

	// Short town names that are also ordinary words count for their
	// district only with evidence (see enrich.classify); the generated
	// articles name their district, so every short name may be used.
	var common map[string]bool

	// Districts and towns.
	div, err := read("indexer/enrich/data/divisions.tsv")
	if err != nil {
		return nil, err
	}
	byName := map[string]*district{}
	var order []string
	townRows := map[string][]town{}
	for i, line := range strings.Split(string(div), "\n") {
		f := strings.Split(strings.TrimRight(line, "\r"), "\t")
		if i == 0 || len(f) < 6 || f[1] != region {
			continue
		}
		name := f[3]
		if byName[name] == nil {
			short := strings.TrimSuffix(name, "区")
			short = strings.TrimSuffix(short, "县")
			byName[name] = &district{full: name, short: short}
			order = append(order, name)
		}
		if f[5] != "" {
			townRows[name] = append(townRows[name], town{full: f[5], short: townShort(f[5], common)})
		}
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("bench: no districts of %s in divisions.tsv", region)
	}
	// Towns: Zipf-like weights in the file's order (some towns are in the
	// news far more than others).
	for _, name := range order {
		d := byName[name]
		for k, t := range townRows[name] {
			d.towns.add(t, 1/float64(k+1))
		}
		if d.towns.len() == 0 {
			d.towns.add(town{full: d.full, short: d.short}, 1)
		}
		v.districts = append(v.districts, *d)
	}

	// Taxonomy.
	tax, err := read("indexer/enrich/data/taxonomy.yaml")
	if err != nil {
		return nil, err
	}
	var tx struct {
		Topics []struct {
			Name     string             `yaml:"name"`
			Keywords map[string]float64 `yaml:"keywords"`
		} `yaml:"topics"`
	}
	if err := yaml.Unmarshal(tax, &tx); err != nil {
		return nil, fmt.Errorf("bench: taxonomy: %w", err)
	}
	for _, t := range tx.Topics {
		tp := topic{name: t.Name, dept: topicDept[t.Name]}
		if tp.dept == "" {
			tp.dept = "发展改革委"
		}
		words := make([]string, 0, len(t.Keywords))
		for w := range t.Keywords {
			words = append(words, w)
		}
		sort.Strings(words)
		for _, w := range words {
			if utf8.RuneCountInString(w) < 2 {
				continue
			}
			tp.keywords.add(w, t.Keywords[w])
			if t.Keywords[w] >= 3 {
				tp.strong.add(w, 1)
			}
		}
		if tp.keywords.len() == 0 {
			continue
		}
		if tp.strong.len() == 0 {
			tp.strong = tp.keywords
		}
		v.topics = append(v.topics, tp)
	}
	if len(v.topics) == 0 {
		return nil, errors.New("bench: taxonomy has no topics")
	}

	// Government dictionary, drawn with its frequencies. Its sections
	// ("# ===== 养老服务 =====") tie words to topics, so that an article about
	// elderly care draws elderly-care words and others seldom do.
	dict, err := read("indexer/analysis/data/dict.txt")
	if err != nil {
		return nil, err
	}
	section := -1 // topic index of the current section; -1: general
	sc := bufio.NewScanner(bytes.NewReader(dict))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "# =====") {
			section = sectionTopic(v.topics, strings.Trim(line, "# ="))
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil || utf8.RuneCountInString(f[0]) < 2 {
			continue
		}
		v.dict.add(f[0], float64(n))
		if section >= 0 {
			v.topics[section].dict.add(f[0], float64(n))
		} else {
			v.general.add(f[0], float64(n))
		}
	}
	if v.general.len() == 0 {
		v.general = v.dict
	}
	for i := range v.topics {
		if v.topics[i].dict.len() == 0 {
			v.topics[i].dict = v.general
		}
	}
	if v.dict.len() == 0 {
		return nil, errors.New("bench: empty dictionary")
	}

	// Seed sentences and headlines, turned into templates.
	m := newMatcher(v, root, common)
	seeds, err := filepath.Glob(filepath.Join(root, "seeds", "*.txt"))
	if err != nil {
		return nil, err
	}
	sort.Strings(seeds)
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("bench: seed: %w", err)
		}
		sents, heads := splitSeed(string(b))
		maxYear := maxYearIn(string(b))
		for _, s := range sents {
			v.sentences = append(v.sentences, m.template(s, maxYear))
		}
		for _, h := range heads {
			v.headlines = append(v.headlines, m.template(h, maxYear))
		}
	}
	if len(v.sentences) == 0 {
		return nil, errors.New("bench: no seed sentences under seeds/")
	}
	for _, s := range synthSentences {
		v.synth = append(v.synth, parseTemplate(s))
	}
	for _, s := range synthTitles {
		v.titles = append(v.titles, parseTemplate(s))
	}
	for _, s := range synthSections {
		v.sections = append(v.sections, parseTemplate(s))
	}
	return v, nil
}

// sectionHints name dictionary sections of a topic whose title does not
// contain the topic's name.
var sectionHints = map[string][]string{
	"社会治理": {"接诉即办", "基层治理", "公共安全"},
	"医疗卫生": {"医疗"},
	"文化体育": {"文化体育"},
	"生态环境": {"生态环境", "园林绿化"},
	"住房保障": {"住房", "城市更新"},
	"产业发展": {"产业", "营商环境"},
}

// sectionTopic returns the topic a dictionary section belongs to, or -1.
func sectionTopic(topics []topic, title string) int {
	for i, t := range topics {
		if strings.Contains(title, t.name) {
			return i
		}
		for _, h := range sectionHints[t.name] {
			if strings.Contains(title, h) {
				return i
			}
		}
	}
	return -1
}

// townShort is the colloquial form of a town name (回龙观街道 → 回龙观), or
// "" when that would be too short or an ordinary word.
func townShort(full string, common map[string]bool) string {
	s := full
	for _, suf := range []string{"民族乡", "回族乡", "满族乡", "街道", "地区", "镇", "乡"} {
		if strings.HasSuffix(s, suf) {
			s = strings.TrimSuffix(s, suf)
			break
		}
	}
	if s == full || utf8.RuneCountInString(s) < 2 || common[s] {
		return ""
	}
	return s
}

// splitSeed returns the sentences of a seed page's body text and its short
// lines (headlines, section heads). Bylines are dropped; lines broken
// mid-sentence are joined back before splitting on 。！？.
func splitSeed(text string) (sents, heads []string) {
	var body strings.Builder
	for _, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			heads = append(heads, strings.TrimSpace(strings.TrimLeft(line, "#")))
			continue
		}
		if strings.HasPrefix(line, "□") || strings.HasPrefix(line, "本报记者") {
			continue
		}
		n := utf8.RuneCountInString(line)
		if n < 36 && !strings.ContainsAny(line, "。！？；") {
			if !strings.HasSuffix(line, "，") && !strings.HasSuffix(line, "、") {
				heads = append(heads, line)
				continue
			}
		}
		body.WriteString(line)
	}
	rs := []rune(body.String())
	start := 0
	for i := 0; i < len(rs); i++ {
		if rs[i] != '。' && rs[i] != '！' && rs[i] != '？' {
			continue
		}
		end := i + 1
		for end < len(rs) && (rs[end] == '”' || rs[end] == '）' || rs[end] == '’') {
			end++
		}
		s := strings.TrimSpace(string(rs[start:end]))
		start = end
		i = end - 1
		if n := utf8.RuneCountInString(s); n >= 8 && n <= 220 {
			sents = append(sents, s)
		}
	}
	return sents, heads
}

func maxYearIn(s string) int {
	best := 0
	for i := 0; i+4 <= len(s); i++ {
		if s[i] == '2' && s[i+1] == '0' && isDigit(s[i+2]) && isDigit(s[i+3]) && (i == 0 || !isDigit(s[i-1])) && (i+4 == len(s) || !isDigit(s[i+4])) {
			y, _ := strconv.Atoi(s[i : i+4])
			if y <= 2030 && y > best {
				best = y
			}
		}
	}
	if best == 0 {
		best = 2023
	}
	return best
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
