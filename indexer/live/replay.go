package live

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/document"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/indexer/wal"
	"github.com/govbulletin/bulletin/indexer/watch"
)

// Replay applies the records of the log numbered after held (what the
// generation being opened does not hold yet, schema.Meta.LogHeld) through
// a. It is called by the search engine while it opens a generation, before
// searches see it.
func (l *Live) Replay(held int64, a Applier) error {
	type op struct {
		rec wal.Record
		doc source.Doc
	}
	var batch []op
	pos := map[string]int{} // id → its op in batch
	flush := func() error {
		var docs []source.Doc
		var origins []string
		var dels []string
		for _, o := range batch {
			if o.rec.Op == wal.OpPut {
				docs = append(docs, o.doc)
				origins = append(origins, o.rec.Origin)
			} else {
				dels = append(dels, o.rec.ID)
			}
		}
		var bdocs []*document.Document
		var arts []*schema.Article
		for i := range docs { // one at a time: each keeps its origin
			bd, ar, err := l.prepare(a.Segmenter(), nil, &source.Page{Docs: docs[i : i+1]}, origins[i])
			if err != nil {
				return err
			}
			bdocs, arts = append(bdocs, bd...), append(arts, ar...)
		}
		batch, pos = batch[:0], map[string]int{}
		if len(bdocs) == 0 && len(dels) == 0 {
			return nil
		}
		return a.Apply(bdocs, arts, dels)
	}
	n := 0
	_, err := wal.Read(filepath.Join(l.dir, wal.FileName), 0, func(off int64, raw []byte) error {
		if wal.Seq(off, raw) <= held {
			return nil
		}
		var rec wal.Record
		if err := json.Unmarshal(raw, &rec); err != nil || rec.ID == "" {
			l.lg.Warn("write log: unreadable record skipped", "err", err)
			return nil
		}
		o := op{rec: rec}
		if rec.Op == wal.OpPut {
			d, _, bad := source.ParseArticleJSON(rec.Doc)
			if bad != "" {
				l.lg.Warn("write log: unusable article skipped", "id", rec.ID, "reason", bad)
				return nil
			}
			d.ID = rec.ID
			o.doc = d
		}
		if i, ok := pos[rec.ID]; ok { // the later op on an id wins
			batch[i] = o
		} else {
			pos[rec.ID] = len(batch)
			batch = append(batch, o)
		}
		n++
		if len(batch) >= 256 {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	if n > 0 {
		l.lg.Info("write log replayed", "records", n, "after", held)
	}
	return nil
}

// WatchedFiles reads, from the write log, the watched files under root
// whose articles the index holds (see package watch).
func (l *Live) WatchedFiles(root string) (map[string]*watch.File, error) {
	type last struct {
		origin, sig string
		put         bool
	}
	byID := map[string]last{}
	_, err := wal.Read(filepath.Join(l.dir, wal.FileName), 0, func(_ int64, raw []byte) error {
		var rec wal.Record
		if json.Unmarshal(raw, &rec) == nil && rec.ID != "" {
			byID[rec.ID] = last{wal.PathOf(rec.Origin), rec.Sig, rec.Op == wal.OpPut}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	files := map[string]*watch.File{}
	prefix := root + string(filepath.Separator)
	for id, r := range byID {
		if !r.put || !strings.HasPrefix(r.origin, prefix) {
			continue
		}
		f := files[r.origin]
		if f == nil {
			f = &watch.File{Sig: r.sig}
			files[r.origin] = f
		}
		f.IDs = append(f.IDs, id)
	}
	for _, f := range files {
		sort.Strings(f.IDs)
	}
	return files, nil
}
