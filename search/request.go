package search

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/internal/errs"
)

// Limits on requests.
const (
	MaxQueryRunes  = 200
	DefaultSize    = 10
	MaxSize        = 50
	MaxWindow      = 10000 // page × size
	MaxFilterVals  = 20    // values of one facet filter
	MaxFilterRunes = 40
)

// Request is one search.
type Request struct {
	Query     string
	Districts []string // OR-ed
	Topics    []string // OR-ed
	Years     []int    // OR-ed
	DateFrom  string   // YYYY-MM-DD, inclusive
	DateTo    string   // YYYY-MM-DD, inclusive
	Sort      string   // "relevance" (default) or "date"
	Page      int      // from 1
	Size      int      // 1..MaxSize
}

// Normalize fills defaults and validates the request.
func (r *Request) Normalize() error {
	r.Query = strings.TrimSpace(r.Query)
	if utf8.RuneCountInString(r.Query) > MaxQueryRunes {
		return errs.Errorf(errs.Invalid, "query_too_long", "query is longer than %d characters", MaxQueryRunes)
	}
	if r.Page == 0 {
		r.Page = 1
	}
	if r.Size == 0 {
		r.Size = DefaultSize
	}
	if r.Page < 1 {
		return errs.Errorf(errs.Invalid, "invalid_page", "page must be 1 or more")
	}
	if r.Size < 1 || r.Size > MaxSize {
		return errs.Errorf(errs.Invalid, "invalid_size", "size must be between 1 and %d", MaxSize)
	}
	if r.Page > MaxWindow/r.Size {
		return errs.Errorf(errs.Invalid, "page_too_deep", "page × size must not exceed %d", MaxWindow)
	}
	switch r.Sort {
	case "":
		r.Sort = "relevance"
	case "relevance", "date":
	default:
		return errs.Errorf(errs.Invalid, "invalid_sort", "sort must be relevance or date")
	}
	for _, vs := range [][]string{r.Districts, r.Topics} {
		if len(vs) > MaxFilterVals {
			return errs.Errorf(errs.Invalid, "too_many_values", "at most %d values per filter", MaxFilterVals)
		}
		for _, v := range vs {
			if v == "" || utf8.RuneCountInString(v) > MaxFilterRunes {
				return errs.Errorf(errs.Invalid, "invalid_filter", "filter values must be 1 to %d characters", MaxFilterRunes)
			}
		}
	}
	if len(r.Years) > MaxFilterVals {
		return errs.Errorf(errs.Invalid, "too_many_values", "at most %d values per filter", MaxFilterVals)
	}
	for _, y := range r.Years {
		if y < 1900 || y > 2200 {
			return errs.Errorf(errs.Invalid, "invalid_year", "year %d is out of range", y)
		}
	}
	for _, d := range []*string{&r.DateFrom, &r.DateTo} {
		if *d == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", *d)
		if err != nil {
			return errs.Errorf(errs.Invalid, "invalid_date", "dates must be YYYY-MM-DD")
		}
		*d = t.Format("2006-01-02")
	}
	if r.DateFrom != "" && r.DateTo != "" && r.DateFrom > r.DateTo {
		return errs.Errorf(errs.Invalid, "invalid_date_range", "date_from is after date_to")
	}
	return nil
}

// ParseRequest reads a search request from URL parameters (the search API), as
// the HTTP API and the command line's search give them. Call Normalize (as
// Search does) to fill defaults and check limits.
func ParseRequest(q map[string][]string) (Request, error) {
	one := func(name string) (string, error) {
		v := q[name]
		if len(v) > 1 {
			return "", errs.Errorf(errs.Invalid, "repeated_parameter", "parameter %s given more than once", name)
		}
		if len(v) == 0 {
			return "", nil
		}
		return v[0], nil
	}
	var req Request
	var err error
	if req.Query, err = one("q"); err != nil {
		return req, err
	}
	if req.Sort, err = one("sort"); err != nil {
		return req, err
	}
	if req.DateFrom, err = one("date_from"); err != nil {
		return req, err
	}
	if req.DateTo, err = one("date_to"); err != nil {
		return req, err
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"page", &req.Page}, {"size", &req.Size}} {
		v, err := one(p.name)
		if err != nil {
			return req, err
		}
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return req, errs.Errorf(errs.Invalid, "invalid_"+p.name, "%s must be a positive whole number", p.name)
		}
		*p.dst = n
	}
	req.Districts = nonEmpty(q["district"])
	req.Topics = nonEmpty(q["topic"])
	for _, y := range nonEmpty(q["year"]) {
		n, err := ParseYear(y)
		if err != nil {
			return req, err
		}
		req.Years = append(req.Years, n)
	}
	return req, nil
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// ParseYear parses a year parameter.
func ParseYear(s string) (int, error) {
	y, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, errs.Errorf(errs.Invalid, "invalid_year", "year must be a number like 2024")
	}
	return y, nil
}

// Response is the answer to a search (GET /api/search).
type Response struct {
	Query      string             `json:"query"`
	Total      uint64             `json:"total"`
	TookMS     float64            `json:"took_ms"`
	Page       int                `json:"page"`
	Size       int                `json:"size"`
	Hits       []Hit              `json:"hits"`
	Facets     map[string][]Facet `json:"facets"`
	DidYouMean string             `json:"did_you_mean,omitempty"`
	Relaxed    bool               `json:"relaxed,omitempty"`
}

// Hit is one result.
type Hit struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Date      string   `json:"date"`
	Year      int      `json:"year"`
	Districts []string `json:"districts"`
	Topics    []string `json:"topics"`
	Source    string   `json:"source"`
	URL       string   `json:"url"`
	Snippet   string   `json:"snippet"`
	Score     float64  `json:"score"`
	Pinned    bool     `json:"pinned,omitempty"` // placed first by an editor (pins.go)
}

// Facet is one value of a facet with its count.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

func (r Request) String() string {
	return fmt.Sprintf("q=%q districts=%v topics=%v years=%v from=%s to=%s sort=%s page=%d size=%d",
		r.Query, r.Districts, r.Topics, r.Years, r.DateFrom, r.DateTo, r.Sort, r.Page, r.Size)
}
