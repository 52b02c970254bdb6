package govdoc

import (
	"bufio"
	_ "embed"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

// Number is a document number (发文字号): the issuer's abbreviation, the
// year and the serial, as in 京政办发〔2016〕26号.
type Number struct {
	Prefix string // 京政办发, simplified script
	Year   int
	Serial int
}

// String is the number in its normal form, with 〔〕 brackets:
// 京政办发〔2016〕26号.
func (n Number) String() string {
	return n.Prefix + "〔" + strconv.Itoa(n.Year) + "〕" + strconv.Itoa(n.Serial) + "号"
}

// Keys are the forms under which an article citing n is found: the number
// itself and the same number with the front of a long prefix left off
// (running text often glues the issuer's name to the abbreviation:
// 北京市人民政府京政发〔2015〕17号 is found by 京政发〔2015〕17号). Prefixes
// shorter than two characters are not keys: 发〔2015〕17号 names no one.
func (n Number) Keys() []string {
	rs := []rune(n.Prefix)
	keys := make([]string, 0, len(rs))
	for i := 0; i+2 <= len(rs); i++ {
		keys = append(keys, Number{Prefix: string(rs[i:]), Year: n.Year, Serial: n.Serial}.String())
	}
	if len(keys) == 0 {
		keys = append(keys, n.String())
	}
	return keys
}

// MaxPrefixRunes bounds the abbreviation read before a number's year.
const MaxPrefixRunes = 12

// reNumber matches a document number in normalised text (full-width
// brackets and digits already folded, traditional script simplified): the
// prefix, the year in any bracket pair people type, the serial and 号.
var reNumber = regexp.MustCompile(
	`(\p{Han}{1,` + strconv.Itoa(MaxPrefixRunes+8) + `})\s?` +
		`[〔\[(【﹝〖{]\s?((?:19|20)\d\d)\s?[〕\])】﹞〗}]\s?第?\s?(\d{1,5})\s?号`)

//go:embed data/prefix_words.txt
var prefixWordsFile string

var prefixWords = sync.OnceValue(func() []string {
	var ws []string
	sc := bufio.NewScanner(strings.NewReader(prefixWordsFile))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			ws = append(ws, w)
		}
	}
	return ws
})

// cleanPrefix takes off the words that run into a number in prose
// (根据, 印发, …): what follows the last of them is the abbreviation. It
// returns "" when nothing is left.
func cleanPrefix(p string) string {
	for _, w := range prefixWords() {
		if i := strings.LastIndex(p, w); i >= 0 && i+len(w) < len(p) {
			// A one-character word counts only at the very front: 及 or
			// 与 inside an abbreviation is part of it.
			if utf8.RuneCountInString(w) == 1 && i != 0 {
				continue
			}
			p = p[i+len(w):]
		}
	}
	if rs := []rune(p); len(rs) > MaxPrefixRunes {
		p = string(rs[len(rs)-MaxPrefixRunes:])
	}
	return p
}

// Find returns the document numbers that text holds, in order of first
// appearance, each once. It is safe for concurrent use.
//
// Every article's text is searched at index time, so the pattern runs
// only on a window around each bracket that opens a year: a text without
// one costs a scan of its bytes.
func Find(text string) []Number {
	if yearBracket(text, 0) < 0 {
		return nil
	}
	norm := analysis.Normalize(text)
	var out []Number
	seen := map[string]bool{}
	end := 0 // where the last match ended: matches do not overlap
	for p := yearBracket(norm, 0); p >= 0; p = yearBracket(norm, p+1) {
		if p < end {
			continue
		}
		// The pattern's prefix is at most MaxPrefixRunes+8 runes and a
		// space before the bracket.
		lo := p
		for i := 0; i < MaxPrefixRunes+9 && lo > end; i++ {
			_, size := utf8.DecodeLastRuneInString(norm[:lo])
			lo -= size
		}
		hi := min(len(norm), p+48)
		for hi < len(norm) && !utf8.RuneStart(norm[hi]) {
			hi++
		}
		for _, m := range reNumber.FindAllStringSubmatchIndex(norm[lo:hi], -1) {
			// Only the match whose year this bracket opens: the others
			// are another bracket's.
			if lo+m[3] > p || p >= lo+m[4] {
				continue
			}
			end = lo + m[1]
			n, ok := number(norm[lo+m[2]:lo+m[3]], norm[lo+m[4]:lo+m[5]], norm[lo+m[6]:lo+m[7]])
			if ok && !seen[n.String()] {
				seen[n.String()] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// openBrackets are the brackets a number's year may stand in, before and
// after normalisation (full-width forms fold to ASCII).
const openBrackets = "〔[(【﹝〖{［（"

// yearBracket returns the byte offset in s, from `from` on, of the next
// opening bracket followed (after at most one space) by a digit 1 or 2 in
// half or full width: where a number's year may start; -1 when none.
func yearBracket(s string, from int) int {
	for i := from; i < len(s); {
		j := strings.IndexAny(s[i:], openBrackets)
		if j < 0 {
			return -1
		}
		p := i + j
		_, size := utf8.DecodeRuneInString(s[p:])
		rest := s[p+size:]
		// The pattern's \s?, also as what normalisation makes a space of
		// (an invalid byte, NUL, U+FFFD, an ideographic space).
		if r, n := utf8.DecodeRuneInString(rest); n > 0 && (unicode.IsSpace(r) || r == 0 || r == utf8.RuneError) {
			rest = rest[n:]
		}
		if strings.HasPrefix(rest, "1") || strings.HasPrefix(rest, "2") ||
			strings.HasPrefix(rest, "１") || strings.HasPrefix(rest, "２") {
			return p
		}
		i = p + size
	}
	return -1
}

// Parse reads s as one document number and nothing else (spaces around
// it allowed), in any bracket form and script.
func Parse(s string) (Number, bool) {
	norm := strings.TrimSpace(analysis.Normalize(s))
	m := reNumber.FindStringSubmatchIndex(norm)
	if m == nil || m[0] != 0 || m[1] != len(norm) {
		return Number{}, false
	}
	return number(norm[m[2]:m[3]], norm[m[4]:m[5]], norm[m[6]:m[7]])
}

func number(prefix, year, serial string) (Number, bool) {
	p := cleanPrefix(prefix)
	y, _ := strconv.Atoi(year)
	n, _ := strconv.Atoi(serial)
	if p == "" || y < 1949 || y > 2100 || n <= 0 {
		return Number{}, false
	}
	return Number{Prefix: p, Year: y, Serial: n}, true
}
