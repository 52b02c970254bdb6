package eval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/embedded"
)

// RecallQuery is one sampled query and what the engine did with it.
type RecallQuery struct {
	Query     string
	Kind      string // "1w", "2w", "3w", "span"
	Relevant  int    // articles that hold the query
	Found     int    // of them, how many the engine returned
	TopHeld   int    // of the first Relevant hits, how many hold the query
	Total     uint64
	Relaxed   bool
	MissedIDs []string
}

// RecallMetrics are averages over a set of queries.
type RecallMetrics struct {
	Queries        int     `json:"queries"`
	Recall         float64 `json:"recall"`          // mean share of relevant articles returned
	CompleteRecall float64 `json:"complete_recall"` // share of queries with every relevant article returned
	ZeroResult     float64 `json:"zero_result"`     // share of queries that found nothing although an article holds them
	RPrecision     float64 `json:"r_precision"`     // mean share of the first R hits that hold the query
}

// RecallReport holds the results of a recall run.
type RecallReport struct {
	Articles int                      `json:"articles"`
	Overall  RecallMetrics            `json:"overall"`
	ByKind   map[string]RecallMetrics `json:"by_kind"`
	Queries  []RecallQuery            `json:"-"`
}

type recallArticle struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Date  string `json:"date,omitempty"`
	Body  string `json:"body"`
	norm  string // normalised title + "\n" + body
	plain string // simplified original (for sampling)
}

// recallPage is the page size the recall run pages with: 30, the most
// that the engine reranks by exact phrase on one page.
const recallPage = 30

// traditionalEvery: every n-th article is indexed in traditional script.
const traditionalEvery = 5

// loadRecall reads the corpus and makes the traditional variants.
func loadRecall(path string) ([]*recallArticle, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s2t, err := opencc.New("s2t")
	if err != nil {
		return nil, fmt.Errorf("opencc s2t: %w", err)
	}
	var out []*recallArticle
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		a := &recallArticle{}
		if err := json.Unmarshal(sc.Bytes(), a); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		a.plain = a.Title + "\n" + a.Body
		if len(out)%traditionalEvery == traditionalEvery-1 {
			if a.Title, err = s2t.Convert(a.Title); err != nil {
				return nil, err
			}
			if a.Body, err = s2t.Convert(a.Body); err != nil {
				return nil, err
			}
		}
		a.norm = analysis.Normalize(a.Title) + "\n" + analysis.Normalize(a.Body)
		out = append(out, a)
	}
	return out, sc.Err()
}

// sampleRecall draws n queries of each kind from the articles' text.
func sampleRecall(arts []*recallArticle, seg *analysis.Segmenter, n int) []RecallQuery {
	rng := rand.New(rand.NewPCG(20261130, 12))
	var out []RecallQuery
	seen := map[string]bool{}
	allHan := func(s string) bool {
		for _, r := range s {
			if !analysis.IsHan(r) {
				return false
			}
		}
		return s != ""
	}
	add := func(q, kind string) bool {
		if utf8.RuneCountInString(q) < 2 || !allHan(q) || seen[q] {
			return false
		}
		seen[q] = true
		out = append(out, RecallQuery{Query: q, Kind: kind})
		return true
	}
	for k := 1; k <= 3; k++ {
		kind := fmt.Sprintf("%dw", k)
		for got, tries := 0, 0; got < n && tries < 100*n; tries++ {
			a := arts[rng.IntN(len(arts))]
			text := analysis.Normalize(a.plain)
			words := seg.Words(text)
			if len(words) < k {
				continue
			}
			i := rng.IntN(len(words) - k + 1)
			ok := true
			for j := i + 1; j < i+k; j++ {
				ok = ok && words[j].Start == words[j-1].End
			}
			if ok && add(text[words[i].Start:words[i+k-1].End], kind) {
				got++
			}
		}
	}
	for got, tries := 0, 0; got < n && tries < 100*n; tries++ {
		a := arts[rng.IntN(len(arts))]
		rs := []rune(analysis.Normalize(a.plain))
		l := 2 + rng.IntN(5)
		if len(rs) <= l {
			continue
		}
		i := rng.IntN(len(rs) - l)
		if add(string(rs[i:i+l]), "span") {
			got++
		}
	}
	return out
}

