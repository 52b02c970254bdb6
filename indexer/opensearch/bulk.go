package opensearch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/govbulletin/bulletin/internal/osconn"
)

// Bulk requests to OpenSearch, with retries and back-off, shared by the
// build (bulkWriter) and the write API (Writer).
//
// A request that gets no answer (connection refused or reset, a timeout)
// or a 429 or 5xx answer is sent again, whole; items that the cluster
// refused with 429 (its write queue is full) or 5xx are sent again alone.
// The wait doubles from FirstWait up to MaxWait. Every item carries its
// _id, so an item sent twice (its first answer was lost) is written once:
// the second write replaces the first with the same document.

// BulkRetry says how often and how patiently a bulk request is retried.
type BulkRetry struct {
	Attempts  int           // in all, the first included; 0 means 9
	FirstWait time.Duration // 0 means 200 ms
	MaxWait   time.Duration // 0 means 10 s
}

func (r BulkRetry) withDefaults() BulkRetry {
	if r.Attempts <= 0 {
		r.Attempts = 9
	}
	if r.FirstWait <= 0 {
		r.FirstWait = 200 * time.Millisecond
	}
	if r.MaxWait <= 0 {
		r.MaxWait = 10 * time.Second
	}
	return r
}

// bulkItem is one action of a bulk request: its action line and, unless it
// is a delete, its source line, each ending in '\n'.
type bulkItem struct {
	action, source []byte
	// versioned: the action carries an external version (versionOf a
	// write record); a 409 version conflict means a newer write of the
	// id is already there, and the item is done (superseded).
	versioned bool
}

func (it bulkItem) size() int { return len(it.action) + len(it.source) }

// bulkOutcome is what became of one item.
type bulkOutcome struct {
	Status int    // the item's status (0: never answered)
	Result string // "created", "updated", "deleted", "not_found", ...
	Err    string // why it was not written; "" when it was (or, for a delete, was not found)
	// Version is the document's version after the write (_version).
	Version int64
	// Type is the error's type (e.g. index_not_found_exception).
	Type string
}

// indexGone reports an item refused because its index does not exist
// (a new build switched the alias and deleted the index written to).
func (o bulkOutcome) indexGone() bool {
	return o.Status == http.StatusNotFound && o.Type == "index_not_found_exception"
}

// done reports whether the item was written (or deleted).
func (o bulkOutcome) done() bool { return o.Err == "" && o.Status >= 200 && o.Status < 300 }

type bulkItemAnswer struct {
	ID      string `json:"_id"`
	Status  int    `json:"status"`
	Result  string `json:"result"`
	Version int64  `json:"_version"`
	Error   *struct {
		Type   string `json:"type"`
		Reason string `json:"reason"`
	} `json:"error"`
}

type bulkAnswer struct {
	Errors bool                        `json:"errors"`
	Items  []map[string]bulkItemAnswer `json:"items"`
}

// passing reports a refusal that may go away: the cluster is busy (429) or
// a node is failing (5xx).
func passing(status int) bool { return status == http.StatusTooManyRequests || status >= 500 }

