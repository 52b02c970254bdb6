package search

import (
	"sort"
)

// Facet counts are disjunctive: the counts of a dimension are computed as if
// that dimension's own filter were absent, so selecting 昌平区 still shows
// how many hits the other districts have. They are counted in the same pass
// over the matches that finds the hits (an engine's Run).

// Facet dimensions, as named in the API.
const (
	dimDistrict = "district"
	dimTopic    = "topic"
	dimYear     = "year"
	dimIssuer   = "issuer"
	dimType     = "type"
)

// dimNames are the facet dimensions, in the order engines count them.
var dimNames = [...]string{dimDistrict, dimTopic, dimYear, dimIssuer, dimType}

// facetSize is the most values a facet list holds.
const facetSize = 100

// sortFacets orders a facet list by count, then value.
func sortFacets(out []Facet) {
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
}
