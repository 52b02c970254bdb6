// Package enrich infers an article's metadata from its text: the districts it
// is about (from official administrative-division data and a small file of
// colloquial names), its topics (from a taxonomy file) and its publication
// date. Its data files live in data/ and are embedded.
package enrich

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"math/bits"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

//go:embed data/divisions.tsv
var divisionsTSV []byte

//go:embed data/aliases.tsv
var aliasesTSV []byte

// DefaultRegion is the province-level region whose districts are inferred
// unless configured otherwise.
const DefaultRegion = "北京市"

// nameKind orders how strongly a name points at its district.
type nameKind int

const (
	kindDistrict      nameKind = iota // 昌平区
	kindDistrictShort                 // 昌平
	kindTown                          // 回龙观街道, 沙河镇
	kindTownShort                     // 回龙观, 沙河
	kindAlias                         // 回天, 望京 (colloquial)
)

var kindWeight = [...]float64{
	kindDistrict:      3,
	kindDistrictShort: 2,
	kindTown:          2,
	kindTownShort:     1.5,
	kindAlias:         1.5,
}

// evidence says what a name needs besides itself to count for its district.
type evidence int

const (
	// evNone: the name is unambiguous (回龙观, 西红门镇, 昌平区).
	evNone evidence = iota
	// evRegion: the name is also an ordinary word but no other place in
	// the country bears it (天竺, 前门): it counts when the article also
	// names the region (北京), its district or another place of it.
	evRegion
	// evDistrict: the name is also a place elsewhere in China and often an
	// ordinary word (光明, 温泉, 古城, 城关, 朝阳): it counts only when the
	// article names its district or another place of that district (a
	// landmark). Naming the region is not enough: 北京 and 曙光 in one
	// sentence do not make 海淀区.
	evDistrict
)

type place struct {
	name     string
	district string
	kind     nameKind
	need     evidence
	// after: when not empty, the name counts only when one of these
	// follows it (回天 before 地区 or 行动计划, not 无力回天).
	after []string
}

// Thresholds of the ambiguity test (see classify), from jieba's dictionary
// frequency of a name as an ordinary word and from how many other
// provinces' divisions reuse the name.
const (
	wordFreq     = 50  // jieba frequency from which a name is also a common word
	reuseAlone   = 3   // provinces elsewhere reusing a name: ambiguous whatever its frequency
	reuseAsWord  = 1   // … and, for a common word, from this many
	fullReuseMax = 3   // a full town name (河北镇) reused in this many provinces still needs evidence
	pairFreq     = 500 // jieba frequency from which a two-rune word is common (see insideWord)
)

// classify decides from data what a name needs to count: freq is its jieba
// dictionary frequency, reuse the number of other provinces with a division
// of that name, placeTag whether jieba tags it as a place name (ns) rather
// than a noun, verb or person's name (前门 n, 迎风 v, 王平 nr).
func classify(kind nameKind, freq, reuse int, placeTag bool) evidence {
	full := kind == kindDistrict || kind == kindTown
	switch {
	case kind == kindDistrict:
		return evNone // 昌平区: other provinces' namesakes are told apart by foreign()
	case kind == kindDistrictShort:
		// 昌平, 海淀, 通州: the usual way local news names a district; only
		// names that are common words and many places' names (朝阳, 西城,
		// 大兴) need their district named in full or a place of it.
		if reuse >= reuseAlone && freq >= wordFreq {
			return evDistrict
		}
		return evNone
	case full:
		// 温泉镇, 河北镇: the suffix is the evidence; namesakes elsewhere
		// are told apart by the county or province before them (foreign).
		return evNone
	case reuse >= reuseAlone || reuse >= reuseAsWord && freq >= wordFreq:
		return evDistrict
	case freq >= wordFreq && placeTag:
		return evRegion // 天竺, 中关村: known as places, and only here
	case freq >= wordFreq:
		return evDistrict // 迎风 (a verb), 王平 (a person's name), 前门 (a door)
	}
	return evNone
}

