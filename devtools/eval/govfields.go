package eval

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/govbulletin/bulletin/indexer/enrich"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
)

// govFieldColumns are the columns of testdata/govdocs/expected.tsv after
// `file`, in order: the government-document fields of an article, its type
// and its date.
var govFieldColumns = []string{"doc_no", "issuer", "written", "index_no", "category", "validity", "type", "date"}

// FieldScore is how many articles of the dev set have one field right.
type FieldScore struct {
	Field    string  `json:"field"`
	Right    int     `json:"right"`
	Total    int     `json:"total"`
	Accuracy float64 `json:"accuracy"`
}

// FieldsReport is the field accuracy on the government-document dev set
// (testdata/govdocs): for each field, the share of articles whose value
// is the expected one exactly (an expected empty value must be empty too).
type FieldsReport struct {
	Articles int          `json:"articles"`
	Fields   []FieldScore `json:"fields"`
	Overall  float64      `json:"overall"`
	Misses   []string     `json:"misses,omitempty"`
}

// govFieldValue is one field of an article as expected.tsv writes it
// (issuers joined by ;).
func govFieldValue(a *schema.Article, field string) string {
	switch field {
	case "doc_no":
		return a.DocNo
	case "issuer":
		return strings.Join(a.Issuer, ";")
	case "written":
		return a.Written
	case "index_no":
		return a.IndexNo
	case "category":
		return a.Category
	case "validity":
		return a.Validity
	case "type":
		return a.Type
	case "date":
		return a.Date
	}
	return ""
}

// RunGovFields reads every file of testdata/govdocs that expected.tsv names
// with the indexer's readers and enrichment, and scores the fields. A row's
// file is `NAME` (the file's first article) or `NAME#N` (its N-th).
func RunGovFields(ctx context.Context, root string) (*FieldsReport, error) {
	dir := filepath.Join(root, "testdata", "govdocs")
	f, err := os.Open(filepath.Join(dir, "expected.tsv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	en, err := enrich.New(enrich.Config{})
	if err != nil {
		return nil, err
	}
	rd := source.NewReader(source.Options{OCR: source.OCROff})
	defer rd.Close()
	pages := map[string][]enrich.Article{}
	scores := make([]FieldScore, len(govFieldColumns))
	for i, name := range govFieldColumns {
		scores[i].Field = name
	}
	rep := &FieldsReport{}
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		if line == 1 || strings.TrimSpace(sc.Text()) == "" || strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 1+len(govFieldColumns) {
			return nil, fmt.Errorf("expected.tsv line %d: %d columns, want %d", line, len(cols), 1+len(govFieldColumns))
		}
		name, nth := cols[0], 1
		if base, n, ok := strings.Cut(cols[0], "#"); ok {
			if nth, err = strconv.Atoi(n); err != nil || nth < 1 {
				return nil, fmt.Errorf("expected.tsv line %d: bad article number %q", line, n)
			}
			name = base
		}
		arts, ok := pages[name]
		if !ok {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				return nil, err
			}
			page, err := rd.Read(ctx, name, data)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			arts = en.Articles(page, name, func(i int, given string) string {
				if given != "" {
					return given
				}
				return name + "#" + strconv.Itoa(i+1)
			})
			pages[name] = arts
		}
		if nth > len(arts) {
			return nil, fmt.Errorf("expected.tsv line %d: %s has %d articles", line, name, len(arts))
		}
		a := arts[nth-1].Article
		rep.Articles++
		for i, field := range govFieldColumns {
			want, got := cols[1+i], govFieldValue(a, field)
			scores[i].Total++
			if got == want {
				scores[i].Right++
			} else {
				rep.Misses = append(rep.Misses, fmt.Sprintf("%s %s: got %q, want %q", cols[0], field, got, want))
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	right, total := 0, 0
	for i := range scores {
		if scores[i].Total > 0 {
			scores[i].Accuracy = float64(scores[i].Right) / float64(scores[i].Total)
		}
		right += scores[i].Right
		total += scores[i].Total
	}
	if total > 0 {
		rep.Overall = float64(right) / float64(total)
	}
	rep.Fields = scores
	return rep, nil
}

// Print writes the report as a table.
func (rep *FieldsReport) Print(w io.Writer) {
	fmt.Fprintf(w, "government-document fields (testdata/govdocs, %d articles)\n", rep.Articles)
	for _, s := range rep.Fields {
		fmt.Fprintf(w, "  %-9s %3d/%-3d %.3f\n", s.Field, s.Right, s.Total, s.Accuracy)
	}
	fmt.Fprintf(w, "  %-9s         %.3f\n", "overall", rep.Overall)
	for _, m := range rep.Misses {
		fmt.Fprintf(w, "  miss: %s\n", m)
	}
}
