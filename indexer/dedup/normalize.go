package dedup

import (
	_ "embed"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

// wrappersFile holds the wrapper rules: title prefixes, source/editor lines,
// page furniture and share widgets (see the file's header for its format).
//
//go:embed data/wrappers.txt
var wrappersFile string

// maxWrapperLine is the longest body line (in runes) a line rule may drop:
// wrapper lines are short, and a long paragraph that happens to start with
// 来源 or 时间 is text.
const maxWrapperLine = 80

// maxPasses bounds the normalisation fixpoint (see Normalize).
const maxPasses = 8

type prefixRule struct {
	re  *regexp.Regexp
	cut int // submatch taken off; 0: the whole match
}

// wrapperRules is the parsed wrapper data file. It is built once and only
// read afterwards, so it is safe for concurrent use.
type wrapperRules struct {
	prefix []prefixRule
	line   []*regexp.Regexp
	inline []*regexp.Regexp
}

var rules = sync.OnceValue(func() *wrapperRules {
	r, err := parseRules("data/wrappers.txt", wrappersFile)
	if err != nil {
		// The file is embedded and checked by the tests: a broken rule is
		// a build defect, not bad input.
		panic(err)
	}
	return r
})

// parseRules reads wrapper rules in the data file's format.
func parseRules(name, text string) (*wrapperRules, error) {
	r := &wrapperRules{}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		kind, expr, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want KIND<TAB>REGEXP", name, n+1)
		}
		re, err := regexp.Compile(expr)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, n+1, err)
		}
		switch kind {
		case "prefix":
			cut := re.SubexpIndex("cut")
			if cut < 0 {
				cut = 0
			}
			r.prefix = append(r.prefix, prefixRule{re: re, cut: cut})
		case "line":
			r.line = append(r.line, re)
		case "inline":
			r.inline = append(r.inline, re)
		default:
			return nil, fmt.Errorf("%s:%d: unknown kind %q (want prefix, line or inline)", name, n+1, kind)
		}
	}
	return r, nil
}

// cleanTitle takes re-post prefixes off a normalised title.
func (r *wrapperRules) cleanTitle(title string) string {
	for changed := true; changed; {
		changed = false
		for _, p := range r.prefix {
			m := p.re.FindStringSubmatchIndex(title)
			if m == nil || m[2*p.cut] < 0 || m[2*p.cut+1] == m[2*p.cut] {
				continue
			}
			title = title[:m[2*p.cut]] + title[m[2*p.cut+1]:]
			changed = true
		}
	}
	return strings.TrimSpace(title)
}

// cleanBody drops wrapper lines from a normalised body and cuts inline
// furniture out of the lines it keeps.
func (r *wrapperRules) cleanBody(body string) string {
	var b strings.Builder
	b.Grow(len(body))
	for _, line := range strings.FieldsFunc(body, func(c rune) bool { return c == '\n' || c == '\r' }) {
		if r.isWrapperLine(line) {
			continue
		}
		for _, re := range r.inline {
			line = re.ReplaceAllString(line, "")
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line)
	}
	return b.String()
}

func (r *wrapperRules) isWrapperLine(line string) bool {
	if utf8.RuneCountInString(line) > maxWrapperLine {
		return false
	}
	for _, re := range r.line {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

// cleaned is an article with its wrappers taken off, in normalised script
// and width, punctuation kept: what distinctive tokens are read from.
type cleaned struct {
	title, body string
}

// clean normalises title and body (analysis.Normalize: width, case,
// traditional → simplified) and takes the wrappers off.
func clean(title, body string) cleaned {
	r := rules()
	t := analysis.Normalize(analysis.CleanText(title))
	t = strings.Join(strings.Fields(t), " ")
	return cleaned{
		title: r.cleanTitle(t),
		body:  r.cleanBody(analysis.Normalize(analysis.CleanText(body))),
	}
}

// compact keeps letters and digits of s: punctuation, symbols and spaces
// are dropped, so that full- and half-width punctuation, line breaks and
// spacing never tell two copies apart.
func compact(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range s {
		if unicode.IsLetter(c) || unicode.IsNumber(c) {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// Normalize returns the text an article is compared by: the title and the
// body with the re-posting wrappers taken off (title prefixes such as 转发
// and 【转载】, source, editor and byline lines, page furniture, share
// widgets; the rules are the embedded data/wrappers.txt), full-width folded
// to half-width, traditional script mapped to simplified, Latin lower-cased,
// and punctuation and spaces dropped. Normalize is idempotent:
// Normalize("", Normalize(t, b)) == Normalize(t, b). It is safe for
// concurrent use.
func Normalize(title, body string) string {
	c := clean(title, body)
	return fixpoint(compact(c.title) + compact(c.body))
}

// fixpoint applies the normalisation to s until it no longer changes: every
// pass only drops text or maps runes, so a few passes settle it.
func fixpoint(s string) string {
	for range maxPasses {
		c := clean("", s)
		next := compact(c.body)
		if next == s {
			break
		}
		s = next
	}
	return s
}
