package bench

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/source"
)

func loadVocab(t *testing.T) *Vocab {
	t.Helper()
	root, err := FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	v, err := LoadVocab(root)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// corpusHash generates a corpus in memory and hashes every page's name and bytes.
func corpusHash(v *Vocab, cfg GenConfig) ([32]byte, Stats) {
	h := sha256.New()
	var st Stats
	g := v.NewGenerator(cfg)
	for p, ok := g.Next(); ok; p, ok = g.Next() {
		h.Write([]byte(p.Dir + "/" + p.Name + "\x00"))
		h.Write(p.Data)
		st.add(p)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum, st
}

func TestGeneratorDeterministic(t *testing.T) {
	v := loadVocab(t)
	for _, n := range []int{1, 7, 313} {
		a, sa := corpusHash(v, GenConfig{N: n, Seed: 42})
		b, sb := corpusHash(v, GenConfig{N: n, Seed: 42})
		if a != b || sa != sb {
			t.Fatalf("N=%d: two runs with the same seed differ", n)
		}
		if sa.Articles != n {
			t.Fatalf("N=%d: got %d articles", n, sa.Articles)
		}
	}
	a, _ := corpusHash(v, GenConfig{N: 50, Seed: 1})
	b, _ := corpusHash(v, GenConfig{N: 50, Seed: 2})
	if a == b {
		t.Fatal("different seeds gave the same corpus")
	}
	// A fresh vocabulary (reloaded from disk) gives the same bytes too.
	c, _ := corpusHash(loadVocab(t), GenConfig{N: 313, Seed: 42})
	d, _ := corpusHash(v, GenConfig{N: 313, Seed: 42})
	if c != d {
		t.Fatal("reloading the vocabulary changed the corpus")
	}
}

func TestWriteSameBytes(t *testing.T) {
	v := loadVocab(t)
	cfg := GenConfig{N: 1200, Seed: 7, PerDir: 500}
	d1, d2 := t.TempDir(), t.TempDir()
	s1, err := Write(d1, v, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := Write(d2, v, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if s1 != s2 || s1.Articles != 1200 {
		t.Fatalf("stats differ or wrong count: %+v %+v", s1, s2)
	}
	files := func(dir string) map[string][]byte {
		m := map[string][]byte{}
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(dir, p)
				m[rel] = b
			}
			return nil
		})
		return m
	}
	f1, f2 := files(d1), files(d2)
	if len(f1) != s1.Pages || len(f1) != len(f2) {
		t.Fatalf("%d and %d files for %d pages", len(f1), len(f2), s1.Pages)
	}
	dirs := map[string]bool{}
	for k, b := range f1 {
		if !bytes.Equal(b, f2[k]) {
			t.Fatalf("%s differs", k)
		}
		dirs[filepath.Dir(k)] = true
	}
	if len(dirs) != 3 { // 1,200 articles at 500 a folder
		t.Fatalf("want 3 subfolders, got %d", len(dirs))
	}
}

// The pages must read back as the articles that were generated: the
// product's page splitter finds the same number of articles and titles, and
// lengths are like the seeds'.
func TestPagesSplitAsGenerated(t *testing.T) {
	v := loadVocab(t)
	g := v.NewGenerator(GenConfig{N: 2000, Seed: 3})
	var lens []int
	years := map[int]int{}
	for p, ok := g.Next(); ok; p, ok = g.Next() {
		if k := len(p.Articles); k < 1 || k > 6 {
			t.Fatalf("%s: %d articles", p.Name, k)
		}
		got := source.SplitPage(string(p.Data))
		if len(got) != len(p.Articles) {
			t.Fatalf("%s: generated %d articles, splitter finds %d\n%s", p.Name, len(p.Articles), len(got), p.Data)
		}
		for i, a := range p.Articles {
			if got[i].Title != a.Title {
				t.Fatalf("%s: article %d title %q, splitter reads %q", p.Name, i, a.Title, got[i].Title)
			}
			if n := utf8.RuneCountInString(a.Title); n < 10 || n > 25 {
				t.Fatalf("title %q has %d characters", a.Title, n)
			}
			lens = append(lens, utf8.RuneCountInString(a.Body))
			years[a.Year]++
		}
	}
	sort.Ints(lens)
	sum := 0
	for _, n := range lens {
		sum += n
	}
	mean := sum / len(lens)
	if lens[0] < 250 || lens[len(lens)-1] > 1850 || mean < 750 || mean > 1050 {
		t.Fatalf("body lengths min %d max %d mean %d; want ~300–1800, mean ~900", lens[0], lens[len(lens)-1], mean)
	}
	if years[2025] <= years[2018] {
		t.Fatalf("years not skewed to recent: %v", years)
	}
}
