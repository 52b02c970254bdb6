package opensearch

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/wal"
	"github.com/govbulletin/bulletin/indexer/watch"
	"github.com/govbulletin/bulletin/indexer/writes"
	"github.com/govbulletin/bulletin/internal/osconn"
)

// Delete removes articles by id; a writes.NotFound error when the index holds none of
// them. It returns once the deletions are durable and visible.
//
// The ids the index holds are asked first: a delete that is resent (here,
// or by the client on another node) after its answer was lost finds
// nothing the second time, and that is no reason to answer 404. The
// deletion records go first (their versions make the deletions'
// external versions, as for a PUT); a deletion whose index went (a new
// build switched the alias) is made again where the alias points.
func (l *Writer) Delete(ctx context.Context, ids []string, origin string) error {
	return failed(l.delete(ctx, ids, origin))
}

func (l *Writer) delete(ctx context.Context, ids []string, origin string) error {
	deleted := false
	for attempt := 0; ; attempt++ {
		gone, err := l.deleteOnce(ctx, ids, origin, attempt == 0)
		switch {
		case writes.IsNotFound(err) && deleted:
			return nil // deleted in the index that went, and not in the new one
		case err != nil:
			return err
		case !gone:
			return nil
		case attempt >= 2:
			return fmt.Errorf("%w: the index written to went twice", osconn.ErrUnavailable)
		}
		deleted = true
		l.recheck()
	}
}

// deleteOnce deletes ids from the index the alias names; gone reports an
// index that went meanwhile (the deletion is to be made again).
func (l *Writer) deleteOnce(ctx context.Context, ids []string, origin string, first bool) (gone bool, err error) {
	var got struct {
		Docs []struct {
			ID     string          `json:"_id"`
			Found  bool            `json:"found"`
			Source json.RawMessage `json:"_source"`
		} `json:"docs"`
	}
	var t *osTarget
	for attempt := 0; ; attempt++ {
		var err error
		if t, err = l.target(ctx); err != nil {
			return false, err
		}
		err = retryDo(ctx, l.c, l.cfg.Retry, l.lg, http.MethodPost, "/"+t.index+"/_mget?realtime=true&_source_includes="+schema.SrcTitle+","+schema.SrcBody, map[string]any{"ids": ids}, &got)
		if osconn.IsStatus(err, http.StatusNotFound) && attempt == 0 {
			l.recheck() // the index went (a new build switched the alias)
			continue
		}
		if err != nil {
			return false, fmt.Errorf("delete: %w", err)
		}
		break
	}
	var found []string
	var recs []bulkItem
	now := time.Now().UnixMilli()
	if origin == "" {
		origin = "api"
	}
	gone1 := VocabCounts{} // the words of the articles deleted are taken off
	for _, d := range got.Docs {
		if d.Found {
			if a, err := schema.ArticleFromSource(d.Source); err == nil {
				Document(a, analysis.Normalize(a.Title), analysis.Normalize(a.Body), t.seg, gone1)
			}
			found = append(found, d.ID)
			// The deletion is recorded: a full build leaves the article out.
			rec, err := json.Marshal(wal.Record{Op: wal.OpDelete, ID: d.ID, Origin: origin, Time: now})
			if err != nil {
				return false, err
			}
			recs = append(recs, bulkItem{action: indexAction(l.writes, d.ID), source: append(rec, '\n')})
		}
	}
	// An id whose last record is a put is written, even when the index
	// does not show it: a build switched the alias and is still copying
	// the writes made while it ran (osCatchUp). Its deletion is made at
	// a version above that put's, so the copy, if it comes later, is
	// refused.
	var missing []string
	for _, d := range got.Docs {
		if !d.Found {
			missing = append(missing, d.ID)
		}
	}
	if len(missing) > 0 {
		var rec struct {
			Docs []struct {
				ID     string `json:"_id"`
				Found  bool   `json:"found"`
				Source struct {
					Op wal.Op `json:"op"`
				} `json:"_source"`
			} `json:"docs"`
		}
		err := retryDo(ctx, l.c, l.cfg.Retry, l.lg, http.MethodPost, "/"+l.writes+"/_mget?realtime=true&_source_includes=op", map[string]any{"ids": missing}, &rec)
		if err != nil && !osconn.IsStatus(err, http.StatusNotFound) {
			return false, fmt.Errorf("delete: %w", err)
		}
		for _, d := range rec.Docs {
			if d.Found && d.Source.Op == wal.OpPut {
				found = append(found, d.ID)
				r, err := json.Marshal(wal.Record{Op: wal.OpDelete, ID: d.ID, Origin: origin, Time: now})
				if err != nil {
					return false, err
				}
				recs = append(recs, bulkItem{action: indexAction(l.writes, d.ID), source: append(r, '\n')})
			}
		}
	}
	if len(found) == 0 {
		return false, writes.NotFound()
	}
	rout, err := l.send(ctx, "/_bulk", recs)
	if err != nil {
		return false, err
	}
	items := make([]bulkItem, 0, len(found))
	for i, id := range found {
		if !rout[i].done() {
			return false, refusal(rout[i])
		}
		items = append(items, bulkItem{action: deleteActionV(t.index, id, versionOf(rout[i].Version)), versioned: true})
	}
	n := len(items)
	out, err := l.send(ctx, "/_bulk?refresh=wait_for", append(items, vocabItems(t, nil, gone1)...))
	if err != nil {
		return false, err
	}
	for i, o := range out {
		if i >= n {
			if !o.done() {
				l.lg.Warn("a vocabulary count was not written", "err", o.Err)
			}
			continue
		}
		if o.indexGone() {
			gone = true
			continue
		}
		if o.Status != http.StatusNotFound && !o.done() {
			return false, refusal(o)
		}
	}
	l.Deleted.Add(int64(n))
	return gone, nil
}

