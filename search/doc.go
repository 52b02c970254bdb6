// Package search turns a query into an answer, once for every engine.
//
// A Request is normalised and checked; its query is analysed with the
// dictionary of the index searched (normalised, segmented by jieba in its
// default mode, stop words and synonyms resolved, pinyin recognised) and
// compiled into weighted term queries (bleve query values, the neutral
// compiled form: every weight on a term, see boosted). A Planner then runs
// the plan: all words (with the articles holding the query as typed first),
// else any word, else the alternative query that its advice names (a
// pinyin query's characters, a probable typo's correction, offered as
// did_you_mean); it reranks the first RerankWindow hits by exact phrase and
// assembles the Response: total, facets, the page of hits with their
// snippets. Suggestions (past queries, words, titles) are planned here too.
//
// An engine implements only what differs, the View of the index a request
// reads: run a compiled Query (filters, a slice of its order, facets),
// count it, read articles, list words and titles by prefix, give its
// segmenter and its Vocab. The engines are packages of their own:
// search/embedded (a bleve index directory, read-only or live) and
// search/opensearch (an index on an OpenSearch cluster). Every error an
// engine returns gets its kind in one place (MapError).
//
// The query side never reads input files. Concurrency: a Planner is safe
// for concurrent use; a plan belongs to one request.
package search
