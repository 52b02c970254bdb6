package opensearch

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/govdoc"
	"github.com/govbulletin/bulletin/indexer/schema"
)

// The OpenSearch documents and mapping (names in package schema):
// bulletin does the Chinese analysis, so the cluster needs no plugin; the
// text fields hold the same terms, with the same counts, as the bleve
// fields (the body the title's words schema.TitleWeight times).

// SimilarityName names the similarity of the text fields: the embedded
// engine's scoring (bleve's tf-idf: sqrt(tf) · idf² · 1/sqrt(field length)
// · boost, idf = 1 + ln(docs/(df+1))) as a scripted similarity, so that both
// engines rank alike. Painless is part of every OpenSearch distribution.
const SimilarityName = "bulletin_tfidf"

// Similarity is the index setting that defines SimilarityName.
func Similarity() map[string]any {
	return map[string]any{SimilarityName: map[string]any{
		"type": "scripted",
		"weight_script": map[string]any{
			"source": "double idf = 1.0 + Math.log(field.docCount / (term.docFreq + 1.0)); return query.boost * idf * idf;",
		},
		"script": map[string]any{
			"source": "return weight * Math.sqrt(doc.freq) / Math.sqrt(doc.length);",
		},
	}}
}

// Mapping returns the mapping of a generation's OpenSearch index, with
// meta as its _meta.
func Mapping(meta schema.Meta) map[string]any {
	text := map[string]any{"type": "text", "analyzer": "whitespace", "index_options": "freqs", "similarity": SimilarityName}
	kw := map[string]any{"type": "keyword"}
	stored := map[string]any{"type": "keyword", "index": false, "doc_values": false}
	return map[string]any{
		"dynamic": "strict",
		"_meta":   map[string]any{schema.OSMetaKey: meta},
		"_source": map[string]any{"excludes": []string{schema.FieldTitle, schema.FieldBody, schema.FieldTitleBigrams, schema.FieldBodyJoins, schema.FieldPairs, schema.FieldDocNo, schema.FieldCites, schema.FieldIssuerText}},
		"properties": map[string]any{
			schema.FieldTitle: text, schema.FieldBody: text, schema.FieldTitleBigrams: text, schema.FieldBodyJoins: text,
			schema.FieldDistricts: kw, schema.FieldTopics: kw, schema.FieldYear: kw, schema.FieldWhen: kw,
			// Scored as bleve scores them (keys hold no spaces: one term each).
			schema.FieldDocNo: text, schema.FieldCites: text, schema.FieldIssuerText: text,
			schema.SrcID: kw, schema.SrcDate: kw, schema.SrcYear: map[string]any{"type": "integer"},
			schema.SrcTitle:  map[string]any{"type": "text", "index": false},
			schema.SrcBody:   map[string]any{"type": "text", "index": false},
			schema.SrcSource: stored, schema.SrcURL: stored,
			schema.SrcTitleNorm: map[string]any{"type": "keyword", "ignore_above": 200},
			// Matched only: which articles hold a pair, nothing to score or sort.
			schema.FieldPairs: map[string]any{"type": "keyword", "index_options": "docs", "norms": false, "doc_values": false},
		},
	}
}

// VocabCounts counts, for each word, the documents whose title field
// ([0]) and whose body field ([1]) hold it: what the bleve term
// dictionaries of those fields say, which the embedded engine's pinyin,
// did_you_mean and suggestions read.
type VocabCounts map[string][2]uint64

// Document is the OpenSearch document of an article: the same terms as
// Document (the bleve document), as text, its distinct Han pairs (as the
// embedded generation's pair sets hold them), and the article's fields. When
// vocab is not nil, the article's words of 2 to 8 Han characters are
// counted in it as the embedded engine's term dictionaries count them.
func Document(a *schema.Article, normTitle, normBody string, seg *analysis.Segmenter, vocab VocabCounts) map[string]any {
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
	count := func(set map[string]bool, field int, term string) {
		if set == nil || set[term] {
			return
		}
		if n := utf8.RuneCountInString(term); n < 2 || n > 8 || strings.IndexFunc(term, func(r rune) bool { return !analysis.IsHan(r) }) >= 0 {
			return
		}
		set[term] = true
		c := vocab[term]
		c[field]++
		vocab[term] = c
	}
	for _, t := range seg.IndexTokens(normTitle) {
		add(&title, t.Term, 1)
		add(&body, t.Term, schema.TitleWeight)
		count(inTitle, 0, t.Term)
		count(inBody, 1, t.Term)
	}
	seg.EachIndexTerm(normBody,
		func(t analysis.Token) { add(&body, t.Term, 1); count(inBody, 1, t.Term) },
		func(t analysis.Token) { add(&joins, t.Term, 1) })
	for _, t := range analysis.Bigrams(normTitle) {
		add(&title2, t.Term, 1)
	}
	keys := analysis.DistinctPairs(nil, normTitle, normBody)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k.String()
	}
	d := map[string]any{
		schema.FieldPairs: pairs,
		schema.FieldTitle: title.String(), schema.FieldBody: body.String(), schema.FieldBodyJoins: joins.String(), schema.FieldTitleBigrams: title2.String(),
		schema.FieldDistricts: nonNilStrings(a.Districts), schema.FieldTopics: nonNilStrings(a.Topics),
		schema.SrcID: a.ID, schema.SrcTitle: a.Title, schema.SrcBody: a.Body, schema.SrcYear: a.Year,
		schema.SrcSource: a.Source, schema.SrcURL: a.URL, schema.SrcTitleNorm: strings.Join(strings.Fields(normTitle), " "),
	}
	when := "0000-00-00"
	if a.Year > 0 {
		d[schema.FieldYear] = strconv.Itoa(a.Year)
		when = fmt.Sprintf("%04d-00-00", a.Year)
	}
	if a.Date != "" {
		when = a.Date
		d[schema.SrcDate] = a.Date
	}
	d[schema.FieldWhen] = when
	d[schema.FieldDocNo] = nonNilStrings(govdoc.OwnKeys(a.DocNo))
	d[schema.FieldCites] = nonNilStrings(govdoc.CitedKeys(a.DocNo, normTitle, normBody))
	if len(a.Issuer) > 0 {
		var issuer strings.Builder
		for _, t := range seg.IndexTokens(analysis.Normalize(strings.Join(a.Issuer, " "))) {
			add(&issuer, t.Term, 1)
		}
		d[schema.FieldIssuerText] = issuer.String()
	}
	return d
}

func nonNilStrings(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