// sendBulk sends items to path (e.g. "/_bulk?refresh=wait_for") with
// retries and returns each item's outcome. err is set when the cluster
// could not be made to answer within the attempts (it wraps
// osconn.ErrUnavailable) or refused the whole request for good; outcomes
// then still say what was written before.
func sendBulk(ctx context.Context, c *osconn.Client, path string, items []bulkItem, r BulkRetry, log interface{ Warn(string, ...any) }) ([]bulkOutcome, error) {
	r = r.withDefaults()
	out := make([]bulkOutcome, len(items))
	pending := make([]int, len(items))
	for i := range pending {
		pending[i] = i
	}
	wait := r.FirstWait
	var body bytes.Buffer
	for attempt := 1; ; attempt++ {
		body.Reset()
		for _, i := range pending {
			body.Write(items[i].action)
			body.Write(items[i].source)
		}
		var ans bulkAnswer
		err := c.Do(ctx, http.MethodPost, path, bytes.Clone(body.Bytes()), &ans)
		var retry []int
		var se *osconn.StatusError
		switch {
		case err != nil && ctx.Err() != nil:
			return out, ctx.Err()
		case err != nil && (errors.Is(err, osconn.ErrUnavailable) || errors.As(err, &se) && passing(se.Status)):
			retry = pending
		case err != nil:
			return out, fmt.Errorf("bulk write: %w", err)
		case len(ans.Items) != len(pending):
			return out, fmt.Errorf("bulk write: the cluster answered %d items for %d", len(ans.Items), len(pending))
		default:
			for k, item := range ans.Items {
				i := pending[k]
				for _, a := range item { // one key: the action
					out[i].Status, out[i].Result, out[i].Err, out[i].Version, out[i].Type = a.Status, a.Result, "", a.Version, ""
					if a.Error != nil {
						out[i].Type = a.Error.Type
					}
					switch {
					case a.Error == nil:
					case items[i].versioned && a.Status == http.StatusConflict:
						// A newer write of the id is there already.
						out[i].Status, out[i].Result = http.StatusOK, "superseded"
					case passing(a.Status):
						out[i].Err = fmt.Sprintf("%d %s: %s", a.Status, a.Error.Type, a.Error.Reason)
						retry = append(retry, i)
					default:
						out[i].Err = fmt.Sprintf("%s: %s", a.Error.Type, a.Error.Reason)
					}
				}
			}
		}
		if len(retry) == 0 {
			return out, nil
		}
		if attempt >= r.Attempts {
			if err != nil {
				return out, fmt.Errorf("bulk write: giving up after %d attempts: %w", attempt, err)
			}
			for _, i := range retry {
				out[i].Err = fmt.Sprintf("the cluster kept refusing it (%s) after %d attempts", out[i].Err, attempt)
			}
			return out, nil
		}
		log.Warn("bulk write refused for now; retrying", "attempt", attempt, "items", len(retry), "wait", wait.String(), "err", errString(err))
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return out, ctx.Err()
		}
		wait = min(2*wait, r.MaxWait)
		pending = retry
	}
}

// splitItems cuts a body of bulk lines (action and source, two lines an
// item; a delete's one line is not expected here) into items.
func splitItems(body []byte) []bulkItem {
	lines := bytes.SplitAfter(body, []byte("\n"))
	var items []bulkItem
	for k := 0; k+1 < len(lines); k += 2 {
		if len(lines[k]) == 0 {
			break
		}
		items = append(items, bulkItem{action: lines[k], source: lines[k+1]})
	}
	return items
}

// indexAction is the action line writing document id into index.
func indexAction(index, id string) []byte {
	a, _ := json.Marshal(map[string]any{"index": map[string]any{"_index": index, "_id": id}})
	return append(a, '\n')
}

// versionBase is added to a write record's _version to make the external
// version of the article it writes: a generation's documents written by
// the build carry small internal versions (1, or a few for an id met more
// than once), which every write through the API must exceed.
const versionBase = 1 << 32

// versionOf is the external version of the article written by the write
// record of version recVersion.
func versionOf(recVersion int64) int64 { return versionBase + recVersion }

// indexActionV is the action line writing document id into index at
// external version v.
func indexActionV(index, id string, v int64) []byte {
	a, _ := json.Marshal(map[string]any{"index": map[string]any{"_index": index, "_id": id, "version": v, "version_type": "external"}})
	return append(a, '\n')
}

// deleteActionV is the action line deleting document id from index at
// external version v (a missing document is answered not_found).
func deleteActionV(index, id string, v int64) []byte {
	a, _ := json.Marshal(map[string]any{"delete": map[string]any{"_index": index, "_id": id, "version": v, "version_type": "external"}})
	return append(a, '\n')
}

// retryDo is osconn.Client.Do with the retries of sendBulk: a request
// that gets no answer, or a 429 or 5xx answer, is sent again after a
// wait. For requests that may be repeated (reads, refreshes).
func retryDo(ctx context.Context, c *osconn.Client, r BulkRetry, log interface{ Warn(string, ...any) }, method, path string, body, out any) error {
	r = r.withDefaults()
	wait := r.FirstWait
	for attempt := 1; ; attempt++ {
		err := c.Do(ctx, method, path, body, out)
		var se *osconn.StatusError
		if err == nil || ctx.Err() != nil || !(errors.Is(err, osconn.ErrUnavailable) || errors.As(err, &se) && passing(se.Status)) {
			return err
		}
		if attempt >= r.Attempts {
			return fmt.Errorf("giving up after %d attempts: %w", attempt, err)
		}
		log.Warn("request refused for now; retrying", "path", path, "attempt", attempt, "wait", wait.String(), "err", errString(err))
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return ctx.Err()
		}
		wait = min(2*wait, r.MaxWait)
	}
}
