package enrich

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Mentions of places in an article, their evidence, and the district scores
// and ranking made from them (see gazetteer.go).

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
