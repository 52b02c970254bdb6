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
	"sort"
	"strings"
	"unicode/utf8"
)

//go:embed data/divisions.tsv
var divisionsTSV []byte

//go:embed data/aliases.tsv
var aliasesTSV []byte

//go:embed data/common_words.txt
var commonWordsTxt []byte

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

type place struct {
	name     string
	district string
	kind     nameKind
	// confirm: the name is also an ordinary word (朝阳 "morning sun"); it
	// counts only when the article also names the district in full.
	confirm bool
}

// Gazetteer finds district-level units in text. It is immutable after
// construction and safe for concurrent use.
type Gazetteer struct {
	Region    string
	districts []string           // official order (by code)
	byFirst   *runeIndex[place]  // names by first rune, longest first
	others    map[string]bool    // province-level names other than Region
	words     map[string]float64 // names for the segmenter's dictionary
}

// NewGazetteer loads the embedded division data for region (a province-level
// name such as 北京市 or 上海市; 北京 also works).
func NewGazetteer(region string) (*Gazetteer, error) {
	if region == "" {
		region = DefaultRegion
	}
	byFirst := map[rune][]place{}
	g := &Gazetteer{others: map[string]bool{}, words: map[string]float64{}}
	common := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(commonWordsTxt))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			common[w] = true
		}
	}

	type town struct{ name, district string }
	var towns []town
	seenDistrict := map[string]bool{}
	sc = bufio.NewScanner(bytes.NewReader(divisionsTSV))
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

	// Count how many districts share a name, so ambiguous names are dropped.
	owners := map[string]map[string]bool{}
	add := func(name, district string) {
		if utf8.RuneCountInString(name) < 2 {
			return
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
	sc = bufio.NewScanner(bytes.NewReader(aliasesTSV))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 3 || f[0] == "region" || !sameRegion(f[0], g.Region) || !seenDistrict[f[2]] {
			continue
		}
		if _, ok := kinds[f[1]]; !ok {
			kinds[f[1]] = kindAlias
		}
		add(f[1], f[2])
	}
	for name, ds := range owners {
		if len(ds) != 1 {
			continue // a name two districts share tells nothing
		}
		var district string
		for d := range ds {
			district = d
		}
		p := place{name: name, district: district, kind: kinds[name], confirm: common[name]}
		r, _ := utf8.DecodeRuneInString(name)
		byFirst[r] = append(byFirst[r], p)
		if !p.confirm {
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

// scan finds place names in text, longest match first, left to right.
func (g *Gazetteer) scan(text string) []mention {
	var out []mention
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		matched := false
		for _, p := range g.byFirst.get(r) {
			if strings.HasPrefix(text[i:], p.name) {
				out = append(out, mention{p, i, i + len(p.name)})
				i += len(p.name)
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

// Passing-mention cues: a place right after these is a destination or a
// landmark, not the subject; a place right before these names an
// organisation, not a location.
var (
	passingBefore = []string{"至", "往", "到达", "搬到", "迁入", "连接", "毗邻", "对接", "比如", "相比", "辐射"}
	orgAfter      = []string{"集团", "公司", "银行", "大学", "学院", "研究院", "出版社", "报社"}
)

// DistrictScores scores the districts named in an article. Title mentions
// weigh most, then the opening of the body; passing mentions and names of
// organisations weigh little; names of other provinces' places (南通市通州区)
// are skipped.
func (g *Gazetteer) DistrictScores(title, body string) map[string]float64 {
	scores := map[string]float64{}
	full := map[string]bool{}
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
			w := kindWeight[m.kind]
			switch {
			case part == 0:
				w *= 3
			case m.start < 300:
				w *= 1.5
			}
			if m.kind != kindDistrict && m.kind != kindTown && strings.HasPrefix(text[m.end:], "环") {
				continue // 东四环 is a ring road, not 东四
			}
			if hasSuffixAny(text[:m.start], passingBefore) || orgNamed(text[m.end:]) {
				w *= 0.3
			}
			if m.kind == kindDistrict {
				full[m.district] = true
			}
			hits = append(hits, hit{m, w})
		}
	}
	for _, h := range hits {
		if h.m.confirm && !full[h.m.district] {
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
func Rank(scores map[string]float64) []string {
	const minShare, minScore = 0.3, 2.0
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
