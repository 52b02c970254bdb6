package bench

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A template is a sentence (or headline) with slots. Seed sentences become
// templates by replacing their place names, years, numbers and topic
// keywords with slots; the synthetic ones are written with {X} placeholders.
type tmpl []seg

type segKind uint8

const (
	sLit       segKind = iota
	sDistrict          // {D} the article's district, full (昌平区)
	sDistShort         // {d} its short form (昌平)
	sTown              // {T} a town of the district, full (回龙观街道)
	sTownShort         // {t} its colloquial form (回龙观)
	sOtherDist         // {OD} another district, mentioned in passing
	sYear              // {Y}, {Y-1}, {Y+1}: the page's year plus an offset
	sNum               // {N2} a number of 2 digits; seed numbers keep their digit count
	sDecimal           // {F} a number with one decimal (3.5)
	sPercent           // {P} a percentage figure (85.3)
	sMonth             // {M} 1–12
	sKeyword           // {K} a keyword of the article's topic; in seeds: the original keyword
	sKeyword2          // {K2} a keyword of the secondary topic (or any topic)
	sWord              // {W} a government-dictionary word, by frequency
	sDept              // {dept} the topic's department
	sName              // {name} a person's name
	sAct               // {act} what residents do there
)

type seg struct {
	kind segKind
	text string // literal text, or the original keyword of a seed
	a, b int    // year offset; digits before and after the point
}

// simpleSegs maps the placeholders that take no argument to their kind.
var simpleSegs = map[string]segKind{
	"D":    sDistrict,
	"d":    sDistShort,
	"T":    sTown,
	"t":    sTownShort,
	"OD":   sOtherDist,
	"F":    sDecimal,
	"P":    sPercent,
	"M":    sMonth,
	"K":    sKeyword,
	"K2":   sKeyword2,
	"W":    sWord,
	"dept": sDept,
	"name": sName,
	"act":  sAct,
}

// parseTemplate reads a synthetic template with {X} placeholders.
func parseTemplate(s string) tmpl {
	var t tmpl
	lit := func(x string) {
		if x == "" {
			return
		}
		if n := len(t); n > 0 && t[n-1].kind == sLit {
			t[n-1].text += x
			return
		}
		t = append(t, seg{kind: sLit, text: x})
	}
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			lit(s)
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			lit(s)
			break
		}
		lit(s[:i])
		name := s[i+1 : i+j]
		s = s[i+j+1:]
		if k, ok := simpleSegs[name]; ok {
			t = append(t, seg{kind: k})
			continue
		}
		switch {
		case strings.HasPrefix(name, "Y"):
			off := 0
			if len(name) > 1 {
				off, _ = strconv.Atoi(name[1:]) // "Y-1" → -1, "Y+1" → 1
			}
			t = append(t, seg{kind: sYear, a: -off})
		case strings.HasPrefix(name, "N"):
			n, _ := strconv.Atoi(name[1:])
			t = append(t, seg{kind: sNum, a: max(n, 1)})
		default:
			lit("{" + name + "}")
		}
	}
	return t
}

// matcher finds place names and topic keywords in seed text.
type matcher struct {
	words  map[string]segKind // place names and keywords → slot kind
	maxLen int                // in runes
}

func newMatcher(v *Vocab, root string, common map[string]bool) *matcher {
	m := &matcher{words: map[string]segKind{}}
	put := func(w string, k segKind) {
		if w == "" {
			return
		}
		if _, ok := m.words[w]; ok {
			return // first kind wins: places before keywords
		}
		m.words[w] = k
		if n := utf8.RuneCountInString(w); n > m.maxLen {
			m.maxLen = n
		}
	}
	for _, d := range v.districts {
		put(d.full, sDistrict)
	}
	for _, d := range v.districts {
		if utf8.RuneCountInString(d.short) >= 2 {
			put(d.short, sDistShort)
		}
	}
	for _, d := range v.districts {
		for _, t := range d.towns.items {
			put(t.full, sTown)
		}
	}
	for _, d := range v.districts {
		for _, t := range d.towns.items {
			put(t.short, sTownShort)
		}
	}
	// Colloquial area names (回天地区, 望京, 亦庄 …).
	if f, err := os.Open(filepath.Join(root, "indexer/enrich/data/aliases.tsv")); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			c := strings.Split(sc.Text(), "\t")
			if len(c) >= 3 && c[0] == region && !common[c[1]] && utf8.RuneCountInString(c[1]) >= 2 {
				put(c[1], sTownShort)
			}
		}
		f.Close()
	}
	for _, tp := range v.topics {
		for _, w := range tp.keywords.items {
			put(w, sKeyword)
		}
	}
	return m
}

