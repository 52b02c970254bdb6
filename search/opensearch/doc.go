// Package opensearch is the engine of an index on an OpenSearch cluster,
// written by indexer.BuildOpenSearch and named by an alias: it answers the
// same API as the embedded engine, with the same ranking.
//
// The index the alias names is the search.View of the planner: the
// planner's compiled queries are translated clause for clause into the
// query DSL (translate), with bleve's tf-idf as the text fields' scripted
// similarity, so that both engines score alike; the articles holding the
// query's Han pairs come first (a pair field, two searches at most); facets
// are aggregations, each with the filters of the other dimensions; the
// vocabulary (pinyin, did_you_mean, suggestions) is read from the index's
// vocabulary index and its changes followed (vocab.go).
//
// What the engine sends is kept in testdata/*.golden (see golden_test.go).
// A cluster that cannot be reached or is too busy is errs.Unavailable.
//
// Concurrency: an Engine's methods are safe for concurrent use; the alias
// is checked every Options.Poll.
package opensearch
