package search

import (
	"errors"
	"net/url"
	"regexp"
	"testing"

	"github.com/govbulletin/bulletin/internal/errs"
)

var ymd = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// FuzzParseRequest: whatever the query string, parsing and validating a
// search request never panics, every refusal is an *errs.Error of kind
// errs.Invalid (a 400), and an accepted request is within every limit.
// Seed corpus: testdata/fuzz/FuzzParseRequest.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{
		"q=养老驿站",
		"q=%E5%85%BB&district=昌平区&district=海淀区&topic=教育&year=2021&year=2022",
		"q=a&q=b",
		"page=0&size=51",
		"page=201&size=50",
		"page=99999999999999999999",
		"size=-1",
		"year=abc",
		"year=1800",
		"date_from=2023-02-30",
		"date_from=2023-05-01&date_to=2022-01-01",
		"sort=score",
		"q=%ff%fe%00",
		"district=" + string(make([]byte, 100)),
		"issuer=北京市民政局&issuer=北京市财政局&type=政策文件",
		"type=%ff",
		"q=*?~^:()[]{}\"\\/+-!&&||",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		vals, _ := url.ParseQuery(raw) // what gin hands over: the pairs that parse
		req, err := ParseRequest(vals)
		if err == nil {
			err = req.Normalize()
		}
		if err != nil {
			var e *errs.Error
			if !errors.As(err, &e) || e.Kind != errs.Invalid || e.Code == "" || e.Message == "" {
				t.Fatalf("%q: error %#v is not an *errs.Error of kind errs.Invalid (a 400)", raw, err)
			}
			return
		}
		switch {
		case req.Page < 1, req.Size < 1, req.Size > MaxSize, req.Page*req.Size > MaxWindow:
			t.Fatalf("%q: accepted page %d size %d", raw, req.Page, req.Size)
		case req.Sort != "relevance" && req.Sort != "date":
			t.Fatalf("%q: accepted sort %q", raw, req.Sort)
		case len([]rune(req.Query)) > MaxQueryRunes:
			t.Fatalf("%q: accepted a query of %d runes", raw, len([]rune(req.Query)))
		case len(req.Districts) > MaxFilterVals, len(req.Topics) > MaxFilterVals, len(req.Years) > MaxFilterVals,
			len(req.Issuers) > MaxFilterVals, len(req.Types) > MaxFilterVals:
			t.Fatalf("%q: accepted too many filter values", raw)
		case req.DateFrom != "" && !ymd.MatchString(req.DateFrom), req.DateTo != "" && !ymd.MatchString(req.DateTo):
			t.Fatalf("%q: accepted dates %q %q", raw, req.DateFrom, req.DateTo)
		case req.DateFrom != "" && req.DateTo != "" && req.DateFrom > req.DateTo:
			t.Fatalf("%q: accepted an empty date range", raw)
		}
		for _, y := range req.Years {
			if y < 1900 || y > 2200 {
				t.Fatalf("%q: accepted year %d", raw, y)
			}
		}
		for _, vs := range [][]string{req.Districts, req.Topics, req.Issuers, req.Types} {
			for _, v := range vs {
				if v == "" || len([]rune(v)) > MaxFilterRunes {
					t.Fatalf("%q: accepted filter value %q", raw, v)
				}
			}
		}
	})
}
