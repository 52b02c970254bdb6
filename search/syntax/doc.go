// Package syntax reads the search box's query syntax: words that must all
// match, exact phrases in quotes, excluded words and phrases (-word),
// alternatives (A | B, A OR B) and scope prefixes (标题:, 正文:, 文号:,
// 发文机关: and their English names). Broken syntax is read as text, never
// an error. The planner in package search compiles a parsed Query for
// either engine.
package syntax
