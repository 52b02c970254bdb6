// Package bench generates a deterministic corpus of bulletin-like pages and
// measures the product on it: bare gojieba as the floor, the
// `bulletin index` subprocess, and HTTP query latency against `bulletin serve`.
//
// # The obvious build
//
// The obvious build is what the gojieba and bleve documentation lead one to
// write, for comparison: a bleve tokenizer that calls jieba in
// search mode, bleve.New (safe batches) and batches of 1,000 documents, one
// goroutine. Two variants:
//
//   - ObviousFields maps title and body only, as text fields with bleve's
//     defaults (stored, term vectors, in _all, doc values);
//   - ObviousRecord is the design card's: the whole JSON
//     Lines record goes through bleve's default dynamic mapping with jieba
//     as the default analyzer, so every field the export has (date,
//     source, url, districts, topics, ...) is analysed, stored and given
//     term vectors, the body among them;
//   - ObviousSingle is the record mapping written the way bleve's README
//     shows, one idx.Index(id, doc) call per article (each a safe batch of
//     one), as the design card was first measured (~110 articles/s).
package bench
