package indexer

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/util"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/store"
)

// writers are the parts of a generation being written: the bleve index
// (an offline scorch builder) and the article store. Neither is safe for
// concurrent use: one goroutine adds to them (see run).
type writers struct {
	gen   string // the generation's folder
	bleve *scorch.Builder
	store *store.Writer
	// pairsDone gives the Han pair sets once run has added every article
	// (nil when run stopped before it started collecting them).
	pairsDone chan *pairSets
}

// newWriters starts writing a generation in the folder gen.
func newWriters(gen string) (*writers, error) {
	b, err := newBleveBuilder(filepath.Join(gen, schema.BleveDir))
	if err != nil {
		return nil, err
	}
	sw, err := store.Create(filepath.Join(gen, schema.StoreFile))
	if err != nil {
		return nil, err
	}
	return &writers{gen: gen, bleve: b, store: sw}, nil
}

// finish closes the store, and, for a build that will be kept (firstErr,
// run's error, is nil and an article was added), writes the titles and
// merges the bleve index. It returns the first error.
func (w *writers) finish(titles []string, firstErr error, rep *Report, log *slog.Logger, start time.Time) error {
	b, sw, gen := w.bleve, w.store, w.gen
	// The store and the titles are finished on the other core while bleve
	// merges its segments, which takes one core for a while (about 10 s at
	// 200,000 articles).
	sideErr := make(chan error, 1)
	go func() {
		var ps *pairSets
		if w.pairsDone != nil {
			ps = <-w.pairsDone
			defer ps.arena.release()
		}
		if err := sw.Close(); err != nil {
			sideErr <- fmt.Errorf("store: %w", err)
			return
		}
		if firstErr == nil && rep.Articles > 0 {
			if err := writeTitles(filepath.Join(gen, schema.TitlesFile), titles); err != nil {
				sideErr <- err
				return
			}
			if ps != nil {
				sideErr <- ps.write(filepath.Join(gen, schema.PairsFile))
				return
			}
		}
		sideErr <- nil
	}()
	// Close merges and publishes the builder's segments. It is called only
	// for a build that will be kept: scorch.Builder.Close panics (index out
	// of range) when no document was indexed, which is the case of a run
	// over only bad files or one canceled early. The builder holds no open
	// file between batches; its files go with the generation folder.
	mergeErr := firstErr
	if mergeErr == nil && rep.Articles > 0 {
		if err := b.Close(); err != nil {
			mergeErr = fmt.Errorf("bleve: %w", err)
		}
		log.Info("index segments merged", "elapsed", time.Since(start).String())
	}
	if err := <-sideErr; mergeErr == nil {
		mergeErr = err
	}
	return mergeErr
}

// newBleveBuilder starts an offline scorch build (segments written in
// batches, merged on Close) in path, with the explicit mapping saved in it.
func newBleveBuilder(path string) (*scorch.Builder, error) {
	m := Mapping()
	if err := m.Validate(); err != nil {
		return nil, err
	}
	mj, err := util.MarshalJSON(m)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, err
	}
	// The same index_meta.json that bleve.New writes for scorch.
	if err := os.WriteFile(filepath.Join(path, "index_meta.json"), []byte(`{"storage":"scorch","index_type":"scorch"}`), 0o644); err != nil {
		return nil, err
	}
	return scorch.NewBuilder(map[string]interface{}{
		"path":            filepath.Join(path, "store"),
		"buildPathPrefix": path,
		"batchSize":       500,
		"mergeMax":        400, // one merge pass up to 200,000 articles; 400 files open at most
		"internal":        map[string][]byte{string(util.MappingInternalKey): mj},
	})
}

// writeTitles writes the article titles, one a line, sorted by their
// normalised form, for prefix suggestions (search reads it at open).
func writeTitles(path string, titles []string) error {
	type pair struct{ norm, title string }
	ps := make([]pair, 0, len(titles))
	for _, t := range titles {
		t = strings.Join(strings.Fields(t), " ")
		if t != "" {
			ps = append(ps, pair{analysis.Normalize(t), t})
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].norm < ps[j].norm })
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.title)
		b.WriteByte('\n')
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
