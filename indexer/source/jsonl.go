package source

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// JSON Lines exports hold one article per line:
//
//	{"id": "hd-2022-0815", "title": "…", "body": "…", "date": "2022-08-15",
//	 "source": "…", "url": "…", "districts": ["海淀区"], "topics": ["教育"]}
//
// id, title and body are required; a line without them, or that is not a
// JSON object, is skipped with a Problem naming the line. A bad optional
// field (a date that is not a date, districts that are not names) drops only
// that field, also with a Problem. Each article keeps its own date
// (Page.Shared is false) and Page.Text is left empty.

const (
	// maxJSONLine caps one line; longer lines are skipped.
	maxJSONLine = 16 << 20
	// maxProblems caps the problems listed for one file; the rest are counted.
	maxProblems = 200
)

// ReadJSONL reads a JSON Lines export (UTF-8, or GB18030 as a whole file).
func ReadJSONL(data []byte) (*Page, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty file")
	}
	if looksBinary(data) {
		return nil, errors.New("binary file")
	}
	var r io.Reader = bytes.NewReader(data)
	if gbJSONL(data) {
		r = transform.NewReader(r, simplifiedchinese.GB18030.NewDecoder())
	}
	br := bufio.NewReaderSize(r, 64<<10)
	page := &Page{}
	extra := 0
	problem := func(line int, format string, args ...any) {
		if len(page.Problems) < maxProblems {
			page.Problems = append(page.Problems, Problem{Line: line, Reason: fmt.Sprintf(format, args...)})
		} else {
			extra++
		}
	}
	seen := map[string]int{}
	for n := 1; ; n++ {
		line, tooLong, err := readLine(br, maxJSONLine)
		if err != nil && err != io.EOF {
			return nil, err
		}
		if tooLong {
			problem(n, "line longer than %d MB; skipped", maxJSONLine>>20)
		} else if len(bytes.TrimSpace(line)) > 0 {
			if d, reasons, bad := parseJSONLine(line); bad != "" {
				problem(n, "%s; line skipped", bad)
			} else {
				for _, why := range reasons {
					problem(n, "%s", why)
				}
				if first, dup := seen[d.ID]; dup {
					problem(n, "duplicate id %q (first on line %d); line skipped", d.ID, first)
				} else {
					seen[d.ID] = n
					d.Line = n
					page.Docs = append(page.Docs, d)
				}
			}
		}
		if err == io.EOF {
			break
		}
	}
	if extra > 0 {
		page.Problems = append(page.Problems, Problem{Reason: fmt.Sprintf("%d more problems not listed", extra)})
	}
	if len(page.Docs) == 0 {
		msg := "no usable line"
		if len(page.Problems) > 0 {
			msg += " (" + page.Problems[0].String()
			if more := len(page.Problems) + extra - 1; more > 0 {
				msg += fmt.Sprintf(", and %d more", more)
			}
			msg += ")"
		}
		return nil, errors.New(msg)
	}
	return page, nil
}

// readLine reads one line without its end of line. A line longer than max
// is consumed and reported as tooLong. err is io.EOF at the end of input.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, e := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > max {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if e == bufio.ErrBufferFull {
			continue
		}
		if e != nil && e != io.EOF {
			return nil, false, e
		}
		buf = bytes.TrimRight(buf, "\r\n")
		return buf, tooLong, e
	}
}

// gbJSONL reports a file that is not UTF-8 but GB18030 throughout: no line
// with non-ASCII bytes is valid UTF-8, and the whole decodes cleanly. (A
// UTF-8 file with one corrupt line stays UTF-8: that line is reported.)
func gbJSONL(data []byte) bool {
	if utf8.Valid(data) {
		return false
	}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if hasNonASCII(line) && utf8.Valid(line) {
			return false
		}
	}
	return true
}

// jsonLine is one line's fields, each kept raw to check its type.
type jsonLine map[string]json.RawMessage

