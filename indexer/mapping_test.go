package indexer

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"
)

// TestMappingIsExplicit checks the mapping: static, no _all, nothing stored,
// no term vectors, no doc values (search reads facet values and dates from
// the keyword fields' postings into its own columns).
func TestMappingIsExplicit(t *testing.T) {
	m := Mapping().(*mapping.IndexMappingImpl)
	if m.DefaultMapping.Dynamic || m.IndexDynamic || m.StoreDynamic || m.DocValuesDynamic {
		t.Error("mapping allows dynamic fields")
	}
	raw, _ := json.Marshal(m)
	if strings.Contains(string(raw), `"include_in_all":true`) {
		t.Errorf("a field is in _all: %s", raw)
	}
	for name, prop := range m.DefaultMapping.Properties {
		for _, f := range prop.Fields {
			if f.Store || f.IncludeTermVectors || f.IncludeInAll {
				t.Errorf("%s: store=%v vectors=%v all=%v", name, f.Store, f.IncludeTermVectors, f.IncludeInAll)
			}
			if f.DocValues {
				t.Errorf("%s: doc values %v", name, f.DocValues)
			}
		}
	}
	if len(m.DefaultMapping.Properties) != 11 {
		t.Errorf("%d fields mapped", len(m.DefaultMapping.Properties))
	}
}
