// Package writes holds what the two write sides share: the write log of
// an index directory (indexer/live) and the write API of an OpenSearch
// cluster (indexer/opensearch). It reads the article of a PUT (Parse) and
// the lines of a bulk body (Lines) by the write API's rules (the id by
// schema.CheckID; a bad value refuses the article, naming its field;
// districts must be the region's, checked by the writer's Districts),
// checks articles before they are written (Check), gives an article as
// given its record form (Given), and makes the errors the write API
// answers with: every error a writer returns is an *errs.Error whose kind
// and code the server maps to a status (BadArticle, NotFound,
// Unavailable, Failed).
//
// Concurrency: the functions are safe for concurrent use; a Lines is read
// by one goroutine.
package writes
