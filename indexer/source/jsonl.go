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

	"github.com/govbulletin/bulletin/indexer/schema"
)

const (
	// maxJSONLine caps one line; longer lines are skipped.
	maxJSONLine = 16 << 20
	// maxProblems caps the problems listed for one file; the rest are counted.
	maxProblems = 200
	// sniffBytes is how much of the head of a file decides its encoding.
	sniffBytes = 1 << 20
	// MaxIDLen is the longest id an article can be given, in bytes.
	MaxIDLen = schema.MaxIDLen
)

// ReadJSONL reads a whole JSON Lines export held in memory (UTF-8, or
// GB18030 throughout) with the usual field names. Files are read with a
// JSONLScanner instead, a few lines at a time.
func ReadJSONL(data []byte) (*Page, error) {
	sc, err := NewJSONLScanner(bytes.NewReader(data), nil)
	if err != nil {
		return nil, err
	}
	page := &Page{}
	for {
		docs, probs, err := sc.Next(1<<30, 1<<62)
		page.Docs = append(page.Docs, docs...)
		page.Problems = append(page.Problems, probs...)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return page, nil
}

// JSONLScanner reads the articles of a JSON Lines export a few at a time.
// It is not safe for concurrent use.
type JSONLScanner struct {
	br     *bufio.Reader
	fields FieldMap
	line   int   // lines read
	read   int64 // bytes read
	docs   int   // articles returned
	probs  int   // problems listed
	extra  int   // problems not listed (over maxProblems)
	first  *Problem
	done   bool
	strict bool // see Strict
}

// NewJSONLScanner starts reading an export. Its head (up to 1 MB) decides
// the encoding: UTF-8 (a BOM is dropped), or GB18030 when no line with
// non-ASCII bytes there is UTF-8 and the head decodes cleanly. A binary or
// empty file is an error.
func NewJSONLScanner(r io.Reader, fields FieldMap) (*JSONLScanner, error) {
	big := bufio.NewReaderSize(r, sniffBytes)
	head, err := big.Peek(sniffBytes)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	whole := len(head) < sniffBytes
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		big.Discard(3)
		head = head[3:]
	}
	if whole && len(bytes.TrimSpace(head)) == 0 {
		return nil, errors.New("empty file")
	}
	if looksBinary(head) {
		return nil, errors.New("binary file")
	}
	if !whole { // judge whole lines only
		if i := bytes.LastIndexByte(head, '\n'); i > 0 {
			head = head[:i]
		}
	}
	var br *bufio.Reader
	if gbJSONL(head) {
		br = bufio.NewReaderSize(transform.NewReader(big, simplifiedchinese.GB18030.NewDecoder()), 64<<10)
	} else {
		br = big
	}
	return &JSONLScanner{br: br, fields: fields}, nil
}

// Next returns the next articles, at most maxDocs of them or about maxBytes
// of lines, with the problems of those lines. At the end of the file it
// returns io.EOF (possibly with the last articles).
func (s *JSONLScanner) Next(maxDocs int, maxBytes int64) ([]Doc, []Problem, error) {
	if s.done {
		return nil, nil, io.EOF
	}
	var docs []Doc
	var probs []Problem
	problem := func(line int, format string, args ...any) {
		p := Problem{Line: line, Reason: fmt.Sprintf(format, args...)}
		if s.first == nil {
			s.first = &p
		}
		if s.probs < maxProblems {
			s.probs++
			probs = append(probs, p)
		} else {
			s.extra++
		}
	}
	var took int64
	for len(docs) < maxDocs && took < maxBytes {
		line, tooLong, n, err := readLine(s.br, maxJSONLine)
		if err != nil && err != io.EOF {
			return docs, probs, err
		}
		s.line++
		took += int64(n)
		s.read += int64(n)
		if tooLong {
			problem(s.line, "line longer than %d MB; skipped", maxJSONLine>>20)
		} else if len(bytes.TrimSpace(line)) > 0 {
			if d, reasons, bad := parseJSONLine(line, s.fields, s.strict); bad != "" {
				problem(s.line, "%s; line skipped", bad)
			} else {
				for _, why := range reasons {
					problem(s.line, "%s", why)
				}
				d.Line = s.line
				docs = append(docs, d)
				s.docs++
			}
		}
		if err == io.EOF {
			s.done = true
			if s.extra > 0 {
				probs = append(probs, Problem{Reason: fmt.Sprintf("%d more problems not listed", s.extra)})
			}
			return docs, probs, io.EOF
		}
	}
	return docs, probs, nil
}

