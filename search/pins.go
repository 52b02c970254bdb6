package search

import (
	"context"
	"strings"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/internal/errs"
)

// MaxPins caps the articles pinned to one query.
const MaxPins = 10

// pinSet maps a normalised query (NormalizeQuery) to the ids of the
// articles an editor placed first for it. Immutable once stored.
type pinSet map[string][]string

// NormalizeQuery is the form of a query that the editors' tools compare:
// the query log's key, a pin's and a blocked hot word's. Full-width and
// traditional characters become their plain forms, case is folded as the
// index folds it, and runs of spaces become one.
func NormalizeQuery(q string) string {
	return strings.Join(strings.Fields(analysis.Normalize(q)), " ")
}

// SetPins replaces the pins: query (any form; it is normalised) → the ids
// of the articles listed first, in order. Searches that start after it
// returns use them.
func (pl *Planner) SetPins(pins map[string][]string) {
	ps := make(pinSet, len(pins))
	for q, ids := range pins {
		if q = NormalizeQuery(q); q != "" && len(ids) > 0 {
			ps[q] = append([]string(nil), ids...)
		}
	}
	pl.pins.Store(&ps)
}

// pin applies the pins of the typed query to the answer. A pinned article
// is listed once, at the top of the first page, with Pinned set; the pages
// after the first leave it out where it would otherwise appear. The first
// page thus holds the pinned articles above a full page of the others.
// The total is the search's, or the number of pins shown when that is
// larger: a pin is how an editor answers a query that finds nothing.
// Pins apply to searches without filters only: a filtered search asks for
// a part of the articles, which a pinned one may not belong to. An id that
// is no longer in the index is skipped.
func (p *plan) pin(ctx context.Context, resp *Response, marks []string) error {
	ps := p.pl.pins.Load()
	if ps == nil || len(*ps) == 0 || p.hasFilters() {
		return nil
	}
	ids := (*ps)[NormalizeQuery(p.req.Query)]
	if len(ids) == 0 {
		return nil
	}
	pinned := make(map[string]bool, len(ids))
	for _, id := range ids {
		pinned[id] = true
	}
	rest := resp.Hits[:0]
	for _, h := range resp.Hits {
		if !pinned[h.ID] {
			rest = append(rest, h)
		}
	}
	if p.req.Page != 1 {
		resp.Hits = rest
		return nil
	}
	arts, err := p.v.Articles(ctx, ids)
	if err != nil {
		return &errs.Error{Kind: errs.Internal, Code: "internal", Message: "reading pinned articles failed", Err: err}
	}
	top := make([]Hit, 0, len(ids)+len(rest))
	for _, a := range arts {
		if a == nil {
			continue
		}
		top = append(top, Hit{
			ID: a.ID, Title: a.Title, Date: a.Date, Year: a.Year,
			Districts: nonNil(a.Districts), Topics: nonNil(a.Topics), Source: a.Source, URL: a.URL,
			Snippet: Snippet(a.Body, marks, snippetRunes), Pinned: true,
		})
	}
	resp.Hits = append(top, rest...)
	// A query that found nothing (or fewer than the pins) finds the pins.
	resp.Total = max(resp.Total, uint64(len(top)))
	return nil
}

// hasFilters reports a request narrowed by a facet or a date.
func (p *plan) hasFilters() bool {
	f := p.f
	return len(f.Districts) > 0 || len(f.Topics) > 0 || len(f.Years) > 0 || f.From != "" || f.To != ""
}
