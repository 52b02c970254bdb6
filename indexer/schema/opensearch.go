package schema

import (
	"encoding/json"
	"fmt"
)

// OpenSearch documents. The analysed forms are sent as terms
// separated by spaces, under the Field* names of the bleve index, into
// fields with the whitespace analyzer (left out of _source); the facet
// fields are keywords. The article itself is kept in _source under the Src*
// names, its issuers and type under their facet fields' names (read back
// from there). The generation's Meta is the mapping's _meta ("bulletin");
// its vocabulary (word → document frequency) is the index VocabIndex(name).
const (
	SrcID        = "id"
	SrcTitle     = "title_text"
	SrcBody      = "body_text"
	SrcDate      = "date" // keyword, only when the exact date is known (date range)
	SrcYear      = "year_num"
	SrcSource    = "source"
	SrcURL       = "url"
	SrcTitleNorm = "title_norm" // normalised title, keyword (suggestions by prefix)
	// SrcGovdoc holds, only to be read back, what a government document
	// states of itself that no field indexes as given (its number as
	// normalised, 成文日期, 索引号, 主题分类, 有效性): an object OpenSearch
	// keeps in _source and does not index.
	SrcGovdoc = "govdoc"

	// FieldPairs holds the article's distinct Han pairs (analysis.DistinctPairs
	// of the normalised title and body), one keyword term per pair, matched
	// only (no frequencies, norms or doc values): the cluster's form of the
	// embedded engine's pair sets (PairsFile), which keep the Ctrl-F promise.
	FieldPairs = "pairs"

	// OSMetaKey is the key of the Meta in the mapping's _meta.
	OSMetaKey = "bulletin"
	// OSAlias is the default alias naming the index served.
	OSAlias = "bulletins"
)

// VocabIndex names the vocabulary index of a generation's index: one
// document a word, {"t": word, "df": [documents with it in the title,
// documents with it in the body field]}, written by the build; the write
// API keeps a second document a word of the same form, with "at"
// (VocabAt), the Unix milliseconds of its last change, counting the
// written articles: a word's counts are the sum of its documents.
func VocabIndex(index string) string { return index + "-vocab" }

// OSWritesIndex names the index of the write API's records on a cluster
// (beside every generation of the alias): one document an article id
// written through the API or a watched folder, its last write, as
// indexer.Record holds it (the article as given, or its deletion). A full
// `bulletin index --opensearch` reads it as a source, as the embedded build
// reads the write log.
func OSWritesIndex(alias string) string { return alias + "-writes" }

// VocabAt is the field of a vocabulary document written after the build:
// the time of the write (a long, indexed), by which servers find what is
// new.
const VocabAt = "at"

// ArticleFromSource turns a document's _source back into the article.
func ArticleFromSource(src json.RawMessage) (*Article, error) {
	var s struct {
		ID        string   `json:"id"`
		Title     string   `json:"title_text"`
		Body      string   `json:"body_text"`
		Date      string   `json:"date"`
		Year      int      `json:"year_num"`
		Districts []string `json:"districts"`
		Topics    []string `json:"topics"`
		Source    string   `json:"source"`
		URL       string   `json:"url"`
		Issuer    []string `json:"issuer"`
		Type      string   `json:"type"`
		Govdoc    struct {
			DocNo    string `json:"doc_no"`
			Written  string `json:"written"`
			IndexNo  string `json:"index_no"`
			Category string `json:"category"`
			Validity string `json:"validity"`
		} `json:"govdoc"`
	}
	if err := json.Unmarshal(src, &s); err != nil {
		return nil, fmt.Errorf("article source: %w", err)
	}
	if s.Districts == nil {
		s.Districts = []string{}
	}
	if s.Topics == nil {
		s.Topics = []string{}
	}
	if s.Issuer == nil {
		s.Issuer = []string{}
	}
	return &Article{ID: s.ID, Title: s.Title, Body: s.Body, Date: s.Date, Year: s.Year,
		Districts: s.Districts, Topics: s.Topics, Source: s.Source, URL: s.URL,
		Issuer: s.Issuer, Type: s.Type, DocNo: s.Govdoc.DocNo, Written: s.Govdoc.Written,
		IndexNo: s.Govdoc.IndexNo, Category: s.Govdoc.Category, Validity: s.Govdoc.Validity}, nil
}
