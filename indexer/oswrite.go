package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/enrich"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/internal/osconn"
)

// The write API and watched folders on OpenSearch (SPEC §9 with §10).
//
// Articles are read, enriched and analysed exactly as `bulletin index
// --opensearch` does (articlesOf, OSDocument, the generation's dictionary
// from the index's meta) and written with their ids into the index that
// the alias names. The vocabulary index (pinyin, did_you_mean,
// suggestions) is kept counting the articles that hold each word: in the
// same bulk request, a written article's words are added and the words of
// the version it replaces (or of an article deleted) are taken off, in one
// document a word ({"t", "df", "at"}, id VocabLiveID) holding the
// difference from the build's document of the word; "at" is the time of
// its last change, by which servers find what changed. (Two concurrent
// writes of one id may both take off the same old version, and an update
// resent after a lost answer counts twice: counts only order candidates.)
//
// Durable: OpenSearch answers a write once the primary and every in-sync
// replica hold it, and with index.translog.durability "request" (the
// default, checked when an index is first written to) each copy has synced
// its translog first. Visible: a PUT or DELETE is sent with
// refresh=wait_for (answered once a refresh shows it; the indexes' refresh
// interval is made at most writeRefresh), a bulk write with no refresh per
// request and one explicit refresh of the index and its vocabulary at the
// end.

// OSLiveConfig configures an OSLive.
type OSLiveConfig struct {
	TaxonomyFile string // "" for the embedded taxonomy
	Logger       *slog.Logger
	Retry        BulkRetry // zero for the defaults
}

