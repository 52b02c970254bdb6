package search

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/govbulletin/bulletin/indexer"
)

// Facet counts are disjunctive: the counts of a dimension are computed as if
// that dimension's own filter were absent, so selecting 昌平区 still shows
// how many hits the other districts have. Dimensions without a filter are
// counted on the main query; each filtered dimension costs one more search
// (size 0) without its own filter.

var dimField = map[string]string{
	dimDistrict: indexer.FieldDistricts,
	dimTopic:    indexer.FieldTopics,
	dimYear:     indexer.FieldYear,
}

var dimOrder = []string{dimDistrict, dimTopic, dimYear}

const facetSize = 100

func (f filters) has(dim string) bool {
	switch dim {
	case dimDistrict:
		return len(f.districts) > 0
	case dimTopic:
		return len(f.topics) > 0
	case dimYear:
		return len(f.years) > 0
	}
	return false
}

// addFacetRequests asks for the facets of the dimensions counted on this
// request: those without a filter (only), or just dim.
func addFacetRequests(sr *bleve.SearchRequest, f filters, only string) {
	for _, dim := range dimOrder {
		if (only == "" && !f.has(dim)) || dim == only {
			sr.AddFacet(dim, bleve.NewFacetRequest(dimField[dim], facetSize))
		}
	}
}

// facetCache keeps facet counts of filter-only queries (empty q) for one
// generation: they change only with the index.
type facetCache struct {
	mu sync.Mutex
	m  map[string][]Facet
}

func newFacetCache() *facetCache { return &facetCache{m: map[string][]Facet{}} }

func (c *facetCache) get(key string) ([]Facet, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok
}

func (c *facetCache) put(key string, v []Facet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) > 10000 {
		c.m = map[string][]Facet{}
	}
	c.m[key] = v
}

func sorted(xs []string) []string {
	ys := append([]string(nil), xs...)
	sort.Strings(ys)
	return ys
}

// facets returns the facet lists of a search.
func (e *Engine) facets(ctx context.Context, g *generation, base query.Query, f filters, empty bool, main *result) (map[string][]Facet, error) {
	out := map[string][]Facet{}
	for _, dim := range dimOrder {
		if !f.has(dim) {
			out[dim] = toFacets(main.facets[dim])
			continue
		}
		key := ""
		if empty {
			key = dim + "#" + f.keyFor(dim)
			if v, ok := g.cache.get(key); ok {
				out[dim] = v
				continue
			}
		}
		sr := bleve.NewSearchRequestOptions(withFilters(base, f.clauses(dim)), 0, 0, false)
		addFacetRequests(sr, f, dim)
		res, err := g.index.SearchInContext(ctx, sr)
		if err != nil {
			return nil, searchErr(ctx, err)
		}
		out[dim] = toFacets(res.Facets[dim])
		if empty {
			g.cache.put(key, out[dim])
		}
	}
	return out, nil
}

// keyFor is the cache key of the filters other than dim.
func (f filters) keyFor(dim string) string {
	g := f
	switch dim {
	case dimDistrict:
		g.districts = nil
	case dimTopic:
		g.topics = nil
	case dimYear:
		g.years = nil
	}
	var b strings.Builder
	b.WriteString(strings.Join(sorted(g.districts), ","))
	b.WriteString("|")
	b.WriteString(strings.Join(sorted(g.topics), ","))
	b.WriteString("|")
	for _, y := range g.years {
		b.WriteString(strconv.Itoa(y) + ",")
	}
	b.WriteString("|" + g.from + "|" + g.to)
	return b.String()
}

func toFacets(fr *bsearch.FacetResult) []Facet {
	out := []Facet{}
	if fr == nil || fr.Terms == nil {
		return out
	}
	for _, t := range fr.Terms.Terms() {
		out = append(out, Facet{Value: t.Term, Count: t.Count})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out
}
