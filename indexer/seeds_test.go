package indexer

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/store"
	"github.com/govbulletin/bulletin/seeds"
)

// buildSeeds indexes the embedded seeds into a temp dir and returns all articles.
func buildSeeds(t *testing.T) (string, []*schema.Article) {
	t.Helper()
	dir := t.TempDir()
	rep, err := BuildFS(context.Background(), dir, Config{}, seeds.FS)
	if err != nil {
		t.Fatalf("BuildFS: %v", err)
	}
	if len(rep.Skipped) > 0 {
		t.Errorf("skipped: %v", rep.Skipped)
	}
	return dir, storedArticles(t, dir)
}

// storedArticles returns every article of dir's current generation.
func storedArticles(t *testing.T, dir string) []*schema.Article {
	t.Helper()
	gen, _, err := schema.Current(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := store.Open(filepath.Join(gen, schema.StoreFile))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var arts []*schema.Article
	if err := r.Each(func(a *schema.Article) bool { arts = append(arts, a); return true }); err != nil {
		t.Fatal(err)
	}
	return arts
}

func readTSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

// TestSeedArticles checks every row of the development set: the seeds split
// into exactly these articles, with their first district, topics and year.
func TestSeedArticles(t *testing.T) {
	_, arts := buildSeeds(t)
	rows := readTSV(t, "../testdata/seed-articles.tsv")
	if len(arts) != len(rows) {
		for _, a := range arts {
			t.Logf("article %q (%s)", a.Title, a.Source)
		}
		t.Fatalf("got %d articles, want %d", len(arts), len(rows))
	}
	for _, row := range rows {
		src, title, district, topics, year := row[0], row[1], row[2], row[3], row[4]
		var found *schema.Article
		for _, a := range arts {
			if a.Source == src && strings.Contains(a.Title, title) {
				found = a
			}
		}
		if found == nil {
			t.Errorf("no article of %s with title containing %q", src, title)
			continue
		}
		if len(found.Districts) == 0 || found.Districts[0] != district {
			t.Errorf("%q: districts %v, want %s first", title, found.Districts, district)
		}
		for _, tp := range strings.Split(topics, ",") {
			if !contains(found.Topics, tp) {
				t.Errorf("%q: topics %v, missing %s", title, found.Topics, tp)
			}
		}
		if y, _ := strconv.Atoi(year); found.Year != y {
			t.Errorf("%q: year %d, want %d", title, found.Year, y)
		}
		t.Logf("%s | %v | %v | %d | %s", found.Title, found.Districts, found.Topics, found.Year, found.Date)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
