package enrich

import (
	"slices"
	"strconv"
	"strings"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/govdoc"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
)

// Article is an article with its metadata, and its title and body
// normalised for analysis.
type Article struct {
	*schema.Article
	NormTitle, NormBody string
}

// Articles makes the articles of a page read from a file, with their
// metadata. id gives the i-th article's id; sourceName is the file's name.
//
// The rules of precedence, field by field:
//   - title, source, url, date, districts and topics given by the input
//     (front matter, HTML meta tags, JSON fields) override what is read or
//     inferred; given districts are mapped to the region's names (昌平 →
//     昌平区), given topics kept as given;
//   - otherwise the title is the one the page splitter found and the
//     source is the file's name;
//   - the date: a given date; else a given year (JSON Lines `year`), with
//     the date the text states if it falls in that year; on a shared page
//     (several articles of one bulletin page), the page's date, inferred
//     from the whole page; otherwise (a document of its own: a JSON Lines
//     record, a file holding one article) what it states of itself (the
//     year of its title or document number, its dateline, speech, adoption
//     or signing line: DocDate), else the year its text names, else none;
//   - districts: the district of Config.District (index --district) first,
//     then those inferred from the article's own text. A page's district
//     is never inferred from one article and spread to the others: it
//     applies only when given (front matter, --district, JSON/API fields);
//   - topics: inferred from the article;
//   - the government-document fields (doc_no, issuer, written, index_no,
//     category, validity) as the input states them (see govFields), and
//     the type for every article.
func (e *Enricher) Articles(page *source.Page, sourceName string, id func(i int, given string) string) []Article {
	var (
		pageDate string
		pageYear int
		normPage string // the page's text, normalised once for page-level inference
	)
	if page.Shared && len(page.Docs) > 1 {
		normPage = analysis.Normalize(page.Text)
		pageDate, pageYear = PageDate(normPage)
	}
	out := make([]Article, 0, len(page.Docs))
	for i, d := range page.Docs {
		a := &schema.Article{
			ID:     id(i, d.ID),
			Title:  strings.TrimSpace(analysis.CleanText(d.Title)),
			Body:   strings.TrimSpace(analysis.CleanText(d.Body)),
			Source: sourceName,
			URL:    d.Given.URL,
		}
		if d.Given.Title != "" {
			a.Title = analysis.CleanText(d.Given.Title)
		}
		if d.Given.Source != "" {
			a.Source = d.Given.Source
		}
		normTitle, normBody := analysis.Normalize(a.Title), analysis.Normalize(a.Body)
		switch {
		case d.Given.Date != "":
			a.Date = d.Given.Date
			a.Year, _ = strconv.Atoi(a.Date[:4])
		case d.Given.Year != 0:
			a.Year = d.Given.Year
			a.Date = GivenYear(normTitle, normBody, a.Year)
		case page.Shared && len(page.Docs) > 1:
			a.Date, a.Year = pageDate, pageYear
		default:
			a.Date, a.Year = DocDate(normTitle, normBody)
		}
		govFields(a, d.Given)
		if len(d.Given.Districts) > 0 {
			for _, x := range d.Given.Districts {
				a.Districts = appendUnique(a.Districts, e.CanonicalDistrict(x))
			}
		} else {
			if e.district != "" {
				a.Districts = []string{e.district}
			}
			for _, x := range e.Districts(normTitle, normBody) {
				a.Districts = appendUnique(a.Districts, x)
			}
		}
		if len(d.Given.Topics) > 0 {
			for _, x := range d.Given.Topics {
				a.Topics = appendUnique(a.Topics, strings.TrimSpace(x))
			}
		} else {
			a.Topics = e.Topics(normTitle, normBody)
		}
		if a.Districts == nil {
			a.Districts = []string{}
		}
		if a.Topics == nil {
			a.Topics = []string{}
		}
		out = append(out, Article{Article: a, NormTitle: normTitle, NormBody: normBody})
	}
	return out
}

func appendUnique(xs []string, x string) []string {
	if x == "" {
		return xs
	}
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// govFields sets the government-document fields of a from what its input
// states (its metadata block, number line and signature, or its JSON
// fields), and its type. A document's number gives its year when nothing
// else did; the date it was written gives its date when it falls in the
// year found (or none was).
func govFields(a *schema.Article, g source.Meta) {
	a.DocNo, a.Written = g.DocNo, g.Written
	a.IndexNo, a.Category, a.Validity = g.IndexNo, g.Category, g.Validity
	// An office is one facet value whatever script or width its page
	// printed it in (國務院 and 国务院 are one issuer).
	a.Issuer = make([]string, 0, len(g.Issuer))
	for _, is := range g.Issuer {
		if is = analysis.Normalize(is); !slices.Contains(a.Issuer, is) {
			a.Issuer = append(a.Issuer, is)
		}
	}
	if a.DocNo != "" && a.Year == 0 {
		if n, ok := govdoc.Parse(a.DocNo); ok {
			a.Year = n.Year
		}
	}
	if a.Written != "" && a.Date == "" && (a.Year == 0 || a.Written[:4] == strconv.Itoa(a.Year)) {
		a.Date = a.Written
		a.Year, _ = strconv.Atoi(a.Written[:4])
	}
	a.Type = govdoc.Type(a.Title, govdoc.Fields{DocNo: a.DocNo, Issuer: a.Issuer, Written: a.Written})
}
