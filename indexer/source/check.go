package source

import (
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/schema"
)

// CheckDoc says why an article cannot be indexed ("" when it can): an id
// that schema.CheckID refuses (not valid UTF-8, a control character, over
// MaxIDLen bytes; an article not given one yet is not checked for it),
// text that is not valid UTF-8, or a title or body with nothing visible
// (schema.Visible: only spaces, zero-width or other invisible characters).
// Every way an article comes in (a full build of any format, the write
// API, a bulk load, a watched folder, the replay of the write log) is
// checked with it, so an article served once is never dropped by another
// path later.
func CheckDoc(d Doc) string {
	if d.ID != "" {
		if err := schema.CheckID(d.ID); err != nil {
			return err.Error()
		}
	}
	switch {
	case !utf8.ValidString(d.Title) || !utf8.ValidString(d.Body):
		return "the text is not valid UTF-8"
	case !schema.Visible(d.Title):
		return schema.CheckText(FieldTitle, d.Title).Error()
	case !schema.Visible(d.Body):
		return schema.CheckText(FieldBody, d.Body).Error()
	}
	return ""
}
