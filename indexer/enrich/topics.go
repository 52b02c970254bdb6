package enrich

import (
	_ "embed"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

//go:embed data/taxonomy.yaml
var defaultTaxonomy []byte

// Taxonomy assigns topics from weighted keywords. It is immutable after
// loading and safe for concurrent use.
//
// Scoring: each keyword found in the article adds weight × (1 + ln count),
// with title occurrences counted three times. A topic is kept when its score
// reaches MinScore and at least MinShare of the strongest topic's score; the
// strongest comes first. With the default weights (3 defining, 2 strong,
// 1 supporting) MinScore 6 means about: a defining term used three times, or
// a defining and a strong term, or three strong terms. A brief (ShortText
// characters or fewer) has no room for that: it needs ShortScore, a
// defining term twice or two strong terms, and articles between the two
// lengths need a score in between. The thresholds favour recall: an
// article that reports on several sectors gets each of them.
type Taxonomy struct {
	Topics []Topic
	// Outside holds terms of news outside every topic (foreign affairs);
	// optional. An article whose outside score reaches MinScore and
	// OutsideShare of the sum of its topics' scores gets no topic.
	Outside *Topic `yaml:"outside"`
	// byFirst indexes every keyword by its first rune, for a single pass
	// over the text; built by ParseTaxonomy.
	byFirst *runeIndex[keyword]
}

type keyword struct {
	text   string
	topic  int
	weight float64
}

// Topic is one entry of the taxonomy.
type Topic struct {
	Name        string             `yaml:"name"`
	Description string             `yaml:"description"`
	Keywords    map[string]float64 `yaml:"keywords"`
}

// Thresholds of Taxonomy.Assign (see Taxonomy).
const (
	MinScore     = 6.0
	MinShare     = 0.15
	OutsideShare = 0.5
	// ShortText and ShortScore: a brief of ShortText characters or fewer
	// needs only ShortScore (see minScoreFor).
	ShortText  = 200
	ShortScore = 4.0
)

// LoadTaxonomy reads a taxonomy file; "" loads the embedded default.
func LoadTaxonomy(path string) (*Taxonomy, error) {
	data := defaultTaxonomy
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, fmt.Errorf("taxonomy: %w", err)
		}
	}
	return ParseTaxonomy(data)
}

// ParseTaxonomy parses taxonomy YAML: `topics: [{name, description, keywords: {term: weight}}]`.
func ParseTaxonomy(data []byte) (*Taxonomy, error) {
	var t Taxonomy
	if err := yaml.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("taxonomy: %w", err)
	}
	if len(t.Topics) == 0 {
		return nil, fmt.Errorf("taxonomy: no topics")
	}
	seen := map[string]bool{}
	for i, tp := range t.Topics {
		if tp.Name == "" {
			return nil, fmt.Errorf("taxonomy: topic %d has no name", i+1)
		}
		if seen[tp.Name] {
			return nil, fmt.Errorf("taxonomy: topic %q twice", tp.Name)
		}
		seen[tp.Name] = true
		if len(tp.Keywords) == 0 {
			return nil, fmt.Errorf("taxonomy: topic %q has no keywords", tp.Name)
		}
		for k, w := range tp.Keywords {
			if strings.TrimSpace(k) == "" || w <= 0 {
				return nil, fmt.Errorf("taxonomy: topic %q: bad keyword %q: %v", tp.Name, k, w)
			}
		}
	}
	if t.Outside != nil {
		for k, w := range t.Outside.Keywords {
			if strings.TrimSpace(k) == "" || w <= 0 {
				return nil, fmt.Errorf("taxonomy: outside: bad keyword %q: %v", k, w)
			}
		}
	}
	byFirst := map[rune][]keyword{}
	add := func(i int, kws map[string]float64) {
		for k, w := range kws {
			k = strings.TrimSpace(k)
			r, _ := utf8.DecodeRuneInString(k)
			byFirst[r] = append(byFirst[r], keyword{k, i, w})
		}
	}
	for i, tp := range t.Topics {
		add(i, tp.Keywords)
	}
	if t.Outside != nil {
		add(len(t.Topics), t.Outside.Keywords) // one past the topics
	}
	t.byFirst = newRuneIndex(byFirst)
	return &t, nil
}

// Names lists the topic names in file order.
func (t *Taxonomy) Names() []string {
	out := make([]string, len(t.Topics))
	for i, tp := range t.Topics {
		out[i] = tp.Name
	}
	return out
}

// Scores returns each topic's score for an article (normalised text).
// Keywords are counted in one pass over the text; a keyword inside a longer
// one (养老 in 养老驿站) counts too.
func (t *Taxonomy) Scores(title, body string) map[string]float64 {
	scores, _ := t.scores(title, body)
	return scores
}

// scores returns the topics' scores and the outside score.
func (t *Taxonomy) scores(title, body string) (map[string]float64, float64) {
	counts := map[keyword]int{}
	for weight, text := range map[int]string{3: title, 1: body} {
		for i := 0; i < len(text); {
			r, size := utf8.DecodeRuneInString(text[i:])
			for _, k := range t.byFirst.get(r) {
				if strings.HasPrefix(text[i:], k.text) {
					counts[k] += weight
				}
			}
			i += size
		}
	}
	sums := make([]float64, len(t.Topics)+1)
	for k, n := range counts {
		sums[k.topic] += k.weight * (1 + math.Log(float64(n)))
	}
	scores := map[string]float64{}
	for i, s := range sums[:len(t.Topics)] {
		if s > 0 {
			scores[t.Topics[i].Name] = s
		}
	}
	return scores, sums[len(t.Topics)]
}

// minScoreFor is the score a topic needs in an article of n characters:
// MinScore from ShortText×3 characters up, down to ShortScore for a brief of
// ShortText characters or fewer (a brief has room for a keyword or two, not
// for three).
func minScoreFor(n int) float64 {
	switch {
	case n <= ShortText:
		return ShortScore
	case n >= 3*ShortText:
		return MinScore
	}
	return ShortScore + (MinScore-ShortScore)*float64(n-ShortText)/float64(2*ShortText)
}

// Assign returns the article's topics, strongest first.
func (t *Taxonomy) Assign(title, body string) []string {
	scores, outside := t.scores(title, body)
	var top, sum float64
	for _, s := range scores {
		top = math.Max(top, s)
		sum += s
	}
	if outside >= MinScore && outside >= OutsideShare*sum {
		// Foreign affairs: outside every topic. Measured against the sum
		// of the topics, so a long document about everything (a
		// government work report, which also has a diplomacy section)
		// keeps its topics.
		return nil
	}
	min := minScoreFor(utf8.RuneCountInString(title) + utf8.RuneCountInString(body))
	var out []string
	for name, s := range scores {
		if s >= min && s >= MinShare*top {
			out = append(out, name)
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