// template turns a seed sentence into a template.
func (m *matcher) template(s string, maxYear int) tmpl {
	rs := []rune(s)
	var t tmpl
	var lit []rune
	flush := func() {
		if len(lit) > 0 {
			t = append(t, seg{kind: sLit, text: string(lit)})
			lit = lit[:0]
		}
	}
	isD := func(r rune) bool { return '0' <= r && r <= '9' }
	isASCIILetter := func(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }
	for i := 0; i < len(rs); {
		r := rs[i]
		if isD(r) && (i == 0 || !isD(rs[i-1]) && !isASCIILetter(rs[i-1]) && rs[i-1] != '.') {
			j := i
			for j < len(rs) && isD(rs[j]) {
				j++
			}
			k := j
			if k+1 < len(rs) && rs[k] == '.' && isD(rs[k+1]) {
				k++
				for k < len(rs) && isD(rs[k]) {
					k++
				}
			}
			digits := string(rs[i:j])
			switch {
			case j-i == 4 && k == j && (digits[:2] == "20" || digits[:2] == "19"):
				y, _ := strconv.Atoi(digits)
				off := min(max(maxYear-y, 0), 5)
				flush()
				t = append(t, seg{kind: sYear, a: off})
			case digits == "12345" || j < len(rs) && isASCIILetter(rs[j]):
				lit = append(lit, rs[i:k]...)
			default:
				flush()
				frac := 0
				if k > j {
					frac = k - j - 1
				}
				t = append(t, seg{kind: sNum, a: j - i, b: frac})
			}
			i = k
			continue
		}
		// Longest place name or keyword starting here.
		found := 0
		var kind segKind
		for n := min(m.maxLen, len(rs)-i); n >= 2; n-- {
			if k, ok := m.words[string(rs[i:i+n])]; ok {
				found, kind = n, k
				break
			}
		}
		if found > 0 {
			flush()
			t = append(t, seg{kind: kind, text: string(rs[i : i+found])})
			i += found
			continue
		}
		lit = append(lit, r)
		i++
	}
	flush()
	return t
}

// Synthetic sentences in the register of district bulletins. They carry the
// topic vocabulary (taxonomy keywords, dictionary words) into the corpus.
var synthSentences = []string{
	"近日，记者从{D}{dept}获悉，{Y}年{d}将新建{K}{N2}处，进一步补齐{K2}短板。",
	"截至{Y}年底，{D}累计建成{K}{N2}个，覆盖{t}等{N2}个街道（乡镇）。",
	"下一步，{D}将围绕{W}、{W}等重点任务，持续推进{K}工作提质增效。",
	"“{K}办得好不好，群众说了算。”{T}相关负责人表示。",
	"据了解，{T}今年共安排{K}项目{N2}项，总投资{F}亿元，预计{Y}年底前全部完工。",
	"{D}{dept}相关负责人介绍，{K}将与{W}统筹推进，让居民在家门口享受到更多便利。",
	"在{t}，{W}与{K}相结合的做法已经成为当地的一张“金名片”。",
	"数据显示，{Y}年{D}{K}相关诉求同比下降{P}%，群众满意率达到{P}%。",
	"为此，{T}坚持问题导向，建立“{W}+{K}”工作机制，累计解决群众急难愁盼问题{N3}件。",
	"家住{t}的居民{name}说：“现在{K}就在家门口，方便多了！”",
	"{Y}年以来，{D}聚焦{K}和{K2}，推动{W}落地见效，相关经验在全市推广。",
	"目前，{T}已建成{K}{N1}处，正在建设{N1}处，计划{Y+1}年全部投用。",
	"与此同时，{d}还将加快推进{W}建设，力争到{Y+1}年实现{K}全覆盖。",
	"该项目总建筑面积{F}万平方米，建成后可服务周边{N2}个社区约{F}万名居民。",
	"{T}党工委书记表示，将以{K}为抓手，把{W}工作做细做实。",
	"记者在现场看到，{K}内设施齐全，不少居民正在这里{act}。",
	"据统计，{Y-1}年{D}共受理{W}相关诉求{N4}件，办结率{P}%。",
	"此外，{D}还与{OD}签订{K}合作协议，推动区域{W}协同发展。",
	"按照计划，{t}{K}二期工程将于{Y}年{M}月开工建设。",
	"“我们将继续把{K}作为民生实事来抓。”{D}{dept}负责人说。",
	"{Y}年{M}月，{D}出台《关于推进{K}高质量发展的实施意见》，明确了{N2}项重点任务。",
	"通过{W}，{T}{K}服务能力显著提升，辐射带动周边{N2}个村（社区）。",
	"今年，{d}计划新增{K}{N2}个，改造提升{K2}{N2}处。",
	"{T}充分发挥{W}作用，组织志愿者{N3}余人次开展{K}宣传活动。",
	"{name}是{t}的一名社区工作者，她告诉记者，{K}开通以来，每天都有居民前来咨询。",
	"下阶段，{D}将进一步完善{W}，推动{K}与{K2}深度融合。",
}

var synthTitles = []string{
	"{d}新增{N2}家{K}",
	"{D}{K}工作取得积极成效",
	"{t}{K}项目全面开工",
	"{d}今年将新建{N2}个{K}",
	"{t}“{K}”让居民更有获得感",
	"{D}推进{K}提质升级",
	"{Y}年{d}{K}建设再提速",
	"{t}打造{K}新样板",
	"{d}{K}覆盖率达{P}%",
	"{W}助力{t}{K}再上新台阶",
	"{D}发布{K}三年行动计划",
	"{t}{N2}处{K}年内投用",
	"聚焦{K} {d}出台{N2}条措施",
	"{d}{W}跑出加速度",
}

var synthSections = []string{
	"{K}服务能力显著提升",
	"推动{K}提质增效",
	"{W}持续深化",
	"{K}走进百姓身边",
	"织补{K}短板",
	"多措并举推进{K}",
	"{t}经验全市推广",
	"让{K}更有温度",
}
