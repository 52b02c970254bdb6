package source

import (
	"strings"
	"unicode/utf8"
)

// CheckDoc says why an article cannot be indexed ("" when it can): a title
// with nothing visible (only spaces, zero-width spaces or byte order
// marks), a body with no text, text that is not valid UTF-8, or an id
// over MaxIDLen. Every way an article comes in (a full build of any
// format, the write API, a bulk load, a watched folder, the replay of the
// write log) is checked with it, so an article served once is never
// dropped by another path later.
func CheckDoc(d Doc) string {
	switch {
	case len(d.ID) > MaxIDLen:
		return "the id is longer than the longest an article can have"
	case !utf8.ValidString(d.Title) || !utf8.ValidString(d.Body):
		return "the text is not valid UTF-8"
	case tidyLine(d.Title) == "":
		return `"title" is empty`
	case strings.TrimSpace(d.Body) == "":
		return `"body" is empty`
	}
	return ""
}
