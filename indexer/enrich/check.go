package enrich

import (
	"fmt"
	"strings"

	"github.com/govbulletin/bulletin/indexer/schema"
)

// CheckDistricts checks the districts given to the write API (under the
// name field) against the region's gazetteer: each must name one of its
// districts, in full or short (昌平区 or 昌平). It returns them by their
// gazetteer names, or a schema.FieldError naming the first unknown one:
// a name that is no district of the region would become a facet value.
func (e *Enricher) CheckDistricts(field string, names []string) ([]string, error) {
	out := make([]string, 0, len(names))
	for _, n := range names {
		d := e.CanonicalDistrict(n)
		if !e.Gazetteer.IsDistrict(d) {
			return nil, &schema.FieldError{Field: field, Reason: fmt.Sprintf("%q is not a district of %s (one of %s)", n, e.Gazetteer.Region, strings.Join(e.Gazetteer.Districts(), " "))}
		}
		out = append(out, d)
	}
	return out, nil
}
