// Package govdoc reads what a government document states of itself: its
// document number (发文字号) in any bracket form and script, normalised to
// 〔〕; the fields of its 信息公开 metadata block (发文机关, 成文日期, 索引号,
// 主题分类, 有效性, …) whether printed as a list, a table or 标签：值 lines
// (Label tells a table's label cell); the names of issuing offices that
// sign a document (Office); and its type (政策文件, 政策解读, 公告公示, 新闻).
// The labels, office endings, type words and document kinds are data files
// (data/), embedded.
//
// The readers of package source call it on pages; the query side calls
// Parse and Find to recognise a number typed in a query. All functions are
// pure and safe for concurrent use.
package govdoc
