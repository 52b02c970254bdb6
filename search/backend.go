package search

import (
	"context"
	"errors"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/internal/errs"
)

// An engine is what differs between the embedded index and an OpenSearch
// cluster: how a compiled query is run, counted, and how articles, words
// and titles are read. Everything else (the request, the analysis of the
// query, its compilation, the strategy, the advice and the answer) is the
// Planner's, written once for every engine.

// View is the state of an engine that one request reads from its start to
// its end (a generation of the embedded index, the index an alias names).
//
// Concurrency: a View is used by one request at a time, but an engine
// hands out views to many requests at once; its methods only read.
type View interface {
	// Segmenter cuts queries as the view's articles were cut.
	Segmenter() *analysis.Segmenter
	// Vocabulary is the view's words with their document frequencies
	// (pinyin queries, did_you_mean).
	Vocabulary() *Vocab
	// Run returns hits q.From..q.From+q.Size of q's order, the total and,
	// when q.Facets is set, the facet counts (see Query).
	Run(ctx context.Context, q Query) (*Result, error)
	// Count returns how many articles q matches (q's paging, order and
	// facets are ignored).
	Count(ctx context.Context, q Query) (uint64, error)
	// Articles returns the articles of ids in order, nil where unknown.
	Articles(ctx context.Context, ids []string) ([]*schema.Article, error)
	// WordsWithPrefix returns words of the view starting with p (two
	// characters or more), the most frequent first.
	WordsWithPrefix(ctx context.Context, p string) ([]string, error)
	// TitlesWithPrefix returns up to n article titles starting with p.
	TitlesWithPrefix(ctx context.Context, p string, n int) ([]string, error)
}

// Filters are a request's facet filters and date range.
type Filters struct {
	Districts, Topics []string
	Years             []int
	From, To          string // YYYY-MM-DD, inclusive; "" leaves the end open
}

// Query is one compiled query with its filters, the slice of its order
// asked for, and whether facets are counted.
//
// The match set is the articles that Text matches, and, when Pairs is set,
// those that hold every Han pair of Pairs (the query as typed, however
// jieba cut it) and, when Within is set, match Within too; these come
// first. Within each group (and with ByDate, in
// the whole set) the order is by score, then newer first, then by id; with
// ByDate, newer first, then by id. Text nil matches every article, unscored.
//
// Facets are disjunctive: the counts of a dimension are those of the match
// set under the filters of the other dimensions.
type Query struct {
	Text   query.Query        // the compiled words (the Planner's compile); nil: every article
	Pairs  []analysis.PairKey // nil: no pair group
	Within query.Query        // nil: the pair group is every article holding Pairs
	// PairsOnly makes the pair group the whole match set (Text only scores
	// its articles): an exact phrase. A view without pair sets ignores it.
	PairsOnly  bool
	Filters    Filters
	From, Size int
	ByDate     bool
	Facets     bool
}

// Result is what Run found.
type Result struct {
	Total  uint64 // the whole match set under the filters
	Hits   []Found
	Facets map[string][]Facet // by dimension (Dimensions); nil without facets
}

// Found is one hit of Run.
type Found struct {
	ID    string
	Score float64
	// Article is the hit's article when the engine read it with the hit;
	// nil otherwise (the Planner reads it with Articles).
	Article *schema.Article
}

// Dimensions are the facet dimensions, as named in the API, in the order
// of the facet columns.
func Dimensions() []string { return dimNames[:] }

// TopFacets orders a facet list by count, then value, and keeps the first
// of them that an answer shows.
func TopFacets(fl []Facet) []Facet {
	sortFacets(fl)
	if len(fl) > facetSize {
		fl = fl[:facetSize]
	}
	return fl
}

// FacetBuckets is how many values of a dimension an engine that counts
// facets by its own ranking (terms aggregations) asks for: more than an
// answer shows, so that ties at the cut are resolved by TopFacets.
const FacetBuckets = 2 * facetSize

// MapError gives an engine's error its kind: an error that has one
// already (errs.Error) keeps it; a deadline passed or a canceled request
// is errs.Unavailable; any other is errs.Internal. Every engine's errors
// reach the API through it.
func MapError(ctx context.Context, err error) error {
	var e *errs.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &e):
		return err
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &errs.Error{Kind: errs.Unavailable, Code: "timeout", Message: "the search took too long", Err: err}
	case errors.Is(err, context.Canceled):
		return &errs.Error{Kind: errs.Unavailable, Code: "canceled", Message: "the search was canceled", Err: err}
	}
	return &errs.Error{Kind: errs.Internal, Code: "internal", Message: "the search failed", Err: err}
}

// Info describes the index being served.
type Info struct {
	Generation string
	Documents  int
	Districts  []string
	Topics     []string
}

// StartPolling starts watch (the loop that picks up new generations) every
// poll (0 means 2 s); a negative poll starts none and closes done, which
// watch closes when it ends.
func StartPolling(poll time.Duration, watch func(time.Duration), done chan struct{}) {
	if poll == 0 {
		poll = 2 * time.Second
	}
	if poll > 0 {
		go watch(poll)
	} else {
		close(done)
	}
}
