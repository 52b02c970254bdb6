package indexer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/document"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/enrich"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/indexer/wal"
)

// The index keeps current between full builds through its write log:
//
//	DIR/api.log   one record a line: an article put (as given) or an id deleted
//
// A write (the write API, or a watched folder) is appended to the log and
// synced before it is acknowledged, then applied to the generation being
// served, where searches see it within a second (see search.Engine.Apply).
// The log is a source like the input files: a full `bulletin index` of DIR
// reads it last (its articles replace file articles with their ids, its
// deletions remove them) and records in meta.json how much of it the new
// generation holds; a server opening that generation replays the rest.
// A crash at any moment loses nothing acknowledged: the log has it, and
// the server replays it on start. The log is folded (only the last record
// of each id kept) as it grows: see fold.go.

// LogFile names the write log in an index directory.
const LogFile = "api.log"

// Record is one entry of the write log.
type Record struct {
	Seq    int64           `json:"seq,omitempty"` // its number in the log (see fold.go)
	Op     string          `json:"op"`            // "put" or "delete"
	ID     string          `json:"id"`
	Doc    json.RawMessage `json:"doc,omitempty"`    // put: the article as given (JSON Lines fields)
	Origin string          `json:"origin,omitempty"` // "api", or the watched file it came from
	Sig    string          `json:"sig,omitempty"`    // the version of that file (size:mtime)
	Time   int64           `json:"t"`                // Unix milliseconds of the write
}

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

// LiveConfig configures a Live writer.
type LiveConfig struct {
	Region       string // the generation's region (its meta)
	TaxonomyFile string // "" for the embedded taxonomy
	Logger       *slog.Logger
	// FoldBytes is the size under which the write log is not folded
	// (fold.go); 0 means DefaultFoldBytes, negative never.
	FoldBytes int64
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
	gc    *gcRoom // more room for the collector while writes run (processGC)

	// Counters for /metrics.
	Written, Deleted atomic.Int64

	fold folder // folds the log as it grows (fold.go)
}

// OpenLive opens the write log of dir (creating it) for writing.
func OpenLive(dir string, cfg LiveConfig) (*Live, error) {
	en, err := enrich.New(enrich.Config{Region: cfg.Region, TaxonomyFile: cfg.TaxonomyFile})
	if err != nil {
		return nil, err
	}
	l, err := wal.Open(filepath.Join(dir, LogFile))
	if err != nil {
		return nil, err
	}
	s, err := scanLog(filepath.Join(dir, LogFile))
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
		s.next = max(s.next, m.LogHeld()+1)
	}
	lv := &Live{dir: dir, log: l, en: en, lg: lg, seq: s.next, slots: make(chan struct{}, max(1, writeCores()-1)), gc: processGC}
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

// ErrNotFound is returned by Delete for an id the index does not hold.
var ErrNotFound = errors.New("no article with this id")

// Put writes articles (docs with their ids set; origin "api" or a watched
// file) and returns them as stored, inferred fields included. It returns
// once they are durable and visible.
func (l *Live) Put(ctx context.Context, docs []source.Doc, origin string) ([]*schema.Article, error) {
	return l.putPage(ctx, &source.Page{Docs: docs}, docs, origin, "")
}

