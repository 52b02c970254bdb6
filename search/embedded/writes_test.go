package embedded

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2/document"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
)

// A store that cannot be read is an error of the write, not a sign that
// the article written is new: the write fails and changes nothing, a
// deletion of a build article still finds it (Has), and a new id is
// written as before.
func TestLiveStoreReadError(t *testing.T) {
	e := openLiveCorpus(t, map[string]string{
		"a.txt": "社区食堂开张\n\n新建社区食堂一处，欢迎居民前来就餐。\n",
		"b.txt": "公园绿道贯通\n\n滨河公园绿道全线贯通。\n",
	})
	ctx := context.Background()
	list, err := e.Search(ctx, search.Request{})
	if err != nil || len(list.Hits) != 2 {
		t.Fatalf("listing: %+v %v", list, err)
	}
	id := list.Hits[0].ID
	path, _, err := schema.Current(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	// The article texts become unreadable; their index (ids) stays in memory.
	if err := os.Truncate(filepath.Join(path, schema.StoreFile), 0); err != nil {
		t.Fatal(err)
	}
	doc := func(a *schema.Article) []*document.Document {
		return []*document.Document{indexer.Document(a, analysis.Normalize(a.Title), analysis.Normalize(a.Body), e.Segmenter())}
	}

	replaced := &schema.Article{ID: id, Title: "替换标题甲乙", Body: "替换后的正文。"}
	if err := e.Apply(doc(replaced), []*schema.Article{replaced}, nil); err == nil {
		t.Fatal("replacing an article the store cannot read: no error")
	}
	if err := e.refresh(); err != nil {
		t.Fatal(err)
	}
	if r, err := e.Search(ctx, search.Request{Query: "替换标题甲乙"}); err != nil || r.Total != 0 {
		t.Errorf("a failed write is searchable: %+v %v", r, err)
	}
	if !e.Has(id) {
		t.Errorf("Has(%s) with the store unreadable: false, want true (a deletion must not answer not found)", id)
	}

	added := &schema.Article{ID: "new-1", Title: "新增文章丙丁", Body: "新增的正文。"}
	if err := e.Apply(doc(added), []*schema.Article{added}, nil); err != nil {
		t.Fatalf("a new id with the store unreadable: %v", err)
	}
	if err := e.refresh(); err != nil {
		t.Fatal(err)
	}
	if r, err := e.Search(ctx, search.Request{Query: "新增文章丙丁"}); err != nil || r.Total != 1 {
		t.Errorf("the new article: %+v %v, want it found", r, err)
	}
}