// Gazetteer finds district-level units in text. It is immutable after
// construction and safe for concurrent use.
type Gazetteer struct {
	Region    string
	short     string             // the region's short name (北京)
	districts []string           // official order (by code)
	byFirst   *runeIndex[place]  // names by first rune, longest first
	others    map[string]bool    // province-level names other than Region
	counties  map[string]bool    // county-level names of other provinces (北碚区, 丽水市)
	words     map[string]float64 // names for the segmenter's dictionary
	pairs     map[string]bool    // common two-rune words (see insideWord)
	// longer: jieba words that begin with a name and are not place names
	// (金盏花, 新华社, 胜利油田): the name inside them is no place.
	longer map[string][]string
	// places: jieba's place names (ns) that are none of the region's
	// (南京, 西安, 台北): a name right after one is that place's (南京新街口).
	places map[string]bool
}

// NewGazetteer loads the embedded division data for region (a province-level
// name such as 北京市 or 上海市; 北京 also works).
//
// Which names are ambiguous is decided from data (see classify): how often
// jieba's dictionary sees the name as an ordinary word, and how many other
// provinces' divisions reuse it. Province names are never town names.
func NewGazetteer(region string) (*Gazetteer, error) {
	if region == "" {
		region = DefaultRegion
	}
	byFirst := map[rune][]place{}
	g := &Gazetteer{others: map[string]bool{}, counties: map[string]bool{}, words: map[string]float64{}}

	type town struct{ name, district string }
	var towns []town
	seenDistrict := map[string]bool{}
	// name (full and short) → the other provinces that have it, one bit
	// per province (34 province-level units fit in 64 bits).
	elsewhere := map[string]uint64{}
	provBit := map[string]uint64{}
	reused := func(name, prov string) {
		b, ok := provBit[prov]
		if !ok {
			b = 1 << (uint(len(provBit)) % 64)
			provBit[prov] = b
		}
		elsewhere[name] |= b
	}
	sc := bufio.NewScanner(bytes.NewReader(divisionsTSV))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	header := true
	for sc.Scan() {
		if header {
			header = false
			continue
		}
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 6 {
			continue
		}
		prov, county, townName := f[1], f[3], f[5]
		if !sameRegion(prov, region) {
			g.others[prov] = true
			g.others[trimSuffixes(prov, "省", "市", "自治区", "壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区")] = true
			if utf8.RuneCountInString(county) >= 3 {
				g.counties[county] = true
			}
			for _, n := range []string{county, shortDistrict(trimSuffixes(county, "市")), townName, shortTown(townName)} {
				if n != "" {
					reused(n, prov)
				}
			}
			continue
		}
		g.Region = prov
		if county != "" && !seenDistrict[county] && countyLevel(county) {
			seenDistrict[county] = true
			g.districts = append(g.districts, county)
		}
		if townName != "" && seenDistrict[county] {
			towns = append(towns, town{townName, county})
		}
	}
	if g.Region == "" {
		return nil, fmt.Errorf("region %q: not in the division data (want a province-level name such as 北京市)", region)
	}
	delete(g.others, "")
	g.short = trimSuffixes(g.Region, "省", "市", "自治区", "壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区")

	// Count how many districts share a name, so ambiguous names are dropped.
	owners := map[string]map[string]bool{}
	add := func(name, district string) {
		if utf8.RuneCountInString(name) < 2 || g.others[name] {
			return // 河北 (河北镇) is a province first
		}
		if owners[name] == nil {
			owners[name] = map[string]bool{}
		}
		owners[name][district] = true
	}
	kinds := map[string]nameKind{}
	for _, d := range g.districts {
		add(d, d)
		kinds[d] = kindDistrict
		if s := shortDistrict(d); s != d {
			add(s, d)
			kinds[s] = kindDistrictShort
		}
	}
	for _, t := range towns {
		names := []string{t.name}
		if s := shortTown(t.name); strings.HasSuffix(t.name, "地区") && s != t.name {
			// A 地区 office shares its area and name with a 镇 or 乡 (西红门地区
			// is 西红门镇), and news uses the 镇 name.
			names = append(names, s+"镇")
		}
		for _, n := range names {
			if _, ok := kinds[n]; !ok {
				kinds[n] = kindTown
			}
			add(n, t.district)
		}
		if s := shortTown(t.name); s != t.name {
			if _, ok := kinds[s]; !ok {
				kinds[s] = kindTownShort
			}
			add(s, t.district)
		}
	}
	after := map[string][]string{}
	sc = bufio.NewScanner(bytes.NewReader(aliasesTSV))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 3 || f[0] == "region" || !sameRegion(f[0], g.Region) || !seenDistrict[f[2]] {
			continue
		}
		if _, ok := kinds[f[1]]; !ok {
			kinds[f[1]] = kindAlias
		}
		if len(f) > 3 && strings.TrimSpace(f[3]) != "" {
			after[f[1]] = strings.Split(strings.TrimSpace(f[3]), "|")
		}
		add(f[1], f[2])
	}
	names := map[string]bool{}
	for name := range owners {
		names[name] = true
	}
	// jieba's frequencies: of the names, and of the common two-rune words
	// that tell a name inside another word (交通运输 holds 通运).
	freqs := map[string]int{}
	placeTag := map[string]bool{} // names jieba tags as place names (ns)
	g.pairs = map[string]bool{}
	g.longer = map[string][]string{}
	g.places = map[string]bool{}
	err := analysis.EachDictWord(func(w []byte, n int, tag []byte) {
		if names[string(w)] {
			freqs[string(w)] = n
			placeTag[string(w)] = string(tag) == "ns"
		}
		runes := utf8.RuneCount(w)
		if n >= pairFreq && runes == 2 {
			g.pairs[string(w)] = true
		}
		ns := string(tag) == "ns"
		if ns && n >= placeFreq && runes >= 2 && runes <= 4 {
			g.places[string(w)] = true
		}
		if !ns && runes >= 3 && runes <= 8 {
			// Prefixes of two to four runes that are names (金盏 in 金盏花).
			for i, k := 0, 0; i < len(w) && k < 4; {
				_, size := utf8.DecodeRune(w[i:])
				i += size
				if k++; k >= 2 && i < len(w) && names[string(w[:i])] && !divisionSuffix(w[i:]) {
					g.longer[string(w[:i])] = append(g.longer[string(w[:i])], string(w))
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	for p := range g.places {
		if names[p] || strings.Contains(p, g.short) || strings.Contains(g.Region, p) || strings.Trim(p, directionRunes) == "" {
			// the region's own places, the country (中国, 中华), parts of a
			// compass (华北, 东南, 南郊)
			delete(g.places, p)
		}
	}
	for name, ds := range owners {
		if len(ds) != 1 {
			continue // a name two districts share tells nothing
		}
		var district string
		for d := range ds {
			district = d
		}
		p := place{name: name, district: district, kind: kinds[name], after: after[name]}
		p.need = classify(p.kind, freqs[name], bits.OnesCount64(elsewhere[name]), placeTag[name])
		r, _ := utf8.DecodeRuneInString(name)
		byFirst[r] = append(byFirst[r], p)
		if p.need == evNone || freqs[name] < wordFreq {
			// A word for the segmenter unless it is an ordinary word that
			// jieba knows already (光明, 温泉): raising it would cut
			// ordinary text as place names.
			g.words[name] = 1
		}
	}
	for r := range byFirst {
		ps := byFirst[r]
		sort.Slice(ps, func(i, j int) bool {
			if len(ps[i].name) != len(ps[j].name) {
				return len(ps[i].name) > len(ps[j].name)
			}
			return ps[i].name < ps[j].name
		})
	}
	g.byFirst = newRuneIndex(byFirst)
	return g, nil
}

// placeFreq: jieba frequency from which a place name (ns) is known well
// enough to mark the name after it as that place's.
const placeFreq = 50

// directionRunes make up names of a compass part or of the country rather
// than of a place (华北, 东南, 南郊, 中国).
const directionRunes = "东南西北中华国内外上下郊部方"

// divisionSuffix reports text that opens with a division or place suffix:
// a jieba word such as 温泉镇 or 双井桥 is still the place.
func divisionSuffix(rest []byte) bool {
	for _, x := range []string{"街道", "镇", "乡", "地区", "区", "县", "村", "社区", "路", "街", "桥", "门", "园", "湖", "河", "山"} {
		if bytes.HasPrefix(rest, []byte(x)) {
			return true
		}
	}
	return false
}

// partOfWord reports a name that opens a longer ordinary word of the text
// (金盏花, 新华社, 胜利油田, 光明日报). District names are exempt (海淀法院,
// 丰台站 are there). A name that needs no evidence keeps counting in the
// names of what is there: a hospital, a station, a street, a compound
// (安贞医院, 四惠东, 安贞里).
func (g *Gazetteer) partOfWord(text string, m mention) bool {
	if m.kind == kindDistrict || m.kind == kindDistrictShort {
		return false
	}
	for _, w := range g.longer[m.name] {
		if !strings.HasPrefix(text[m.start:], w) {
			continue
		}
		if m.need == evNone && hasPrefixAny(w[len(m.name):], localSuffixes) {
			continue
		}
		return true
	}
	return false
}

// localSuffixes: what follows a place name in the name of something there.
var localSuffixes = []string{"里", "站", "医院", "大街", "东", "西", "南", "北", "高速", "公路", "中学", "小学", "学校", "法院", "书店", "商场", "公园"}

func hasPrefixAny(s string, xs []string) bool {
	for _, x := range xs {
		if strings.HasPrefix(s, x) {
			return true
		}
	}
	return false
}

// afterPlace reports a name right after a place name that is not the
// region's (南京新街口, 西安鼓楼, 台北天桥, 南京：新街口…).
func (g *Gazetteer) afterPlace(text string, at int) bool {
	// 南京：新街口… in a headline: the colon or a space may come between.
	before := lastRunes(strings.TrimRight(text[:at], "：: \u3000·"), 4)
	for i := range before {
		if n := utf8.RuneCountInString(before[i:]); n >= 2 && g.places[before[i:]] {
			return true
		}
	}
	return false
}

func sameRegion(prov, region string) bool {
	return prov == region || trimSuffixes(prov, "省", "市", "自治区") == region
}

// countyLevel tells district-level units from the statistics-only units
// (development zones) the division data also lists.
func countyLevel(name string) bool {
	for _, s := range []string{"区", "县", "市", "旗"} {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

func trimSuffixes(s string, suffixes ...string) string {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) && utf8.RuneCountInString(s)-utf8.RuneCountInString(x) >= 2 {
			return strings.TrimSuffix(s, x)
		}
	}
	return s
}

func shortDistrict(d string) string {
	return trimSuffixes(d, "自治县", "新区", "区", "县", "旗")
}

func shortTown(t string) string {
	return trimSuffixes(t, "街道办事处", "办事处", "街道", "地区", "镇", "乡")
}

// Districts lists the region's district-level units in official order.
func (g *Gazetteer) Districts() []string { return append([]string(nil), g.districts...) }

// IsDistrict reports whether name is a district-level unit of the region.
func (g *Gazetteer) IsDistrict(name string) bool {
	for _, d := range g.districts {
		if d == name {
			return true
		}
	}
	return false
}

// DictWords returns the place names that should be single words for the
// segmenter (names that are also ordinary words are left out).
func (g *Gazetteer) DictWords() []string {
	out := make([]string, 0, len(g.words))
	for w := range g.words {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}

// mention is one place name found in text.
type mention struct {
	place
	start, end int // byte offsets
}

// scan finds place names in text, longest match first, left to right. A
// name whose stated context (after) does not follow it is passed over, and
// a shorter name at the same place is tried.
func (g *Gazetteer) scan(text string) []mention {
	var out []mention
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		matched := false
		for _, p := range g.byFirst.get(r) {
			if strings.HasPrefix(text[i:], p.name) {
				end := i + len(p.name)
				if len(p.after) > 0 && !followedBy(text[end:], p.after) {
					continue
				}
				out = append(out, mention{p, i, end})
				i = end
				matched = true
				break
			}
		}
		if !matched {
			i += size
		}
	}
	return out
}

// followedBy reports whether one of xs follows (closing quotes skipped:
// “回天”行动计划).
func followedBy(s string, xs []string) bool {
	s = strings.TrimLeft(s, "”’\"'」』")
	for _, x := range xs {
		if strings.HasPrefix(s, x) {
			return true
		}
	}
	return false
}

// Passing-mention cues: a place right after these is a destination or a
// landmark, not the subject; a place right before these names an
// organisation, not a location.
var (
	passingBefore = []string{"至", "往", "到达", "搬到", "迁入", "连接", "毗邻", "对接", "比如", "相比", "辐射"}
	orgAfter      = []string{"集团", "公司", "银行", "大学", "学院", "研究院", "出版社", "报社"}
)

// otherUnit reports a short name used as part of another unit's name: a
// division suffix follows it that is not its own (宝山区, 河北省, 龙泉市, 清河县).
func otherUnit(after string) bool {
	r, size := utf8.DecodeRuneInString(after)
	switch r {
	case '省', '市', '县', '州', '盟', '旗':
		return true
	case '区':
		next, _ := utf8.DecodeRuneInString(after[size:])
		return next != '域' && next != '间' // 区域, 区间 are not unit names
	}
	return false
}

// insideWord reports a name that lies inside ordinary words of the text:
// its first rune makes a common word with the rune before it, or its last
// rune with the rune after it (交通运输 holds 通运, 和平统一 holds 平统).
func (g *Gazetteer) insideWord(text string, start, end int) bool {
	if start > 0 {
		p, size := utf8.DecodeLastRuneInString(text[:start])
		_, fs := utf8.DecodeRuneInString(text[start:])
		if p != utf8.RuneError && g.pairs[text[start-size:start+fs]] {
			return true
		}
	}
	if end < len(text) {
		_, ls := utf8.DecodeLastRuneInString(text[:end])
		_, ns := utf8.DecodeRuneInString(text[end:])
		if g.pairs[text[end-ls:end+ns]] {
			return true
		}
	}
	return false
}

// DistrictScores scores the districts named in an article. Title mentions
// weigh most, then the opening of the body; passing mentions and names of
// organisations weigh little; names of other provinces' places (南通市通州区)
// are skipped. A name that is ambiguous (see classify) counts only with
// evidence in the same article: its district or another place of that
// district named unambiguously, or (for names no other province bears)
// the region.
func (g *Gazetteer) DistrictScores(title, body string) map[string]float64 {
	scores := map[string]float64{}
	anchored := map[string]bool{} // districts named unambiguously
	type hit struct {
		m mention
		w float64
	}
	var hits []hit
	for part, text := range []string{title, body} {
		for _, m := range g.scan(text) {
			if g.foreign(text, m.start) {
				continue
			}
			full := m.kind == kindDistrict || m.kind == kindTown
			if !full && (otherUnit(text[m.end:]) || g.insideWord(text, m.start, m.end)) {
				continue
			}
			if g.partOfWord(text, m) || m.kind != kindDistrict && g.afterPlace(text, m.start) {
				continue
			}
			w := kindWeight[m.kind]
			switch {
			case part == 0:
				w *= 3
			case m.start < 300:
				w *= 1.5
			}
			if !full && strings.HasPrefix(text[m.end:], "环") {
				continue // 东四环 is a ring road, not 东四
			}
			if hasSuffixAny(text[:m.start], passingBefore) || orgNamed(text[m.end:]) {
				w *= 0.3
			}
			if m.need == evNone {
				anchored[m.district] = true
			}
			hits = append(hits, hit{m, w})
		}
	}
	regionNamed := g.short != "" && (strings.Contains(title, g.short) || strings.Contains(body, g.short))
	for _, h := range hits {
		switch {
		case h.m.need == evNone, anchored[h.m.district]:
		case h.m.need == evRegion && regionNamed:
		default:
			continue
		}
		scores[h.m.district] += h.w
	}
	return scores
}

// foreign reports a mention that belongs to another region: preceded by a
// city or province name that is not the region (南通市通州区, 江苏省…), or with
// another province named just before it.
func (g *Gazetteer) foreign(text string, at int) bool {
	window := lastRunes(text[:at], 8)
	before := []rune(window)
	if n := len(before); n >= 2 && (before[n-1] == '市' || before[n-1] == '省') {
		if !strings.HasSuffix(text[:at], g.Region) && !strings.ContainsRune("本全我该各城京都", before[n-2]) {
			return true
		}
	}
	// Right after another province's county (北碚区温泉镇, 龙泉市…), unless
	// that name is also one of the region's districts (朝阳区).
	if n := len(before); n >= 3 && strings.ContainsRune("区县市旗", before[n-1]) {
		// Suffixes of the window, three runes and longer, without copying.
		for i, n := len(window), 0; i > 0; {
			_, size := utf8.DecodeLastRuneInString(window[:i])
			i -= size
			if n++; n >= 3 {
				if name := window[i:]; g.counties[name] && !g.IsDistrict(name) {
					return true
				}
			}
		}
	}
	// Any substring of two runes or more of the window that names another
	// province: at most 28 lookups, cheaper than a scan per province.
	for i := range window {
		n := 0
		for j := i; j < len(window); {
			_, size := utf8.DecodeRuneInString(window[j:])
			j += size
			if n++; n >= 2 && g.others[window[i:j]] {
				return true
			}
		}
	}
	return false
}

func hasSuffixAny(s string, xs []string) bool {
	for _, x := range xs {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// orgNamed reports an organisation word within the few runes after a
// place name (中关村发展集团).
func orgNamed(after string) bool {
	head := firstRunes(after, 6)
	for _, x := range orgAfter {
		if strings.Contains(head, x) {
			return true
		}
	}
	return false
}

// Rank orders scored districts, strongest first, and drops those named only
// in passing: below minShare of the strongest, or below minScore.
func Rank(scores map[string]float64) []string { return rankMin(scores, minScore) }

// Thresholds of Rank.
const (
	minShare = 0.3
	minScore = 2.0
	// longText: from this many characters of body, the score a district
	// needs grows by minScore per longText characters more: a long document
	// about the whole country that names a Beijing place once or twice in
	// passing (石景山钢铁厂 in a national report) is not about it.
	longText = 3000
)

// RankFor is Rank for an article whose body has bodyRunes characters.
func RankFor(scores map[string]float64, bodyRunes int) []string {
	min := minScore
	if bodyRunes > longText {
		min += minScore * float64(bodyRunes-longText) / longText
	}
	return rankMin(scores, min)
}

func rankMin(scores map[string]float64, minScore float64) []string {
	var top float64
	for _, s := range scores {
		if s > top {
			top = s
		}
	}
	var out []string
	for d, s := range scores {
		if s >= minScore && s >= minShare*top {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if scores[out[i]] != scores[out[j]] {
			return scores[out[i]] > scores[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

// lastRunes returns the last n runes of s (all of s if shorter).
func lastRunes(s string, n int) string {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}

// firstRunes returns the first n runes of s (all of s if shorter).
func firstRunes(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}
