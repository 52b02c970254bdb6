package opensearch

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/enrich"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/indexer/wal"
	"github.com/govbulletin/bulletin/internal/osconn"
)

// readOSWrites reads the write records of a cluster (none when there is
// no such index): each id's last write.
// versions holds each id's record's _version.
func readOSWrites(ctx context.Context, c *osconn.Client, index string) (*wal.State, map[string]int64, error) {
	st := &wal.State{Deleted: map[string]bool{}}
	versions := map[string]int64{}
	err := c.Scroll(ctx, index, map[string]any{"size": 5000, "sort": []string{"_doc"}, "version": true}, func(hits []osconn.Hit) error {
		for _, h := range hits {
			var r wal.Record
			if err := json.Unmarshal(h.Source, &r); err != nil || r.ID == "" {
				continue
			}
			versions[r.ID] = h.Version
			if r.Op == wal.OpDelete {
				st.Deleted[r.ID] = true
			} else {
				st.Puts = append(st.Puts, r)
			}
		}
		return nil
	})
	if osconn.IsStatus(err, http.StatusNotFound) {
		return st, versions, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("the write API's records (%s): %w", index, err)
	}
	return st, versions, nil
}

// osCatchUp copies into a new generation the write records changed since
// the build (or the last catch-up) read them. Each copy carries the
// external version of its record (versionOf), as the writer's own write
// does, so a copy never replaces a newer write, whichever lands last, and
// no process's memory is relied on: the versions are the records'.
//
// Concurrency: one goroutine (the build's).
type osCatchUp struct {
	c             *osconn.Client
	cfg           indexer.Config
	index, writes string
	seen          map[string]int64 // each id's record version already copied (or read by the build)
	en            *enrich.Enricher
	seg           *analysis.Segmenter
}

func (cu *osCatchUp) run(ctx context.Context) error {
	log := cu.cfg.Log()
	err := cu.c.Do(ctx, http.MethodPost, "/"+cu.writes+"/_refresh", nil, nil)
	if osconn.IsStatus(err, http.StatusNotFound) {
		return nil // no write API has written
	}
	if err != nil {
		return fmt.Errorf("refresh %s: %w", cu.writes, err)
	}
	st, versions, err := readOSWrites(ctx, cu.c, cu.writes)
	if err != nil {
		return err
	}
	changed := func(id string) bool { return versions[id] != cu.seen[id] }
	var items []bulkItem
	var puts []wal.Record
	for _, r := range st.Puts {
		if changed(r.ID) {
			puts = append(puts, r)
		}
	}
	if len(puts) > 0 {
		tmp, err := os.MkdirTemp("", "bulletin-catchup-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		ins, err := indexer.RecordsInputs(puts, tmp)
		if err != nil {
			return err
		}
		rd := source.NewReader(source.Options{OCR: cu.cfg.OCR})
		defer rd.Close()
		for _, in := range ins {
			r := indexer.ReadFile(ctx, rd, in, cu.cfg.MaxFile(), cu.en)
			if r.Err != nil {
				return fmt.Errorf("the write API's records: %w", r.Err)
			}
			for _, a := range r.Arts {
				src, err := json.Marshal(Document(a.Art, a.NormTitle, a.NormBody, cu.seg, VocabCounts{}))
				if err != nil {
					return err
				}
				items = append(items, bulkItem{action: indexActionV(cu.index, a.Art.ID, versionOf(versions[a.Art.ID])), source: append(src, '\n'), versioned: true})
			}
		}
	}
	for id := range st.Deleted {
		if changed(id) {
			items = append(items, bulkItem{action: deleteActionV(cu.index, id, versionOf(versions[id])), versioned: true})
		}
	}
	for len(items) > 0 {
		n, size := 0, 0
		for n < len(items) && (n == 0 || size+items[n].size() <= maxOSRequest) {
			size += items[n].size()
			n++
		}
		out, err := sendBulk(ctx, cu.c, "/_bulk", items[:n], BulkRetry{}, log)
		if err != nil {
			return err
		}
		for _, o := range out {
			if !o.done() && !(o.Status == http.StatusNotFound && o.Type == "") {
				return fmt.Errorf("bulk write: a write record was refused: %s", o.Err)
			}
		}
		items = items[n:]
	}
	for id, v := range versions {
		cu.seen[id] = v
	}
	if err := cu.c.Do(ctx, http.MethodPost, "/"+cu.index+"/_refresh", nil, nil); err != nil {
		return fmt.Errorf("refresh: %w", err)
	}
	log.Info("caught up the writes made during the build", "index", cu.index, "puts", len(puts))
	return nil
}

// aliasIndexes returns the indexes the alias names (none if it is unknown).
func aliasIndexes(ctx context.Context, c *osconn.Client, alias string) ([]string, error) {
	var m map[string]json.RawMessage
	err := c.Do(ctx, http.MethodGet, "/_alias/"+alias, nil, &m)
	if osconn.IsStatus(err, http.StatusNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("alias %s: %w", alias, err)
	}
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out, nil
}
