package opensearch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"strings"
	"sync"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/internal/osconn"
)

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
