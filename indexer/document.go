package indexer

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2/document"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/govdoc"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
)

// ArticleID is the id the input gives the article (the `id` or `url` of a
// JSON Lines line), or else one stable across re-indexing the same input:
// derived from the file's path (relative to the root given) and the
// article's position in the page, or its line for a JSON Lines export
// (read in pieces).
func ArticleID(rel string, pos int, d source.Doc) string {
	if d.ID != "" {
		return d.ID
	}
	key := rel + "\x00" + strconv.Itoa(pos)
	if d.Line > 0 && strings.HasSuffix(strings.ToLower(rel), ".jsonl") {
		key = rel + "\x00line:" + strconv.Itoa(d.Line)
	}
	h := sha1.Sum([]byte(key))
	return hex.EncodeToString(h[:8])
}

// Document builds the bleve document of an article from its normalised
// title and body, with the terms segmented here rather than inside bleve.
func Document(a *schema.Article, normTitle, normBody string, seg *analysis.Segmenter) *document.Document {
	d := document.NewDocument(a.ID)
	titleToks := seg.IndexTokens(normTitle)
	title := newTermCounts(len(titleToks))
	title.addTokens(titleToks, 1)
	d.AddField(title.field(schema.FieldTitle, len(normTitle)))
	// The body field holds the title's words too, each counted schema.TitleWeight
	// times: one term lookup finds a word in the title or the body and
	// ranks a title mention above a body mention.
	body := newTermCounts(len(normBody) / 8)
	body.addTokens(titleToks, schema.TitleWeight)
	joins := newTermCounts(len(normBody) / 64)
	seg.EachIndexTerm(normBody,
		func(t analysis.Token) { body.add(t.Term, 1) },
		func(t analysis.Token) { joins.add(t.Term, 1) })
	d.AddField(body.field(schema.FieldBody, len(normTitle)+len(normBody)))
	d.AddField(joins.field(schema.FieldBodyJoins, len(normBody)))
	title2 := newTermCounts(len(normTitle) / 3)
	title2.addTokens(analysis.Bigrams(normTitle), 1)
	d.AddField(title2.field(schema.FieldTitleBigrams, len(normTitle)))
	kw := func(name, value string) {
		d.AddField(document.NewTextFieldCustom(name, nil, []byte(value), indexOptions, nil))
	}
	for _, x := range a.Districts {
		kw(schema.FieldDistricts, x)
	}
	for _, x := range a.Topics {
		kw(schema.FieldTopics, x)
	}
	when := "0000-00-00"
	if a.Year > 0 {
		kw(schema.FieldYear, strconv.Itoa(a.Year))
		when = fmt.Sprintf("%04d-00-00", a.Year)
	}
	if a.Date != "" {
		when = a.Date
	}
	kw(schema.FieldWhen, when)
	for _, k := range govdoc.OwnKeys(a.DocNo) {
		kw(schema.FieldDocNo, k)
	}
	for _, k := range govdoc.CitedKeys(a.DocNo, normTitle, normBody) {
		kw(schema.FieldCites, k)
	}
	if len(a.Issuer) > 0 {
		normIssuer := analysis.Normalize(strings.Join(a.Issuer, " "))
		issuer := newTermCounts(8)
		issuer.addTokens(seg.IndexTokens(normIssuer), 1)
		d.AddField(issuer.field(schema.FieldIssuerText, len(normIssuer)))
	}
	return d
}
