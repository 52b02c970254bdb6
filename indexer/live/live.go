package live

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2/document"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/enrich"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/indexer/wal"
	"github.com/govbulletin/bulletin/indexer/watch"
	"github.com/govbulletin/bulletin/indexer/writes"
)

// Applier makes written articles visible to searches; search.Engine is one.
// Apply is called with the changes of one write, in log order, never
// concurrently. Has reports whether an article is in the index.
// Segmenter is the segmenter of the generation written to (its
// dictionary), which written articles are cut with.
type Applier interface {
	Apply(docs []*document.Document, arts []*schema.Article, deletes []string) error
	Has(id string) bool
	Segmenter() *analysis.Segmenter
}

// Config configures a Live writer.
type Config struct {
	Region       string // the generation's region (its meta)
	TaxonomyFile string // "" for the embedded taxonomy
	Logger       *slog.Logger
	// FoldBytes is the size under which the write log is not folded
	// (fold.go); 0 means DefaultFoldBytes, negative never.
	FoldBytes int64
	// Process is what the writer may ask of the process; the program
	// sets it (a library never changes the process itself).
	Process Process
}

// Process is what a Live may ask of the process it runs in. The program
// (cmd) sets the hooks from its options; a nil hook does nothing.
type Process struct {
	// Load marks a write running: a load allocates fast, and the program
	// may give the garbage collector more room while loads run. The
	// returned function marks it done.
	Load func() (done func())
	// Loading is called now and then while a long write runs (its live
	// heap grows).
	Loading func()
	// Background runs fn, writing work (analysing articles, building a
	// batch's segment), and waits for it; the program may run it at a
	// lower scheduling priority than searches. A panic in fn is raised
	// again in the caller.
	Background func(fn func())
}

func (p Process) load() (done func()) {
	if p.Load == nil {
		return func() {}
	}
	return p.Load()
}

func (p Process) loading() {
	if p.Loading != nil {
		p.Loading()
	}
}

func (p Process) background(fn func()) {
	if p.Background == nil {
		fn()
		return
	}
	p.Background(fn)
}

// Live writes articles into an index directory between full builds.
//
// Concurrency: safe for concurrent use. Articles are analysed (with the
// segmenter of the generation being served, at that moment) in the
// caller's goroutine; appending to the log and applying are serialised, so
// searches see writes in log order. Analysing and applying also hold a
// write slot: at most GOMAXPROCS-1 of them run at once (one on 2 cores),
// so that searches keep a core.
type Live struct {
	dir string
	log *wal.Log
	en  *enrich.Enricher
	lg  *slog.Logger

	mu    sync.Mutex // orders append + apply
	seq   int64      // the next record's sequence number; guarded by mu
	apply Applier
	// slots bounds the cores that writing work (analysis, building the
	// batch's segment) takes at once: all but one, so that searches keep a
	// core while a bulk load streams in (see writeSlot).
	slots chan struct{}
	proc  Process

	// Counters for /metrics.
	Written, Deleted atomic.Int64

	fold folder // folds the log as it grows (fold.go)
}

