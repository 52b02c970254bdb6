package search

import (
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Facet counts are disjunctive: the counts of a dimension are computed as if
// that dimension's own filter were absent, so selecting 昌平区 still shows
// how many hits the other districts have. They are counted in the same pass
// over the matches that finds the hits (see collect and columns).

// Facet dimensions, as named in the API.
const (
	dimDistrict = "district"
	dimTopic    = "topic"
	dimYear     = "year"
)

// dimNames are the dimensions in the order of the columns (columns.dims).
var dimNames = [nDims]string{dimDistrict, dimTopic, dimYear}

// facetSize is the most values a facet list holds.
const facetSize = 100

// facetCache keeps the facet counts and totals of filter-only requests
// (empty q) for one generation: they change only with the index. Safe for
// concurrent use.
type facetCache struct {
	mu sync.Mutex
	m  map[string]filterCounts
}

// filterCounts are the counts of a filter-only request.
type filterCounts struct {
	facets map[string][]Facet
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
func (g Filters) key() string {
	var b strings.Builder
	b.WriteString(strings.Join(sorted(g.Districts), ","))
	b.WriteString("|")
	b.WriteString(strings.Join(sorted(g.Topics), ","))
	b.WriteString("|")
	ys := append([]int(nil), g.Years...)
	sort.Ints(ys)
	for _, y := range ys {
		b.WriteString(strconv.Itoa(y) + ",")
	}
	b.WriteString("|" + g.From + "|" + g.To)
	return b.String()
}

// sortFacets orders a facet list by count, then value.
func sortFacets(out []Facet) {
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
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

func (fc *facetCounter) result(c *columns) map[string][]Facet {
	out := map[string][]Facet{}
	for i, name := range dimNames {
		fs := []Facet{}
		for v, n := range fc.counts[i] {
			if n > 0 {
				fs = append(fs, Facet{Value: c.dims[i].names[v], Count: n})
			}
		}
		sortFacets(fs)
		if len(fs) > facetSize {
			fs = fs[:facetSize]
		}
		out[name] = fs
	}
	return out
}
