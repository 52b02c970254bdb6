package source

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Meta holds values given by the input itself (front matter, HTML meta tags,
// JSON fields). Given values override inference.
type Meta struct {
	Title string
	Date  string
	// Year is the year the input gives (a JSON Lines or front matter
	// `year`), 0 when none;
	// a given Date supersedes it.
	Year      int `json:",omitempty"`
	Source    string
	URL       string
	Districts []string
	Topics    []string

	// What a government document states of itself: its metadata block
	// (信息公开), the number line under its title, the signature under its
	// text, or the fields of a JSON record. DocNo is normalised
	// (京政办发〔2016〕26号), Written is YYYY-MM-DD.
	DocNo    string   `json:",omitempty"`
	Issuer   []string `json:",omitempty"`
	Written  string   `json:",omitempty"`
	IndexNo  string   `json:",omitempty"`
	Category string   `json:",omitempty"`
	Validity string   `json:",omitempty"`
}

// Doc is one article as read from a file, before enrichment.
type Doc struct {
	// ID is the article's id as the input gives it (the `id` of a JSON
	// Lines record); empty for other formats.
	ID string `json:",omitempty"`
	// IDGiven is true when ID is the record's own `id` (not its url).
	IDGiven bool `json:",omitempty"`
	Title   string
	Body    string
	Line    int  // line of the file where it starts (1-based)
	Given   Meta // values given by the input for this article
}

// Page is what one input file holds.
type Page struct {
	Docs []Doc
	// Shared is true when the articles share the page's date (bulletin and
	// web pages); false when each carries its own (JSON Lines).
	Shared bool
	// Text is the page's whole text, for page-level inference (dates).
	Text string
	// Problems are parts of the file that were skipped or dropped while the
	// rest was read (a malformed line, a bad field).
	Problems []Problem
}

// Problem names a part of a file that could not be used, and why.
type Problem struct {
	Line   int // 0 when it concerns the whole file
	Reason string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("line %d: %s", p.Line, p.Reason)
	}
	return p.Reason
}

// ErrUnsupported is returned for a file whose extension no reader handles.
var ErrUnsupported = errors.New("unsupported file type")

// Supported reports whether a file name has an extension a reader handles.
func Supported(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".md", ".markdown", ".html", ".htm", ".shtml", ".jsonl", ".pdf", ".docx", ".doc", ".wps":
		return true
	}
	return false
}

// Read parses one input file by its extension. An error means nothing of the
// file is usable; partial problems are listed in Page.Problems. A PDF
// starts a PDF engine for this one call: to read many files, use a Reader.
func Read(name string, data []byte) (*Page, error) {
	r := NewReader(Options{})
	defer r.Close()
	return r.Read(context.Background(), name, data)
}

// readText parses the text formats, which need no engine.
func readText(name string, data []byte) (*Page, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".md", ".markdown":
		return ReadBulletin(data)
	case ".html", ".htm", ".shtml":
		return ReadHTML(data)
	case ".jsonl":
		return ReadJSONL(data)
	}
	return nil, ErrUnsupported
}

// ReadBulletin reads a plain-text or Markdown bulletin page: UTF-8 (with or
// without BOM) or GB18030, optional YAML front matter, one or more articles.
func ReadBulletin(data []byte) (*Page, error) {
	text, err := DecodeText(data)
	if err != nil {
		return nil, err
	}
	page := &Page{Shared: true}
	meta, rest, fmErr := splitFrontMatter(text)
	if fmErr != nil {
		page.Problems = append(page.Problems, Problem{Line: 1, Reason: "front matter ignored: " + fmErr.Error()})
	}
	page.Text = rest
	raws := SplitPage(rest)
	if len(raws) == 0 {
		return nil, errors.New("no text")
	}
	for _, r := range raws {
		d := Doc{Title: r.Title, Body: r.Body, Line: r.Line, Given: meta}
		if meta.Title != "" && len(raws) > 1 {
			// A page title names the page, not each of its articles.
			d.Given.Title = ""
		}
		page.Docs = append(page.Docs, d)
	}
	return page, nil
}

