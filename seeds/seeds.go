// Package seeds embeds the two sample bulletins: the built-in default corpus
// that `bulletin` with no arguments indexes.
package seeds

import "embed"

// FS holds the sample bulletin pages (*.txt) at its root.
//
//go:embed *.txt
var FS embed.FS
