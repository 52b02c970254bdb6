// Package embedded is the engine of a bleve index directory built by the
// indexer: it serves the generation that CURRENT names and switches to a
// newer one when it is published, closing the old one when its last
// request ends.
//
// A generation is the search.View of the planner: a compiled query is run
// by walking its matches once (collect), applying the filters and counting
// the disjunctive facets from columns read at open (columns.go), keeping
// the best hits with the articles that hold the query's Han pairs first
// (pair sets, pairs.go); articles come from the generation's store, words
// and their document frequencies from bleve's term readers (vocab.go),
// titles from the generation's title list (titles.go).
//
// Live mode (Options.Live): the generation is opened for writing. Written
// articles are indexed in it and held in an overlay over the store
// (overlay.go, writes.go); a new view (a snapshot with its own columns,
// pair numbering and vocabulary) is swapped in after writes (live.go,
// writtenpairs.go). Durability is the write log's (indexer.Live), which is
// replayed into a generation as it opens. The live mode shares the
// generation's type and its read paths (every read consults the overlay),
// so it lives in this package, in files of its own.
//
// Concurrency: an Engine's methods are safe for concurrent use; a search
// holds a reference to the generation it started on.
package embedded
