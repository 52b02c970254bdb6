package searchtest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/govbulletin/bulletin/indexer/schema"
)

//go:embed govdoc.jsonl
var govdocJSONL []byte

// GovdocArticles are government documents (and news about them) with
// their issuers and types set: notices of one issuer and of two jointly,
// interpretations, public notices, and news with no issuer. Each call
// returns new copies.
func GovdocArticles() []*schema.Article {
	var out []*schema.Article
	for i, line := range bytes.Split(bytes.TrimSpace(govdocJSONL), []byte("\n")) {
		a := &schema.Article{}
		if err := json.Unmarshal(line, a); err != nil {
			panic(fmt.Sprintf("govdoc.jsonl line %d: %v", i+1, err))
		}
		out = append(out, a)
	}
	return out
}

// FacetCounts are the counts of one dimension: value → articles.
type FacetCounts map[string]int

// GovdocExpect is what a filter-only request over arts must answer when it
// filters by issuers and types (each OR-ed within, AND-ed across; nil: no
// filter): the total, and the disjunctive counts of the issuer and type
// facets (each as if its own filter were absent).
func GovdocExpect(arts []*schema.Article, issuers, types []string) (total int, issuer, typ FacetCounts) {
	passes := func(a *schema.Article, byIssuer, byType bool) bool {
		if byIssuer && issuers != nil && !slices.ContainsFunc(a.Issuer, func(s string) bool { return slices.Contains(issuers, s) }) {
			return false
		}
		return !byType || types == nil || slices.Contains(types, a.Type)
	}
	issuer, typ = FacetCounts{}, FacetCounts{}
	for _, a := range arts {
		if passes(a, true, true) {
			total++
		}
		if passes(a, false, true) {
			for _, s := range a.Issuer {
				issuer[s]++
			}
		}
		if passes(a, true, false) && a.Type != "" {
			typ[a.Type]++
		}
	}
	return total, issuer, typ
}