// BytesRead is how many bytes of lines have been read so far.
func (s *JSONLScanner) BytesRead() int64 { return s.read }

// Err is, once Next returned io.EOF, why the whole file is unusable: no
// line held an article. nil when some did.
func (s *JSONLScanner) Err() error {
	if s.docs > 0 {
		return nil
	}
	if s.first == nil {
		return errors.New("empty file")
	}
	msg := "no usable line (" + s.first.String()
	if more := s.probs + s.extra - 1; more > 0 {
		msg += fmt.Sprintf(", and %d more", more)
	}
	return errors.New(msg + ")")
}

// readLine reads one line without its end of line. A line longer than max
// is consumed and reported as tooLong. n is the bytes consumed. err is
// io.EOF at the end of input.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, n int, err error) {
	var buf []byte
	for {
		chunk, e := br.ReadSlice('\n')
		n += len(chunk)
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
			return nil, false, n, e
		}
		buf = bytes.TrimRight(buf, "\r\n")
		return buf, tooLong, n, e
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

type jsonLine map[string]json.RawMessage

// parseJSONLine returns the article of a line, the optional fields dropped
// (as reasons), or why the whole line is unusable.
// strict: any bad value makes the line unusable (see ParseWrittenArticle).
func parseJSONLine(line []byte, fm FieldMap, strict bool) (d Doc, dropped []string, bad string) {
	if !utf8.Valid(line) {
		return d, nil, invalidUTF8(line)
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
	d, dropped, bad = obj.doc(fm)
	if strict && bad == "" {
		if err := obj.strict(fm, dropped); err != nil {
			return d, nil, err.Error()
		}
	}
	return d, dropped, bad
}

// ParseArticleJSON reads one article given as a JSON object (a line of an
// export, or the body of a write request) with the usual field names.
func ParseArticleJSON(data []byte) (d Doc, dropped []string, bad string) {
	return parseJSONLine(bytes.TrimSpace(data), nil, false)
}

// pick returns the first of the field's names the line holds (not null),
// else its first name.
func (o jsonLine) pick(fm FieldMap, field string) string {
	names := fm.names(field)
	for _, n := range names {
		if raw, ok := o[n]; ok && !isNull(raw) {
			return n
		}
	}
	return names[0]
}

// doc reads the article of a decoded line.
func (o jsonLine) doc(fm FieldMap) (d Doc, dropped []string, bad string) {
	id, why := o.id(o.pick(fm, FieldID))
	if why != "" {
		return d, nil, why
	}
	titleKey, bodyKey := o.pick(fm, FieldTitle), o.pick(fm, FieldBody)
	title, why := o.text(titleKey, true)
	if why != "" {
		return d, nil, why
	}
	body, why := o.text(bodyKey, true)
	if why != "" {
		return d, nil, why
	}
	d = Doc{ID: id, IDGiven: id != "", Title: tidyLine(title), Body: bodyText(body)}
	if err := schema.CheckText(titleKey, d.Title); err != nil {
		return d, nil, err.Error()
	}
	if err := schema.CheckText(bodyKey, d.Body); err != nil {
		return d, nil, err.Error()
	}
	if k := o.pick(fm, FieldDate); o[k] != nil && !isNull(o[k]) {
		if date, ok := jsonDate(o[k]); ok {
			d.Given.Date = date
		} else {
			dropped = append(dropped, fmt.Sprintf(`%q %s is not a date; field ignored`, k, short(o[k])))
		}
	}
	if k := o.pick(fm, FieldYear); o[k] != nil && !isNull(o[k]) {
		if y, ok := jsonYear(o[k]); ok {
			d.Given.Year = y
		} else {
			dropped = append(dropped, fmt.Sprintf(`%q %s is not a year; field ignored`, k, short(o[k])))
		}
	}
	for _, f := range []struct {
		field string
		dst   *string
	}{{FieldSource, &d.Given.Source}, {FieldURL, &d.Given.URL}} {
		s, why := o.text(o.pick(fm, f.field), false)
		if why != "" {
			dropped = append(dropped, why+"; field ignored")
			continue
		}
		*f.dst = tidyLine(s)
	}
	for _, f := range []struct {
		field string
		dst   *[]string
	}{{FieldDistricts, &d.Given.Districts}, {FieldTopics, &d.Given.Topics}} {
		l, why := o.list(o.pick(fm, f.field))
		if why != "" {
			dropped = append(dropped, why+"; field ignored")
			continue
		}
		*f.dst = l
	}
	dropped = append(dropped, o.govFields(fm, &d)...)
	if d.ID == "" && d.Given.URL != "" && len(d.Given.URL) <= MaxIDLen {
		d.ID = d.Given.URL // without an id, the url names the article
	}
	if len(d.ID) > MaxIDLen {
		return d, nil, fmt.Sprintf("id longer than %d bytes", MaxIDLen)
	}
	return d, dropped, ""
}

// id returns the optional id: a non-empty string or an integer.
func (o jsonLine) id(key string) (string, string) {
	raw, ok := o[key]
	if !ok || isNull(raw) {
		return "", ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s = strings.TrimSpace(s); s == "" {
			return "", fmt.Sprintf("%q is empty", key)
		}
		if err := schema.CheckID(s); err != nil {
			return "", renamed(err, key)
		}
		return s, ""
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if _, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
			return n.String(), ""
		}
	}
	return "", fmt.Sprintf(`%q must be a string or an integer, not %s`, key, jsonKind(raw))
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

// jsonYear reads a year given as a number or a string of digits (2012,
// "2012", "2012年").
func jsonYear(raw json.RawMessage) (int, bool) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	y, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(s), "年"))
	return y, err == nil && y >= 1949 && y <= 2100
}

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

