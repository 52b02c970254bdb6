package eval

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"

	"github.com/govbulletin/bulletin/indexer/enrich"
	"github.com/govbulletin/bulletin/indexer/source"
)

// YearFigures count documents of one kind whose year came out right.
type YearFigures struct {
	Documents int `json:"documents"`
	Right     int `json:"right"`
}

// Share is Right / Documents (0 with no documents).
func (f YearFigures) Share() float64 {
	if f.Documents == 0 {
		return 0
	}
	return float64(f.Right) / float64(f.Documents)
}

// reAdoption finds an adoption line, to count the resolutions that carry one.
var reAdoption = regexp.MustCompile(`[（(]\d{4}年\d{1,2}月\d{1,2}日[^（）()]{0,60}通过[）)]`)

// reportYears reads the work reports as the indexer reads a JSON Lines
// export and checks each document's year: the reports (their `year`
// field) with the field given, with it stripped, and from their text alone
// (the field stripped and the year cut from the title), and the resolutions
// on them (their session's year, in testdata/real/report-years.tsv),
// all of them and those with an adoption line.
func (rep *RealReport) reportYears(path, expectedPath string, en *enrich.Enricher) error {
	want, err := loadYears(expectedPath)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	dec := json.NewDecoder(zr)
	for dec.More() {
		var r map[string]any
		if err := dec.Decode(&r); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		title, _ := r["title"].(string)
		content, _ := r["content"].(string)
		var given int
		switch y := r["year"].(type) {
		case string:
			given, _ = strconv.Atoi(y)
		case float64:
			given = int(y)
		}
		if given > 0 {
			for _, c := range []struct {
				fig   *YearFigures
				strip bool
			}{{&rep.ReportYears, false}, {&rep.ReportYearsStripped, true}} {
				rec := map[string]any{"title": title, "content": content}
				if !c.strip {
					rec["year"] = given
				}
				got, err := yearOf(rec, en)
				if err != nil {
					return fmt.Errorf("%s: %q: %w", path, title, err)
				}
				c.fig.Documents++
				if got == given {
					c.fig.Right++
				} else {
					rep.Problems = append(rep.Problems, fmt.Sprintf("report %q (year field given: %v) dated %d, want %d", title, !c.strip, got, given))
				}
			}
			// From the text alone: no field, and the title without its year.
			bare := strings.Replace(title, strconv.Itoa(given)+"年", "", 1)
			got, err := yearOf(map[string]any{"title": bare, "content": content}, en)
			if err != nil {
				return fmt.Errorf("%s: %q: %w", path, title, err)
			}
			rep.ReportYearsTextOnly.Documents++
			if got == given {
				rep.ReportYearsTextOnly.Right++
			}
			continue
		}
		y, ok := want[title]
		if !ok {
			continue
		}
		got, err := yearOf(map[string]any{"title": title, "content": content}, en)
		if err != nil {
			return fmt.Errorf("%s: %q: %w", path, title, err)
		}
		figs := []*YearFigures{&rep.ResolutionYears}
		if reAdoption.MatchString(content) {
			figs = append(figs, &rep.AdoptedYears)
		}
		for _, fig := range figs {
			fig.Documents++
			if got == y {
				fig.Right++
			}
		}
		if got != y {
			rep.Problems = append(rep.Problems, fmt.Sprintf("resolution %q dated %d, want %d", title, got, y))
		}
	}
	return nil
}

// yearOf indexes one JSON Lines record as the indexer does and returns
// its year.
func yearOf(rec map[string]any, en *enrich.Enricher) (int, error) {
	line, err := json.Marshal(rec)
	if err != nil {
		return 0, err
	}
	page, err := source.ReadJSONL(line)
	if err != nil {
		return 0, err
	}
	if len(page.Docs) != 1 {
		return 0, fmt.Errorf("read %d documents from one line (%v)", len(page.Docs), page.Problems)
	}
	arts := en.Articles(page, "reports.jsonl", func(i int, given string) string { return strconv.Itoa(i) })
	return arts[0].Year, nil
}

// loadYears reads `title<TAB>year` lines after a header.
func loadYears(path string) (map[string]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if n == 1 || strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		title, year, ok := strings.Cut(sc.Text(), "\t")
		y, err := strconv.Atoi(strings.TrimSpace(year))
		if !ok || err != nil {
			return nil, fmt.Errorf("%s:%d: want title, year", path, n)
		}
		out[strings.TrimSpace(title)] = y
	}
	return out, sc.Err()
}
