package embedded

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/document"

	"github.com/govbulletin/bulletin/devtools/govcases"
	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/search"
)

const govDir = "../../testdata/govsyntax/"

// openGovdocs indexes the government documents of testdata/govsyntax: the
// build reads their text (the numbers they cite), and the write path
// (Replay) gives them their document numbers and issuers, as the write API
// does for an article that states them.
func openGovdocs(t testing.TB) *Engine {
	t.Helper()
	arts, err := govcases.Articles(govDir + "articles.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(govDir + "articles.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	replay := func(_ int64, a LiveApplier) error {
		docs := make([]*document.Document, len(arts))
		for i, art := range arts {
			docs[i] = indexer.Document(art, analysis.Normalize(art.Title), analysis.Normalize(art.Body), a.Segmenter())
		}
		return a.Apply(docs, arts, nil)
	}
	return openCorpus(t, map[string]string{"articles.jsonl": string(raw)}, Options{Poll: -1, Live: &LiveOptions{Replay: replay}})
}

func hitIDs(r *search.Response) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

// Every case of testdata/govsyntax/cases.tsv: numbers in any bracket form
// find their document first, then those citing it, nothing else;
// exclusions, scopes, phrases and alternatives; broken syntax is text.
func TestGovdocCases(t *testing.T) {
	e := openGovdocs(t)
	cases, err := govcases.Cases(govDir + "cases.tsv")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range cases {
		r, err := e.Search(ctx, search.Request{Query: c.Query, Size: search.MaxSize})
		if err != nil {
			t.Errorf("line %d %q: %v", c.Line, c.Query, err)
			continue
		}
		if bad := c.Judge(hitIDs(r)); len(bad) > 0 {
			t.Errorf("line %d %q: %s (hits %v)", c.Line, c.Query, strings.Join(bad, "; "), hitIDs(r))
		}
	}
}

// Plain queries still find what they found.
func TestGovdocPlainUnchanged(t *testing.T) {
	e := openGovdocs(t)
	ctx := context.Background()
	for _, q := range []string{"养老", "养老服务业 发展", "京政发"} {
		r, err := e.Search(ctx, search.Request{Query: q})
		if err != nil || r.Total == 0 {
			t.Errorf("%q: %+v %v", q, r, err)
		}
	}
}

// Snippets mark the number as the text prints it, whatever brackets the
// query used, and the phrase of a phrase query.
func TestGovdocSnippets(t *testing.T) {
	e := openGovdocs(t)
	ctx := context.Background()
	for _, c := range []struct{ q, id, mark string }{
		{"国发〔2013〕35号", "gov-2019-5", "<mark>国发[2013]35号</mark>"},
		{"国发[2013]35号", "sd-2015-17", "<mark>国发（2013）35号</mark>"},
		{"京政发〔2015〕17号", "bj-2016-26", "<mark>京政发〔2015〕17号</mark>"},
		{`"养老服务驿站" -山东`, "news-jd-17", "<mark>养老服务驿站</mark>"},
	} {
		r, err := e.Search(ctx, search.Request{Query: c.q, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range r.Hits {
			if h.ID == c.id {
				found = true
				if !strings.Contains(h.Snippet, c.mark) {
					t.Errorf("%q: %s snippet %q lacks %s", c.q, c.id, h.Snippet, c.mark)
				}
			}
		}
		if !found {
			t.Errorf("%q: %s not found (%v)", c.q, c.id, hitIDs(r))
		}
	}
}

// Hostile queries get an answer or a clear error of the request, never
// an internal error.
func TestGovdocHostile(t *testing.T) {
	e := openGovdocs(t)
	ctx := context.Background()
	for _, q := range []string{
		strings.Repeat("-", 200), strings.Repeat("- ", 100), `""""""""`, `"“"a" "b"”"`, `-"-"-"`,
		`标题:"" 文号: 发文机关:-`, `| | OR | -`, `"养老 | 驿站" -"养老"`, "-养老 -驿站 -北京",
		strings.Repeat("京", 180) + "发〔2015〕17号", "京政发〔2015〕" + strings.Repeat("1", 180) + "号",
		strings.Repeat("京政发〔2015〕17号", 10),
	} {
		if _, err := e.Search(ctx, search.Request{Query: q}); err != nil {
			t.Errorf("%.40q: %v", q, err)
		}
	}
	long := strings.Repeat("京", 9990) + "〔2015〕17号"
	_, err := e.Search(ctx, search.Request{Query: long})
	if err == nil || !strings.Contains(err.Error(), "longer than") {
		t.Errorf("a 10,000-character number: %v, want the query-too-long error", err)
	}
	// A query of only exclusions lists every article but those.
	all, _ := e.Search(ctx, search.Request{})
	r, err := e.Search(ctx, search.Request{Query: "-养老"})
	if err != nil || r.Total == 0 || r.Total >= all.Total {
		t.Errorf("-养老: %+v %v (all: %d)", r, err, all.Total)
	}
}

// Pinyin and typo advice look at the required words and keep the
// exclusions; relaxing to any word keeps them too.
func TestGovdocAdvice(t *testing.T) {
	e := openGovdocs(t)
	ctx := context.Background()
	for _, c := range []struct {
		q, dym  string
		relaxed bool
		has     string
	}{
		{"yanglao -山东", "", false, "bj-2015-17"},
		{"养老驿战 -山东", "养老驿站 -山东", false, "news-chaoyang"},
		{"互联网 驿站 -海淀", "", true, "gov-2015-40"},
	} {
		r, err := e.Search(ctx, search.Request{Query: c.q, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		ids := hitIDs(r)
		if r.DidYouMean != c.dym || r.Relaxed != c.relaxed || !slices.Contains(ids, c.has) ||
			slices.Contains(ids, "sd-2015-17") || slices.Contains(ids, "news-haidian") {
			t.Errorf("%q: did_you_mean %q relaxed %v %v; want %q %v with %s, without the excluded", c.q, r.DidYouMean, r.Relaxed, ids, c.dym, c.relaxed, c.has)
		}
	}
}

// FuzzGovdocSearch: whatever is typed, a search answers, or refuses the
// request as invalid; it never fails inside.
func FuzzGovdocSearch(f *testing.F) {
	for _, q := range []string{"京政发〔2015〕17号", `"养老服务驿站" -山东`, "标题:互联网 | 发文机关:国务院", "-养老", `-"-"-"`,
		"文号:", "｜OR｜", "“养老”", "京政发〔2015〕17号 -京政发〔2015〕17号", strings.Repeat("-", 200)} {
		f.Add(q)
	}
	e := openGovdocs(f)
	f.Fuzz(func(t *testing.T, q string) {
		_, err := e.Search(context.Background(), search.Request{Query: q})
		if err != nil && errs.KindOf(err) != errs.Invalid {
			t.Fatalf("%q: %v", q, err)
		}
	})
}
