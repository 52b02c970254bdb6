package indexer

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/govbulletin/bulletin/indexer/enrich"
	"github.com/govbulletin/bulletin/indexer/source"
)

// JSON Lines exports can be of any size: they are read a piece at a time
// (pieceDocs articles or pieceBytes of lines, about what a bulletin page
// holds), each piece going through the pipeline like a file, so that
// memory does not grow with the file and a large export keeps every core
// busy. No size cap applies to them.
//
// An id given in an export (or through the write API) is the article's id
// and names one article in the index: a later article with the same id
// replaces the earlier. Before the build, a quick pass over the exports
// (ids only) finds where each id comes last; the pieces leave out the
// others.
const (
	pieceDocs  = 16
	pieceBytes = 64 << 10
	// maxPiecesInFlight bounds the pieces read and not yet indexed (about
	// 1,000 articles, as many as 230 pages): the readers outrun the analysers, and without a
	// bound a large export would be held in memory whole.
	maxPiecesInFlight = 64
)

func isJSONL(name string) bool { return strings.EqualFold(filepath.Ext(name), ".jsonl") }

// srcPos is where an article comes from: an input of the run and a line.
type srcPos struct {
	input, line int
}

// lastOfIDs returns, for every id given more than once, where it comes
// last. A file that cannot be read is left to the build to report.
func lastOfIDs(ctx context.Context, inputs []Input, fm source.FieldMap) (map[string]srcPos, error) {
	last := map[string]srcPos{}
	dup := map[string]bool{}
	for _, in := range inputs {
		if in.stream == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rc, err := in.stream()
		if err != nil {
			continue
		}
		n := in.n
		source.ScanJSONLIDs(rc, fm, func(line int, id string) {
			if _, seen := last[id]; seen {
				dup[id] = true
			}
			last[id] = srcPos{n, line}
		})
		rc.Close()
	}
	winners := make(map[string]srcPos, len(dup))
	for id := range dup {
		winners[id] = last[id]
	}
	return winners, nil
}

// dropWon leaves out the articles of a file read whole whose ids come
// again in JSON Lines (an export or the write log: winners names their last
// line) or were deleted through the write log (winners names no line): a
// file read whole gives no ids of its own, so its article never comes last.
func dropWon(res FileResult, winners map[string]srcPos) FileResult {
	if len(winners) == 0 || len(res.Arts) == 0 {
		return res
	}
	keep := res.Arts[:0]
	for _, a := range res.Arts {
		if _, won := winners[a.Art.ID]; won {
			res.replaced++
			continue
		}
		keep = append(keep, a)
	}
	res.Arts = keep
	return res
}

// readPieces reads a JSON Lines export a piece at a time into out; every
// result but the last has more set. It stops early when ctx is done.
func readPieces(ctx context.Context, in Input, fm source.FieldMap, en *enrich.Enricher, winners map[string]srcPos, out chan<- FileResult, slots chan struct{}) {
	send := func(r FileResult) bool {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return false
		}
		r.piece = true
		select {
		case out <- r:
			return true
		case <-ctx.Done():
			<-slots
			return false
		}
	}
	rc, err := in.stream()
	if err != nil {
		send(FileResult{In: in, Err: fmt.Errorf("%s", reason(err))})
		return
	}
	defer rc.Close()
	sc, err := source.NewJSONLScanner(rc, fm)
	if err != nil {
		send(FileResult{In: in, Err: err})
		return
	}
	var read int64
	for {
		docs, probs, err := sc.Next(pieceDocs, pieceBytes)
		res := FileResult{In: in, more: true, Bytes: sc.BytesRead() - read}
		read = sc.BytesRead()
		for _, p := range probs {
			res.Skips = append(res.Skips, Skip{Path: in.show, Line: p.Line, Reason: p.Reason})
		}
		if err != nil && err != io.EOF {
			res.more, res.Err = false, fmt.Errorf("reading stopped: %s", reason(err))
			send(res)
			return
		}
		if len(docs) > 0 {
			var bug error
			var bad []Skip
			res.Arts, res.replaced, bad, bug = safeArticlesOf(in, &source.Page{Docs: docs}, en, winners)
			res.Skips = append(res.Skips, bad...)
			if bug != nil {
				res.Skips = append(res.Skips, Skip{Path: in.show, Line: docs[0].Line, Reason: bug.Error()})
			}
		}
		if err == io.EOF {
			res.more = false
			if e := sc.Err(); e != nil {
				res.Err, res.Skips = e, nil
			}
			send(res)
			return
		}
		if !send(res) {
			return
		}
	}
}

// safeArticlesOf is articlesOf with a bug turned into an error for the
// piece: it must not lose the run.
func safeArticlesOf(in Input, page *source.Page, en *enrich.Enricher, winners map[string]srcPos) (arts []Analysed, replaced int, bad []Skip, err error) {
	defer func() {
		if p := recover(); p != nil {
			arts, replaced, bad, err = nil, 0, nil, fmt.Errorf("internal error reading the %d articles from here: %v", len(page.Docs), p)
		}
	}()
	arts, replaced, bad = articlesOf(in, page, en, winners)
	return arts, replaced, bad, nil
}
