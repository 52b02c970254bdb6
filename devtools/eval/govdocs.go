package eval

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/blevesearch/bleve/v2/document"

	"github.com/govbulletin/bulletin/devtools/govcases"
	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/govdoc"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/embedded"
)

// GovdocReport is what the search box's syntax and search by document
// number achieve on testdata/govsyntax.
type GovdocReport struct {
	Articles int `json:"articles"`
	// Cases and CasesRight: the cases of cases.tsv, and those answered
	// right (first, must and must-not all met).
	Cases      int      `json:"cases"`
	CasesRight int      `json:"cases_right"`
	Wrong      []string `json:"wrong,omitempty"`
	// NumberQueries: every article's document number typed in each
	// bracket form (〔〕 [] （） 【】) and in traditional script; FirstRight
	// of them found that article first; Foreign counts hits that neither
	// bear nor cite the number.
	NumberQueries int `json:"number_queries"`
	FirstRight    int `json:"first_right"`
	Foreign       int `json:"foreign_hits"`
	// Hostile inputs (200 '-' signs, nested quotes, a 10,000-character
	// number, …) and those answered, or refused as a bad request, without
	// an internal error.
	Hostile         int `json:"hostile"`
	HostileAnswered int `json:"hostile_answered"`
}

// RunGovdocs indexes testdata/govsyntax (the build reads the texts; the
// articles' numbers and issuers are given through the write path, as the
// write API gives them) and measures the cases, number queries and
// hostile inputs.
func RunGovdocs(ctx context.Context, root string) (*GovdocReport, error) {
	dir := filepath.Join(root, "testdata", "govsyntax")
	arts, err := govcases.Articles(filepath.Join(dir, "articles.jsonl"))
	if err != nil {
		return nil, err
	}
	cases, err := govcases.Cases(filepath.Join(dir, "cases.tsv"))
	if err != nil {
		return nil, err
	}
	idx, err := os.MkdirTemp("", "bulletin-govdocs-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(idx)
	if _, err := indexer.Build(ctx, idx, indexer.Config{}, filepath.Join(dir, "articles.jsonl")); err != nil {
		return nil, err
	}
	replay := func(_ int64, a embedded.LiveApplier) error {
		docs := make([]*document.Document, len(arts))
		for i, art := range arts {
			docs[i] = indexer.Document(art, analysis.Normalize(art.Title), analysis.Normalize(art.Body), a.Segmenter())
		}
		return a.Apply(docs, arts, nil)
	}
	eng, err := embedded.Open(idx, embedded.Options{Poll: -1, Live: &embedded.LiveOptions{Replay: replay}})
	if err != nil {
		return nil, err
	}
	defer eng.Close()

	rep := &GovdocReport{Articles: len(arts), Cases: len(cases)}
	for _, c := range cases {
		r, err := eng.Search(ctx, search.Request{Query: c.Query, Size: search.MaxSize})
		if err != nil {
			return nil, fmt.Errorf("%q: %w", c.Query, err)
		}
		if bad := c.Judge(ids(r)); len(bad) > 0 {
			rep.Wrong = append(rep.Wrong, fmt.Sprintf("%s: %s", c.Query, strings.Join(bad, "; ")))
			continue
		}
		rep.CasesRight++
	}
	byID := map[string]*schema.Article{}
	for _, a := range arts {
		byID[a.ID] = a
	}
	for _, a := range arts {
		n, ok := govdoc.Parse(a.DocNo)
		if !ok {
			continue
		}
		for _, q := range numberForms(n) {
			rep.NumberQueries++
			r, err := eng.Search(ctx, search.Request{Query: q, Size: search.MaxSize})
			if err != nil {
				return nil, fmt.Errorf("%q: %w", q, err)
			}
			if len(r.Hits) > 0 && r.Hits[0].ID == a.ID {
				rep.FirstRight++
			} else {
				rep.Wrong = append(rep.Wrong, fmt.Sprintf("%s: first %v, want %s", q, ids(r), a.ID))
			}
			for _, h := range r.Hits {
				if !holds(byID[h.ID], n) {
					rep.Foreign++
					rep.Wrong = append(rep.Wrong, fmt.Sprintf("%s: %s holds no such number", q, h.ID))
				}
			}
		}
	}
	for _, q := range hostileQueries() {
		rep.Hostile++
		_, err := eng.Search(ctx, search.Request{Query: q})
		var e *errs.Error
		if err == nil || errors.As(err, &e) && errs.KindOf(err) == errs.Invalid {
			rep.HostileAnswered++
		} else {
			rep.Wrong = append(rep.Wrong, fmt.Sprintf("hostile %.30q: %v", q, err))
		}
	}
	return rep, nil
}

// numberForms is n as people type it: every bracket pair, and the
// traditional script.
func numberForms(n govdoc.Number) []string {
	y, s := fmt.Sprint(n.Year), fmt.Sprint(n.Serial)
	trad := strings.NewReplacer("发", "發", "办", "辦", "号", "號", "鲁", "魯", "国", "國", "京", "京")
	return []string{
		n.String(),
		n.Prefix + "[" + y + "]" + s + "号",
		n.Prefix + "（" + y + "）" + s + "号",
		n.Prefix + "【" + y + "】" + s + "号",
		trad.Replace(n.String()),
	}
}

// holds reports an article that bears or cites n.
func holds(a *schema.Article, n govdoc.Number) bool {
	if a == nil {
		return false
	}
	for _, k := range govdoc.CitedKeys(a.DocNo, a.Title, a.Body) {
		if k == n.String() {
			return true
		}
	}
	return false
}

func hostileQueries() []string {
	return []string{
		strings.Repeat("-", 200), strings.Repeat("- ", 100), `"""""""`, `"“"a" "b"”"`, `-"-"-"`,
		`标题:"" 文号: 发文机关:-`, `| | OR | -`, `"养老 | 驿站" -"养老"`,
		strings.Repeat("京", 9990) + "〔2015〕17号", "京政发〔2015〕" + strings.Repeat("1", 10000) + "号",
		strings.Repeat("京政发〔2015〕17号", 10),
	}
}

func ids(r *search.Response) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ID
	}
	return out
}

// Print writes the report.
func (r *GovdocReport) Print(w io.Writer) {
	fmt.Fprintf(w, "government documents: %d articles (testdata/govsyntax)\n", r.Articles)
	fmt.Fprintf(w, "syntax and number cases right:     %d / %d\n", r.CasesRight, r.Cases)
	fmt.Fprintf(w, "number queries, document at rank 1: %d / %d (%.4f); hits lacking the number: %d\n",
		r.FirstRight, r.NumberQueries, share(r.FirstRight, r.NumberQueries), r.Foreign)
	fmt.Fprintf(w, "hostile queries answered:           %d / %d\n", r.HostileAnswered, r.Hostile)
	for _, s := range r.Wrong {
		fmt.Fprintln(w, "  wrong:", s)
	}
}

func share(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
