package indexer

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

// Field names of the bleve index. Text is indexed as jieba words (title,
// body), the title also as character bigrams (title2), and the body's lone
// characters as join bigrams (body_joins, see analysis/joins.go): every
// bigram of the body would cost as much again as all its words. Nothing is stored
// in bleve and no term vectors are kept: the text lives in the article store,
// exact phrases are checked against it, and snippets are made from it.
const (
	FieldTitle        = "title"
	FieldBody         = "body" // the body's words and the title's (see TitleWeight)
	FieldTitleBigrams = "title2"
	FieldBodyJoins    = "body_joins"
	FieldDistricts    = "districts" // keyword (facets)
	FieldTopics       = "topics"    // keyword (facets)
	FieldYear         = "year"      // keyword "2021" (facets); absent when unknown
	FieldWhen         = "when"      // keyword: the date, else YYYY-00-00, else 0000-00-00 (sort, date range)
)

// TitleWeight is how many times each title word counts in the body field,
// which holds the title's words as well as the body's: a word query is then
// one term lookup, with a title mention weighing over a body mention.
const TitleWeight = 3

// SchemaVersion changes whenever the mapping or the meaning of a field
// changes; a server refuses a generation of another version.
const SchemaVersion = 3

// Indexing options per kind of field.
const (
	textOptions    = index.IndexField
	keywordOptions = index.IndexField
)

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
	doc.AddFieldMappingsAt(FieldTitle, text(analysis.WordsAnalyzer))
	doc.AddFieldMappingsAt(FieldBody, text(analysis.WordsAnalyzer))
	doc.AddFieldMappingsAt(FieldTitleBigrams, text(analysis.BigramsAnalyzer))
	doc.AddFieldMappingsAt(FieldBodyJoins, text(analysis.JoinsAnalyzer))
	for _, f := range []string{FieldDistricts, FieldTopics, FieldYear, FieldWhen} {
		doc.AddFieldMappingsAt(f, kw())
	}
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = keyword.Name
	m.IndexDynamic, m.StoreDynamic, m.DocValuesDynamic = false, false, false
	return m
}