// putPage writes docs, the articles of page (with their ids), from origin
// (whose version is sig, for a watched file).
func (l *Live) putPage(ctx context.Context, page *source.Page, docs []source.Doc, origin, sig string) ([]*schema.Article, error) {
	defer l.gc.enter()()
	w, err := l.prepareWrite(page, docs, origin, sig)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return l.commit(w)
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
	for _, d := range docs {
		if d.ID == "" || len(d.ID) > source.MaxIDLen {
			return nil, fmt.Errorf("article without a usable id")
		}
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
	niced(func() { bdocs, arts, err = l.prepare(a.Segmenter(), a, &p, origin) })
	release()
	if err != nil {
		return nil, err
	}
	recs := make([][]byte, 0, len(docs))
	for i, d := range docs {
		if page.Shared {
			// What the page gave its articles (its date, its district) is
			// kept with each, so that a replay or a full build, which see
			// the article alone, infer the same.
			d.Given.Date, d.Given.Districts = arts[i].Date, arts[i].Districts
		}
		raw, err := json.Marshal(givenJSON(d))
		if err != nil {
			return nil, err
		}
		rec, err := json.Marshal(Record{Op: "put", ID: d.ID, Doc: raw, Origin: origin, Sig: sig, Time: start.UnixMilli()})
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
	niced(func() { err = l.apply.Apply(w.bdocs, w.arts, nil) })
	release()
	if err != nil {
		l.lg.Error("applying a logged write failed; a restart replays it", "err", err)
	}
	l.Written.Add(int64(len(w.arts)))
	return w.arts, nil
}

// Delete removes articles by id; ErrNotFound when the index holds none of
// them (nothing is written then).
func (l *Live) Delete(ctx context.Context, ids []string, origin string) error {
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
		rec, err := json.Marshal(Record{Op: "delete", ID: id, Origin: origin, Time: start.UnixMilli()})
		if err != nil {
			return err
		}
		recs, del = append(recs, rec), append(del, id)
	}
	if len(recs) == 0 {
		return ErrNotFound
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
		out[i] = stamp(r, l.seq)
		l.seq++
	}
	return out
}

// givenJSON is an article as given, in JSON Lines fields.
func givenJSON(d source.Doc) map[string]any {
	m := map[string]any{"id": d.ID, "title": d.Title, "body": d.Body}
	for k, v := range map[string]string{"date": d.Given.Date, "source": d.Given.Source, "url": d.Given.URL} {
		if v != "" {
			m[k] = v
		}
	}
	if len(d.Given.Districts) > 0 {
		m["districts"] = d.Given.Districts
	}
	if len(d.Given.Topics) > 0 {
		m["topics"] = d.Given.Topics
	}
	return m
}

// prepare enriches and analyses the articles of a page into bleve documents.
// a, when it is a yielder, goes first (see yielder).
func (l *Live) prepare(seg *analysis.Segmenter, a Applier, page *source.Page, origin string) ([]*document.Document, []*schema.Article, error) {
	if seg == nil {
		return nil, nil, errors.New("no segmenter")
	}
	in := input{rel: originName(origin), show: origin, n: -1}
	yield := func() {}
	if y, ok := a.(yielder); ok {
		yield = func() { y.YieldToSearches(yieldMax) }
	}
	yield()
	as, _ := articlesOf(in, page, l.en, nil)
	bdocs := make([]*document.Document, len(as))
	arts := make([]*schema.Article, len(as))
	for i := range as {
		if i%8 == 7 {
			yield()
		}
		bdocs[i] = Document(as[i].art, as[i].normTitle, as[i].normBody, seg)
		arts[i] = as[i].art
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

// originName is the source name of articles without a given source.
func originName(origin string) string {
	if origin == "" || origin == "api" {
		return "api"
	}
	return filepath.Base(origin)
}

// Replay applies the records of the log numbered after held (what the
// generation being opened does not hold yet, schema.Meta.LogHeld) through
// a. It is called by the search engine while it opens a generation, before
// searches see it.
func (l *Live) Replay(held int64, a Applier) error {
	type op struct {
		rec Record
		doc source.Doc
	}
	var batch []op
	pos := map[string]int{} // id → its op in batch
	flush := func() error {
		var docs []source.Doc
		var origins []string
		var dels []string
		for _, o := range batch {
			if o.rec.Op == "put" {
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
	_, err := wal.Read(filepath.Join(l.dir, LogFile), 0, func(off int64, raw []byte) error {
		if recordSeq(off, raw) <= held {
			return nil
		}
		var rec Record
		if err := json.Unmarshal(raw, &rec); err != nil || rec.ID == "" {
			l.lg.Warn("write log: unreadable record skipped", "err", err)
			return nil
		}
		o := op{rec: rec}
		if rec.Op == "put" {
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

// logState is the write log's final state: for each id, its last put (the
// article as given) or its deletion.
type logState struct {
	held    int64           // the number of the last record read (0: none)
	puts    []Record        // last put of each id still there, in log order
	deleted map[string]bool // ids whose last record is a deletion
}

// readLogState reads the write log of dir.
//
// Both passes read one version of the file: a server folding the log
// meanwhile renames a new file over it, which this reader does not see.
func readLogState(dir string) (*logState, error) {
	r, err := wal.OpenReader(filepath.Join(dir, LogFile))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	last := map[string]int64{}
	st := &logState{deleted: map[string]bool{}}
	end, err := r.Read(0, -1, func(off int64, raw []byte) error {
		st.held = recordSeq(off, raw)
		var rec Record
		if json.Unmarshal(raw, &rec) == nil && rec.ID != "" {
			last[rec.ID] = off
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(last) == 0 {
		return st, nil
	}
	_, err = r.Read(0, end, func(off int64, raw []byte) error {
		if off >= end {
			return io.EOF
		}
		var rec Record
		if json.Unmarshal(raw, &rec) != nil || rec.ID == "" || last[rec.ID] != off {
			return nil
		}
		if rec.Op == "delete" {
			st.deleted[rec.ID] = true
		} else {
			st.puts = append(st.puts, rec)
		}
		return nil
	})
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return st, nil
}

// logInput writes the log's articles as a JSON Lines file in the new
// generation (apiSource) and returns it as the build's last input.
func logInput(st *logState, genPath string) (input, error) {
	p := filepath.Join(genPath, apiSource)
	var buf bytes.Buffer
	for _, r := range st.puts {
		var m map[string]json.RawMessage
		if json.Unmarshal(r.Doc, &m) != nil {
			continue
		}
		id, _ := json.Marshal(r.ID)
		m["id"] = id
		if _, ok := m["source"]; !ok {
			src, _ := json.Marshal(originName(r.Origin))
			m["source"] = src
		}
		line, err := json.Marshal(m)
		if err != nil {
			continue
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		return input{}, err
	}
	return input{rel: "api.jsonl", show: LogFile, stream: func() (io.ReadCloser, error) { return os.Open(p) }}, nil
}

// logWins makes every article of the log's input (see logInput) the winner
// of its id.
func logWins(in input, fm source.FieldMap, winners map[string]srcPos) error {
	rc, err := in.stream()
	if err != nil {
		return err
	}
	defer rc.Close()
	return source.ScanJSONLIDs(rc, fm, func(line int, id string) {
		winners[id] = srcPos{in.n, line}
	})
}

// apiSource is the write log's articles as a JSON Lines file, written into
// each generation by the build that read them.
const apiSource = "api.jsonl"

// BadArticleError says why a written article was refused.
type BadArticleError struct{ Reason string }

func (e *BadArticleError) Error() string { return e.Reason }

// PutJSON writes one article given as a JSON object (JSON Lines fields)
// under id (the body's own id, if any, must be the same).
func (l *Live) PutJSON(ctx context.Context, id string, body []byte) (*schema.Article, error) {
	d, err := parsePut(id, body, l.en)
	if err != nil {
		return nil, err
	}
	arts, err := l.Put(ctx, []source.Doc{d}, "api")
	if err != nil {
		return nil, err
	}
	return arts[0], nil
}

// parsePut reads the article of a PUT under id (the body's own id, if any,
// must be the same) by the write API's rules (source.ParseWrittenArticle,
// districts of en's region); its errors are *BadArticleError. Both write
// sides (Live, OSLive) use it.
func parsePut(id string, body []byte, en *enrich.Enricher) (source.Doc, error) {
	id = strings.TrimSpace(id)
	if err := schema.CheckID(id); err != nil {
		return source.Doc{}, &BadArticleError{err.Error()}
	}
	if !utf8.Valid(body) {
		return source.Doc{}, &BadArticleError{"the body is not valid UTF-8"}
	}
	d, err := source.ParseWrittenArticle(body)
	if err == nil {
		err = checkDistricts(en, &d)
	}
	if err != nil {
		return source.Doc{}, &BadArticleError{err.Error()}
	}
	if d.IDGiven && d.ID != id {
		return source.Doc{}, &BadArticleError{fmt.Sprintf("the body's id %q is not the id of the path %q", d.ID, id)}
	}
	d.ID, d.IDGiven = id, true
	return d, nil
}

// bulkLines reads the JSON Lines body of a bulk write in pieces, noting
// the lines that are not written (unreadable, or without an id). Both
// write sides (Live, OSLive) use it. Not safe for concurrent use.
type bulkLines struct {
	sc *source.JSONLScanner
	en *enrich.Enricher
}

// newBulkLines starts reading body, whose lines are held to the write
// API's rules (the districts of en's region). It returns nil for an empty
// body (with no bad line) or for one that cannot be read at all (bad says
// why).
func newBulkLines(body io.Reader, en *enrich.Enricher) (bl *bulkLines, bad []BulkLineError) {
	sc, err := source.NewJSONLScanner(body, nil)
	if err != nil {
		if err.Error() == "empty file" {
			return nil, nil
		}
		return nil, []BulkLineError{{Line: 1, Message: err.Error()}}
	}
	sc.Strict()
	return &bulkLines{sc: sc, en: en}, nil
}

// checkDistricts checks the districts given to an article against en's
// gazetteer and gives them their gazetteer names.
func checkDistricts(en *enrich.Enricher, d *source.Doc) error {
	if len(d.Given.Districts) == 0 || en == nil {
		return nil
	}
	ds, err := en.CheckDistricts(source.FieldDistricts, d.Given.Districts)
	if err != nil {
		return err
	}
	d.Given.Districts = ds
	return nil
}

// next returns the next articles (at most n, each with its id) and the
// lines skipped among them; err is io.EOF at the end.
func (b *bulkLines) next(n int) (docs []source.Doc, bad []BulkLineError, err error) {
	all, probs, err := b.sc.Next(n, 8<<20)
	for _, p := range probs {
		if strings.HasSuffix(p.Reason, "line skipped") || p.Line == 0 {
			bad = append(bad, BulkLineError{p.Line, strings.TrimSuffix(p.Reason, "; line skipped")})
		}
	}
	docs = all[:0]
	for _, d := range all {
		if !d.IDGiven {
			bad = append(bad, BulkLineError{d.Line, `missing "id"`})
			continue
		}
		if err := checkDistricts(b.en, &d); err != nil {
			bad = append(bad, BulkLineError{d.Line, err.Error()})
			continue
		}
		docs = append(docs, d)
	}
	return docs, bad, err
}

// sortLines orders line errors by line.
func sortLines(errs []BulkLineError) []BulkLineError {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	return errs
}

// BulkLineError names a line of a bulk write that was not written.
type BulkLineError struct {
	Line    int
	Message string
}

// bulkPiece is how many articles of a bulk write are logged (one sync) and
// applied (one bleve batch) together.
const bulkPiece = 256

// Bulk writes the articles of a JSON Lines body, one a line, each with its
// id. A bad line is reported and the others are written. err is set only
// when the body could not be read or a write failed (the pieces before
// were written).
//
// A pipeline: this goroutine reads pieces of bulkPiece lines, goroutines
// on all cores but one analyse them, and the pieces are logged and applied
// in order, each with one sync and one bleve batch.
func (l *Live) Bulk(ctx context.Context, body io.Reader) (indexed int, bad []BulkLineError, err error) {
	defer l.gc.enter()()
	sc, bad := newBulkLines(body, l.en)
	if sc == nil {
		return 0, bad, nil
	}
	type piece struct {
		docs []source.Doc
		done chan struct{}
		w    *write
		err  error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan *piece)
	order := make(chan *piece, runtime.GOMAXPROCS(0)+1)
	var readErr error
	var mu sync.Mutex // guards lineErrs while the reader runs
	var lineErrs []BulkLineError
	lines := func() []BulkLineError {
		mu.Lock()
		defer mu.Unlock()
		return sortLines(append([]BulkLineError(nil), lineErrs...))
	}
	go func() {
		defer close(work)
		defer close(order)
		for {
			keep, bad, rerr := sc.next(bulkPiece)
			mu.Lock()
			lineErrs = append(lineErrs, bad...)
			mu.Unlock()
			if len(keep) > 0 {
				p := &piece{docs: keep, done: make(chan struct{})}
				select {
				case order <- p:
				case <-ctx.Done():
					return
				}
				select {
				case work <- p:
				case <-ctx.Done():
					return
				}
			}
			if rerr != nil {
				if rerr != io.EOF {
					readErr = rerr
				}
				return
			}
		}
	}()
	// One core is left to searches: they keep answering while a bulk
	// load streams in. (The analysis and the building of segments also
	// share the write slots, see writeSlot: before, the two ran at once
	// and took both cores of a 2-core machine.)
	for i := 0; i < max(1, writeCores()-1); i++ {
		go func() {
			for p := range work {
				p.w, p.err = l.prepareWrite(&source.Page{}, p.docs, "api", "")
				close(p.done)
			}
		}()
	}
	for p := range order {
		select {
		case <-p.done:
		case <-ctx.Done():
			return indexed, lines(), ctx.Err()
		}
		if p.err != nil {
			return indexed, lines(), p.err
		}
		arts, err := l.commit(p.w)
		if err != nil {
			return indexed, lines(), err
		}
		indexed += len(arts)
		l.gc.adjust()
	}
	return indexed, lines(), readErr
}

// DeleteID removes one article; ErrNotFound when the index has none.
func (l *Live) DeleteID(ctx context.Context, id string) error {
	return l.Delete(ctx, []string{id}, "api")
}

// writeCores is the cores writing work shares with searches: the
// machine's, or fewer when GOMAXPROCS says so.
func writeCores() int { return min(runtime.NumCPU(), runtime.GOMAXPROCS(0)) }
