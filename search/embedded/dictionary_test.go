package embedded

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/indexer"
)

// queryWords is how e cuts q now (the dictionary of the generation served).
func queryWords(t *testing.T, e *Engine, q string) string {
	t.Helper()
	a, err := e.Analyze(q)
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, w := range a.Query {
		words = append(words, w.Term)
	}
	return strings.Join(words, "|")
}

// TestDictionaryBelongsToGeneration: the dictionary is the generation's. A
// re-index with another --dict changes how new requests cut the query,
// while a request in flight (holding the old generation) keeps the old
// cut; two engines in one process with different dictionaries do not
// change each other's; and one dictionary means one segmenter.
func TestDictionaryBelongsToGeneration(t *testing.T) {
	const word = "龘龘新词"
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "a.txt"), []byte("丰台区推进"+word+"建设\n\n本报讯 丰台区今日启动"+word+"建设工作。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dictFile := filepath.Join(t.TempDir(), "extra.dict")
	if err := os.WriteFile(dictFile, []byte(word+" 1000 nz\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	build := func(dir, dict string) {
		t.Helper()
		if _, err := indexer.Build(context.Background(), dir, indexer.Config{DictFile: dict}, src); err != nil {
			t.Fatal(err)
		}
	}
	open := func(dir string) *Engine {
		t.Helper()
		e, err := Open(dir, Options{Poll: -1})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		return e
	}

	dirA, dirB := t.TempDir(), t.TempDir()
	build(dirA, "")
	a := open(dirA)
	before := queryWords(t, a, word)
	if before == word {
		t.Fatalf("without --dict the query is already one word %q: pick a word no dictionary has", before)
	}
	if r := search1(t, a, word); r.Total != 1 {
		t.Fatalf("without --dict: total %d, want 1", r.Total)
	}

	// A second engine in the process, over an index built with the word.
	build(dirB, dictFile)
	b := open(dirB)
	if got := queryWords(t, b, word); got != word {
		t.Errorf("engine with --dict cuts %q, want %q", got, word)
	}
	if got := queryWords(t, a, word); got != before {
		t.Errorf("the other engine's dictionary changed this one's cut: %q, was %q", got, before)
	}

	// A request in flight holds the generation it started on.
	inFlight, err := a.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer inFlight.release()
	build(dirA, dictFile)
	if err := a.Reload(); err != nil {
		t.Fatal(err)
	}
	if got := queryWords(t, a, word); got != word {
		t.Errorf("after the re-index with --dict, new requests cut %q, want %q", got, word)
	}
	var inFlightWords []string
	for _, w := range inFlight.seg.Words(word) {
		inFlightWords = append(inFlightWords, w.Term)
	}
	if got := strings.Join(inFlightWords, "|"); got != before {
		t.Errorf("the request in flight now cuts %q, was %q", got, before)
	}
	if r := search1(t, a, word); r.Total != 1 {
		t.Errorf("after the re-index: total %d, want 1", r.Total)
	}

	cur, err := a.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer cur.release()
	other, err := b.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer other.release()
	if cur.seg != other.seg {
		t.Error("two generations with the same dictionary hold two segmenters")
	}
	if cur.seg == inFlight.seg {
		t.Error("generations with different dictionaries share a segmenter")
	}
}
