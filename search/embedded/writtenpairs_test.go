package embedded

import (
	"fmt"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/document"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
)

// openLiveCorpus builds an index of files and opens it for writing.
func openLiveCorpus(t *testing.T, files map[string]string) *Engine {
	return openCorpus(t, files, Options{Poll: -1, Live: &LiveOptions{}})
}

// write applies articles (and deletions) to a live engine as the write
// API does, without the write log.
func write(t *testing.T, e *Engine, arts []*schema.Article, deletes ...string) {
	t.Helper()
	docs := make([]*document.Document, len(arts))
	for i, a := range arts {
		docs[i] = indexer.Document(a, analysis.Normalize(a.Title), analysis.Normalize(a.Body), e.Segmenter())
	}
	if err := e.Apply(docs, arts, deletes); err != nil {
		t.Fatal(err)
	}
}

// A view's numbering read segment by segment is the one bleve gives id by
// id, across written batches (new segments), replacements and deletions
// (deleted documents in old segments).
func TestLiveNumberingBySegments(t *testing.T) {
	files := map[string]string{}
	for i := range 40 {
		files[fmt.Sprintf("p%02d.txt", i)] = fmt.Sprintf("条例第%d号\n\n依照条例第四十九条的规定处理第%d项事务。\n", i, i)
	}
	e := openLiveCorpus(t, files)
	g, err := e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	var baseIDs []string
	for id := range g.baseNums {
		baseIDs = append(baseIDs, id)
	}
	g.release()
	slices.Sort(baseIDs)
	if len(baseIDs) != 40 {
		t.Fatalf("%d build articles numbered, want 40", len(baseIDs))
	}
	for round := range 5 {
		var arts []*schema.Article
		for i := range 3 {
			arts = append(arts, &schema.Article{ID: fmt.Sprintf("w%d-%d", round, i), Title: "写入文章", Body: fmt.Sprintf("第%d轮写入，第五十八条。", round)})
		}
		// Replace one build article and delete another, each round.
		arts = append(arts, &schema.Article{ID: baseIDs[round], Title: "替换", Body: "替换后的正文。"})
		write(t, e, arts, baseIDs[10+round], fmt.Sprintf("w%d-0", max(round-1, 0)))
		if err := e.refresh(); err != nil {
			t.Fatal(err)
		}
	}
	g, err = e.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer g.release()
	want, wantWritten, err := numberByID(g)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(g.pairs.docs, want.docs) || g.pairs.words != want.words {
		t.Errorf("build articles: by segments %v, by id %v", g.pairs.docs, want.docs)
	}
	if !slices.Equal(g.written, wantWritten) {
		t.Errorf("written articles: by segments %v, by id %v", g.written, wantWritten)
	}
	mapped := 0
	for _, d := range g.pairs.docs {
		if d != noDoc {
			mapped++
		}
	}
	// 40 built, 5 replaced, 5 deleted; 15 written, 4 deleted again, 5 replacements.
	written := 0
	for _, d := range g.written {
		if d != noDoc {
			written++
		}
	}
	if mapped != 30 || written != 16 {
		t.Errorf("%d build articles and %d written ones numbered, want 30 and 16", mapped, written)
	}
}

// numberByID numbers a view's pairs as liveNumbering does, looking every
// id up in the snapshot.
func numberByID(g *generation) (*pairIndex, []uint64, error) {
	g.overlay.mu.RLock()
	defer g.overlay.mu.RUnlock()
	pairs := g.basePairs.numbered()
	written := make([]uint64, g.overlay.pairs.n)
	for i := range written {
		written[i] = noDoc
	}
	err := eachDocByID(g.snap, g.basePairs, g.overlay, func(id []byte, d uint64) {
		if sl, ok := g.overlay.pairs.slot[string(id)]; ok {
			written[sl] = d
		} else if a, ok := g.baseNums[string(id)]; ok && !g.overlay.touched(string(id)) {
			pairs.set(a, d)
		}
	})
	return pairs, written, err
}

// The written pairs follow writes: a replaced article holds its new pairs
// only, a deleted one none, and the same id twice in one apply is the
// later article.
func TestWrittenPairsFollowWrites(t *testing.T) {
	o := newOverlay()
	art := func(id, body string) *schema.Article { return &schema.Article{ID: id, Title: "标题", Body: body} }
	holders := func(q string) []string {
		keys, ok := analysis.QueryPairs(analysis.Normalize(q))
		if !ok {
			t.Fatalf("%s: not a Han query", q)
		}
		docs := make([]uint64, o.pairs.n)
		bySlot := map[uint64]string{}
		for id, sl := range o.pairs.slot {
			docs[sl] = uint64(sl)
			bySlot[uint64(sl)] = id
		}
		s := &docSet{}
		o.pairs.addHolding(s, keys, docs)
		var out []string
		s.each(func(d uint64) { out = append(out, bySlot[d]) })
		slices.Sort(out)
		return out
	}
	o.apply([]*schema.Article{art("a", "依照第四十九条。"), art("b", "依照第四十九条和第五十条。"), art("c", "无关。")}, nil)
	if got := holders("第四十九"); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("第四十九: %v, want [a b]", got)
	}
	o.apply([]*schema.Article{art("a", "改为第五十条。"), art("c", "先写第四十九条。"), art("c", "再写第五十条。")}, []string{"b"})
	for q, want := range map[string][]string{"第四十九": nil, "第五十": {"a", "c"}, "标题": {"a", "c"}} {
		if got := holders(q); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
	// Replacing or deleting frees a slot, reused only after a new view
	// (which no longer numbers the old article).
	freed := slices.Clone(o.pairs.freed)
	if len(o.pairs.slot) != 2 || len(freed) == 0 || len(o.pairs.free) != 0 {
		t.Errorf("%d slots in use, %d freed, %d free; want 2, some, 0", len(o.pairs.slot), len(freed), len(o.pairs.free))
	}
	o.apply([]*schema.Article{art("d", "又写第四十九条。")}, nil)
	if sl := o.pairs.slot["d"]; slices.Contains(freed, sl) {
		t.Errorf("before a view, d got the freed slot %d", sl)
	}
	o.pairs.reuse()
	o.apply([]*schema.Article{art("e", "第六十条。")}, nil)
	if sl := o.pairs.slot["e"]; !slices.Contains(freed, sl) {
		t.Errorf("after a view, e got slot %d, not one of the freed %v", sl, freed)
	}
	if got := holders("第四十九"); !slices.Equal(got, []string{"d"}) {
		t.Errorf("第四十九 at the end: %v, want [d]", got)
	}
	for k, l := range o.pairs.sets {
		if len(l) == 0 || !slices.IsSorted(l) {
			t.Errorf("pair %s: list %v, want sorted and not empty", k, l)
		}
	}
}
