package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/govbulletin/bulletin/indexer/schema"
)

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "articles.dat")
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	var arts []*schema.Article
	for i := 0; i < 300; i++ {
		arts = append(arts, &schema.Article{ID: fmt.Sprintf("%016x", uint64(i)*0x9e3779b97f4a7c15), Title: fmt.Sprintf("标题%d", i), Body: "正文<script>", Year: 2000 + i%25, Districts: []string{"昌平区"}})
	}
	// Records are encoded concurrently, as the indexer's analysers do, and
	// appended by one goroutine.
	recs := make([]Record, len(arts))
	var wg sync.WaitGroup
	for k := 0; k < 4; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := k; i < len(arts); i += 4 {
				rec, err := w.Encode(arts[i])
				if err != nil {
					t.Error(err)
					return
				}
				recs[i] = rec
			}
		}()
	}
	wg.Wait()
	for _, rec := range recs {
		if err := w.Append(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Len() != 300 {
		t.Fatalf("len %d", r.Len())
	}
	for _, a := range arts {
		got, err := r.Get(a.ID)
		if err != nil || got.Title != a.Title || got.Body != a.Body || got.Year != a.Year {
			t.Fatalf("%s: %+v %v", a.ID, got, err)
		}
	}
	if _, err := r.Get("ffffffffffffffff"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := r.Get("../etc"); !errors.Is(err, ErrNotFound) {
		t.Errorf("bad id: %v", err)
	}
	many, _ := r.GetMany([]string{arts[5].ID, "0000000000000001", arts[7].ID})
	if many[0].Title != "标题5" || many[1] != nil || many[2].Title != "标题7" {
		t.Errorf("GetMany %v", many)
	}
	n := 0
	r.Each(func(*schema.Article) bool { n++; return n < 10 })
	if n != 10 {
		t.Errorf("Each stopped after %d", n)
	}
}

// Ids given by exports and the write API are any strings: they are kept
// under a hash of the id, and a read checks the id.
func TestGivenIDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.dat")
	w, _ := Create(path)
	ids := []string{"hd-2022-0815", "https://www.example.gov.cn/a/1.html", "42", "数字编号-1"}
	for _, id := range ids {
		rec, err := w.Encode(&schema.Article{ID: id, Title: "t " + id})
		if err != nil {
			t.Fatal(err)
		}
		w.Append(rec)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, id := range ids {
		if a, err := r.Get(id); err != nil || a.ID != id || a.Title != "t "+id {
			t.Errorf("Get(%q) = %+v, %v", id, a, err)
		}
	}
	if _, err := r.Get("hd-2022-0816"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown given id: %v", err)
	}
}

func TestDuplicateAndBadIDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.dat")
	w, _ := Create(path)
	if _, err := w.Encode(&schema.Article{ID: ""}); err == nil {
		t.Error("empty id accepted")
	}
	for i := 0; i < 2; i++ {
		rec, err := w.Encode(&schema.Article{ID: "0123456789abcdef"})
		if err != nil {
			t.Fatal(err)
		}
		w.Append(rec)
	}
	if err := w.Close(); err == nil {
		t.Error("duplicate id accepted")
	}
}

// A store with a dictionary reads back the same articles, smaller; the
// dictionary file is what makes it readable.
func TestDictionary(t *testing.T) {
	var arts []*schema.Article
	for i := 0; i < 200; i++ {
		arts = append(arts, &schema.Article{ID: fmt.Sprintf("%016x", uint64(i+1)*0x9e3779b97f4a7c15), Title: fmt.Sprintf("街道养老服务驿站第%d处投用", i),
			Body: fmt.Sprintf("为进一步提升社区养老服务水平，街道新建养老服务驿站%d处，为辖区老年人提供助餐、助浴、日间照料等服务。", i), Year: 2024, Districts: []string{"朝阳区"}})
	}
	write := func(path string, dict bool) int {
		w, err := Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if dict {
			var samples [][]byte
			for _, a := range arts[:20] {
				samples = append(samples, Sample(a))
			}
			if err := w.UseDictionary(samples); err != nil {
				t.Fatal(err)
			}
		}
		n := 0
		for _, a := range arts {
			rec, err := w.Encode(a)
			if err != nil {
				t.Fatal(err)
			}
			n += len(rec.data)
			if err := w.Append(rec); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return n
	}
	dir := t.TempDir()
	plain, withDict := write(filepath.Join(dir, "plain.dat"), false), write(filepath.Join(dir, "dict.dat"), true)
	if withDict >= plain {
		t.Errorf("records with a dictionary: %d bytes, without: %d", withDict, plain)
	}
	for _, name := range []string{"plain.dat", "dict.dat"} {
		r, err := Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range arts {
			got, err := r.Get(a.ID)
			if err != nil || got.Title != a.Title || got.Body != a.Body {
				t.Fatalf("%s: %s: %v %+v", name, a.ID, err, got)
			}
		}
		r.Close()
	}
	if err := os.Remove(filepath.Join(dir, "dict.dat"+DictSuffix)); err != nil {
		t.Fatal(err)
	}
	r, err := Open(filepath.Join(dir, "dict.dat"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Get(arts[0].ID); err == nil {
		t.Error("a record compressed with a dictionary read without it")
	}
}
