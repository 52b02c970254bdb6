package eval

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/govbulletin/bulletin/search"
)

// Judged is one query with graded judgements: title substring → grade
// (3 exactly relevant, 2 relevant, 1 marginal; unlisted articles are 0).
type Judged struct {
	Query  string
	Type   string
	Grades map[string]int
}

// Load reads a judgements file: `query<TAB>type<TAB>TITLE=GRADE;…` with a header line.
func Load(path string) ([]Judged, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Judged
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n == 1 || strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 3 {
			return nil, fmt.Errorf("%s:%d: want 3 columns", path, n)
		}
		j := Judged{Query: cols[0], Type: cols[1], Grades: map[string]int{}}
		for _, kv := range strings.Split(cols[2], ";") {
			kv = strings.TrimSpace(kv)
			if kv == "" {
				continue
			}
			i := strings.LastIndexByte(kv, '=')
			if i < 0 {
				return nil, fmt.Errorf("%s:%d: judgement %q lacks =GRADE", path, n, kv)
			}
			g, err := strconv.Atoi(kv[i+1:])
			if err != nil {
				return nil, fmt.Errorf("%s:%d: grade %q", path, n, kv[i+1:])
			}
			j.Grades[kv[:i]] = g
		}
		out = append(out, j)
	}
	return out, sc.Err()
}

// Metrics are averages over a set of queries.
type Metrics struct {
	Queries  int     `json:"queries"`
	NDCG10   float64 `json:"ndcg10"`
	MRR      float64 `json:"mrr"`
	ZeroRate float64 `json:"zero_result_rate"`
}

// QueryResult is one query's outcome.
type QueryResult struct {
	Judged
	NDCG10 float64
	RR     float64
	Total  uint64
	Titles []string
}

// Report holds the results of a run.
type Report struct {
	Overall Metrics            `json:"overall"`
	ByType  map[string]Metrics `json:"by_type"`
	Queries []QueryResult      `json:"-"`
}

// Searcher is what eval needs of the engine.
type Searcher interface {
	Search(ctx context.Context, req search.Request) (*search.Response, error)
}

// Run searches every judged query (first page of 10) and scores the results.
func Run(ctx context.Context, s Searcher, judged []Judged) (*Report, error) {
	rep := &Report{ByType: map[string]Metrics{}}
	sums := map[string]*Metrics{}
	add := func(key string, q QueryResult) {
		m := sums[key]
		if m == nil {
			m = &Metrics{}
			sums[key] = m
		}
		m.Queries++
		m.NDCG10 += q.NDCG10
		m.MRR += q.RR
		if q.Total == 0 {
			m.ZeroRate++
		}
	}
	for _, j := range judged {
		resp, err := s.Search(ctx, search.Request{Query: j.Query, Size: 10})
		if err != nil {
			return nil, fmt.Errorf("query %q: %w", j.Query, err)
		}
		q := QueryResult{Judged: j, Total: resp.Total}
		var gains []int
		for _, h := range resp.Hits {
			q.Titles = append(q.Titles, h.Title)
			gains = append(gains, grade(j.Grades, h.Title))
		}
		q.NDCG10 = ndcg(gains, j.Grades, 10)
		for i, g := range gains {
			if g >= 2 {
				q.RR = 1 / float64(i+1)
				break
			}
		}
		rep.Queries = append(rep.Queries, q)
		add("", q)
		add(j.Type, q)
	}
	for k, m := range sums {
		n := float64(m.Queries)
		avg := Metrics{Queries: m.Queries, NDCG10: m.NDCG10 / n, MRR: m.MRR / n, ZeroRate: m.ZeroRate / n}
		if k == "" {
			rep.Overall = avg
		} else {
			rep.ByType[k] = avg
		}
	}
	return rep, nil
}

func grade(grades map[string]int, title string) int {
	best := 0
	for sub, g := range grades {
		if strings.Contains(title, sub) && g > best {
			best = g
		}
	}
	return best
}

func ndcg(gains []int, grades map[string]int, k int) float64 {
	dcg := func(gs []int) float64 {
		var s float64
		for i, g := range gs {
			if i >= k {
				break
			}
			s += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
		}
		return s
	}
	var ideal []int
	for _, g := range grades {
		ideal = append(ideal, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(ideal)))
	idcg := dcg(ideal)
	if idcg == 0 {
		return 0
	}
	return dcg(gains) / idcg
}

// Print writes a table of the report, and the worst queries.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "%-12s %7s %7s %7s %6s\n", "type", "queries", "nDCG@10", "MRR", "zero")
	row := func(name string, m Metrics) {
		fmt.Fprintf(w, "%-12s %7d %7.3f %7.3f %6.2f\n", name, m.Queries, m.NDCG10, m.MRR, m.ZeroRate)
	}
	row("overall", r.Overall)
	types := make([]string, 0, len(r.ByType))
	for t := range r.ByType {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		row(t, r.ByType[t])
	}
	fmt.Fprintln(w, "\nqueries below nDCG@10 0.5:")
	for _, q := range r.Queries {
		if q.NDCG10 < 0.5 {
			top := q.Titles
			if len(top) > 3 {
				top = top[:3]
			}
			fmt.Fprintf(w, "  %-14s %-11s ndcg=%.2f total=%d top=%q\n", q.Query, q.Type, q.NDCG10, q.Total, top)
		}
	}
}
