package opensearch

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/internal/osconn"
)

// Options configure a build into OpenSearch.
type Options struct {
	// Replicas of each shard; nil means 1 (the cluster answers with a node
	// down). Written after the bulk load, which runs without replicas.
	Replicas *int
	// Shards overrides the number of primary shards; 0 means from the
	// size of the input (ShardsFor).
	Shards int
	// BulkBytes caps one bulk request; 0 means 5 MiB.
	BulkBytes int
	// Senders is how many bulk requests are in flight at once; 0 means 2.
	Senders int
}

// ShardsFor returns the number of primary shards for an input of the given
// size: one shard per about 1,000,000 articles (input bytes / 3,000, the
// mean size of a bulletin article in UTF-8 with markup), at least 1 and at
// most 24. A shard of a million articles holds some 10 GB with the analysed
// fields, inside the 10–50 GB a shard is usually advised to hold; more shards
// than that only add per-shard overhead to every search.
func ShardsFor(inputBytes int64) int {
	est := inputBytes / 3000
	n := int((est + 999_999) / 1_000_000)
	return min(max(n, 1), 24)
}

// Build indexes the files and folders at paths into a new
// OpenSearch index named ALIAS-gen-TIME and points the alias at it
// (atomically, with the old index removed from it in the same request)
// only once every article is written and counted; then it deletes the
// indexes that the alias named before. On failure the new index is deleted
// and the alias is left as it was.
func Build(ctx context.Context, c *osconn.Client, cfg indexer.Config, opts Options, paths ...string) (*indexer.Report, error) {
	prep := indexer.Prepare(cfg) // jieba loads while the paths are walked
	inputs, skips, err := indexer.WalkPaths(paths, cfg.MaxFile())
	if err != nil {
		return nil, err
	}
	return buildOS(ctx, c, cfg, opts, prep, inputs, skips)
}

