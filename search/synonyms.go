package search

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"os"
	"strings"
	"sync/atomic"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

//go:embed data/synonyms.txt
var defaultSynonyms []byte

// Synonyms are query-time equivalences (卫健委 ↔ 卫生健康委员会): changing them
// needs no re-indexing. Each group lists equivalent forms; a form with a
// space is several words that must all occur. Immutable after loading.
type Synonyms struct {
	groups [][]string     // normalised forms
	byForm map[string]int // form with spaces removed → group
	maxLen int            // longest form, in runes
}

// liveSynonyms are the planner's synonyms, replaced whole at run time: a
// search reads the ones in effect when it starts.
type liveSynonyms struct{ atomic.Pointer[Synonyms] }

func (l *liveSynonyms) units(words []string) []unit { return l.Load().units(words) }

// Synonyms returns the synonyms in effect.
func (pl *Planner) Synonyms() *Synonyms { return pl.synonyms.Load() }

// SetSynonyms replaces the synonyms: searches that start after it returns
// use s; searches in flight keep the ones they started with.
func (pl *Planner) SetSynonyms(s *Synonyms) { pl.synonyms.Store(s) }

// LoadSynonyms reads a synonym file; "" loads the embedded default.
func LoadSynonyms(path string) (*Synonyms, error) {
	data := defaultSynonyms
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, fmt.Errorf("synonyms: %w", err)
		}
	}
	return ParseSynonyms(data)
}

// ParseSynonyms parses `form,form,…` lines; `#` starts a comment line.
func ParseSynonyms(data []byte) (*Synonyms, error) {
	s := &Synonyms{byForm: map[string]int{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var forms []string
		for _, f := range strings.Split(line, ",") {
			f = strings.Join(strings.Fields(analysis.Normalize(f)), " ")
			if f != "" {
				forms = append(forms, f)
			}
		}
		if len(forms) < 2 {
			return nil, fmt.Errorf("synonyms: line %d: a group needs two forms", n)
		}
		g := len(s.groups)
		s.groups = append(s.groups, forms)
		for _, f := range forms {
			key := strings.ReplaceAll(f, " ", "")
			if _, dup := s.byForm[key]; !dup {
				s.byForm[key] = g
			}
			if l := len([]rune(key)); l > s.maxLen {
				s.maxLen = l
			}
		}
	}
	return s, sc.Err()
}

// alternatives returns the other forms of the group text belongs to.
func (s *Synonyms) alternatives(text string) []string {
	if s == nil {
		return nil
	}
	g, ok := s.byForm[text]
	if !ok {
		return nil
	}
	var out []string
	for _, f := range s.groups[g] {
		if strings.ReplaceAll(f, " ", "") != text {
			out = append(out, f)
		}
	}
	return out
}

// unit is one required part of a query: one or more consecutive query
// words, and the synonym forms that may stand for them.
type unit struct {
	words []string // the typed words
	alts  []string // synonym forms (space-separated words)
}

// units groups the required words into units, matching the longest run of
// consecutive words (up to four) that is a synonym form.
func (s *Synonyms) units(words []string) []unit {
	var out []unit
	for i := 0; i < len(words); {
		matched := false
		for j := min(len(words), i+4); j > i && s != nil; j-- {
			text := strings.Join(words[i:j], "")
			if len([]rune(text)) > s.maxLen {
				continue
			}
			if alts := s.alternatives(text); alts != nil {
				out = append(out, unit{words: words[i:j], alts: alts})
				i, matched = j, true
				break
			}
		}
		if !matched {
			out = append(out, unit{words: words[i : i+1]})
			i++
		}
	}
	return out
}

// With returns synonyms holding the groups of s and groups (each a list
// of equivalent forms, normalised here). A group sharing a form with one
// before it is joined to that one: the forms of both are then equivalent.
// A group of fewer than two forms adds nothing. s is not changed; a nil s
// has no groups of its own.
func (s *Synonyms) With(groups [][]string) *Synonyms {
	out := &Synonyms{byForm: map[string]int{}}
	add := func(forms []string) {
		g := -1
		for _, f := range forms {
			if at, ok := out.byForm[strings.ReplaceAll(f, " ", "")]; ok {
				g = at
				break
			}
		}
		if g < 0 {
			g = len(out.groups)
			out.groups = append(out.groups, nil)
		}
		for _, f := range forms {
			key := strings.ReplaceAll(f, " ", "")
			if _, dup := out.byForm[key]; dup {
				continue
			}
			out.byForm[key] = g
			out.groups[g] = append(out.groups[g], f)
			if l := len([]rune(key)); l > out.maxLen {
				out.maxLen = l
			}
		}
	}
	if s != nil {
		for _, g := range s.groups {
			add(g)
		}
	}
	for _, g := range groups {
		var forms []string
		for _, f := range g {
			if f = strings.Join(strings.Fields(analysis.Normalize(f)), " "); f != "" {
				forms = append(forms, f)
			}
		}
		if len(forms) >= 2 {
			add(forms)
		}
	}
	return out
}
