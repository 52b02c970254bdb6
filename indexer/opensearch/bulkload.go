package opensearch

import (
	"context"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/indexer/writes"
)

// Bulk writes the articles of a JSON Lines body, one a line, each with its
// id, as Live.Bulk does: a bad line, or an article the cluster refused for
// good, is reported by its line and the others are written. err is set
// only when the body could not be read or the cluster could not be made
// to answer (the pieces before were written).
//
// One goroutine reads and analyses pieces of bulkPiece lines while this one
// sends the piece before (one request, no refresh); at the end one refresh
// makes them all visible.
func (l *Writer) Bulk(ctx context.Context, body io.Reader) (indexed int, bad []writes.LineError, err error) {
	t, err := l.target(ctx)
	if err != nil {
		return 0, nil, failed(err)
	}
	bl, bad := writes.NewLines(body, t.en)
	if bl == nil {
		return 0, bad, nil
	}
	type piece struct {
		w   *osWrite
		bad []writes.LineError
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pieces := make(chan piece, 1)
	go func() {
		defer close(pieces)
		for {
			docs, lineErrs, rerr := bl.Next(writes.Piece)
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
					bad = append(bad, writes.LineError{Line: p.w.docs[i].Line, Message: refusal(o).Error()})
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
	return indexed, writes.SortLines(bad), failed(err)
}
