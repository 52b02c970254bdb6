package indexer

// StoredArticles is storedArticles for the package's external tests.
var StoredArticles = storedArticles
