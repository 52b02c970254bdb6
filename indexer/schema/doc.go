// Package schema is what the indexer writes and the search side reads: the
// field names of the bleve index, the schema version, the on-disk layout of
// an index directory, a generation's Meta, and the Article. It imports
// nothing of the project, so that the server can read an index without
// the indexer's readers, enrichment or progress output.
package schema
