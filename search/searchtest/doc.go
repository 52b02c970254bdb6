// Package searchtest holds corpora and page readers shared by the tests of
// the search engines: the same articles read through the embedded engine
// and through OpenSearch must come back in the same order.
//
// It imports no engine: a reader is given as a function, so that the tests
// of package search and of its engines can all use it.
package searchtest
