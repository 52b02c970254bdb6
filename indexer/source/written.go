package source

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/schema"
)

// The write API takes the JSON Lines fields with stricter values than an
// export: an export is what a user has, and a bad optional value there
// drops only that field (with a Problem); a write is sent by a program
// that can be told, so any bad value refuses the article, naming the
// field:
//
//	date       a string YYYY-MM-DD (a real day), or "" / null for none
//	           (gov.cn's pubtimeStr keeps its own form, 2015.04.03)
//	doc_no     a document number with its year; written a date; issuer a
//	           string or a list of strings (as exports give them)
//	source,url strings
//	districts  a list of strings (names; enrich checks them against the
//	topics     region's gazetteer), topics a list of strings
//
// Every other rule (title and body required and not empty, the id) is the
// one of exports.

// Strict makes every bad value refuse its line, as the write API does
// (see ParseWrittenArticle), where an export only drops the field.
func (s *JSONLScanner) Strict() { s.strict = true }

// ParseWrittenArticle reads one article given to the write API (the body
// of a PUT): like ParseArticleJSON, but a bad value refuses the article
// instead of being dropped (see strict). The error names the field.
func ParseWrittenArticle(data []byte) (Doc, error) {
	d, _, bad := parseJSONLine(bytes.TrimSpace(data), nil, true)
	if bad != "" {
		return Doc{}, errors.New(bad)
	}
	return d, nil
}

// strict checks the optional values of a decoded line by the write API's
// rules; dropped are the fields the lenient read dropped (any left
// unexplained here refuses the line too).
func (o jsonLine) strict(fm FieldMap, dropped []string) error {
	if k := o.pick(fm, FieldDate); o[k] != nil && !isNull(o[k]) && k != "pubtimeStr" {
		var s string
		if json.Unmarshal(o[k], &s) != nil {
			return &schema.FieldError{Field: k, Reason: fmt.Sprintf("must be a string YYYY-MM-DD, not %s", jsonKind(o[k]))}
		}
		if err := schema.CheckDate(k, strings.TrimSpace(s)); err != nil {
			return err
		}
	}
	for _, f := range []string{FieldSource, FieldURL} {
		if _, why := o.text(o.pick(fm, f), false); why != "" {
			return errors.New(why)
		}
	}
	for _, f := range []string{FieldDistricts, FieldTopics} {
		k := o.pick(fm, f)
		raw, ok := o[k]
		if !ok || isNull(raw) {
			continue
		}
		var l []string
		if json.Unmarshal(raw, &l) != nil {
			return &schema.FieldError{Field: k, Reason: fmt.Sprintf("must be a list of strings, not %s", short(raw))}
		}
		for _, name := range l {
			if err := schema.CheckName(k, name); err != nil {
				return err
			}
		}
	}
	if len(dropped) > 0 {
		return errors.New(strings.TrimSuffix(dropped[0], "; field ignored"))
	}
	return nil
}

// invalidUTF8 says why a line that is not valid UTF-8 is refused, naming
// the first field (in the line's order) whose value holds the bad bytes
// when the line is a JSON object: JSON decoding would turn them into
// U+FFFD, and an id would come back as another.
func invalidUTF8(line []byte) string {
	var obj jsonLine
	if json.Unmarshal(line, &obj) == nil {
		first, at := "", len(line)
		for k, raw := range obj {
			if !utf8.Valid(raw) {
				if i := bytes.Index(line, raw); i >= 0 && i < at {
					first, at = k, i
				}
			}
		}
		if first != "" {
			return fmt.Sprintf("%q is not valid UTF-8", first)
		}
	}
	return "not valid UTF-8"
}

// renamed is a schema.FieldError's reason under the field name key (the
// name the input gives the field).
func renamed(err error, key string) string {
	var fe *schema.FieldError
	if errors.As(err, &fe) {
		return (&schema.FieldError{Field: key, Reason: fe.Reason}).Error()
	}
	return err.Error()
}