// splitFrontMatter separates YAML front matter (between `---` lines at the
// very top) from the text. Malformed front matter is reported and dropped;
// the text after it is still returned.
func splitFrontMatter(text string) (Meta, string, error) {
	var m Meta
	t := strings.TrimLeft(text, "\ufeff")
	if !strings.HasPrefix(t, "---") {
		return m, text, nil
	}
	nl := strings.IndexByte(t, '\n')
	if nl < 0 || strings.TrimSpace(t[:nl]) != "---" {
		return m, text, nil
	}
	body := t[nl+1:]
	end := -1
	for off := 0; off < len(body); {
		i := strings.IndexByte(body[off:], '\n')
		line := body[off:]
		if i >= 0 {
			line = body[off : off+i]
		}
		if s := strings.TrimSpace(line); s == "---" || s == "..." {
			end = off
			break
		}
		if i < 0 {
			break
		}
		off += i + 1
	}
	if end < 0 {
		return m, text, nil // no closing line: not front matter
	}
	yml := body[:end]
	rest := body[end:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[i+1:]
	} else {
		rest = ""
	}
	// Keep the line count: the front matter lines become blank lines.
	rest = strings.Repeat("\n", strings.Count(text[:len(text)-len(rest)], "\n")) + rest
	var raw struct {
		Title     string      `yaml:"title"`
		Date      interface{} `yaml:"date"`
		Year      interface{} `yaml:"year"`
		Source    string      `yaml:"source"`
		URL       string      `yaml:"url"`
		Districts stringList  `yaml:"districts"`
		Topics    stringList  `yaml:"topics"`
	}
	if err := yaml.Unmarshal([]byte(yml), &raw); err != nil {
		return m, rest, fmt.Errorf("bad YAML: %v", err)
	}
	m = Meta{Title: strings.TrimSpace(raw.Title), Source: strings.TrimSpace(raw.Source), URL: strings.TrimSpace(raw.URL),
		Districts: raw.Districts, Topics: raw.Topics}
	if raw.Date != nil {
		d, ok := NormalizeDate(fmt.Sprint(raw.Date))
		if !ok {
			return m, rest, fmt.Errorf("date %q is not YYYY-MM-DD", fmt.Sprint(raw.Date))
		}
		m.Date = d
	}
	if raw.Year != nil {
		y, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(fmt.Sprint(raw.Year)), "年"))
		if err != nil || y < 1949 || y > 2100 {
			return m, rest, fmt.Errorf("year %q is not a year", fmt.Sprint(raw.Year))
		}
		m.Year = y
	}
	return m, rest, nil
}

// stringList accepts a YAML list or a single comma/、-separated string.
type stringList []string

func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.SequenceNode:
		var v []string
		if err := n.Decode(&v); err != nil {
			return err
		}
		*l = cleanList(v)
	case yaml.ScalarNode:
		*l = cleanList(strings.FieldsFunc(n.Value, func(r rune) bool { return r == ',' || r == '，' || r == '、' }))
	default:
		return fmt.Errorf("want a list of names")
	}
	return nil
}

func cleanList(v []string) []string {
	var out []string
	for _, s := range v {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// NormalizeDate accepts YYYY-MM-DD (also with / or . and without leading
// zeros, or a YAML timestamp) and returns it as YYYY-MM-DD.
func NormalizeDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 10 && strings.Contains(s, " ") { // YAML timestamps print with a time
		s = s[:strings.IndexByte(s, ' ')]
	}
	if i := strings.IndexByte(s, 'T'); i == 10 {
		s = s[:10]
	}
	f := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' || r == '.' })
	if len(f) != 3 {
		return "", false
	}
	var y, mo, d int
	if _, err := fmt.Sscanf(f[0]+" "+f[1]+" "+f[2], "%d %d %d", &y, &mo, &d); err != nil {
		return "", false
	}
	if !ValidDate(y, mo, d) {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, d), true
}