// parseJSONLine returns the article of a line, the optional fields dropped
// (as reasons), or why the whole line is unusable.
func parseJSONLine(line []byte) (d Doc, dropped []string, bad string) {
	if !utf8.Valid(line) {
		return d, nil, "not valid UTF-8"
	}
	var obj jsonLine
	if err := json.Unmarshal(line, &obj); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return d, nil, "not a JSON object"
		}
		return d, nil, "not valid JSON: " + strings.TrimPrefix(err.Error(), "json: ")
	}
	if obj == nil {
		return d, nil, "not a JSON object"
	}
	id, err := obj.id()
	if err != "" {
		return d, nil, err
	}
	title, err := obj.text("title", true)
	if err != "" {
		return d, nil, err
	}
	body, err := obj.text("body", true)
	if err != "" {
		return d, nil, err
	}
	d = Doc{ID: id, Title: tidyLine(title), Body: bodyText(body)}
	if d.Title == "" {
		return d, nil, `"title" is empty`
	}
	if strings.TrimSpace(d.Body) == "" {
		return d, nil, `"body" is empty`
	}
	if raw, ok := obj["date"]; ok && !isNull(raw) {
		if date, ok := jsonDate(raw); ok {
			d.Given.Date = date
		} else {
			dropped = append(dropped, fmt.Sprintf(`"date" %s is not a date; field ignored`, short(raw)))
		}
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"source", &d.Given.Source}, {"url", &d.Given.URL}} {
		s, why := obj.text(f.key, false)
		if why != "" {
			dropped = append(dropped, why+"; field ignored")
			continue
		}
		*f.dst = tidyLine(s)
	}
	for _, f := range []struct {
		key string
		dst *[]string
	}{{"districts", &d.Given.Districts}, {"topics", &d.Given.Topics}} {
		l, why := obj.list(f.key)
		if why != "" {
			dropped = append(dropped, why+"; field ignored")
			continue
		}
		*f.dst = l
	}
	return d, dropped, ""
}

// id returns the required id: a non-empty string or an integer.
func (o jsonLine) id() (string, string) {
	raw, ok := o["id"]
	if !ok || isNull(raw) {
		return "", `missing "id"`
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s = strings.TrimSpace(s); s == "" {
			return "", `"id" is empty`
		}
		return s, ""
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if _, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
			return n.String(), ""
		}
	}
	return "", fmt.Sprintf(`"id" must be a string or an integer, not %s`, jsonKind(raw))
}

// text returns a string field; required fields must be present.
func (o jsonLine) text(key string, required bool) (string, string) {
	raw, ok := o[key]
	if !ok || isNull(raw) {
		if required {
			return "", fmt.Sprintf("missing %q", key)
		}
		return "", ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Sprintf("%q must be a string, not %s", key, jsonKind(raw))
	}
	return s, ""
}

// list returns a list of names: a JSON array of strings, or one string of
// names separated by commas or 、.
func (o jsonLine) list(key string) ([]string, string) {
	raw, ok := o[key]
	if !ok || isNull(raw) {
		return nil, ""
	}
	var l []string
	if err := json.Unmarshal(raw, &l); err == nil {
		return cleanList(l), ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return cleanList(strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' })), ""
	}
	return nil, fmt.Sprintf("%q must be a list of strings, not %s", key, short(raw))
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

func jsonKind(raw json.RawMessage) string {
	switch b := bytes.TrimSpace(raw); {
	case len(b) == 0:
		return "empty"
	case b[0] == '{':
		return "an object"
	case b[0] == '[':
		return "a list"
	case b[0] == '"':
		return "a string"
	case b[0] == 't' || b[0] == 'f':
		return "a boolean"
	default:
		return "a number"
	}
}

func short(raw json.RawMessage) string {
	s := string(bytes.TrimSpace(raw))
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return s
}

// reHTMLBody spots a body written as HTML.
var reHTMLBody = regexp.MustCompile(`(?i)<(?:p|div|br|span|table|img|strong|h[1-6])\b[^>]*>`)

// beijing is the time zone of timestamps in exports (UTC+8, no DST).
var beijing = time.FixedZone("CST", 8*3600)

// jsonDate reads a date string in the usual export formats, or a Unix
// timestamp in seconds or milliseconds.
func jsonDate(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if strings.TrimSpace(s) == "" {
			return "", true // no date
		}
		return parseLooseDate(s)
	}
	var n json.Number
	if json.Unmarshal(raw, &n) != nil {
		return "", false
	}
	v, err := n.Int64()
	if err != nil {
		return "", false
	}
	var t time.Time
	switch {
	case v >= 1e12 && v < 1e13:
		t = time.UnixMilli(v)
	case v >= 1e8 && v < 1e10:
		t = time.Unix(v, 0)
	default:
		return "", false
	}
	t = t.In(beijing)
	if !ValidDate(t.Year(), int(t.Month()), t.Day()) {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// bodyText turns a JSON body into plain text: CMS exports often hold HTML
// (<p>…</p>), which is rendered as paragraphs; plain text keeps its lines.
func bodyText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if reHTMLBody.MatchString(s) {
		if doc, err := html.Parse(strings.NewReader(s)); err == nil {
			if lines := textLines(doc, false); len(lines) > 0 {
				return strings.Join(lines, "\n\n")
			}
		}
	}
	return strings.TrimSpace(s)
}