// OSLive writes articles into the OpenSearch index that the alias names.
//
// Concurrency: safe for concurrent use. Writes run in the caller's
// goroutine; the alias is checked again at most every aliasCheck, and a
// write goes to the index it named then.
type OSLive struct {
	c      *osconn.Client
	cfg    OSLiveConfig
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

// OpenOSLive prepares writes into the index that the cluster's alias
// names: it reads the index's meta (dictionary, region) and makes sure
// writes there are durable and seen within a second.
func OpenOSLive(ctx context.Context, c *osconn.Client, cfg OSLiveConfig) (*OSLive, error) {
	lg := cfg.Logger
	if lg == nil {
		lg = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	l := &OSLive{c: c, cfg: cfg, lg: lg, writes: schema.OSWritesIndex(c.Config().AliasName())}
	if _, err := l.target(ctx); err != nil {
		return nil, err
	}
	if err := l.createWrites(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

// createWrites creates the index of the write records if it is missing.
func (l *OSLive) createWrites(ctx context.Context) error {
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

func (l *OSLive) logger() *slog.Logger { return l.lg }

// target returns the index to write to, checking the alias at most every
// aliasCheck.
func (l *OSLive) target(ctx context.Context) (*osTarget, error) {
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
func (l *OSLive) openTarget(ctx context.Context, name string, meta schema.Meta) (*osTarget, error) {
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
func (l *OSLive) checkSettings(ctx context.Context, index string) error {
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

// osWrite is articles ready to be sent: their bulk items, then the items
// of the words they add to the vocabulary.
type osWrite struct {
	index string // the index written to
	docs  []source.Doc
	arts  []*schema.Article
	items []bulkItem // one an article, in the order of arts
	recs  []bulkItem // its write record, in the same order
	vocab []bulkItem
}

// prepare enriches and analyses the articles of page (docs, with their
// ids) as the build does, from origin ("api" or a watched file, of
// version sig).
func (l *OSLive) prepare(ctx context.Context, t *osTarget, page *source.Page, docs []source.Doc, origin, sig string) (*osWrite, error) {
	for _, d := range docs {
		if d.ID == "" || len(d.ID) > source.MaxIDLen {
			return nil, errors.New("article without a usable id")
		}
	}
	p := *page
	p.Docs = docs
	as, _ := articlesOf(input{rel: originName(origin), show: origin, n: -1}, &p, t.en, nil)
	w := &osWrite{docs: docs, index: t.index}
	counts := VocabCounts{}
	for _, a := range as {
		src, err := json.Marshal(OSDocument(a.art, a.normTitle, a.normBody, t.seg, counts))
		if err != nil {
			return nil, err
		}
		w.arts = append(w.arts, a.art)
		w.items = append(w.items, bulkItem{source: append(src, '\n')}) // the action is made by write
	}
	if len(w.arts) != len(docs) {
		return nil, fmt.Errorf("internal error: %d articles made of %d", len(w.arts), len(docs))
	}
	now := time.Now().UnixMilli()
	for i, d := range docs {
		if page.Shared {
			// What the page gave its articles (its date, its district) is
			// kept with each, as in the embedded engine's write log.
			d.Given.Date, d.Given.Districts = w.arts[i].Date, w.arts[i].Districts
		}
		raw, err := json.Marshal(givenJSON(d))
		if err != nil {
			return nil, err
		}
		if origin == "" {
			origin = "api"
		}
		rec, err := json.Marshal(Record{Op: "put", ID: d.ID, Doc: raw, Origin: origin, Sig: sig, Time: now})
		if err != nil {
			return nil, err
		}
		w.recs = append(w.recs, bulkItem{action: indexAction(l.writes, d.ID), source: append(rec, '\n')})
	}
	// The words of the versions replaced are taken off (as the embedded
	// engine recounts them).
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	old, err := l.oldCounts(ctx, t, ids)
	if err != nil {
		return nil, err
	}
	w.vocab = vocabItems(t, counts, old)
	return w, nil
}

// oldCounts counts the words of the articles of the index with the given
// ids, as the build counted them (VocabCounts).
func (l *OSLive) oldCounts(ctx context.Context, t *osTarget, ids []string) (VocabCounts, error) {
	var got struct {
		Docs []struct {
			Found  bool            `json:"found"`
			Source json.RawMessage `json:"_source"`
		} `json:"docs"`
	}
	body := map[string]any{"ids": ids}
	if err := retryDo(ctx, l.c, l.cfg.Retry, l.lg, http.MethodPost, "/"+t.index+"/_mget?realtime=true&_source_includes="+schema.SrcTitle+","+schema.SrcBody, body, &got); err != nil {
		return nil, fmt.Errorf("reading the versions replaced: %w", err)
	}
	counts := VocabCounts{}
	for _, d := range got.Docs {
		if !d.Found {
			continue
		}
		a, err := schema.ArticleFromSource(d.Source)
		if err != nil {
			return nil, err
		}
		OSDocument(a, analysis.Normalize(a.Title), analysis.Normalize(a.Body), t.seg, counts)
	}
	return counts, nil
}

// vocabItems are the updates of the vocabulary for words counted in add
// and taken off in sub: each changed word's VocabLiveID document gets the
// difference (a Painless upsert) and the time.
func vocabItems(t *osTarget, add, sub VocabCounts) []bulkItem {
	delta := map[string][2]int64{}
	for w, n := range add {
		d := delta[w]
		delta[w] = [2]int64{d[0] + int64(n[0]), d[1] + int64(n[1])}
	}
	for w, n := range sub {
		d := delta[w]
		delta[w] = [2]int64{d[0] - int64(n[0]), d[1] - int64(n[1])}
	}
	at := time.Now().UnixMilli()
	words := make([]string, 0, len(delta))
	for word, d := range delta {
		if d != [2]int64{} {
			words = append(words, word)
		}
	}
	sort.Strings(words)
	items := make([]bulkItem, 0, len(words))
	for _, word := range words {
		d := delta[word]
		action, _ := json.Marshal(map[string]any{"update": map[string]any{"_index": t.vocab, "_id": VocabLiveID(word), "retry_on_conflict": 8}})
		src, _ := json.Marshal(map[string]any{
			"script": map[string]any{"lang": "painless", "source": vocabAdd, "params": map[string]any{"d": d[:], "at": at}},
			"upsert": map[string]any{"t": word, "df": d[:], schema.VocabAt: at},
		})
		items = append(items, bulkItem{action: append(action, '\n'), source: append(src, '\n')})
	}
	return items
}

// send sends the items in requests of at most maxOSRequest bytes to path
// and returns each item's outcome.
func (l *OSLive) send(ctx context.Context, path string, items []bulkItem) ([]bulkOutcome, error) {
	var out []bulkOutcome
	for len(items) > 0 {
		n, size := 0, 0
		for n < len(items) && (n == 0 || size+items[n].size() <= maxOSRequest) {
			size += items[n].size()
			n++
		}
		o, err := sendBulk(ctx, l.c, path, items[:n], l.cfg.Retry, l.lg)
		out = append(out, o...)
		if err != nil {
			return out, err
		}
		if strings.Contains(path, "refresh=wait_for") {
			l.refreshResent(ctx, items[:n], o)
		}
		items = items[n:]
	}
	return out, nil
}

// refreshResent makes visible now what a refresh=wait_for request found
// already done: an item answered superseded (409) or, a deletion, not
// found may have been applied by an earlier attempt whose answer was lost
// (a cut connection), and the resent request, which changed nothing, does
// not wait for the refresh that would show it.
func (l *OSLive) refreshResent(ctx context.Context, items []bulkItem, out []bulkOutcome) {
	ixs := map[string]bool{}
	for i, o := range out {
		if i >= len(items) || !(o.Result == "superseded" || o.Status == http.StatusNotFound && !o.indexGone()) {
			continue
		}
		var a map[string]struct {
			Index string `json:"_index"`
		}
		if json.Unmarshal(items[i].action, &a) == nil {
			for _, v := range a {
				if v.Index != "" {
					ixs[v.Index] = true
				}
			}
		}
	}
	if len(ixs) == 0 {
		return
	}
	names := slices.Sorted(maps.Keys(ixs))
	if err := retryDo(ctx, l.c, l.cfg.Retry, l.lg, http.MethodPost, "/"+strings.Join(names, ",")+"/_refresh?ignore_unavailable=true", nil, nil); err != nil {
		l.lg.Warn("refresh after a resent write failed; it is seen within the refresh interval", "err", err)
	}
}

// write sends w (with refresh=wait_for when wait) and returns the outcome
// of each article.
//
// The write records go first, in a request of their own: each record's
// _version (ALIAS-writes holds one document an id, so its version counts
// every write of the id, by every server) makes the external version of
// its article (versionOf). A build's catch-up copies a record with the
// same version, so whichever of the two reaches the new generation last,
// the newest write stays (a 409 conflict means a newer write is there).
func (l *OSLive) write(ctx context.Context, w *osWrite, wait bool) ([]bulkOutcome, error) {
	n := len(w.items)
	arts := make([]bulkOutcome, n)
	recs, err := l.send(ctx, "/_bulk", w.recs)
	var items []bulkItem
	var at []int // the article of each of items
	for i := range w.items {
		switch {
		case i >= len(recs):
		case !recs[i].done():
			arts[i] = recs[i]
		default:
			it := w.items[i]
			it.action, it.versioned = indexActionV(w.index, w.arts[i].ID, versionOf(recs[i].Version)), true
			items = append(items, it)
			at = append(at, i)
		}
	}
	if err != nil || len(items) == 0 {
		return arts, err
	}
	path := "/_bulk"
	if wait {
		path += "?refresh=wait_for"
	}
	out, err := l.send(ctx, path, append(items, w.vocab...))
	for _, o := range out[min(len(out), len(items)):] {
		if !o.done() { // the article is written; its words count a little less
			l.lg.Warn("a vocabulary count was not written", "err", o.Err)
		}
	}
	for k, i := range at {
		if k < len(out) {
			arts[i] = out[k]
			if out[k].done() {
				l.Written.Add(1)
			}
		}
	}
	return arts, err
}

// refusal is the error of an article the cluster did not take.
func refusal(o bulkOutcome) error {
	msg := o.Err
	if msg == "" {
		msg = "no answer"
	}
	if o.Status == 0 || passing(o.Status) {
		return fmt.Errorf("%w: the article was not written: %s", osconn.ErrUnavailable, msg)
	}
	return fmt.Errorf("the cluster refused the article: %s", msg)
}

// putPage writes docs, the articles of page, from origin (of version sig),
// and returns them as stored once they are durable and visible.
func (l *OSLive) putPage(ctx context.Context, page *source.Page, docs []source.Doc, origin, sig string) ([]*schema.Article, error) {
	for attempt := 0; ; attempt++ {
		t, err := l.target(ctx)
		if err != nil {
			return nil, err
		}
		w, err := l.prepare(ctx, t, page, docs, origin, sig)
		if err != nil {
			return nil, err
		}
		out, err := l.write(ctx, w, true)
		if err != nil {
			return nil, err
		}
		gone := false
		for _, o := range out {
			if o.Status == http.StatusNotFound && attempt == 0 {
				gone = true // the index went (a new build switched the alias)
				break
			}
			if !o.done() {
				return nil, refusal(o)
			}
		}
		if !gone {
			return w.arts, nil
		}
		l.recheck()
	}
}

// recheck makes the next write check which index the alias names.
func (l *OSLive) recheck() {
	l.mu.Lock()
	l.checked = time.Time{}
	l.mu.Unlock()
}

// PutJSON writes one article given as a JSON object (JSON Lines fields)
// under id, as Live.PutJSON does.
func (l *OSLive) PutJSON(ctx context.Context, id string, body []byte) (*schema.Article, error) {
	t, err := l.target(ctx)
	if err != nil {
		return nil, err
	}
	d, err := parsePut(id, body, t.en)
	if err != nil {
		return nil, err
	}
	arts, err := l.putPage(ctx, &source.Page{}, []source.Doc{d}, "api", "")
	if err != nil {
		return nil, err
	}
	return arts[0], nil
}

// Bulk writes the articles of a JSON Lines body, one a line, each with its
// id, as Live.Bulk does: a bad line, or an article the cluster refused for
// good, is reported by its line and the others are written. err is set
// only when the body could not be read or the cluster could not be made
// to answer (the pieces before were written).
//
// One goroutine reads and analyses pieces of bulkPiece lines while this one
// sends the piece before (one request, no refresh); at the end one refresh
// makes them all visible.
func (l *OSLive) Bulk(ctx context.Context, body io.Reader) (indexed int, bad []BulkLineError, err error) {
	t, err := l.target(ctx)
	if err != nil {
		return 0, nil, err
	}
	bl, bad := newBulkLines(body, t.en)
	if bl == nil {
		return 0, bad, nil
	}
	type piece struct {
		w   *osWrite
		bad []BulkLineError
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pieces := make(chan piece, 1)
	go func() {
		defer close(pieces)
		for {
			docs, lineErrs, rerr := bl.next(bulkPiece)
			p := piece{bad: lineErrs}
			if len(docs) > 0 {
				var pt *osTarget
				if pt, p.err = l.target(ctx); p.err == nil { // a new generation is followed
					p.w, p.err = l.prepare(ctx, pt, &source.Page{}, docs, "api", "")
				}
			}
			if rerr != nil && rerr != io.EOF {
				p.err = rerr
			}
			select {
			case pieces <- p:
			case <-ctx.Done():
				return
			}
			if rerr != nil || p.err != nil {
				return
			}
		}
	}()
	touched := map[string]bool{}
	for p := range pieces {
		bad = append(bad, p.bad...)
		if p.w != nil && p.err == nil {
			out, werr := l.write(ctx, p.w, false)
			if len(out) > 0 {
				touched[p.w.index] = true
			}
			// Articles whose index went (a new build switched the alias
			// and deleted it) are written again where the alias points,
			// as a PUT is.
			var again []int
			for i, o := range out {
				if o.indexGone() {
					again = append(again, i)
				}
			}
			if len(again) > 0 && werr == nil {
				l.recheck()
				docs := make([]source.Doc, len(again))
				for k, i := range again {
					docs[k] = p.w.docs[i]
				}
				t2, terr := l.target(ctx)
				var w2 *osWrite
				if terr == nil {
					w2, terr = l.prepare(ctx, t2, &source.Page{}, docs, "api", "")
				}
				if terr != nil {
					err = terr
					break
				}
				out2, werr2 := l.write(ctx, w2, false)
				if len(out2) > 0 {
					touched[w2.index] = true
				}
				for k, i := range again {
					if k < len(out2) {
						out[i] = out2[k]
					}
				}
				werr = werr2
			}
			for i, o := range out {
				if o.done() {
					indexed++
				} else {
					bad = append(bad, BulkLineError{Line: p.w.docs[i].Line, Message: refusal(o).Error()})
				}
			}
			if werr != nil {
				err = werr
				break
			}
		}
		if p.err != nil {
			err = p.err
			break
		}
	}
	if len(touched) > 0 {
		// Visible at the answer: one refresh of what the bulk touched.
		ixs := []string{l.writes}
		for ix := range touched {
			ixs = append(ixs, ix, schema.VocabIndex(ix))
		}
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		if rerr := retryDo(rctx, l.c, l.cfg.Retry, l.lg, http.MethodPost, "/"+strings.Join(ixs, ",")+"/_refresh?ignore_unavailable=true", nil, nil); rerr != nil {
			l.lg.Warn("refresh after a bulk write failed; the articles are seen within the refresh interval", "err", rerr)
		}
		rcancel()
	}
	return indexed, sortLines(bad), err
}

// Delete removes articles by id; ErrNotFound when the index holds none of
// them. It returns once the deletions are durable and visible.
//
// The ids the index holds are asked first: a delete that is resent (here,
// or by the client on another node) after its answer was lost finds
// nothing the second time, and that is no reason to answer 404. The
// deletion records go first (their versions make the deletions'
// external versions, as for a PUT); a deletion whose index went (a new
// build switched the alias) is made again where the alias points.
func (l *OSLive) Delete(ctx context.Context, ids []string, origin string) error {
	deleted := false
	for attempt := 0; ; attempt++ {
		gone, err := l.deleteOnce(ctx, ids, origin, attempt == 0)
		switch {
		case errors.Is(err, ErrNotFound) && deleted:
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
func (l *OSLive) deleteOnce(ctx context.Context, ids []string, origin string, first bool) (gone bool, err error) {
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
				OSDocument(a, analysis.Normalize(a.Title), analysis.Normalize(a.Body), t.seg, gone1)
			}
			found = append(found, d.ID)
			// The deletion is recorded: a full build leaves the article out.
			rec, err := json.Marshal(Record{Op: "delete", ID: d.ID, Origin: origin, Time: now})
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
					Op string `json:"op"`
				} `json:"_source"`
			} `json:"docs"`
		}
		err := retryDo(ctx, l.c, l.cfg.Retry, l.lg, http.MethodPost, "/"+l.writes+"/_mget?realtime=true&_source_includes=op", map[string]any{"ids": missing}, &rec)
		if err != nil && !osconn.IsStatus(err, http.StatusNotFound) {
			return false, fmt.Errorf("delete: %w", err)
		}
		for _, d := range rec.Docs {
			if d.Found && d.Source.Op == "put" {
				found = append(found, d.ID)
				r, err := json.Marshal(Record{Op: "delete", ID: d.ID, Origin: origin, Time: now})
				if err != nil {
					return false, err
				}
				recs = append(recs, bulkItem{action: indexAction(l.writes, d.ID), source: append(r, '\n')})
			}
		}
	}
	if len(found) == 0 {
		return false, ErrNotFound
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

// DeleteID removes one article; ErrNotFound when the index has none.
func (l *OSLive) DeleteID(ctx context.Context, id string) error {
	return l.Delete(ctx, []string{id}, "api")
}

// Watch follows the files under root until ctx is done, writing their
// changes to the cluster, as Live.Watch does to an index directory.
func (l *OSLive) Watch(ctx context.Context, root string) error { return watch(ctx, l, root) }

// watchedFiles reads, from the write records, the watched files under root
// whose articles the index holds (each record is the last write of an id).
func (l *OSLive) watchedFiles(root string) (map[string]*fileState, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	files := map[string]*fileState{}
	q := map[string]any{
		"size": 5000, "sort": []string{"_doc"}, "_source": []string{"origin", "sig"},
		"query": map[string]any{"bool": map[string]any{"filter": []any{
			map[string]any{"term": map[string]any{"op": "put"}},
			map[string]any{"prefix": map[string]any{"origin": root + string(filepath.Separator)}},
		}}},
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
			f := files[src.Origin]
			if f == nil {
				f = &fileState{sig: src.Sig}
				files[src.Origin] = f
			}
			f.ids = append(f.ids, h.ID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("--watch %s: reading what the index holds: %w", root, err)
	}
	for _, f := range files {
		sort.Strings(f.ids)
	}
	return files, nil
}
