package indexer

import (
	"context"
	"fmt"
	"log/slog"
	"path"
	"runtime"
	"sync"

	"github.com/blevesearch/bleve/v2/document"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/enrich"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/indexer/store"
	"github.com/govbulletin/bulletin/indexer/wal"
)

// Analysed is one article ready for the index: read and enriched (Art),
// with its normalised title and body until it is analysed.
type Analysed struct {
	Art                 *schema.Article
	doc                 *document.Document
	rec                 store.Record       // the article compressed for the store
	pairs               []analysis.PairKey // its Han pairs, with repeats (see pairsets.go)
	NormTitle, NormBody string             // until analysed
}

// FileResult is what a worker makes of one input file (ReadFile): its
// articles, the parts skipped, its size, or why it was skipped whole.
type FileResult struct {
	In    Input
	Arts  []Analysed
	Skips []Skip
	Bytes int64
	Err   error
	// more is true for a piece of a file read in pieces (JSON Lines) that
	// is not its last.
	more     bool
	replaced int  // articles dropped for a later one with their id
	piece    bool // holds a slot of pieceSlots until the builder has taken it
}

// run reads, analyses and adds every input to the generation's writers.
// It returns the titles of the articles added, for
// suggestions, and the first error that stops the build.
func (w *writers) run(ctx context.Context, cfg Config, prep *Preparation, en *enrich.Enricher, inputs []Input, winners map[string]srcPos, rep *Report, log *slog.Logger) ([]string, error) {
	b, sw := w.bleve, w.store
	prog := NewProgress(cfg.Progress, len(inputs))
	defer prog.Done()

	// A pipeline: readers read, split and enrich files; analysers segment
	// them (once jieba is loaded) and count terms; this goroutine feeds
	// bleve and the store, which are not concurrent. The buffers let each
	// stage run ahead: readers while jieba loads, analysers while bleve
	// builds a segment (500 articles). The read buffer holds about 2,000
	// files (some 50 MB), whatever the size of the corpus.
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// Pieces of JSON Lines files in flight between the readers and the
	// builder: they hold up to pieceDocs articles each, more than a page.
	pieceSlots := make(chan struct{}, maxPiecesInFlight)
	jobs := make(chan Input)
	read := make(chan FileResult, 2048)
	results := make(chan FileResult, 256)
	var readers, analysers sync.WaitGroup
	// The reader starts the PDF engine at the first PDF; it is closed when
	// the last reader goroutine is done.
	rd := source.NewReader(source.Options{OCR: cfg.OCR})
	for i := 0; i < workers; i++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for in := range jobs {
				if in.stream != nil {
					readPieces(ctx, in, cfg.Fields, en, winners, read, pieceSlots)
					continue
				}
				select {
				case read <- dropWon(ReadFile(ctx, rd, in, cfg.MaxFile(), en), winners):
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go Feed(ctx, jobs, inputs)
	go func() { readers.Wait(); close(read); rd.Close() }()

	// The store's dictionary is made of the first articles read (while
	// jieba loads); those files then go to the analysers first.
	var head []FileResult
	var samples [][]byte
	for size := 0; size < store.DictSize; {
		r, ok := <-read
		if !ok {
			break
		}
		head = append(head, r)
		for _, a := range r.Arts {
			b := store.Sample(a.Art)
			samples = append(samples, b)
			size += len(b)
		}
	}
	if err := sw.UseDictionary(samples); err != nil {
		return nil, err
	}
	src := make(chan FileResult)
	go func() {
		defer close(src)
		for _, r := range head {
			src <- r
		}
		for r := range read {
			src <- r
		}
	}()
	seg, err := prep.Segmenter()
	if err != nil {
		return nil, err
	}
	for i := 0; i < workers; i++ {
		analysers.Add(1)
		go func() {
			defer analysers.Done()
			for r := range src {
				results <- analyseFile(r, seg, sw)
			}
		}()
	}
	go func() { analysers.Wait(); close(results) }()

	var titles []string // for suggestions, see writeTitles
	// The pair sets are collected by a goroutine of their own, beside
	// bleve's builder; finish writes them.
	type pairsOf struct {
		id    string
		pairs []analysis.PairKey
	}
	pairc := make(chan []pairsOf, 64)
	w.pairsDone = make(chan *pairSets, 1)
	go func() {
		ps := newPairSets()
		for batch := range pairc {
			for _, p := range batch {
				if err := ps.add(p.id, p.pairs); err != nil && ps.err == nil {
					ps.err = err
				}
			}
		}
		w.pairsDone <- ps
	}()
	defer close(pairc)
	var firstErr error
	for r := range results {
		if r.piece {
			<-pieceSlots
		}
		if firstErr != nil {
			continue // drain
		}
		rep.Bytes += r.Bytes
		rep.Replaced += r.replaced
		if r.more {
			prog.Add(0, r.Bytes)
		} else {
			rep.Files++
			prog.Add(1, r.Bytes)
		}
		if r.Err != nil {
			rep.Skipped = append(rep.Skipped, Skip{Path: r.In.show, Reason: r.Err.Error()})
			log.Warn("skipped file", "path", r.In.show, "reason", r.Err.Error())
			continue
		}
		for _, s := range r.Skips {
			rep.Skipped = append(rep.Skipped, s)
			log.Warn("skipped part of file", "path", s.Path, "line", s.Line, "reason", s.Reason)
		}
		batch := make([]pairsOf, 0, len(r.Arts))
		for _, a := range r.Arts {
			batch = append(batch, pairsOf{a.Art.ID, a.pairs})
		}
		pairc <- batch
		for _, a := range r.Arts {
			if err := b.Index(a.doc); err != nil {
				firstErr = fmt.Errorf("index %s: %w", a.Art.ID, err)
				break
			}
			if err := sw.Append(a.rec); err != nil {
				firstErr = err
				break
			}
			titles = append(titles, a.Art.Title)
			rep.Articles++
		}
	}
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return titles, firstErr
}

// ReadFile reads one file into articles with their metadata, and their
// normalised title and body for analyseFile.
func ReadFile(ctx context.Context, rd *source.Reader, in Input, maxBytes int64, en *enrich.Enricher) (res FileResult) {
	res.In = in
	defer func() {
		if p := recover(); p != nil { // a reader bug must not lose the run
			res.Arts, res.Err = nil, fmt.Errorf("internal error reading file: %v", p)
		}
	}()
	data, err := in.open()
	if err != nil {
		res.Err = err
		return res
	}
	if int64(len(data)) > maxBytes {
		res.Err = fmt.Errorf("file larger than %d bytes", maxBytes)
		return res
	}
	res.Bytes = int64(len(data))
	page, err := rd.Read(ctx, in.rel, data)
	if err != nil {
		res.Err = err
		return res
	}
	for _, p := range page.Problems {
		res.Skips = append(res.Skips, Skip{Path: in.show, Line: p.Line, Reason: p.Reason})
	}
	var bad []Skip
	res.Arts, res.replaced, bad = articlesOf(in, page, en, nil) // files read whole hold no given ids
	res.Skips = append(res.Skips, bad...)
	return res
}

// articlesOf makes the articles of a page (or a piece of an export) with
// their metadata, and their normalised title and body for analyseFile. An
// article whose id comes again later (winners) is left out and counted;
// one that cannot be indexed (source.CheckDoc) is left out and reported.
func articlesOf(in Input, page *source.Page, en *enrich.Enricher, winners map[string]srcPos) (arts []Analysed, replaced int, bad []Skip) {
	p := *page
	p.Docs = make([]source.Doc, 0, len(page.Docs))
	for i, d := range page.Docs {
		d.ID = ArticleID(in.rel, i, d)
		if why := source.CheckDoc(d); why != "" {
			bad = append(bad, Skip{Path: in.show, Line: d.Line, Reason: why + "; article skipped"})
			continue
		}
		if w, ok := winners[d.ID]; ok && w != (srcPos{in.n, d.Line}) {
			replaced++
			continue
		}
		p.Docs = append(p.Docs, d)
	}
	for _, a := range en.Articles(&p, path.Base(in.rel), func(_ int, id string) string { return id }) {
		arts = append(arts, Analysed{Art: a.Article, NormTitle: a.NormTitle, NormBody: a.NormBody})
	}
	return arts, replaced, bad
}

// PageArticles makes the articles of a page written from origin ("api" or
// a watched file; see wal.Record) with their metadata, and their
// normalised title and body, as a build makes those of a file: the docs
// must have their ids, and pass source.CheckDoc (an article that does not
// is left out).
func PageArticles(page *source.Page, en *enrich.Enricher, origin string) []Analysed {
	as, _, _ := articlesOf(Input{rel: wal.SourceName(origin), show: origin, n: -1}, page, en, nil)
	return as
}

// recordEncoder compresses articles for the store; it is safe for
// concurrent use (store.Writer).
type recordEncoder interface {
	Encode(*schema.Article) (store.Record, error)
}

// analyseFile segments the articles of a file read by readFile and makes
// their bleve documents and store records.
func analyseFile(read FileResult, seg *analysis.Segmenter, enc recordEncoder) (res FileResult) {
	res = read
	defer func() {
		if p := recover(); p != nil { // an analysis bug must not lose the run
			res.Arts, res.Err = nil, fmt.Errorf("internal error analysing file: %v", p)
		}
	}()
	for i := range res.Arts {
		a := &res.Arts[i]
		a.doc = Document(a.Art, a.NormTitle, a.NormBody, seg)
		// Han text is 3 bytes a character: about one pair a 3 bytes.
		a.pairs = make([]analysis.PairKey, 0, (len(a.NormTitle)+len(a.NormBody))/3+1)
		a.pairs = analysis.AppendPairs(analysis.AppendPairs(a.pairs, a.NormTitle), a.NormBody)
		a.NormTitle, a.NormBody = "", ""
		rec, err := enc.Encode(a.Art)
		if err != nil {
			res.Arts, res.Err = nil, err
			return res
		}
		a.rec = rec
		a.Art.Body = "" // kept in the record; the rest of the build needs the id and title
	}
	return res
}

// Feed sends inputs to jobs in order, then closes jobs; it stops early
// when ctx is done. It is the head of every build's reading pipeline.
func Feed(ctx context.Context, jobs chan<- Input, inputs []Input) {
	defer close(jobs)
	for _, in := range inputs {
		select {
		case jobs <- in:
		case <-ctx.Done():
			return
		}
	}
}
