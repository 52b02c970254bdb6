package syntax

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Field is where a term must match.
type Field uint8

// The fields a term can be scoped to.
const (
	Anywhere Field = iota // title or body (the default)
	Title                 // 标题: / title:
	Body                  // 正文: / body:
	DocNo                 // 文号: / doc_no:
	Issuer                // 发文机关: / issuer:
)

var fieldNames = [...]string{Anywhere: "", Title: "title", Body: "body", DocNo: "doc_no", Issuer: "issuer"}

// String is the field's English prefix name, "" for Anywhere.
func (f Field) String() string {
	if int(f) < len(fieldNames) {
		return fieldNames[f]
	}
	return ""
}

// prefixes maps the scope prefixes people type (without the colon) to
// fields. Matching is case-insensitive for the English names.
var prefixes = map[string]Field{
	"标题": Title, "標題": Title, "title": Title,
	"正文": Body, "body": Body,
	"文号": DocNo, "文號": DocNo, "发文字号": DocNo, "發文字號": DocNo, "doc_no": DocNo,
	"发文机关": Issuer, "發文機關": Issuer, "issuer": Issuer,
}

// Term is one word or phrase of a query.
type Term struct {
	Text   string // as typed, without quotes or prefix
	Phrase bool   // quoted: the words in this order, adjacent
	Field  Field
}

// Clause is a set of alternatives: an article matches the clause when it
// matches any of its terms. Most clauses hold one term.
type Clause struct {
	Any []Term
}

// Query is a parsed query: every clause must match and no excluded term
// may.
type Query struct {
	Must []Clause
	Not  []Term
}

// Plain reports a query without syntax: only unscoped, unquoted words,
// all required. Such a query is searched as free text, exactly as if no
// syntax existed.
func (q Query) Plain() bool {
	if len(q.Not) > 0 {
		return false
	}
	for _, c := range q.Must {
		if len(c.Any) != 1 || c.Any[0].Phrase || c.Any[0].Field != Anywhere {
			return false
		}
	}
	return true
}

// Words returns the text of the required terms, in order, joined by
// spaces: what suggestions, pinyin and typo advice look at. Excluded terms
// are not part of it.
func (q Query) Words() string {
	var parts []string
	for _, c := range q.Must {
		for _, t := range c.Any {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, " ")
}

// String renders q back in the syntax, canonically: what a link or the
// query log holds.
func (q Query) String() string {
	var parts []string
	for _, c := range q.Must {
		alts := make([]string, len(c.Any))
		for i, t := range c.Any {
			alts[i] = t.String()
		}
		parts = append(parts, strings.Join(alts, " | "))
	}
	for _, t := range q.Not {
		parts = append(parts, "-"+t.String())
	}
	return strings.Join(parts, " ")
}

// String renders one term in the syntax.
func (t Term) String() string {
	s := t.Text
	if t.Phrase {
		s = `"` + s + `"`
	}
	if t.Field != Anywhere {
		s = t.Field.String() + ":" + s
	}
	return s
}

// token is one lexical item of a query.
type token struct {
	term   Term
	neg    bool // a leading '-'
	or     bool // the '|' or OR operator
	broken bool // syntax that did not close, read as text
}

// Parse reads a query in the search box's syntax:
//
//   - words separated by spaces must all match;
//   - "…" (or “…”) is an exact phrase;
//   - -word and -"phrase" exclude;
//   - A | B and A OR B match either;
//   - a prefix scopes one term: 标题: / title:, 正文: / body:,
//     文号: / doc_no:, 发文机关: / issuer: (a full-width colon too).
//
// Anything else, broken syntax included (a lone quote, a trailing '-', a
// prefix with nothing after it), is read as text. Parse never fails; a
// query of only exclusions keeps them, and the caller decides what an
// empty Must means.
//
// Parse is a pure function, safe for concurrent use.
func Parse(s string) Query {
	toks := lex(s)
	var q Query
	pendingOr := false
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		if tk.or {
			// An operator between two terms joins them; anywhere else it
			// is dropped (an 'OR' that joins nothing is a word, see lex).
			pendingOr = len(q.Must) > 0
			continue
		}
		if tk.neg {
			q.Not = append(q.Not, tk.term)
			pendingOr = false
			continue
		}
		if pendingOr {
			last := &q.Must[len(q.Must)-1]
			last.Any = append(last.Any, tk.term)
			pendingOr = false
			continue
		}
		q.Must = append(q.Must, Clause{Any: []Term{tk.term}})
	}
	return q
}