// ScanJSONLIDs calls fn with the line and id of every line of an export that
// holds an article with an id (given, or its url), without reading the rest
// of the article: the indexer finds with it which line of an id is the last.
// A line the full read would skip for want of a title or body is not named.
func ScanJSONLIDs(r io.Reader, fm FieldMap, fn func(line int, id string)) error {
	sc, err := NewJSONLScanner(r, fm)
	if err != nil {
		return err
	}
	for n := 1; ; n++ {
		line, tooLong, _, err := readLine(sc.br, maxJSONLine)
		if err != nil && err != io.EOF {
			return err
		}
		if !tooLong && len(line) > 0 && utf8.Valid(line) {
			var obj jsonLine
			if json.Unmarshal(line, &obj) == nil && obj != nil {
				if id := obj.lightID(fm); id != "" {
					fn(n, id)
				}
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

// lightID is the id doc would give the line, or "" when doc would skip it
// or give it none.
func (o jsonLine) lightID(fm FieldMap) string {
	id, why := o.id(o.pick(fm, FieldID))
	if why != "" {
		return ""
	}
	for _, f := range []string{FieldTitle, FieldBody} {
		if s, why := o.text(o.pick(fm, f), true); why != "" || !schema.Visible(s) {
			return ""
		}
	}
	if id == "" {
		if u, why := o.text(o.pick(fm, FieldURL), false); why == "" {
			if u = tidyLine(u); len(u) <= MaxIDLen {
				id = u
			}
		}
	}
	if len(id) > MaxIDLen {
		return ""
	}
	return id
}