// RunRecall indexes the corpus under root into a temporary directory,
// samples perKind queries of each kind and measures them.
func RunRecall(ctx context.Context, root string, perKind int) (*RecallReport, error) {
	arts, err := loadRecall(filepath.Join(root, "testdata", "recall", "articles.jsonl"))
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "bulletin-recall-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return nil, err
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, a := range arts {
		if err := enc.Encode(a); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(filepath.Join(src, "recall.jsonl"), []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	idx := filepath.Join(dir, "index")
	if _, err := indexer.Build(ctx, idx, indexer.Config{}, src); err != nil {
		return nil, err
	}
	eng, err := embedded.Open(idx, embedded.Options{Poll: -1})
	if err != nil {
		return nil, err
	}
	defer eng.Close()
	seg, err := analysis.Shared()
	if err != nil {
		return nil, err
	}
	rep := &RecallReport{Articles: len(arts), ByKind: map[string]RecallMetrics{}}
	for _, q := range sampleRecall(arts, seg, perKind) {
		if err := measureRecall(ctx, eng, arts, &q); err != nil {
			return nil, err
		}
		rep.Queries = append(rep.Queries, q)
	}
	rep.summarise()
	return rep, nil
}

// measureRecall searches q and compares every hit with the relevant set.
func measureRecall(ctx context.Context, eng Searcher, arts []*recallArticle, q *RecallQuery) error {
	norm := analysis.Normalize(q.Query)
	relevant := map[string]bool{} // by title: the index derives its own ids (titles are unique here)
	for _, a := range arts {
		if strings.Contains(a.norm, norm) {
			relevant[a.Title] = true
		}
	}
	q.Relevant = len(relevant)
	found := map[string]bool{}
	rank := 0
	for page := 1; ; page++ {
		resp, err := eng.Search(ctx, search.Request{Query: q.Query, Page: page, Size: recallPage})
		if err != nil {
			return fmt.Errorf("query %q: %w", q.Query, err)
		}
		q.Total, q.Relaxed = resp.Total, resp.Relaxed
		for _, h := range resp.Hits {
			rank++
			if relevant[h.Title] {
				found[h.Title] = true
				if rank <= q.Relevant {
					q.TopHeld++
				}
			}
		}
		if len(resp.Hits) == 0 || uint64(page*recallPage) >= resp.Total || len(found) == q.Relevant && rank >= q.Relevant {
			break
		}
	}
	q.Found = len(found)
	for id := range relevant {
		if !found[id] {
			q.MissedIDs = append(q.MissedIDs, id)
		}
	}
	sort.Strings(q.MissedIDs)
	return nil
}

func (r *RecallReport) summarise() {
	sums := map[string]*RecallMetrics{}
	add := func(key string, q RecallQuery) {
		m := sums[key]
		if m == nil {
			m = &RecallMetrics{}
			sums[key] = m
		}
		if q.Relevant == 0 {
			return
		}
		m.Queries++
		m.Recall += float64(q.Found) / float64(q.Relevant)
		if q.Found == q.Relevant {
			m.CompleteRecall++
		}
		if q.Total == 0 {
			m.ZeroResult++
		}
		m.RPrecision += float64(q.TopHeld) / float64(q.Relevant)
	}
	for _, q := range r.Queries {
		add("overall", q)
		add(q.Kind, q)
	}
	for k, m := range sums {
		if m.Queries > 0 {
			n := float64(m.Queries)
			m.Recall /= n
			m.CompleteRecall /= n
			m.ZeroResult /= n
			m.RPrecision /= n
		}
		if k == "overall" {
			r.Overall = *m
		} else {
			r.ByKind[k] = *m
		}
	}
}

// Print writes the recall table and the queries that missed.
func (r *RecallReport) Print(w io.Writer) {
	fmt.Fprintf(w, "real-text recall: %d articles (every %dth in traditional script), relevance by exact occurrence\n", r.Articles, traditionalEvery)
	fmt.Fprintf(w, "%-8s %7s %7s %9s %6s %7s\n", "kind", "queries", "recall", "complete", "zero", "R-prec")
	row := func(name string, m RecallMetrics) {
		fmt.Fprintf(w, "%-8s %7d %7.4f %9.4f %6.4f %7.4f\n", name, m.Queries, m.Recall, m.CompleteRecall, m.ZeroResult, m.RPrecision)
	}
	row("overall", r.Overall)
	kinds := make([]string, 0, len(r.ByKind))
	for k := range r.ByKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		row(k, r.ByKind[k])
	}
	fmt.Fprintln(w, "\nqueries missing relevant articles or with R-precision below 0.5:")
	for _, q := range r.Queries {
		if q.Found < q.Relevant || q.Relevant > 0 && float64(q.TopHeld)/float64(q.Relevant) < 0.5 {
			fmt.Fprintf(w, "  %-12s %-4s relevant=%d found=%d topR=%d total=%d relaxed=%v\n", q.Query, q.Kind, q.Relevant, q.Found, q.TopHeld, q.Total, q.Relaxed)
		}
	}
}