// isSpace reports the separators between terms: Unicode white space,
// including the ideographic space U+3000.
func isSpace(r rune) bool { return unicode.IsSpace(r) }

// openQuote returns the closing quote for an opening one.
func openQuote(r rune) (rune, bool) {
	switch r {
	case '"':
		return '"', true
	case '“':
		return '”', true
	case '＂':
		return '＂', true
	}
	return 0, false
}

// lex splits s into tokens.
func lex(s string) []token {
	var toks []token
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isSpace(r) {
			i += n
			continue
		}
		if r == '|' || r == '｜' {
			toks = append(toks, token{or: true})
			i += n
			continue
		}
		tk, next := lexTerm(s, i)
		i = next
		if tk.term.Text == "" && !tk.or {
			continue
		}
		toks = append(toks, tk)
	}
	// "OR" is the operator only between two terms; elsewhere it is the
	// word OR.
	for j := range toks {
		if toks[j].or && toks[j].term.Text == "OR" {
			if j == 0 || j == len(toks)-1 || toks[j-1].or || toks[j+1].or || toks[j+1].neg || toks[j-1].neg {
				toks[j].or = false
			}
		}
	}
	return toks
}

// lexTerm reads one term starting at s[i] (not a space): an optional '-',
// an optional scope prefix, then a quoted phrase or a bare word.
func lexTerm(s string, i int) (token, int) {
	start := i
	var tk token
	if s[i] == '-' || strings.HasPrefix(s[i:], "－") {
		_, n := utf8.DecodeRuneInString(s[i:])
		rest := s[i+n:]
		// '-' excludes only when a term follows at once.
		if rest != "" {
			r, _ := utf8.DecodeRuneInString(rest)
			if !isSpace(r) && r != '-' && r != '|' {
				tk.neg = true
				i += n
			}
		}
	}
	if f, n := scope(s[i:]); n > 0 {
		rest := s[i+n:]
		r, _ := utf8.DecodeRuneInString(rest)
		if rest != "" && !isSpace(r) && r != '|' {
			tk.term.Field = f
			i += n
		}
	}
	if r, n := utf8.DecodeRuneInString(s[i:]); i < len(s) {
		if closing, ok := openQuote(r); ok {
			body := s[i+n:]
			if end := strings.IndexRune(body, closing); end >= 0 {
				phrase := strings.TrimSpace(body[:end])
				next := i + n + end + utf8.RuneLen(closing)
				if phrase == "" {
					return token{}, next
				}
				tk.term.Text = phrase
				tk.term.Phrase = true
				return tk, next
			}
			// A quote that does not close is dropped; what follows it is
			// read as if it were not there.
			if tk.neg || tk.term.Field != Anywhere || i+n >= len(s) {
				tk.broken = true
				i += n
			} else {
				next, end := lexTerm(s, i+n)
				next.broken = true
				return next, end
			}
		}
	}
	end := i
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if isSpace(r) || r == '|' || r == '｜' {
			break
		}
		if _, ok := openQuote(r); ok && end > i {
			break
		}
		end += n
	}
	word := s[i:end]
	if word == "" {
		// Only a '-' or a prefix: read what was typed as text.
		word = s[start:end]
		tk = token{}
	}
	if word == "OR" && !tk.neg && tk.term.Field == Anywhere {
		return token{or: true, term: Term{Text: "OR"}}, end
	}
	tk.term.Text = strings.Trim(word, `"“”＂`)
	return tk, end
}

// scope reports a scope prefix at the start of s and its length, colon
// included (ASCII or full-width).
func scope(s string) (Field, int) {
	c := strings.IndexAny(s, ":：")
	if c <= 0 || c > 16 {
		return Anywhere, 0
	}
	f, ok := prefixes[strings.ToLower(s[:c])]
	if !ok {
		return Anywhere, 0
	}
	_, n := utf8.DecodeRuneInString(s[c:])
	return f, c + n
}
