package indexer

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"
)

// TestMappingIsExplicit checks the mapping: static, no _all, nothing stored,
// no term vectors, doc values only on the facet and sort fields.
func TestMappingIsExplicit(t *testing.T) {
	m := Mapping().(*mapping.IndexMappingImpl)
	if m.DefaultMapping.Dynamic || m.IndexDynamic || m.StoreDynamic || m.DocValuesDynamic {
		t.Error("mapping allows dynamic fields")
	}
	raw, _ := json.Marshal(m)
	if strings.Contains(string(raw), `"include_in_all":true`) {
		t.Errorf("a field is in _all: %s", raw)
	}
	withDocValues := map[string]bool{FieldDistricts: true, FieldTopics: true, FieldYear: true, FieldDate: true, FieldWhen: true}
	for name, prop := range m.DefaultMapping.Properties {
		for _, f := range prop.Fields {
			if f.Store || f.IncludeTermVectors || f.IncludeInAll {
				t.Errorf("%s: store=%v vectors=%v all=%v", name, f.Store, f.IncludeTermVectors, f.IncludeInAll)
			}
			if f.DocValues != withDocValues[name] {
				t.Errorf("%s: doc values %v", name, f.DocValues)
			}
		}
	}
	if len(m.DefaultMapping.Properties) != 9 {
		t.Errorf("%d fields mapped", len(m.DefaultMapping.Properties))
	}
}
