package analysis

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/width"
)

var t2s struct {
	once sync.Once
	m    *runeMap
}

// runeMap maps the runes of [lo, lo+len(to)) to their simplified form (0:
// unchanged). A dense table: normalisation looks up every character of
// every article and every reranked hit.
type runeMap struct {
	lo rune
	to []rune
}

const (
	t2sLo = 0x3400 // CJK Extension A
	t2sHi = 0xFAFF // end of CJK Compatibility Ideographs
)

func (m *runeMap) get(r rune) (rune, bool) {
	if i := r - m.lo; i >= 0 && int(i) < len(m.to) && m.to[i] != 0 {
		return m.to[i], true
	}
	return r, false
}

// t2sTable builds the traditional → simplified rune table once per process
// from OpenCC's t2s conversion: each CJK ideograph is converted on its own
// line, and the single-rune results that differ are kept. The table is
// read-only after construction, so concurrent readers need no lock.
func t2sTable() *runeMap {
	t2s.once.Do(func() {
		m := &runeMap{lo: t2sLo, to: make([]rune, t2sHi-t2sLo+1)}
		cc, err := opencc.New("t2s")
		if err != nil {
			t2s.m = m // normalisation still folds width and case
			return
		}
		var b strings.Builder
		var in []rune
		add := func(lo, hi rune) {
			for r := lo; r <= hi; r++ {
				in = append(in, r)
				b.WriteRune(r)
				b.WriteByte('\n')
			}
		}
		add(0x3400, 0x4DBF) // CJK Extension A
		add(0x4E00, 0x9FFF) // CJK Unified Ideographs
		add(0xF900, 0xFAFF) // CJK Compatibility Ideographs
		out, err := cc.Convert(b.String())
		if err == nil {
			lines := strings.Split(out, "\n")
			for i, r := range in {
				if i >= len(lines) {
					break
				}
				s := lines[i]
				if utf8.RuneCountInString(s) != 1 {
					continue
				}
				o, _ := utf8.DecodeRuneInString(s)
				if o != r {
					m.to[r-m.lo] = o
				}
			}
		}
		t2s.m = m
	})
	return t2s.m
}

// normalizeRune maps one rune as Normalize does.
func normalizeRune(r rune, table *runeMap) rune {
	switch {
	case r == 0 || r == utf8.RuneError:
		return ' '
	case r < 0x80:
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	case r == '\u3000':
		return ' '
	case 0xFF01 <= r && r <= 0xFF5E, 0xFFE0 <= r && r <= 0xFFEE:
		p := width.LookupRune(r)
		if n := p.Narrow(); n != 0 {
			r = n
		}
		return unicode.ToLower(r)
	}
	if s, ok := table.get(r); ok {
		return s
	}
	if 0x2E80 <= r && r <= 0x9FFF { // CJK radicals, punctuation, kana, ideographs: no case
		return r
	}
	if unicode.IsUpper(r) {
		return unicode.ToLower(r)
	}
	return r
}

// Normalize returns s normalised for analysis (see the package comment on
// normalisation). The result has as many runes as s.
func Normalize(s string) string {
	table := t2sTable()
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s { // invalid bytes arrive as RuneError
		b.WriteRune(normalizeRune(r, table))
	}
	return b.String()
}

// NormalizeRunes is Normalize over a rune slice, in place.
func NormalizeRunes(rs []rune) []rune {
	table := t2sTable()
	for i, r := range rs {
		rs[i] = normalizeRune(r, table)
	}
	return rs
}
