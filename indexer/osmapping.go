package indexer

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/store"
)

// OpenSearch documents (SPEC §10). bulletin does the Chinese analysis, so
// the cluster needs no plugin: the analysed forms are sent as terms
// separated by spaces into fields with the whitespace analyzer, under the
// same names and with the same term counts as the bleve fields (FieldTitle,
// FieldBody with the title's words TitleWeight times, FieldTitleBigrams,
// FieldBodyJoins); the facet fields are keywords. The article itself is kept
// in _source under the Src* names (the analysed fields are left out of
// _source); the generation's Meta is the mapping's _meta.
const (
	SrcID        = "id"
	SrcTitle     = "title_text"
	SrcBody      = "body_text"
	SrcDate      = "date" // keyword, only when the exact date is known (date range)
	SrcYear      = "year_num"
	SrcSource    = "source"
	SrcURL       = "url"
	SrcTitleNorm = "title_norm" // normalised title, keyword (suggestions by prefix)
)

// OSSimilarityName names the similarity of the text fields: the embedded
// engine's scoring (bleve's tf-idf: sqrt(tf) · idf² · 1/sqrt(field length)
// · boost, idf = 1 + ln(docs/(df+1))) as a scripted similarity, so that both
// engines rank alike. Painless is part of every OpenSearch distribution.
const OSSimilarityName = "bulletin_tfidf"

// OSSimilarity is the index setting that defines OSSimilarityName.
func OSSimilarity() map[string]any {
	return map[string]any{OSSimilarityName: map[string]any{
		"type": "scripted",
		"weight_script": map[string]any{
			"source": "double idf = 1.0 + Math.log(field.docCount / (term.docFreq + 1.0)); return query.boost * idf * idf;",
		},
		"script": map[string]any{
			"source": "return weight * Math.sqrt(doc.freq) / Math.sqrt(doc.length);",
		},
	}}
}

// OSMapping returns the mapping of a generation's OpenSearch index, with
// meta as its _meta.
func OSMapping(meta Meta) map[string]any {
	text := map[string]any{"type": "text", "analyzer": "whitespace", "index_options": "freqs", "similarity": OSSimilarityName}
	kw := map[string]any{"type": "keyword"}
	stored := map[string]any{"type": "keyword", "index": false, "doc_values": false}
	return map[string]any{
		"dynamic": "strict",
		"_meta":   map[string]any{"bulletin": meta},
		"_source": map[string]any{"excludes": []string{FieldTitle, FieldBody, FieldTitleBigrams, FieldBodyJoins}},
		"properties": map[string]any{
			FieldTitle: text, FieldBody: text, FieldTitleBigrams: text, FieldBodyJoins: text,
			FieldDistricts: kw, FieldTopics: kw, FieldYear: kw, FieldWhen: kw,
			SrcID: kw, SrcDate: kw, SrcYear: map[string]any{"type": "integer"},
			SrcTitle:  map[string]any{"type": "text", "index": false},
			SrcBody:   map[string]any{"type": "text", "index": false},
			SrcSource: stored, SrcURL: stored,
			SrcTitleNorm: map[string]any{"type": "keyword", "ignore_above": 200},
		},
	}
}

// OSDocument is the OpenSearch document of an article: the same terms as
// Document (the bleve document), as text, and the article's fields. When
// vocab is not nil, the article's words of 2 to 8 Han characters are
// counted in it as the embedded engine's vocabulary counts them (a document
// for the title field, one for the body field).
func OSDocument(a *store.Article, normTitle, normBody string, seg *analysis.Segmenter, vocab map[string]uint64) map[string]any {
	var title, body, joins, title2 strings.Builder
	add := func(b *strings.Builder, term string, n int) {
		if term == "" || strings.IndexFunc(term, unicode.IsSpace) >= 0 {
			return // the whitespace analyzer would split it; jieba never makes one
		}
		for i := 0; i < n; i++ {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(term)
		}
	}
	var inTitle, inBody map[string]bool
	if vocab != nil {
		inTitle, inBody = map[string]bool{}, map[string]bool{}
	}
	count := func(set map[string]bool, term string) {
		if set == nil || set[term] {
			return
		}
		if n := utf8.RuneCountInString(term); n < 2 || n > 8 || strings.IndexFunc(term, func(r rune) bool { return !analysis.IsHan(r) }) >= 0 {
			return
		}
		set[term] = true
		vocab[term]++
	}
	for _, t := range seg.IndexTokens(normTitle) {
		add(&title, t.Term, 1)
		add(&body, t.Term, TitleWeight)
		count(inTitle, t.Term)
		count(inBody, t.Term)
	}
	seg.EachIndexTerm(normBody,
		func(t analysis.Token) { add(&body, t.Term, 1); count(inBody, t.Term) },
		func(t analysis.Token) { add(&joins, t.Term, 1) })
	for _, t := range analysis.Bigrams(normTitle) {
		add(&title2, t.Term, 1)
	}
	d := map[string]any{
		FieldTitle: title.String(), FieldBody: body.String(), FieldBodyJoins: joins.String(), FieldTitleBigrams: title2.String(),
		FieldDistricts: nonNilStrings(a.Districts), FieldTopics: nonNilStrings(a.Topics),
		SrcID: a.ID, SrcTitle: a.Title, SrcBody: a.Body, SrcYear: a.Year,
		SrcSource: a.Source, SrcURL: a.URL, SrcTitleNorm: strings.Join(strings.Fields(normTitle), " "),
	}
	when := "0000-00-00"
	if a.Year > 0 {
		d[FieldYear] = strconv.Itoa(a.Year)
		when = fmt.Sprintf("%04d-00-00", a.Year)
	}
	if a.Date != "" {
		when = a.Date
		d[SrcDate] = a.Date
	}
	d[FieldWhen] = when
	return d
}

func nonNilStrings(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// OSArticle turns a document's _source back into the article.
func OSArticle(src json.RawMessage) (*store.Article, error) {
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
	}
	if err := json.Unmarshal(src, &s); err != nil {
		return nil, fmt.Errorf("article source: %w", err)
	}
	return &store.Article{ID: s.ID, Title: s.Title, Body: s.Body, Date: s.Date, Year: s.Year,
		Districts: nonNilStrings(s.Districts), Topics: nonNilStrings(s.Topics), Source: s.Source, URL: s.URL}, nil
}
