package enrich

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/source"
)

// planCues right before a year mark it as a target, not the time of reporting.
var planCues = []string{"将在", "将于", "将", "计划", "计划在", "计划于", "预计", "预计在", "预计于", "力争", "力争在", "争取", "争取在", "到", "至", "目标", "拟", "拟于", "拟在", "预期", "有望", "有望在", "有望于"}

// PageDate infers the publication date (YYYY-MM-DD or "") and year (0 if
// unknown) of a page from its text. One document read on its own (not a
// shared page) is dated by DocDate, which reads its title first.
func PageDate(text string) (string, int) {
	head, tail := nonEmptyLines(text, headLines, tailLines)
	if d, ok := statedDate(text, head, tail); ok {
		y, _ := strconv.Atoi(d[:4])
		return d, y
	}
	return "", inferYear(text)
}

func markedDate(text string) (string, bool) {
	// The regexps are run only around their anchor words, in a window that
	// holds a whole match: scanning a long document with them costs more
	// than segmenting it.
	for _, c := range []struct {
		match         func(string) (string, bool)
		anchors       []string
		before, after int // bytes of the window around an anchor
	}{
		{source.LabelledDate, []string{"时间", "日期"}, 0, 64},
		{source.DatelineDate, []string{"日电", "日讯"}, 48, 8},
	} {
		if d, ok := matchNear(text, c.match, c.anchors, c.before, c.after); ok {
			return d, true
		}
	}
	head, _ := nonEmptyLines(text, 5, 0)
	for _, l := range head {
		if d, ok := source.OnlyDate(l); ok {
			return d, true
		}
	}
	return "", false
}

// matchNear runs match on a window around each occurrence of the anchors
// in text, in the order they occur, and returns the first date found.
func matchNear(text string, match func(string) (string, bool), anchors []string, before, after int) (string, bool) {
	next := make([]int, len(anchors)) // the next occurrence of each anchor, -1 when none is left
	for k, a := range anchors {
		next[k] = strings.Index(text, a)
	}
	for {
		k := -1
		for j, at := range next {
			if at >= 0 && (k < 0 || at < next[k]) {
				k = j
			}
		}
		if k < 0 {
			return "", false
		}
		at, size := next[k], len(anchors[k])
		from, to := max(0, at-before), min(len(text), at+size+after)
		for from > 0 && !utf8.RuneStart(text[from]) {
			from--
		}
		for to < len(text) && !utf8.RuneStart(text[to]) {
			to++
		}
		if d, ok := match(text[from:to]); ok {
			return d, true
		}
		if n := strings.Index(text[at+size:], anchors[k]); n >= 0 {
			next[k] = at + size + n
		} else {
			next[k] = -1
		}
	}
}

func inferYear(text string) int {
	maxYear := time.Now().Year() + 1
	years := yearMentions(text)
	plan := map[int]bool{}
	for _, m := range years {
		if m.from > 0 && m.year > m.from {
			plan[m.year] = true // the start of a period is often the current year: keep it
		}
	}
	best, recurring := 0, 0
	counts := map[int]int{}
	for _, m := range years {
		y := m.year
		if y < 1949 || y > maxYear || plan[y] {
			continue
		}
		if targetOrPast(text, m) {
			continue
		}
		if counts[y]++; counts[y] == 2 && y > recurring {
			recurring = y
		}
		if y > best {
			best = y
		}
	}
	if best == 0 {
		return 0
	}
	if len(text) >= longYearText && recurring > 0 {
		// A long text (a report) names a year once for an event ahead
		// (2022年冬奥会) or a target without its cue (2015年覆盖所有城市):
		// the years it keeps naming say more.
		best = recurring
	}
	if strings.Contains(text, "去年") && !strings.Contains(text, "今年") {
		return best + 1
	}
	return best
}

// longYearText is the length (bytes) from which a text's years are weighed by
// how often it names them.
const longYearText = 6000

// yearMention is one "2021年" in a text: the year, the byte span of the
// match, and, when it ends a period ("2021—2025年", "2021年至2025年"), the
// year the period starts from.
type yearMention struct {
	year, start, end int
	from             int
}

// yearMentions finds every four digits followed by optional spaces and 年.
// It looks only around each 年, which is much cheaper than running a
// regular expression over every article.
func yearMentions(text string) []yearMention {
	var out []yearMention
	for i := 0; ; {
		k := strings.Index(text[i:], "年")
		if k < 0 {
			return out
		}
		nian := i + k
		i = nian + len("年")
		y, start, ok := digitsBefore(text, skipSpaceBack(text, nian))
		if !ok {
			continue
		}
		m := yearMention{year: y, start: start, end: i}
		// A period: digits [年] separator digits 年.
		j := skipSpaceBack(text, start)
		if r, size := utf8.DecodeLastRuneInString(text[:j]); size > 0 && strings.ContainsRune("-—–~～至到", r) {
			j = skipSpaceBack(text, j-size)
			if strings.HasSuffix(text[:j], "年") {
				j = skipSpaceBack(text, j-len("年"))
			}
			if a, _, ok := digitsBefore(text, j); ok {
				m.from = a
			}
		}
		out = append(out, m)
	}
}

// skipSpaceBack returns the index before the ASCII spaces that end text[:i].
func skipSpaceBack(text string, i int) int {
	for i > 0 && strings.IndexByte(" \t\n\r\f", text[i-1]) >= 0 {
		i--
	}
	return i
}

// digitsBefore reads the four ASCII digits that end text[:i].
// A year may also be written in Chinese numerals, digit by digit
// (一九五八年, 二〇一二年).
func digitsBefore(text string, i int) (n, start int, ok bool) {
	if i < 4 {
		return 0, 0, false
	}
	for _, c := range []byte(text[i-4 : i]) {
		if c < '0' || c > '9' {
			return chineseDigitsBefore(text, i)
		}
		n = n*10 + int(c-'0')
	}
	return n, i - 4, true
}

// chineseDigitsBefore reads the four Chinese numerals that end text[:i].
func chineseDigitsBefore(text string, i int) (n, start int, ok bool) {
	j := i
	for k := 0; k < 4; k++ {
		r, size := utf8.DecodeLastRuneInString(text[:j])
		d, isDigit := source.ChineseDigit(r)
		if !isDigit {
			return 0, 0, false
		}
		j -= size
		n += int(d-'0') * [...]int{1, 10, 100, 1000}[k]
	}
	if r, _ := utf8.DecodeLastRuneInString(text[:j]); isCNDigit(r) || r == '十' {
		return 0, 0, false // a longer number
	}
	return n, j, true
}

func isCNDigit(r rune) bool { _, ok := source.ChineseDigit(r); return ok }
