package opensearch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/enrich"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/internal/osconn"
)

// WriterConfig configures a Writer.
type WriterConfig struct {
	TaxonomyFile string // "" for the embedded taxonomy
	Logger       *slog.Logger
	Retry        BulkRetry // zero for the defaults
}

// Writer writes articles into the OpenSearch index that the alias names.
//
// Concurrency: safe for concurrent use. Writes run in the caller's
// goroutine; the alias is checked again at most every aliasCheck, and a
// write goes to the index it named then.
type Writer struct {
	c      *osconn.Client
	cfg    WriterConfig
	lg     *slog.Logger
	writes string // the index of the write records (schema.OSWritesIndex)

	mu      sync.Mutex
	tgt     *osTarget
	checked time.Time

	// Counters for /metrics.
	Written, Deleted atomic.Int64
}

// osTarget is the index written to, with what its articles are made with.
type osTarget struct {
	index, vocab string
	seg          *analysis.Segmenter
	en           *enrich.Enricher
}

// aliasCheck is how often the writer checks which index the alias names.
const aliasCheck = 2 * time.Second

// maxOSRequest caps the bytes of one bulk request of the write API.
const maxOSRequest = 5 << 20

// OpenWriter prepares writes into the index that the cluster's alias
// names: it reads the index's meta (dictionary, region) and makes sure
// writes there are durable and seen within a second.
func OpenWriter(ctx context.Context, c *osconn.Client, cfg WriterConfig) (*Writer, error) {
	lg := cfg.Logger
	if lg == nil {
		lg = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	l := &Writer{c: c, cfg: cfg, lg: lg, writes: schema.OSWritesIndex(c.Config().AliasName())}
	if _, err := l.target(ctx); err != nil {
		return nil, err
	}
	if err := l.createWrites(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

// createWrites creates the index of the write records if it is missing.
func (l *Writer) createWrites(ctx context.Context) error {
	create := map[string]any{
		"settings": map[string]any{"index": map[string]any{"number_of_shards": 1, "refresh_interval": writeRefresh.String()}},
		"mappings": map[string]any{"dynamic": "strict", "properties": map[string]any{
			"op": map[string]any{"type": "keyword"}, "id": map[string]any{"type": "keyword"},
			"doc":    map[string]any{"type": "object", "enabled": false},
			"origin": map[string]any{"type": "keyword"}, "sig": map[string]any{"type": "keyword", "index": false, "doc_values": false},
			"t": map[string]any{"type": "long"},
		}},
	}
	err := l.c.Do(ctx, http.MethodPut, "/"+l.writes, create, nil)
	var se *osconn.StatusError
	if errors.As(err, &se) && se.Type == "resource_already_exists_exception" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("OpenSearch index %s: %w", l.writes, err)
	}
	return nil
}

// target returns the index to write to, checking the alias at most every
// aliasCheck.
func (l *Writer) target(ctx context.Context) (*osTarget, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tgt != nil && time.Since(l.checked) < aliasCheck {
		return l.tgt, nil
	}
	sv, err := l.c.Served(ctx)
	if err != nil {
		if l.tgt != nil { // keep writing where we did
			l.lg.Warn("checking the OpenSearch alias failed; writing to the index known", "err", err)
			return l.tgt, nil
		}
		return nil, err
	}
	name, meta := sv.Index, sv.Meta
	l.checked = time.Now()
	if l.tgt != nil && l.tgt.index == name {
		return l.tgt, nil
	}
	if meta.Schema != schema.Version {
		return nil, fmt.Errorf("OpenSearch index %s has schema %d, this bulletin writes %d: index again", name, meta.Schema, schema.Version)
	}
	t, err := l.openTarget(ctx, name, meta)
	if err != nil {
		return nil, err
	}
	if l.tgt != nil {
		l.lg.Info("writes go to the new OpenSearch index", "index", name)
	}
	l.tgt = t
	return t, nil
}

// openTarget readies index name (of meta) for writes.
func (l *Writer) openTarget(ctx context.Context, name string, meta schema.Meta) (*osTarget, error) {
	t := &osTarget{index: name, vocab: schema.VocabIndex(name)}
	dict, err := analysis.GenerationDictionary(meta.UserWords, meta.UserDict)
	if err != nil {
		return nil, fmt.Errorf("OpenSearch index %s: dictionary: %w", name, err)
	}
	if t.seg, err = analysis.For(dict); err != nil {
		return nil, err
	}
	if t.en, err = enrich.New(enrich.Config{Region: meta.Region, TaxonomyFile: l.cfg.TaxonomyFile}); err != nil {
		return nil, err
	}
	// A vocabulary written before the write API existed lacks "at".
	if err := l.c.Do(ctx, http.MethodPut, "/"+t.vocab+"/_mapping", map[string]any{"properties": map[string]any{
		schema.VocabAt: map[string]any{"type": "long"},
	}}, nil); err != nil {
		return nil, fmt.Errorf("OpenSearch index %s: mapping: %w", t.vocab, err)
	}
	for _, ix := range []string{name, t.vocab} {
		if err := l.checkSettings(ctx, ix); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// writeRefresh is the refresh interval of an index written to: a PUT or
// DELETE (refresh=wait_for) waits for the next refresh, so about half of
// it on average, all of it for a client that writes one article after the
// other. A refresh finds nothing to do when nothing was written.
const writeRefresh = 500 * time.Millisecond

// checkSettings refuses an index whose writes would be acknowledged before
// they are synced (translog durability "async"), and makes its refresh
// interval at most writeRefresh.
func (l *Writer) checkSettings(ctx context.Context, index string) error {
	var m map[string]struct {
		Settings map[string]any `json:"settings"`
		Defaults map[string]any `json:"defaults"`
	}
	if err := l.c.Do(ctx, http.MethodGet, "/"+index+"/_settings?flat_settings=true&include_defaults=true", nil, &m); err != nil {
		return fmt.Errorf("OpenSearch index %s: settings: %w", index, err)
	}
	get := func(k string) string {
		for _, s := range m {
			if v, ok := s.Settings[k]; ok {
				return fmt.Sprint(v)
			}
			if v, ok := s.Defaults[k]; ok {
				return fmt.Sprint(v)
			}
		}
		return ""
	}
	if d := get("index.translog.durability"); strings.EqualFold(d, "async") {
		return fmt.Errorf("OpenSearch index %s has index.translog.durability %q: an acknowledged write could be lost; set it to \"request\"", index, d)
	}
	ri := get("index.refresh_interval")
	if d, err := time.ParseDuration(ri); ri == "-1" || (err == nil && d > writeRefresh) {
		l.lg.Info("lowering the refresh interval: a write waits for the next refresh", "index", index, "was", ri, "now", writeRefresh.String())
		if err := l.c.Do(ctx, http.MethodPut, "/"+index+"/_settings", map[string]any{"index": map[string]any{"refresh_interval": writeRefresh.String()}}, nil); err != nil {
			return fmt.Errorf("OpenSearch index %s: settings: %w", index, err)
		}
	}
	return nil
}

// VocabLiveID is the id, in the vocabulary index, of the document counting
// the written articles that hold word (beside the build's own document of
// the word, whose counts add to it).
func VocabLiveID(word string) string { return "w:" + word }

// vocabAdd adds a write's counts to a word's document of the vocabulary
// index and stamps it with the time of the write.
const vocabAdd = "ctx._source.df[0] += params.d[0]; ctx._source.df[1] += params.d[1]; ctx._source.at = params.at;"
