package opensearch

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/govbulletin/bulletin/devtools/bench"
	"github.com/govbulletin/bulletin/devtools/govcases"
	"github.com/govbulletin/bulletin/devtools/oscluster"
	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/analysis"
	osindex "github.com/govbulletin/bulletin/indexer/opensearch"
	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/internal/osconn"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/embedded"
	"github.com/govbulletin/bulletin/search/searchtest"
)

// judgedRequests are the judged set's queries (every query type), each
// alone and under filters, plus filter-only requests (also past the first
// page: listings tie by date, and both engines break ties by id).
func judgedRequests(t *testing.T) []search.Request {
	t.Helper()
	f, err := os.Open("../../testdata/eval/judgments.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var qs []string
	for _, row := range rows[1:] {
		if len(row) >= 2 && row[0] != "" {
			qs = append(qs, row[0])
		}
	}
	return withFilters(qs)
}

func withFilters(qs []string) []search.Request {
	reqs := []search.Request{
		{}, {Districts: []string{"昌平区"}}, {Topics: []string{"养老服务", "教育"}}, {Years: []int{2024}},
		{Sort: "date"}, {DateFrom: "2021-01-01", DateTo: "2024-12-31"}, {Size: 3},
		{Page: 2, Size: 7}, {Sort: "date", Page: 3, Size: 4}, {Years: []int{2024}, Page: 2, Size: 3},
	}
	for _, q := range qs {
		reqs = append(reqs,
			search.Request{Query: q},
			search.Request{Query: q, Districts: []string{"昌平区", "朝阳区"}},
			search.Request{Query: q, Topics: []string{"养老服务"}, Years: []int{2023, 2024}},
			search.Request{Query: q, Sort: "date"},
		)
	}
	return reqs
}

// unseenQueries are words, phrases and several words (no typos or pinyin,
// see below) asked of a generated corpus.
var unseenQueries = []string{"养老", "学位", "医保", "公园", "地铁", "企业", "养老驿站", "医保定点", "接诉即办",
	"人才公寓", "社区卫生服务中心", "老旧小区改造", "昌平 养老 驿站", "朝阳 学位 幼儿园", "海淀 医保 定点", "大兴 公园 绿道",
	"国民经济", "改革开放", "五年计划", "粮食产量", "乡村振兴", "科技创新", "新华社", "生态文明建设"}

// pair is the same articles in both engines.
type pair struct {
	emb *embedded.Engine
	ose *Engine
}

// index builds paths into a new embedded index and into the cluster under
// alias, and opens both.
func indexBoth(t *testing.T, ctx context.Context, c *osconn.Client, alias string, paths ...string) pair {
	t.Helper()
	dir := t.TempDir()
	if _, err := indexer.Build(ctx, dir, indexer.Config{}, paths...); err != nil {
		t.Fatal(err)
	}
	emb, err := embedded.Open(dir, embedded.Options{Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emb.Close() })
	ac, err := osconn.New(osconn.Config{URLs: c.Config().URLs, Alias: alias, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	// Two shards: term statistics must be the index's, not a shard's.
	rep, err := osindex.Build(ctx, ac, indexer.Config{}, osindex.Options{Shards: 2}, paths...)
	if err != nil {
		t.Fatal(err)
	}
	ose, err := Open(ctx, ac, Options{Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ose.Close() })
	if got, want := ose.Info().Documents, emb.Info().Documents; got != want || got != rep.Articles {
		t.Fatalf("documents: opensearch %d, embedded %d, indexed %d", got, want, rep.Articles)
	}
	return pair{emb, ose}
}

// compare runs reqs on both engines: same totals, identical facet counts,
// same did_you_mean (when checkDYM) and relaxed flag, the same page of a
// listing (see isListing), the same first hit of a relevance search (up to
// scores within 2 %, see nearScore), same snippets. It returns the totals.
func (p pair) compare(t *testing.T, ctx context.Context, reqs []search.Request, checkDYM bool) []uint64 {
	t.Helper()
	totals := make([]uint64, len(reqs))
	for i, req := range reqs {
		want, err := p.emb.Search(ctx, req)
		if err != nil {
			t.Fatalf("embedded %v: %v", req, err)
		}
		got, err := p.ose.Search(ctx, req)
		if err != nil {
			t.Fatalf("opensearch %v: %v", req, err)
		}
		totals[i] = got.Total
		if got.Total != want.Total {
			t.Errorf("%v: total %d, embedded %d", req, got.Total, want.Total)
		}
		if !reflect.DeepEqual(got.Facets, want.Facets) {
			t.Errorf("%v: facets\n got  %v\n want %v", req, got.Facets, want.Facets)
		}
		if checkDYM && got.DidYouMean != want.DidYouMean || got.Relaxed != want.Relaxed {
			t.Errorf("%v: did_you_mean %q relaxed %v, embedded %q %v", req, got.DidYouMean, got.Relaxed, want.DidYouMean, want.Relaxed)
		}
		if len(got.Hits) != len(want.Hits) {
			t.Errorf("%v: %d hits, embedded %d", req, len(got.Hits), len(want.Hits))
			continue
		}
		if isListing(req) {
			// Date, then id: one order in both engines, the whole page.
			if g, w := hitIDs(got), hitIDs(want); !slices.Equal(g, w) {
				t.Errorf("%v: listing\n got  %v\n want %v", req, g, w)
			}
		} else if len(want.Hits) > 0 && got.Hits[0].ID != want.Hits[0].ID && !nearScore(want, got.Hits[0]) {
			t.Errorf("%v: first hit %q, embedded %q", req, got.Hits[0].Title, want.Hits[0].Title)
			for k := range want.Hits {
				t.Logf("  %d. %s %.3f %s | %s %.3f %s", k+1, got.Hits[k].Title, got.Hits[k].Score, got.Hits[k].Date,
					want.Hits[k].Title, want.Hits[k].Score, want.Hits[k].Date)
			}
		}
		for k := range want.Hits {
			if got.Hits[k].ID == want.Hits[k].ID && got.Hits[k].Snippet != want.Hits[k].Snippet {
				t.Errorf("%v: snippet of %s differs:\n got  %s\n want %s", req, got.Hits[k].ID, got.Hits[k].Snippet, want.Hits[k].Snippet)
			}
		}
	}
	return totals
}

// allPages reads every page of q's hits (10 a page, relevance) from both
// engines and checks that each returns the same articles, every one once,
// and that the articles holding all the Han pairs of q (the pair group: the
// Ctrl-F guarantee's candidates, exact first across the whole match set)
// come before all the others, also past the rerank window. (The order
// within a group may differ where scores tie; see tiedFirst.) It reports
// whether q has hits both in and out of its pair group. size is the page
// size (one that does not divide search.RerankWindow has a page straddling the
// window's end).
func (p pair) allPages(t *testing.T, ctx context.Context, q string, size int) bool {
	t.Helper()
	keys, ok := analysis.QueryPairs(strings.ReplaceAll(analysis.Normalize(q), " ", "")) // as the planner does: the queries here are Han words apart
	if !ok {
		t.Fatalf("%q has no pair set", q)
	}
	inGroup := func(id string) bool {
		a, err := p.emb.Article(ctx, id)
		if err != nil {
			t.Fatalf("article %s: %v", id, err)
		}
		have := analysis.DistinctPairs(nil, analysis.Normalize(a.Title), analysis.Normalize(a.Body))
		for _, k := range keys {
			if _, found := slices.BinarySearch(have, k); !found {
				return false
			}
		}
		return true
	}
	read := func(name string, run func(context.Context, search.Request) (*search.Response, error)) (ids []string, groups int) {
		ids = searchtest.ReadPages(t, pagesOf(run, search.Request{Query: q}), size)
		outside := false
		for _, id := range ids {
			switch g := inGroup(id); {
			case g && outside:
				t.Errorf("%s %q: %s holds every pair but comes after an article that does not", name, q, id)
			case g:
				groups++
			default:
				outside = true
			}
		}
		return ids, groups
	}
	want, wantGroup := read("embedded", p.emb.Search)
	got, gotGroup := read("opensearch", p.ose.Search)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) || gotGroup != wantGroup {
		t.Errorf("%q over all pages: opensearch %d hits (%d in the pair group), embedded %d (%d)", q, len(got), gotGroup, len(want), wantGroup)
	}
	t.Logf("%q: %d hits, %d in the pair group", q, len(want), wantGroup)
	return wantGroup > 0 && wantGroup < len(want)
}

// isListing reports whether req lists by date (no query, or sorted by
// date): newest first, then by id, in both engines, so the pages must be
// identical.
// pagesOf reads pages of req with run.
func pagesOf(run func(context.Context, search.Request) (*search.Response, error), req search.Request) searchtest.Page {
	return func(page, size int) ([]string, uint64, error) {
		req.Page, req.Size = page, size
		resp, err := run(context.Background(), req)
		if err != nil {
			return nil, 0, err
		}
		return hitIDs(resp), resp.Total, nil
	}
}

func isListing(req search.Request) bool { return req.Query == "" || req.Sort == "date" }

func hitIDs(r *search.Response) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ID
	}
	return out
}