func buildOS(ctx context.Context, c *osconn.Client, cfg indexer.Config, opts Options, prep *indexer.Preparation, inputs []indexer.Input, skips []indexer.Skip) (*indexer.Report, error) {
	start := time.Now()
	log := cfg.Log()
	alias := c.Config().AliasName()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The cluster first: a cluster that cannot be reached fails the run
	// before any file is read.
	var health struct {
		Status string `json:"status"`
		Nodes  int    `json:"number_of_data_nodes"`
	}
	if err := c.Do(ctx, http.MethodGet, "/_cluster/health", nil, &health); err != nil {
		return nil, fmt.Errorf("opensearch: %w", err)
	}

	en, userDict, err := prep.Wait()
	if err != nil {
		return nil, err
	}
	// What came through the write API is a source like the files, read
	// last: its articles replace those with their ids, its deletions
	// remove them (as the embedded build reads the write log).
	// The version of each id's record read now: what changes after it is
	// caught up before and after the alias switch (catchUpOS).
	recs, seen, err := readOSWrites(ctx, c, schema.OSWritesIndex(alias))
	if err != nil {
		return nil, err
	}
	if len(recs.Puts) > 0 {
		tmp, err := os.MkdirTemp("", "bulletin-writes-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		ins, err := indexer.RecordsInputs(recs.Puts, tmp)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, ins...)
	}
	written := make(map[string]bool, len(recs.Puts)+len(recs.Deleted))
	for _, r := range recs.Puts {
		written[r.ID] = true
	}
	for id := range recs.Deleted {
		written[id] = true
	}
	var total int64
	for _, in := range inputs {
		if st, err := os.Stat(in.Show()); err == nil {
			total += st.Size()
		}
	}
	shards := opts.Shards
	if shards <= 0 {
		shards = ShardsFor(total)
	}
	replicas := 1
	if opts.Replicas != nil {
		replicas = *opts.Replicas
	}
	name := alias + "-" + strings.ToLower(time.Now().UTC().Format("20060102t150405.000000"))
	meta := schema.Meta{
		Schema: schema.Version, Name: name, Created: time.Now().UTC(),
		Region: en.Gazetteer.Region, Districts: en.Gazetteer.Districts(), Topics: en.Taxonomy.Names(),
		UserWords: en.Gazetteer.DictWords(), UserDict: userDict,
	}
	create := map[string]any{
		"settings": map[string]any{"index": map[string]any{
			"number_of_shards": shards, "number_of_replicas": 0, "refresh_interval": "-1",
			"similarity": Similarity(),
		}},
		"mappings": Mapping(meta),
	}
	if err := c.Do(ctx, http.MethodPut, "/"+name, create, nil); err != nil {
		return nil, fmt.Errorf("create index %s: %w", name, err)
	}
	ok := false
	defer func() {
		if !ok {
			dctx, dcancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer dcancel()
			if err := c.Do(dctx, http.MethodDelete, "/"+name, nil, nil); err != nil {
				log.Warn("deleting the incomplete index", "index", name, "err", err)
			}
		}
	}()
	log.Info("writing a new OpenSearch index", "index", name, "shards", shards, "replicas", replicas)

	rep := &indexer.Report{Generation: name, Skipped: skips}
	prog := indexer.NewProgress(cfg.Progress, len(inputs))
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	seg, err := prep.Segmenter()
	if err != nil {
		return nil, err
	}

	// Readers read, split, enrich and analyse files in parallel; this
	// goroutine hands each article to the sender that its id hashes to (so
	// that a later article with the same id is written after the earlier
	// one); the senders' queues are bounded, so reading waits for the
	// cluster (back-pressure).
	type osFile struct {
		r    indexer.FileResult
		docs [][]byte // one bulk action+source pair an article
	}
	rd := source.NewReader(source.Options{OCR: cfg.OCR})
	jobs := make(chan indexer.Input)
	results := make(chan osFile, 64)
	var readers sync.WaitGroup
	vocabs := make([]VocabCounts, workers) // one a reader, summed at the end
	for i := 0; i < workers; i++ {
		readers.Add(1)
		vocab := VocabCounts{}
		vocabs[i] = vocab
		go func() {
			defer readers.Done()
			for in := range jobs {
				r := indexer.ReadFile(ctx, rd, in, cfg.MaxFile(), en)
				f := osFile{r: r}
				if r.Err == nil {
					for _, a := range r.Arts {
						doc := Document(a.Art, a.NormTitle, a.NormBody, seg, vocab)
						src, err := json.Marshal(doc)
						if err != nil {
							f.r.Err = err
							break
						}
						action, _ := json.Marshal(map[string]any{"index": map[string]any{"_id": a.Art.ID}})
						line := make([]byte, 0, len(action)+len(src)+2)
						line = append(append(append(append(line, action...), '\n'), src...), '\n')
						f.docs = append(f.docs, line)
					}
				}
				for i := range f.r.Arts {
					f.r.Arts[i].NormTitle, f.r.Arts[i].NormBody = "", ""
				}
				select {
				case results <- f:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go indexer.Feed(ctx, jobs, inputs)
	go func() { readers.Wait(); close(results); rd.Close() }()

	nSend := opts.Senders
	if nSend <= 0 {
		nSend = 2
	}
	bw := newBulkWriter(ctx, c, name, nSend, opts.BulkBytes, log)
	ids := map[string]struct{}{}
	for f := range results {
		rep.Files++
		rep.Bytes += f.r.Bytes
		prog.Add(1, f.r.Bytes)
		if f.r.Err != nil {
			rep.Skipped = append(rep.Skipped, indexer.Skip{Path: f.r.In.Show(), Reason: f.r.Err.Error()})
			log.Warn("skipped file", "path", f.r.In.Show(), "reason", f.r.Err.Error())
			continue
		}
		for _, s := range f.r.Skips {
			rep.Skipped = append(rep.Skipped, s)
			log.Warn("skipped part of file", "path", s.Path, "line", s.Line, "reason", s.Reason)
		}
		fromWrites := f.r.In.FromWrites()
		for i, line := range f.docs {
			id := f.r.Arts[i].Art.ID
			if written[id] && !fromWrites {
				rep.Replaced++
				continue
			}
			if err := bw.add(id, line); err != nil {
				cancel()
				break
			}
			ids[id] = struct{}{}
			rep.Articles++
		}
	}
	prog.Done()
	if err := bw.close(); err != nil {
		return rep, err
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if rep.Articles == 0 {
		return rep, indexer.ErrNothingIndexed
	}

	// The vocabulary (pinyin queries, did_you_mean) goes to an index of
	// its own beside the generation's: NAME-vocab.
	vocab := vocabs[0]
	for _, v := range vocabs[1:] {
		for w, n := range v {
			c := vocab[w]
			vocab[w] = [2]uint64{c[0] + n[0], c[1] + n[1]}
		}
	}
	defer func() {
		if !ok {
			dctx, dcancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer dcancel()
			_ = c.Do(dctx, http.MethodDelete, "/"+schema.VocabIndex(name), nil, nil)
		}
	}()
	if err := writeVocab(ctx, c, schema.VocabIndex(name), vocab, replicas, log); err != nil {
		return rep, err
	}

	// Complete: replicas, refresh, the final meta, a count check, then
	// the alias switch.
	meta.Articles = len(ids)
	settings := map[string]any{"index": map[string]any{"number_of_replicas": replicas, "refresh_interval": "1s"}}
	if err := c.Do(ctx, http.MethodPut, "/"+name+"/_settings", settings, nil); err != nil {
		return rep, fmt.Errorf("index settings: %w", err)
	}
	if err := c.Do(ctx, http.MethodPut, "/"+name+"/_mapping", map[string]any{"_meta": map[string]any{schema.OSMetaKey: meta}}, nil); err != nil {
		return rep, fmt.Errorf("index meta: %w", err)
	}
	if err := c.Do(ctx, http.MethodPost, "/"+name+"/_refresh", nil, nil); err != nil {
		return rep, fmt.Errorf("refresh: %w", err)
	}
	want := "green"
	if replicas >= health.Nodes {
		want = "yellow" // not enough nodes to place every replica
	}
	var h struct {
		TimedOut bool `json:"timed_out"`
	}
	if err := c.Do(ctx, http.MethodGet, "/_cluster/health/"+name+"?wait_for_status="+want+"&timeout=120s", nil, &h); err != nil || h.TimedOut {
		log.Warn("index not "+want+" within 120 s; switching anyway", "index", name, "err", err)
	}
	var cnt struct {
		Count int `json:"count"`
	}
	if err := c.Do(ctx, http.MethodGet, "/"+name+"/_count", nil, &cnt); err != nil {
		return rep, fmt.Errorf("count: %w", err)
	}
	if cnt.Count != len(ids) {
		return rep, fmt.Errorf("index %s holds %d articles, want %d", name, cnt.Count, len(ids))
	}
	// Writes acknowledged while the build ran went to the old index:
	// they are copied in now, so that the switch loses (almost) nothing.
	cu := &osCatchUp{c: c, cfg: cfg, index: name, writes: schema.OSWritesIndex(alias), seen: seen, en: en, seg: seg}
	if err := cu.run(ctx); err != nil {
		return rep, err
	}
	old, err := aliasIndexes(ctx, c, alias)
	if err != nil {
		return rep, err
	}
	actions := []any{map[string]any{"add": map[string]any{"index": name, "alias": alias}}}
	for _, o := range old {
		actions = append(actions, map[string]any{"remove": map[string]any{"index": o, "alias": alias}})
	}
	if err := c.Do(ctx, http.MethodPost, "/_aliases", map[string]any{"actions": actions}, nil); err != nil {
		return rep, fmt.Errorf("switch alias %s to %s: %w", alias, name, err)
	}
	ok = true
	for _, o := range old {
		for _, ix := range []string{o, schema.VocabIndex(o)} {
			if err := c.Do(ctx, http.MethodDelete, "/"+ix, nil, nil); err != nil && !osconn.IsStatus(err, http.StatusNotFound) {
				log.Warn("deleting the previous index", "index", ix, "err", err)
			}
		}
	}
	// Once the old index is gone, a writer still aiming at it gets 404
	// and writes again where the alias points; what it wrote there
	// before has its record written before that (Writer.write), so one
	// more catch-up now covers every write the old index took.
	if err := cu.run(ctx); err != nil {
		log.Error("catching up the writes made during the build failed after the switch: they are in the records, not all in the index until the next build", "index", name, "err", err)
		return rep, fmt.Errorf("catching up the writes made during the build: %w", err)
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}
