package opensearch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/indexer/wal"
	"github.com/govbulletin/bulletin/indexer/writes"
	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/internal/osconn"
)

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
func (l *Writer) prepare(ctx context.Context, t *osTarget, page *source.Page, docs []source.Doc, origin, sig string) (*osWrite, error) {
	if err := writes.Check(docs); err != nil {
		return nil, err
	}
	p := *page
	p.Docs = docs
	as := indexer.PageArticles(&p, t.en, origin)
	w := &osWrite{docs: docs, index: t.index}
	counts := VocabCounts{}
	for _, a := range as {
		src, err := json.Marshal(Document(a.Art, a.NormTitle, a.NormBody, t.seg, counts))
		if err != nil {
			return nil, err
		}
		w.arts = append(w.arts, a.Art)
		w.items = append(w.items, bulkItem{source: append(src, '\n')}) // the action is made by write
	}
	if len(w.arts) != len(docs) {
		return nil, fmt.Errorf("internal error: %d articles made of %d", len(w.arts), len(docs))
	}
	now := time.Now().UnixMilli()
	for i, d := range docs {
		if page.Shared {
			// What the page gave its articles (its date or year, its district) is
			// kept with each, as in the embedded engine's write log.
			d.Given.Date, d.Given.Year, d.Given.Districts = w.arts[i].Date, w.arts[i].Year, w.arts[i].Districts
		}
		raw, err := json.Marshal(writes.Given(d))
		if err != nil {
			return nil, err
		}
		if origin == "" {
			origin = "api"
		}
		rec, err := json.Marshal(wal.Record{Op: wal.OpPut, ID: d.ID, Doc: raw, Origin: origin, Sig: sig, Time: now})
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
func (l *Writer) oldCounts(ctx context.Context, t *osTarget, ids []string) (VocabCounts, error) {
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
		Document(a, analysis.Normalize(a.Title), analysis.Normalize(a.Body), t.seg, counts)
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
func (l *Writer) send(ctx context.Context, path string, items []bulkItem) ([]bulkOutcome, error) {
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
func (l *Writer) refreshResent(ctx context.Context, items []bulkItem, out []bulkOutcome) {
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
func (l *Writer) write(ctx context.Context, w *osWrite, wait bool) ([]bulkOutcome, error) {
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

// PutPage writes docs, the articles of page, from origin (of version sig),
// and returns them as stored once they are durable and visible. Its
// errors are *errs.Error (see package writes): a write the cluster did not
// take is a writes.Unavailable.
func (l *Writer) PutPage(ctx context.Context, page *source.Page, docs []source.Doc, origin, sig string) ([]*schema.Article, error) {
	arts, err := l.putPage(ctx, page, docs, origin, sig)
	return arts, failed(err)
}

// failed gives the error of a write its kind: a cluster that did not take
// the write makes it Unavailable (nothing of it is acknowledged).
func failed(err error) error {
	var se *errs.Error
	if err != nil && !errors.As(err, &se) && errors.Is(err, osconn.ErrUnavailable) {
		return writes.Unavailable(err)
	}
	return writes.Failed(err)
}

func (l *Writer) putPage(ctx context.Context, page *source.Page, docs []source.Doc, origin, sig string) ([]*schema.Article, error) {
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
func (l *Writer) recheck() {
	l.mu.Lock()
	l.checked = time.Time{}
	l.mu.Unlock()
}

// PutJSON writes one article given as a JSON object (JSON Lines fields)
// under id, as Live.PutJSON does.
func (l *Writer) PutJSON(ctx context.Context, id string, body []byte) (*schema.Article, error) {
	t, err := l.target(ctx)
	if err != nil {
		return nil, failed(err)
	}
	d, err := writes.Parse(id, body, t.en)
	if err != nil {
		return nil, err
	}
	arts, err := l.PutPage(ctx, &source.Page{}, []source.Doc{d}, "api", "")
	if err != nil {
		return nil, err
	}
	return arts[0], nil
}
