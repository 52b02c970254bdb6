// Package writes holds what the two write sides share: the write log of
// an index directory (indexer/live) and the write API of an OpenSearch
// cluster (indexer/opensearch). It reads the article of a PUT (Parse) and
// the lines of a bulk body (Lines), gives an article as given its record
// form (Given), and makes the errors the write API answers with: every
// error a writer returns is an *errs.Error whose kind and code the server
// maps to a status (BadArticle, NotFound, Unavailable, Failed).
//
// Concurrency: the functions are safe for concurrent use; a Lines is read
// by one goroutine.
package writes
