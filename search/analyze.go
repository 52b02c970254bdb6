package search

import (
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/internal/errs"
)

// MaxAnalyzeRunes caps the text /api/analyze accepts.
const MaxAnalyzeRunes = 2000

// AnalyzedToken is one term with rune offsets into the normalised text.
type AnalyzedToken struct {
	Term     string `json:"term"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Position int    `json:"position"`
}

// Analysis shows how a text is analysed, so editors can see why something
// matched: its normalisation, the index terms (jieba search mode with shared
// positions), the query words (default mode), the character bigrams (the
// title's second field) and the join bigrams of lone characters (the body's).
type Analysis struct {
	Text       string          `json:"text"`
	Normalized string          `json:"normalized"`
	Index      []AnalyzedToken `json:"index_tokens"`
	Query      []AnalyzedToken `json:"query_words"`
	Bigrams    []AnalyzedToken `json:"bigrams"`
	Joins      []AnalyzedToken `json:"joins"`
}

// AnalyzeWith analyses text with seg, as the index and the query parser
// do; a text over MaxAnalyzeRunes is errs.Invalid.
func AnalyzeWith(seg *analysis.Segmenter, text string) (*Analysis, error) {
	if utf8.RuneCountInString(text) > MaxAnalyzeRunes {
		return nil, errs.Errorf(errs.Invalid, "text_too_long", "text is longer than %d characters", MaxAnalyzeRunes)
	}
	return analyzeWith(seg, text), nil
}

// analyzeWith analyses text with seg.
func analyzeWith(seg *analysis.Segmenter, text string) *Analysis {
	norm := analysis.Normalize(analysis.CleanText(text))
	conv := func(toks []analysis.Token) []AnalyzedToken {
		out := make([]AnalyzedToken, len(toks))
		for i, t := range toks {
			out[i] = AnalyzedToken{Term: t.Term, Start: utf8.RuneCountInString(norm[:t.Start]), End: utf8.RuneCountInString(norm[:t.End]), Position: t.Pos}
		}
		return out
	}
	index, joins := seg.IndexTerms(norm)
	return &Analysis{
		Text:       text,
		Normalized: norm,
		Index:      conv(index),
		Query:      conv(seg.Words(norm)),
		Bigrams:    conv(analysis.Bigrams(norm)),
		Joins:      conv(joins),
	}
}
