package indexer

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
)

// indexOptions are the options of every field: indexed, nothing stored,
// no term vectors, no doc values (see schema's field names).
const indexOptions = index.IndexField

// Mapping returns the explicit index mapping: no dynamic fields, no _all.
func Mapping() mapping.IndexMapping {
	text := func(an string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = an
		f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = false, false, false, false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = false, false, false, false
		return f
	}
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(schema.FieldTitle, text(analysis.WordsAnalyzer))
	doc.AddFieldMappingsAt(schema.FieldBody, text(analysis.WordsAnalyzer))
	doc.AddFieldMappingsAt(schema.FieldTitleBigrams, text(analysis.BigramsAnalyzer))
	doc.AddFieldMappingsAt(schema.FieldBodyJoins, text(analysis.JoinsAnalyzer))
	doc.AddFieldMappingsAt(schema.FieldIssuerText, text(analysis.WordsAnalyzer))
	for _, f := range []string{schema.FieldDistricts, schema.FieldTopics, schema.FieldYear, schema.FieldWhen, schema.FieldDocNo, schema.FieldCites} {
		doc.AddFieldMappingsAt(f, kw())
	}
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = keyword.Name
	m.IndexDynamic, m.StoreDynamic, m.DocValuesDynamic = false, false, false
	return m
}
