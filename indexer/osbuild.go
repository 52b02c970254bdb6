package indexer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/enrich"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/internal/osconn"
)

// OSOptions configure a build into OpenSearch.
type OSOptions struct {
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

// BuildOpenSearch indexes the files and folders at paths into a new
// OpenSearch index named ALIAS-gen-TIME and points the alias at it
// (atomically, with the old index removed from it in the same request)
// only once every article is written and counted; then it deletes the
// indexes that the alias named before. On failure the new index is deleted
// and the alias is left as it was.
func BuildOpenSearch(ctx context.Context, c *osconn.Client, cfg Config, opts OSOptions, paths ...string) (*Report, error) {
	prep := prepare(cfg) // jieba loads while the paths are walked
	inputs, skips, err := walkPaths(paths, cfg.maxFile())
	if err != nil {
		return nil, err
	}
	return buildOS(ctx, c, cfg, opts, prep, inputs, skips)
}

func buildOS(ctx context.Context, c *osconn.Client, cfg Config, opts OSOptions, prep *preparation, inputs []input, skips []Skip) (*Report, error) {
	start := time.Now()
	log := cfg.logger()
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

	en, userDict, err := prep.wait()
	if err != nil {
		return nil, err
	}
	// What came through the write API is a source like the files, read
	// last: its articles replace those with their ids, its deletions
	// remove them (as the embedded build reads the write log).
	// The version of each id's record read now: what changes after it is
	// caught up before and after the alias switch (catchUpOS).
	writes, seen, err := readOSWrites(ctx, c, schema.OSWritesIndex(alias))
	if err != nil {
		return nil, err
	}
	if len(writes.puts) > 0 {
		tmp, err := os.MkdirTemp("", "bulletin-writes-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		ins, err := writesInputs(writes, tmp)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, ins...)
	}
	written := make(map[string]bool, len(writes.puts)+len(writes.deleted))
	for _, r := range writes.puts {
		written[r.ID] = true
	}
	for id := range writes.deleted {
		written[id] = true
	}
	var total int64
	for _, in := range inputs {
		if st, err := os.Stat(in.show); err == nil {
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
			"similarity": OSSimilarity(),
		}},
		"mappings": OSMapping(meta),
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

	rep := &Report{Generation: name, Skipped: skips}
	prog := newProgress(cfg.Progress, len(inputs))
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	seg, err := prep.segmenter()
	if err != nil {
		return nil, err
	}

	// Readers read, split, enrich and analyse files in parallel; this
	// goroutine hands each article to the sender that its id hashes to (so
	// that a later article with the same id is written after the earlier
	// one); the senders' queues are bounded, so reading waits for the
	// cluster (back-pressure).
	type osFile struct {
		r    fileResult
		docs [][]byte // one bulk action+source pair an article
	}
	rd := source.NewReader(source.Options{OCR: cfg.OCR})
	jobs := make(chan input)
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
				r := readFile(ctx, rd, in, cfg.maxFile(), en)
				f := osFile{r: r}
				if r.err == nil {
					for _, a := range r.arts {
						doc := OSDocument(a.art, a.normTitle, a.normBody, seg, vocab)
						src, err := json.Marshal(doc)
						if err != nil {
							f.r.err = err
							break
						}
						action, _ := json.Marshal(map[string]any{"index": map[string]any{"_id": a.art.ID}})
						line := make([]byte, 0, len(action)+len(src)+2)
						line = append(append(append(append(line, action...), '\n'), src...), '\n')
						f.docs = append(f.docs, line)
					}
				}
				for i := range f.r.arts {
					f.r.arts[i].normTitle, f.r.arts[i].normBody = "", ""
				}
				select {
				case results <- f:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, in := range inputs {
			select {
			case jobs <- in:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { readers.Wait(); close(results); rd.Close() }()

	nSend := opts.Senders
	if nSend <= 0 {
		nSend = 2
	}
	bw := newBulkWriter(ctx, c, name, nSend, opts.BulkBytes, log)
	ids := map[string]struct{}{}
	for f := range results {
		rep.Files++
		rep.Bytes += f.r.bytes
		prog.add(1, f.r.bytes)
		if f.r.err != nil {
			rep.Skipped = append(rep.Skipped, Skip{Path: f.r.in.show, Reason: f.r.err.Error()})
			log.Warn("skipped file", "path", f.r.in.show, "reason", f.r.err.Error())
			continue
		}
		for _, s := range f.r.skips {
			rep.Skipped = append(rep.Skipped, s)
			log.Warn("skipped part of file", "path", s.Path, "line", s.Line, "reason", s.Reason)
		}
		fromWrites := f.r.in.show == LogFile && f.r.in.rel == apiSource
		for i, line := range f.docs {
			id := f.r.arts[i].art.ID
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
	prog.done()
	if err := bw.close(); err != nil {
		return rep, err
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if rep.Articles == 0 {
		return rep, ErrNothingIndexed
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
	// before has its record written before that (OSLive.write), so one
	// more catch-up now covers every write the old index took.
	if err := cu.run(ctx); err != nil {
		log.Error("catching up the writes made during the build failed after the switch: they are in the records, not all in the index until the next build", "index", name, "err", err)
		return rep, fmt.Errorf("catching up the writes made during the build: %w", err)
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// readOSWrites reads the write records of a cluster (none when there is
// no such index): each id's last write.
// versions holds each id's record's _version.
func readOSWrites(ctx context.Context, c *osconn.Client, index string) (*logState, map[string]int64, error) {
	st := &logState{deleted: map[string]bool{}}
	versions := map[string]int64{}
	err := c.Scroll(ctx, index, map[string]any{"size": 5000, "sort": []string{"_doc"}, "version": true}, func(hits []osconn.Hit) error {
		for _, h := range hits {
			var r Record
			if err := json.Unmarshal(h.Source, &r); err != nil || r.ID == "" {
				continue
			}
			versions[r.ID] = h.Version
			if r.Op == "delete" {
				st.deleted[r.ID] = true
			} else {
				st.puts = append(st.puts, r)
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
	cfg           Config
	index, writes string
	seen          map[string]int64 // each id's record version already copied (or read by the build)
	en            *enrich.Enricher
	seg           *analysis.Segmenter
}

func (cu *osCatchUp) run(ctx context.Context) error {
	log := cu.cfg.logger()
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
	var puts []Record
	for _, r := range st.puts {
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
		ins, err := writesInputs(&logState{puts: puts}, tmp)
		if err != nil {
			return err
		}
		rd := source.NewReader(source.Options{OCR: cu.cfg.OCR})
		defer rd.Close()
		for _, in := range ins {
			r := readFile(ctx, rd, in, cu.cfg.maxFile(), cu.en)
			if r.err != nil {
				return fmt.Errorf("the write API's records: %w", r.err)
			}
			for _, a := range r.arts {
				src, err := json.Marshal(OSDocument(a.art, a.normTitle, a.normBody, cu.seg, VocabCounts{}))
				if err != nil {
					return err
				}
				items = append(items, bulkItem{action: indexActionV(cu.index, a.art.ID, versionOf(versions[a.art.ID])), source: append(src, '\n'), versioned: true})
			}
		}
	}
	for id := range st.deleted {
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

// writesInputs writes the records' articles as JSON Lines files under dir
// (logInput), each under the size a file may have, and returns them as
// inputs.
func writesInputs(st *logState, dir string) ([]input, error) {
	const chunk = 16 << 20
	var ins []input
	for start := 0; start < len(st.puts); {
		end, size := start, 0
		for end < len(st.puts) && (end == start || size+len(st.puts[end].Doc) <= chunk) {
			size += len(st.puts[end].Doc)
			end++
		}
		sub := filepath.Join(dir, strconv.Itoa(len(ins)))
		if err := os.Mkdir(sub, 0o755); err != nil {
			return nil, err
		}
		in, err := logInput(&logState{puts: st.puts[start:end]}, sub)
		if err != nil {
			return nil, err
		}
		p := filepath.Join(sub, apiSource)
		in.open = func() ([]byte, error) { return os.ReadFile(p) }
		ins = append(ins, in)
		start = end
	}
	return ins, nil
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

// bulkWriter sends bulk requests from a few goroutines. An article goes to
// the sender its id hashes to, so writes of one id stay in order. Each
// sender's queue holds one pending request: when the cluster is slow, add
// blocks (back-pressure). Items refused with 429 or 5xx are sent again with
// exponential back-off (at most 8 times); any other refusal fails the build.
type bulkWriter struct {
	ctx      context.Context
	c        *osconn.Client
	index    string
	maxBytes int
	log      interface {
		Warn(string, ...any)
	}
	bufs  []*bytes.Buffer
	queue []chan []byte
	wg    sync.WaitGroup
	mu    sync.Mutex
	err   error
}

func newBulkWriter(ctx context.Context, c *osconn.Client, index string, senders, maxBytes int, log interface{ Warn(string, ...any) }) *bulkWriter {
	if maxBytes <= 0 {
		maxBytes = 5 << 20
	}
	w := &bulkWriter{ctx: ctx, c: c, index: index, maxBytes: maxBytes, log: log}
	for i := 0; i < senders; i++ {
		q := make(chan []byte, 1)
		w.queue = append(w.queue, q)
		w.bufs = append(w.bufs, &bytes.Buffer{})
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for body := range q {
				if w.failed() != nil {
					continue
				}
				if err := w.send(body); err != nil {
					w.fail(err)
				}
			}
		}()
	}
	return w
}

func (w *bulkWriter) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func (w *bulkWriter) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

func (w *bulkWriter) add(id string, line []byte) error {
	if err := w.failed(); err != nil {
		return err
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	i := int(h.Sum32() % uint32(len(w.bufs)))
	b := w.bufs[i]
	if b.Len() > 0 && b.Len()+len(line) > w.maxBytes {
		if err := w.flush(i); err != nil {
			return err
		}
	}
	b.Write(line)
	return nil
}

func (w *bulkWriter) flush(i int) error {
	b := w.bufs[i]
	if b.Len() == 0 {
		return nil
	}
	body := bytes.Clone(b.Bytes())
	b.Reset()
	select {
	case w.queue[i] <- body:
		return nil
	case <-w.ctx.Done():
		return w.ctx.Err()
	}
}

// close sends what is buffered and waits for every request.
func (w *bulkWriter) close() error {
	for i := range w.bufs {
		if err := w.flush(i); err != nil {
			w.fail(err)
			break
		}
	}
	for _, q := range w.queue {
		close(q)
	}
	w.wg.Wait()
	return w.failed()
}

// send sends one bulk body with sendBulk's retries; any item still not
// written fails the build.
func (w *bulkWriter) send(body []byte) error {
	out, err := sendBulk(w.ctx, w.c, "/"+w.index+"/_bulk", splitItems(body), BulkRetry{}, w.log)
	if err != nil {
		return err
	}
	for _, o := range out {
		if !o.done() {
			return fmt.Errorf("bulk write: an article was refused: %s", o.Err)
		}
	}
	return nil
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return strings.TrimSpace(err.Error())
}

// writeVocab writes the vocabulary, one document a word ({"t": word,
// "df": [title count, body count]}, kept in _source only), and refreshes it.
func writeVocab(ctx context.Context, c *osconn.Client, name string, vocab VocabCounts, replicas int, log interface{ Warn(string, ...any) }) error {
	create := map[string]any{
		"settings": map[string]any{"index": map[string]any{"number_of_shards": 1, "number_of_replicas": replicas, "refresh_interval": "-1"}},
		"mappings": map[string]any{"dynamic": "strict", "properties": map[string]any{
			"t":            map[string]any{"type": "keyword", "index": false, "doc_values": false},
			"df":           map[string]any{"type": "long", "index": false, "doc_values": false},
			schema.VocabAt: map[string]any{"type": "long"},
		}},
	}
	if err := c.Do(ctx, http.MethodPut, "/"+name, create, nil); err != nil {
		return fmt.Errorf("create vocabulary index %s: %w", name, err)
	}
	bw := newBulkWriter(ctx, c, name, 1, 0, log)
	for w, n := range vocab {
		line, _ := json.Marshal(map[string]any{"t": w, "df": n[:]})
		// The word is the id: a request resent after a lost answer
		// writes it once (its counts add to the write API's, VocabLiveID).
		action, _ := json.Marshal(map[string]any{"index": map[string]any{"_id": w}})
		if err := bw.add(w, append(append(action, '\n'), append(line, '\n')...)); err != nil {
			break
		}
	}
	if err := bw.close(); err != nil {
		return fmt.Errorf("vocabulary: %w", err)
	}
	if err := c.Do(ctx, http.MethodPost, "/"+name+"/_refresh", nil, nil); err != nil {
		return fmt.Errorf("vocabulary refresh: %w", err)
	}
	// The write API adds to it: what it writes is seen within a second.
	if err := c.Do(ctx, http.MethodPut, "/"+name+"/_settings", map[string]any{"index": map[string]any{"refresh_interval": "1s"}}, nil); err != nil {
		return fmt.Errorf("vocabulary settings: %w", err)
	}
	return nil
}
