// Package store keeps the articles of one index generation: their full text
// and metadata, compressed, keyed by article id. The bleve index holds only
// what is searched, sorted and counted; titles, bodies and snippets come from
// here, for the page of hits only.
//
// On disk a store is two files written once:
//
//	articles.dat      records, each a zstd-compressed JSON article, back to back
//	articles.dat.idx  a header, then one entry per article sorted by id:
//	                  8-byte id, 8-byte offset, 4-byte length (little endian)
//
// (the index file is the data file's path plus IndexSuffix), and, when the
// writer was given one (UseDictionary), the zstd dictionary of its records:
//
//	articles.dat.dict raw dictionary content: samples of the generation's
//	                  own first articles
//
// An article alone is too short for zstd to find much to reuse (1.5× on
// bulletin text); with samples of its own corpus as a dictionary, each
// record refers back to the phrases, names and keys that articles share.
//
// An article's key is its id when the id is 16 lower-case hex digits (the
// ids the indexer derives, see indexer.articleID), else the first 8 bytes of
// the SHA-1 of the id (ids given by JSON Lines exports and the write API).
// A read checks the stored id, so a key collision reads as not found.
package store
