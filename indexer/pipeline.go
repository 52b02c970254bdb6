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
)

// analysed is one article ready for the index.
type analysed struct {
	art                 *schema.Article
	doc                 *document.Document
	rec                 store.Record       // the article compressed for the store
	pairs               []analysis.PairKey // its Han pairs, with repeats (see pairsets.go)
	normTitle, normBody string             // until analysed
}

// fileResult is what a worker makes of one input file.
type fileResult struct {
	in    input
	arts  []analysed
	skips []Skip
	bytes int64
	err   error
	// more is true for a piece of a file read in pieces (JSON Lines) that
	// is not its last.
	more     bool
	replaced int  // articles dropped for a later one with their id
	piece    bool // holds a slot of pieceSlots until the builder has taken it
}

// run reads, analyses and adds every input to the generation's writers.
// It returns the titles of the articles added, for
// suggestions, and the first error that stops the build.
func (w *writers) run(ctx context.Context, cfg Config, prep *preparation, en *enrich.Enricher, inputs []input, winners map[string]srcPos, rep *Report, log *slog.Logger) ([]string, error) {
	b, sw := w.bleve, w.store
	prog := newProgress(cfg.Progress, len(inputs))
	defer prog.done()

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
	jobs := make(chan input)
	read := make(chan fileResult, 2048)
	results := make(chan fileResult, 256)
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
				case read <- dropWon(readFile(ctx, rd, in, cfg.maxFile(), en), winners):
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
	go func() { readers.Wait(); close(read); rd.Close() }()

	// The store's dictionary is made of the first articles read (while
	// jieba loads); those files then go to the analysers first.
	var head []fileResult
	var samples [][]byte
	for size := 0; size < store.DictSize; {
		r, ok := <-read
		if !ok {
			break
		}
		head = append(head, r)
		for _, a := range r.arts {
			b := store.Sample(a.art)
			samples = append(samples, b)
			size += len(b)
		}
	}
	if err := sw.UseDictionary(samples); err != nil {
		return nil, err
	}
	src := make(chan fileResult)
	go func() {
		defer close(src)
		for _, r := range head {
			src <- r
		}
		for r := range read {
			src <- r
		}
	}()
	seg, err := prep.segmenter()
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
		rep.Bytes += r.bytes
		rep.Replaced += r.replaced
		if r.more {
			prog.add(0, r.bytes)
		} else {
			rep.Files++
			prog.add(1, r.bytes)
		}
		if r.err != nil {
			rep.Skipped = append(rep.Skipped, Skip{Path: r.in.show, Reason: r.err.Error()})
			log.Warn("skipped file", "path", r.in.show, "reason", r.err.Error())
			continue
		}
		for _, s := range r.skips {
			rep.Skipped = append(rep.Skipped, s)
			log.Warn("skipped part of file", "path", s.Path, "line", s.Line, "reason", s.Reason)
		}
		batch := make([]pairsOf, 0, len(r.arts))
		for _, a := range r.arts {
			batch = append(batch, pairsOf{a.art.ID, a.pairs})
		}
		pairc <- batch
		for _, a := range r.arts {
			if err := b.Index(a.doc); err != nil {
				firstErr = fmt.Errorf("index %s: %w", a.art.ID, err)
				break
			}
			if err := sw.Append(a.rec); err != nil {
				firstErr = err
				break
			}
			titles = append(titles, a.art.Title)
			rep.Articles++
		}
	}
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return titles, firstErr
}

// readFile reads one file into articles with their metadata, and their
// normalised title and body for analyseFile.
func readFile(ctx context.Context, rd *source.Reader, in input, maxBytes int64, en *enrich.Enricher) (res fileResult) {
	res.in = in
	defer func() {
		if p := recover(); p != nil { // a reader bug must not lose the run
			res.arts, res.err = nil, fmt.Errorf("internal error reading file: %v", p)
		}
	}()
	data, err := in.open()
	if err != nil {
		res.err = err
		return res
	}
	if int64(len(data)) > maxBytes {
		res.err = fmt.Errorf("file larger than %d bytes", maxBytes)
		return res
	}
	res.bytes = int64(len(data))
	page, err := rd.Read(ctx, in.rel, data)
	if err != nil {
		res.err = err
		return res
	}
	for _, p := range page.Problems {
		res.skips = append(res.skips, Skip{Path: in.show, Line: p.Line, Reason: p.Reason})
	}
	res.arts, res.replaced = articlesOf(in, page, en, nil) // files read whole hold no given ids
	return res
}

// articlesOf makes the articles of a page (or a piece of an export) with
// their metadata, and their normalised title and body for analyseFile. An
// article whose id comes again later (winners) is left out and counted.
func articlesOf(in input, page *source.Page, en *enrich.Enricher, winners map[string]srcPos) (arts []analysed, replaced int) {
	p := *page
	p.Docs = make([]source.Doc, 0, len(page.Docs))
	for i, d := range page.Docs {
		d.ID = articleID(in.rel, i, d)
		if w, ok := winners[d.ID]; ok && w != (srcPos{in.n, d.Line}) {
			replaced++
			continue
		}
		p.Docs = append(p.Docs, d)
	}
	for _, a := range en.Articles(&p, path.Base(in.rel), func(_ int, id string) string { return id }) {
		arts = append(arts, analysed{art: a.Article, normTitle: a.NormTitle, normBody: a.NormBody})
	}
	return arts, replaced
}

// recordEncoder compresses articles for the store; it is safe for
// concurrent use (store.Writer).
type recordEncoder interface {
	Encode(*schema.Article) (store.Record, error)
}

// analyseFile segments the articles of a file read by readFile and makes
// their bleve documents and store records.
func analyseFile(read fileResult, seg *analysis.Segmenter, enc recordEncoder) (res fileResult) {
	res = read
	defer func() {
		if p := recover(); p != nil { // an analysis bug must not lose the run
			res.arts, res.err = nil, fmt.Errorf("internal error analysing file: %v", p)
		}
	}()
	for i := range res.arts {
		a := &res.arts[i]
		a.doc = Document(a.art, a.normTitle, a.normBody, seg)
		// Han text is 3 bytes a character: about one pair a 3 bytes.
		a.pairs = make([]analysis.PairKey, 0, (len(a.normTitle)+len(a.normBody))/3+1)
		a.pairs = analysis.AppendPairs(analysis.AppendPairs(a.pairs, a.normTitle), a.normBody)
		a.normTitle, a.normBody = "", ""
		rec, err := enc.Encode(a.art)
		if err != nil {
			res.arts, res.err = nil, err
			return res
		}
		a.rec = rec
		a.art.Body = "" // kept in the record; the rest of the build needs the id and title
	}
	return res
}
