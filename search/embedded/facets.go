package embedded

import (
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/govbulletin/bulletin/search"
)

// facetCache keeps the facet counts and totals of filter-only requests
// (empty q) for one generation: they change only with the index. Safe for
// concurrent use.
type facetCache struct {
	mu sync.Mutex
	m  map[string]filterCounts
}

// filterCounts are the counts of a filter-only request.
type filterCounts struct {
	facets map[string][]search.Facet
	total  uint64
}

func newFacetCache() *facetCache { return &facetCache{m: map[string]filterCounts{}} }

func (c *facetCache) get(key string) (filterCounts, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok
}

func (c *facetCache) put(key string, v filterCounts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) > 10000 {
		c.m = map[string]filterCounts{}
	}
	c.m[key] = v
}

func sorted(xs []string) []string {
	ys := append([]string(nil), xs...)
	sort.Strings(ys)
	return ys
}

// key is a cache key of the filters (order of values does not matter).
func filterKey(g search.Filters) string {
	var b strings.Builder
	b.WriteString(strings.Join(sorted(g.Districts), ","))
	b.WriteString("|")
	b.WriteString(strings.Join(sorted(g.Topics), ","))
	b.WriteString("|")
	b.WriteString(strings.Join(sorted(g.Issuers), ","))
	b.WriteString("|")
	b.WriteString(strings.Join(sorted(g.Types), ","))
	b.WriteString("|")
	ys := append([]int(nil), g.Years...)
	sort.Ints(ys)
	for _, y := range ys {
		b.WriteString(strconv.Itoa(y) + ",")
	}
	b.WriteString("|" + g.From + "|" + g.To)
	return b.String()
}

// facetCounter counts disjunctive facets: a document counts for dimension
// i when it passes every filter except (perhaps) dimension i's own.
type facetCounter struct {
	counts [nDims][]int
}

func newFacetCounter(c *columns) *facetCounter {
	fc := &facetCounter{}
	for i := range fc.counts {
		fc.counts[i] = make([]int, len(c.dims[i].names))
	}
	return fc
}

func (fc *facetCounter) add(c *columns, doc uint64, failing uint8) {
	for i := 0; i < nDims; i++ {
		if failing&^(1<<i) != 0 {
			continue
		}
		for _, v := range c.dims[i].of(doc) {
			fc.counts[i][v]++
		}
	}
}

func (fc *facetCounter) result(c *columns) map[string][]search.Facet {
	out := map[string][]search.Facet{}
	for i, name := range search.Dimensions() {
		fs := []search.Facet{}
		for v, n := range fc.counts[i] {
			if n > 0 {
				fs = append(fs, search.Facet{Value: c.dims[i].names[v], Count: n})
			}
		}
		out[name] = search.TopFacets(fs)
	}
	return out
}
