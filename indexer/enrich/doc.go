// Package enrich infers an article's metadata from its text: the districts it
// is about (from official administrative-division data and a small file of
// colloquial names), its topics (from a taxonomy file) and its publication
// date. Its data files live in data/ and are embedded.
//
// # Publication dates
//
// Publication date of a page, in order of trust:
//
//  1. a date the input gives (front matter, HTML meta, JSON) — handled by the
//     caller; a given year alone gives the year;
//  2. what a document states of itself (stated.go): the year of its title,
//     its document number (鲁政发〔2014〕20号), a date in the text that marks
//     publication (发布时间/发布日期/日期：…, a dateline such as 2024年3月5日电,
//     a masthead line near the top that is only a date), then a speech,
//     adoption or signing line;
//  3. the year inferred from the years the page names: plan years (将在2025年,
//     计划2025年, 到2025年, 2021—2025年) and years looked back on (2011年工作
//     回顾) are not publication years; the latest remaining year is, or the
//     one after it when the page speaks of 去年 and never of 今年;
//  4. nothing: year 0.
//
// The date matchers are package source's (LabelledDate, DatelineDate,
// OnlyDate), shared with the readers.
package enrich