// nearScore reports whether the embedded engine ranks got level with its
// first hit in a relevance search: Lucene keeps a field's length in one
// byte (lossy), so scores bleve holds apart by under 2 % may come out in
// either order; the hit must then be in the embedded page at such a score.
// (Equal scores order alike: newer first, then by id.)
func nearScore(want *search.Response, got search.Hit) bool {
	for _, h := range want.Hits {
		if h.ID == got.ID {
			return h.Score >= want.Hits[0].Score*0.98
		}
	}
	return false
}

// TestOpenSearchParity indexes the same articles into the embedded engine
// and a real three-node OpenSearch cluster and compares them (see compare):
// the judged corpus and the seeds with every query type of the judged set,
// suggestions and articles; unseen text (a generated corpus, the government
// work reports and the real-layout pages of testdata/real) with words,
// phrases and several words. Then it kills a
// node (SIGKILL) and checks that every search still answers, with the same
// totals.
// did_you_mean is compared on every corpus: both vocabularies count the
// articles holding each word (see vocab.go).
func TestOpenSearchParity(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node OpenSearch cluster")
	}
	cluster := oscluster.Start(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	c, err := osconn.New(osconn.Config{URLs: cluster.URLs(), Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	judged := indexBoth(t, ctx, c, "judged", "../../testdata/eval/corpus", "../../seeds")
	judgedReqs := judgedRequests(t)
	judgedTotals := judged.compare(t, ctx, judgedReqs, true)
	if a, err := judged.ose.Article(ctx, "no-such-id"); errs.KindOf(err) != errs.NotFound {
		t.Errorf("unknown article: %v, %v; want errs.NotFound", a, err)
	}
	list, _ := judged.emb.Search(ctx, search.Request{Size: 50})
	for _, h := range list.Hits {
		want, _ := judged.emb.Article(ctx, h.ID)
		got, err := judged.ose.Article(ctx, h.ID)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("article %s: %+v, %v; embedded %+v", h.ID, got, err, want)
		}
	}
	for _, p := range []string{"养老", "回", "接诉", "yang"} {
		want, _ := judged.emb.Suggest(ctx, p, 8)
		got, err := judged.ose.Suggest(ctx, p, 8)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("suggest %q: %q, %v; embedded %q", p, got, err, want)
		}
	}

	gen := t.TempDir()
	root, err := bench.FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	vocab, err := bench.LoadVocab(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bench.Write(gen, vocab, bench.GenConfig{N: 600, Seed: 14}); err != nil {
		t.Fatal(err)
	}
	// Real text too: the State Council's work reports (long documents) and
	// the real-layout pages of testdata/real.
	raw, err := os.ReadFile("../../testdata/real/reports.jsonl.gz")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	reports, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	// (Each line is given an id and its content as body, so that both
	// engines index every line under the same id.)
	var withIDs bytes.Buffer
	for i, line := range bytes.Split(bytes.TrimSpace(reports), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatal(err)
		}
		m["id"], m["body"] = fmt.Sprintf("report-%d", i), m["content"]
		delete(m, "content")
		b, _ := json.Marshal(m)
		withIDs.Write(append(b, '\n'))
	}
	if err := os.WriteFile(filepath.Join(gen, "reports.jsonl"), withIDs.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	unseen := indexBoth(t, ctx, c, "unseen", gen, "../../testdata/real/pages", "../../testdata/real/heldout")
	if n := unseen.emb.Info().Documents; n < 600+72+10 {
		t.Fatalf("unseen corpus: %d articles, want the 600 generated, the 72 reports and the pages'", n)
	}
	unseenReqs := withFilters(unseenQueries)
	unseenTotals := unseen.compare(t, ctx, unseenReqs, true)
	// Beyond the first page: every page of a query's match set, the articles
	// holding all its Han pairs first (the pair group), in both engines.
	// (Words apart: the pair group is the articles holding them adjacent.)
	mixed := 0
	for _, q := range []string{"养老", "医保定点", "社区卫生服务中心", "昌平 养老 驿站", "海淀 医保 定点", "大兴 公园 绿道", "朝阳 学位 幼儿园", "养老 服务", "经济 发展", "社区 卫生"} {
		for _, size := range []int{10, 7} {
			if unseen.allPages(t, ctx, q, size) && size == 10 {
				mixed++
			}
		}
	}
	if mixed == 0 {
		t.Errorf("no query has hits both in and out of its pair group: the order of the groups went untested")
	}

	// Page by page, at every page size: the same ids in the same order in
	// both engines, each once (pagingCorpus has no tied hits).
	pagingDir := searchtest.WriteFiles(t, searchtest.PagingCorpus())
	paging := indexBoth(t, ctx, c, "paging", pagingDir)
	for size := 1; size <= 50; size++ {
		want := searchtest.ReadPages(t, pagesOf(paging.emb.Search, search.Request{Query: searchtest.PagingQuery}), size)
		got := searchtest.ReadPages(t, pagesOf(paging.ose.Search, search.Request{Query: searchtest.PagingQuery}), size)
		if !slices.Equal(got, want) {
			t.Errorf("%q, %d a page: opensearch reads\n %v\nembedded\n %v", searchtest.PagingQuery, size, got, want)
		}
	}

	// Ties: articles of one date and one text (their scores tie too) list
	// by date, then id, in both engines, page by page at several sizes.
	tiesDir := searchtest.WriteFiles(t, searchtest.TiesCorpus(61))
	ties := indexBoth(t, ctx, c, "ties", tiesDir)
	wantTies := searchtest.ListingOrder(searchtest.TieDatesByID(61))
	for _, req := range []search.Request{{}, {Sort: "date"}, {Query: "社区食堂"}, {Query: "食堂", Sort: "date"}, {Query: "居民 就餐"}} {
		for _, size := range []int{1, 7, 10, 50} {
			emb := searchtest.ReadPages(t, pagesOf(ties.emb.Search, req), size)
			got := searchtest.ReadPages(t, pagesOf(ties.ose.Search, req), size)
			if !slices.Equal(got, wantTies) || !slices.Equal(emb, wantTies) {
				t.Errorf("ties, %+v, %d a page:\n opensearch %v\n embedded   %v\n want       %v", req, size, got, emb, wantTies)
			}
		}
	}

	// A killed node does not stop searches.
	cluster.Kill(0)
	for _, run := range []struct {
		p      pair
		reqs   []search.Request
		totals []uint64
	}{{judged, judgedReqs, judgedTotals}, {unseen, unseenReqs, unseenTotals}} {
		for i, req := range run.reqs {
			got, err := run.p.ose.Search(ctx, req)
			if err != nil {
				t.Fatalf("with a node killed, %v: %v", req, err)
			}
			if got.Total != run.totals[i] {
				t.Errorf("with a node killed, %v: total %d, before %d", req, got.Total, run.totals[i])
			}
		}
	}
}

// TestOpenSearchDown checks that a cluster that cannot be reached is
// errs.Unavailable (503), never errs.Internal.
func TestOpenSearchDown(t *testing.T) {
	c, err := osconn.New(osconn.Config{URLs: []string{"http://127.0.0.1:1"}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = Open(context.Background(), c, Options{Poll: -1})
	if err == nil || !errors.Is(err, osconn.ErrUnavailable) {
		t.Fatalf("open on a closed port: %v, want ErrUnavailable", err)
	}
	seg, err := analysis.For(analysis.Dictionary{})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := search.NewPlanner("")
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{c: c, log: slog.New(slog.NewTextHandler(io.Discard, nil)), index: "bulletins-x", seg: seg, planner: pl}
	_, err = e.Search(context.Background(), search.Request{Query: "养老驿站"})
	if errs.KindOf(err) != errs.Unavailable || !strings.Contains(err.Error(), "cannot be reached") {
		t.Fatalf("search on a closed port: %v (kind %v), want errs.Unavailable", err, errs.KindOf(err))
	}
}

// TestOpenSearchParitySyntax compares the engines on queries with syntax
// and on document numbers (testdata/govsyntax): every case of cases.tsv
// and every number in each bracket form, alone and under filters, and the
// same pages of each case's hits. One node is enough: the syntax changes
// what is asked, not how the cluster answers.
func TestOpenSearchParitySyntax(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an OpenSearch node")
	}
	cluster := oscluster.Start(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	c, err := osconn.New(osconn.Config{URLs: cluster.URLs(), Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p := indexBoth(t, ctx, c, "govdocs", "../../testdata/govsyntax/articles.jsonl")
	cases, err := govcases.Cases("../../testdata/govsyntax/cases.tsv")
	if err != nil {
		t.Fatal(err)
	}
	qs := []string{"京政发【2015】17号", "國發〔2013〕35號", "文号:京政办发[2016]26号 -北京", `"养老服务业" | 标题:互联网`,
		"发文机关:国务院 养老", "标题:\"养老服务\" -山东 -图解", "yanglao -山东", "-国务院 -山东"}
	for _, cs := range cases {
		qs = append(qs, cs.Query)
	}
	reqs := withFilters(qs)
	totals := p.compare(t, ctx, reqs, true)
	nonzero := 0
	for i, req := range reqs {
		if req.Query != "" && totals[i] > 0 {
			nonzero++
		}
	}
	if nonzero < len(qs) {
		t.Errorf("only %d of the %d syntax requests found anything: the comparison is thin", nonzero, len(reqs))
	}
	for _, q := range qs {
		want := searchtest.ReadPages(t, pagesOf(p.emb.Search, search.Request{Query: q}), 3)
		got := searchtest.ReadPages(t, pagesOf(p.ose.Search, search.Request{Query: q}), 3)
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%q over all pages: opensearch %v, embedded %v", q, got, want)
		}
	}
}
