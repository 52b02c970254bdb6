// Package opensearch is the indexer side of the OpenSearch engine: the
// build of a new index generation into a cluster (Build), its mapping and
// documents (Mapping, Document), the bulk requests both use, and the
// writer of the write API and watched folders (Writer).
//
// A build reads the same inputs as the embedded build (package indexer:
// WalkPaths, ReadFile) and writes their articles into a new index named
// ALIAS-gen-TIME, with bulk requests from a few senders; the cluster's
// write records (the write API's, package wal's Record) are a source read
// last. Only once every article is written and counted is the alias
// switched to the new index, and the writes acknowledged meanwhile are
// caught up before and after the switch.
//
// The writer: articles are read, enriched and analysed exactly as
// `bulletin index --opensearch` does (indexer.PageArticles, Document, the
// generation's dictionary from the index's meta) and written with their ids into the index that
// the alias names. The vocabulary index (pinyin, did_you_mean,
// suggestions) is kept counting the articles that hold each word: in the
// same bulk request, a written article's words are added and the words of
// the version it replaces (or of an article deleted) are taken off, in one
// document a word ({"t", "df", "at"}, id VocabLiveID) holding the
// difference from the build's document of the word; "at" is the time of
// its last change, by which servers find what changed. (Two concurrent
// writes of one id may both take off the same old version, and an update
// resent after a lost answer counts twice: counts only order candidates.)
//
// Durable: OpenSearch answers a write once the primary and every in-sync
// replica hold it, and with index.translog.durability "request" (the
// default, checked when an index is first written to) each copy has synced
// its translog first. Visible: a PUT or DELETE is sent with
// refresh=wait_for (answered once a refresh shows it; the indexes' refresh
// interval is made at most writeRefresh), a bulk write with no refresh per
// request and one explicit refresh of the index and its vocabulary at the
// end.
//
// The client of the cluster is internal/osconn.
package opensearch
