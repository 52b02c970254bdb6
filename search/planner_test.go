package search

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/seeds"
)

// seedSegmenter is the segmenter of an index of the seeds: the dictionary
// a generation built with the shipped data has.
func seedSegmenter(t *testing.T) *analysis.Segmenter {
	t.Helper()
	dir := t.TempDir()
	if _, err := indexer.BuildFS(context.Background(), dir, indexer.Config{}, seeds.FS); err != nil {
		t.Fatal(err)
	}
	_, meta, err := schema.Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	dict, err := analysis.GenerationDictionary(meta.UserWords, meta.UserDict)
	if err != nil {
		t.Fatal(err)
	}
	seg, err := analysis.For(dict)
	if err != nil {
		t.Fatal(err)
	}
	return seg
}

// 养老驿战 and 医宝定点 are typos of sound (战/站, 宝/保 are homophones, not
// look-alikes): the pinyin path corrects them, not the table of look-alike
// characters, which must not list them.
func TestConfusablesNotHomophones(t *testing.T) {
	c := loadConfusables()
	if len(c) == 0 {
		t.Fatal("no look-alike characters loaded")
	}
	for _, pair := range []string{"战站", "宝保"} {
		rs := []rune(pair)
		if slices.Contains(c[rs[0]], rs[1]) {
			t.Errorf("confusables.txt lists the homophones %s as look-alikes", pair)
		}
	}
}

// windowed: a page inside the window reads the window; one past it, the
// collected order; one across its end, both.
func TestWindowed(t *testing.T) {
	for _, c := range []struct {
		from, size, k int
		rerank        bool
	}{
		{0, 10, 30, true}, {20, 10, 30, true}, {28, 7, 35, true}, {29, 1, 30, true},
		{30, 10, 40, false}, {0, 50, 50, true}, {49, 7, 56, false},
	} {
		k, rerank := windowed(c.from, c.size, true)
		if k != c.k || rerank != c.rerank {
			t.Errorf("windowed(%d, %d) = %d, %v; want %d, %v", c.from, c.size, k, rerank, c.k, c.rerank)
		}
		if k, rerank := windowed(c.from, c.size, false); k != c.from+c.size || rerank {
			t.Errorf("windowed(%d, %d) without rerank = %d, %v", c.from, c.size, k, rerank)
		}
	}
}

// A synonyms file replaces the shipped list.
func TestSynonymsFileReplaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "syn.txt")
	os.WriteFile(path, []byte("冰雪,滑雪\n"), 0o644)
	syn, err := LoadSynonyms(path)
	if err != nil {
		t.Fatal(err)
	}
	if alts := syn.alternatives("冰雪"); len(alts) != 1 || alts[0] != "滑雪" {
		t.Errorf("alternatives %v", alts)
	}
	if syn.alternatives("卫健委") != nil {
		t.Error("the default list was not replaced")
	}
}
