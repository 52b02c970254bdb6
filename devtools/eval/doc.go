// Package eval measures relevance on a judged query set: nDCG@10 with graded
// judgements, MRR and the zero-result rate, overall and per query type.
//
// # Real text
//
// The real-text development set (testdata/real, see its README): pages in
// real e-paper layouts with the expected split and districts, and the
// government work reports 1954–2025.
//
// # Real-text recall
//
// Queries sampled from real text that nobody wrote for the product,
// relevance by exact occurrence. An article is relevant to a query when its
// normalised title or body holds the normalised query (what Ctrl-F finds).
//
// The corpus is testdata/recall/articles.jsonl (parts of the State
// Council's government work reports). Every fifth article is also indexed
// in traditional script (converted with OpenCC s2t) and queried in
// simplified characters. Queries are drawn with a fixed seed from the
// articles' text: 1, 2 or 3 consecutive jieba words (default mode), and
// spans of 2–6 Han characters at any offset, which cross word boundaries.
package eval
