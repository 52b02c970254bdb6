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