// Open opens the write log of dir (creating it) for writing.
func Open(dir string, cfg Config) (*Live, error) {
	en, err := enrich.New(enrich.Config{Region: cfg.Region, TaxonomyFile: cfg.TaxonomyFile})
	if err != nil {
		return nil, err
	}
	l, err := wal.Open(filepath.Join(dir, wal.FileName))
	if err != nil {
		return nil, err
	}
	s, err := wal.Scan(filepath.Join(dir, wal.FileName))
	if err != nil {
		l.Close()
		return nil, err
	}
	lg := cfg.Logger
	if lg == nil {
		lg = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if _, m, err := schema.Current(dir); err == nil {
		// A log restored from an older copy under a newer generation:
		// numbers the generation holds are not given again (a write with
		// one would never be replayed).
		s.Next = max(s.Next, m.LogHeld()+1)
	}
	lv := &Live{dir: dir, log: l, en: en, lg: lg, seq: s.Next, slots: make(chan struct{}, max(1, writeCores()-1)), proc: cfg.Process}
	lv.startFolder(cfg.FoldBytes, s)
	return lv, nil
}

// SetApplier names where writes become visible. Writes before it fail.
func (l *Live) SetApplier(a Applier) {
	l.mu.Lock()
	l.apply = a
	l.mu.Unlock()
}

// Close stops folding and closes the log.
func (l *Live) Close() error {
	l.stopFolder()
	return l.log.Close()
}

// LogSize is the size of the write log in bytes.
func (l *Live) LogSize() int64 { return l.log.Size() }

// Put writes articles (docs with their ids set; origin "api" or a watched
// file) and returns them as stored, inferred fields included. It returns
// once they are durable and visible. Its errors are *errs.Error (see
// package writes).
func (l *Live) Put(ctx context.Context, docs []source.Doc, origin string) ([]*schema.Article, error) {
	return l.PutPage(ctx, &source.Page{Docs: docs}, docs, origin, "")
}

// PutPage writes docs, the articles of page (with their ids), from origin
// (whose version is sig, for a watched file), as Put does.
func (l *Live) PutPage(ctx context.Context, page *source.Page, docs []source.Doc, origin, sig string) ([]*schema.Article, error) {
	defer l.proc.load()()
	w, err := l.prepareWrite(page, docs, origin, sig)
	if err != nil {
		return nil, writes.Failed(err)
	}
	if err := ctx.Err(); err != nil {
		return nil, writes.Failed(err)
	}
	arts, err := l.commit(w)
	return arts, writes.Failed(err)
}

// write is a put ready to be logged and applied.
type write struct {
	recs  [][]byte
	bdocs []*document.Document
	arts  []*schema.Article
}

// prepareWrite enriches and analyses the articles and makes their log
// records: the slow part of a write, done outside the lock.
func (l *Live) prepareWrite(page *source.Page, docs []source.Doc, origin, sig string) (*write, error) {
	start := time.Now()
	if err := writes.Check(docs); err != nil {
		return nil, err
	}
	p := *page
	p.Docs = docs
	l.mu.Lock()
	a := l.apply
	l.mu.Unlock()
	if a == nil {
		return nil, errors.New("live index not ready")
	}
	var bdocs []*document.Document
	var arts []*schema.Article
	var err error
	release := l.writeSlot()
	l.proc.background(func() { bdocs, arts, err = l.prepare(a.Segmenter(), a, &p, origin) })
	release()
	if err != nil {
		return nil, err
	}
	recs := make([][]byte, 0, len(docs))
	for i, d := range docs {
		if page.Shared {
			// What the page gave its articles (its date or year, its district) is
			// kept with each, so that a replay or a full build, which see
			// the article alone, infer the same.
			d.Given.Date, d.Given.Year, d.Given.Districts = arts[i].Date, arts[i].Year, arts[i].Districts
		}
		raw, err := json.Marshal(writes.Given(d))
		if err != nil {
			return nil, err
		}
		rec, err := json.Marshal(wal.Record{Op: wal.OpPut, ID: d.ID, Doc: raw, Origin: origin, Sig: sig, Time: start.UnixMilli()})
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	return &write{recs, bdocs, arts}, nil
}

// commit logs a prepared write (synced) and applies it.
func (l *Live) commit(w *write) ([]*schema.Article, error) {
	l.mu.Lock()
	if y, ok := l.apply.(yielder); ok { // building the batch's segment takes a core too
		l.mu.Unlock()
		y.YieldToSearches(yieldMax)
		l.mu.Lock()
	}
	defer l.mu.Unlock()
	if l.apply == nil {
		return nil, errors.New("live index not ready")
	}
	size, err := l.log.Append(l.stamped(w.recs)...)
	if err != nil {
		return nil, err
	}
	l.grew(size)
	// From here the write is durable: it is acknowledged even if applying
	// fails (a restart replays it).
	release := l.writeSlot()
	l.proc.background(func() { err = l.apply.Apply(w.bdocs, w.arts, nil) })
	release()
	if err != nil {
		l.lg.Error("applying a logged write failed; a restart replays it", "err", err)
	}
	l.Written.Add(int64(len(w.arts)))
	return w.arts, nil
}

// Delete removes articles by id; a writes.NotFound error when the index
// holds none of them (nothing is written then). Its errors are *errs.Error
// (see package writes).
func (l *Live) Delete(ctx context.Context, ids []string, origin string) error {
	return writes.Failed(l.delete(ids, origin))
}

func (l *Live) delete(ids []string, origin string) error {
	start := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.apply == nil {
		return errors.New("live index not ready")
	}
	var recs [][]byte
	var del []string
	for _, id := range ids {
		if !l.apply.Has(id) {
			continue
		}
		rec, err := json.Marshal(wal.Record{Op: wal.OpDelete, ID: id, Origin: origin, Time: start.UnixMilli()})
		if err != nil {
			return err
		}
		recs, del = append(recs, rec), append(del, id)
	}
	if len(recs) == 0 {
		return writes.NotFound()
	}
	size, err := l.log.Append(l.stamped(recs)...)
	if err != nil {
		return err
	}
	l.grew(size)
	if err := l.apply.Apply(nil, nil, del); err != nil {
		l.lg.Error("applying a logged delete failed; a restart replays it", "err", err)
	}
	l.Deleted.Add(int64(len(del)))
	return nil
}

// stamped gives records their sequence numbers; l.mu is held, and they are
// appended next (a failed append leaves a gap, which is harmless).
func (l *Live) stamped(recs [][]byte) [][]byte {
	out := make([][]byte, len(recs))
	for i, r := range recs {
		out[i] = wal.Stamp(r, l.seq)
		l.seq++
	}
	return out
}

// prepare enriches and analyses the articles of a page into bleve documents.
// a, when it is a yielder, goes first (see yielder).
func (l *Live) prepare(seg *analysis.Segmenter, a Applier, page *source.Page, origin string) ([]*document.Document, []*schema.Article, error) {
	if seg == nil {
		return nil, nil, errors.New("no segmenter")
	}
	yield := func() {}
	if y, ok := a.(yielder); ok {
		yield = func() { y.YieldToSearches(yieldMax) }
	}
	yield()
	as := indexer.PageArticles(page, l.en, origin)
	bdocs := make([]*document.Document, len(as))
	arts := make([]*schema.Article, len(as))
	for i := range as {
		if i%8 == 7 {
			yield()
		}
		bdocs[i] = indexer.Document(as[i].Art, as[i].NormTitle, as[i].NormBody, seg)
		arts[i] = as[i].Art
	}
	return bdocs, arts, nil
}

// writeSlot waits for one of the write slots (see Live.slots) and returns
// its release. Lock order: l.mu before a slot; a slot holder never takes
// l.mu.
func (l *Live) writeSlot() (release func()) {
	l.slots <- struct{}{}
	return func() { <-l.slots }
}

// yielder is an Applier whose searches go first (search.Engine): the
// analysis of written articles waits, at most yieldMax at a time, while
// searches run.
type yielder interface{ YieldToSearches(max time.Duration) }

const yieldMax = 20 * time.Millisecond

// DeleteID removes one article; a writes.NotFound error when the index
// has none.
func (l *Live) DeleteID(ctx context.Context, id string) error {
	return l.Delete(ctx, []string{id}, "api")
}

// writeCores is the cores writing work shares with searches: the
// machine's, or fewer when GOMAXPROCS says so.
func writeCores() int { return min(runtime.NumCPU(), runtime.GOMAXPROCS(0)) }

// PutJSON writes one article given as a JSON object (JSON Lines fields)
// under id (the body's own id, if any, must be the same); a bad article is
// a writes.BadArticle error.
func (l *Live) PutJSON(ctx context.Context, id string, body []byte) (*schema.Article, error) {
	d, err := writes.Parse(id, body, l.en)
	if err != nil {
		return nil, err
	}
	arts, err := l.Put(ctx, []source.Doc{d}, "api")
	if err != nil {
		return nil, err
	}
	return arts[0], nil
}

// Watch follows the files under root until ctx is done, writing their
// changes to the log (see package watch). It returns once the folder is
// watched.
func (l *Live) Watch(ctx context.Context, root string) error {
	return watch.Run(ctx, l, root, watch.Options{Logger: l.lg})
}