// DeleteID removes one article; a writes.NotFound error when the index has none.
func (l *Writer) DeleteID(ctx context.Context, id string) error {
	return l.Delete(ctx, []string{id}, "api")
}

// Watch follows the files under root until ctx is done, writing their
// changes to the cluster, as Live.Watch does to an index directory.
func (l *Writer) Watch(ctx context.Context, root string) error {
	return watch.Run(ctx, l, root, watch.Options{Logger: l.lg})
}

// WatchedFiles reads, from the write records, the watched files under root
// whose articles the index holds (each record is the last write of an id).
func (l *Writer) WatchedFiles(root string) (map[string]*watch.File, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	files := map[string]*watch.File{}
	prefix := root + string(filepath.Separator)
	// Origins are paths, or paths in bytes (wal.OriginOf): those are
	// decoded here and kept if they are under root.
	origins := []any{map[string]any{"prefix": map[string]any{"origin": wal.BytesOrigin}}}
	if utf8.ValidString(prefix) {
		origins = append(origins, map[string]any{"prefix": map[string]any{"origin": prefix}})
	}
	q := map[string]any{
		"size": 5000, "sort": []string{"_doc"}, "_source": []string{"origin", "sig"},
		"query": map[string]any{"bool": map[string]any{
			"filter": []any{map[string]any{"term": map[string]any{"op": string(wal.OpPut)}}},
			"should": origins, "minimum_should_match": 1,
		}},
	}
	err := l.c.Scroll(ctx, l.writes, q, func(hits []osconn.Hit) error {
		for _, h := range hits {
			var src struct {
				Origin string `json:"origin"`
				Sig    string `json:"sig"`
			}
			if json.Unmarshal(h.Source, &src) != nil {
				continue
			}
			p := wal.PathOf(src.Origin)
			if !strings.HasPrefix(p, prefix) {
				continue
			}
			f := files[p]
			if f == nil {
				f = &watch.File{Sig: src.Sig}
				files[p] = f
			}
			f.IDs = append(f.IDs, h.ID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("--watch %s: reading what the index holds: %w", root, err)
	}
	for _, f := range files {
		sort.Strings(f.IDs)
	}
	return files, nil
}
