package live

import (
	"context"
	"io"
	"runtime"
	"sync"

	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/indexer/writes"
)

// Bulk writes the articles of a JSON Lines body, one a line, each with its
// id. A bad line is reported and the others are written. err is set only
// when the body could not be read or a write failed (the pieces before
// were written).
//
// A pipeline: this goroutine reads pieces of writes.Piece lines, goroutines
// on all cores but one analyse them, and the pieces are logged and applied
// in order, each with one sync and one bleve batch.
func (l *Live) Bulk(ctx context.Context, body io.Reader) (indexed int, bad []writes.LineError, err error) {
	defer l.proc.load()()
	sc, bad := writes.NewLines(body, l.en)
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
	var lineErrs []writes.LineError
	lines := func() []writes.LineError {
		mu.Lock()
		defer mu.Unlock()
		return writes.SortLines(append([]writes.LineError(nil), lineErrs...))
	}
	go func() {
		defer close(work)
		defer close(order)
		for {
			keep, bad, rerr := sc.Next(writes.Piece)
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
			return indexed, lines(), writes.Failed(ctx.Err())
		}
		if p.err != nil {
			return indexed, lines(), writes.Failed(p.err)
		}
		arts, err := l.commit(p.w)
		if err != nil {
			return indexed, lines(), writes.Failed(err)
		}
		indexed += len(arts)
		l.proc.loading()
	}
	return indexed, lines(), writes.Failed(readErr)
}
