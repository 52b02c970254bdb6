package server

import (
	"compress/flate"
	"compress/gzip"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/govbulletin/bulletin/internal/errs"
)

// The body of a write (PUT, _bulk) is read through a writeBody, which
// gives every way a body can go wrong its own answer, whichever layer
// reads it (the handler, or the writer that streams a bulk body):
//
//	larger than the route's limit (decoded size, for gzip)   413 body_too_large
//	shorter than its Content-Length (the client hung up)     400 body_short
//	nothing arrived for Options.BodyTimeout                  408 body_timeout
//	Content-Encoding gzip that is not gzip                   400 bad_gzip
//	Content-Encoding other than gzip or identity             415 unsupported_encoding
//	Content-Type other than JSON, JSON Lines or text         415 unsupported_media_type
//	  (or the form type curl sends by default, see acceptedTypes)

// acceptedTypes are the media types a write body may be sent as (besides
// any text/*): JSON, the names in use for JSON Lines, and
// application/x-www-form-urlencoded, which curl --data-binary sends when
// not told otherwise (the body is read as what it holds: JSON).
var acceptedTypes = map[string]bool{
	"application/json":                  true,
	"application/json-seq":              true,
	"application/x-ndjson":              true,
	"application/ndjson":                true,
	"application/jsonl":                 true,
	"application/x-jsonl":               true,
	"application/jsonlines":             true,
	"application/x-jsonlines":           true,
	"application/json-lines":            true,
	"application/x-www-form-urlencoded": true,
}

// mediaError refuses a body by its Content-Type or Content-Encoding, or
// returns nil for one the write routes take. A body without a
// Content-Type is taken too (JSON is what a write is).
func mediaError(h http.Header) error {
	if ct := h.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !(acceptedTypes[mt] || strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "+json")) {
			return errs.Errorf(errs.UnsupportedMedia, "unsupported_media_type", "a write body is JSON (application/json) or JSON Lines (application/x-ndjson), not %q", ct)
		}
	}
	switch enc := strings.ToLower(strings.TrimSpace(h.Get("Content-Encoding"))); enc {
	case "", "identity", "gzip", "x-gzip":
	default:
		return errs.Errorf(errs.UnsupportedMedia, "unsupported_encoding", "a write body may be sent with Content-Encoding gzip, not %q", enc)
	}
	return nil
}

// writeBody reads a write's body: the raw bytes at most limit (and each
// read given idle to arrive), gunzipped when the request says so, the
// decoded bytes at most limit too (a gzip bomb is refused like any body
// over the limit). Its errors are *errs.Error; the first is kept (failure).
// One goroutine reads it (a body has one reader); failure may be called
// from another meanwhile (a writer that gave up may still be reading).
type writeBody struct {
	c      *gin.Context
	raw    io.Reader // the request body, under http.MaxBytesReader
	r      io.Reader // what is read: raw, or a gzip reader on it
	gz     bool
	limit  int64
	read   int64 // decoded bytes read
	idle   time.Duration
	rc     *http.ResponseController
	rawErr error // the raw body's read error (not io.EOF)
	err    atomic.Pointer[errs.Error]
}

func newWriteBody(c *gin.Context, limit int64, idle time.Duration) *writeBody {
	enc := strings.ToLower(strings.TrimSpace(c.GetHeader("Content-Encoding")))
	b := &writeBody{c: c, limit: limit, idle: idle, rc: http.NewResponseController(c.Writer),
		gz: enc == "gzip" || enc == "x-gzip"}
	b.raw = &idleReader{r: http.MaxBytesReader(c.Writer, c.Request.Body, limit), b: b}
	return b
}

// idleReader gives each read of the raw body idle to return.
type idleReader struct {
	r io.Reader
	b *writeBody
}

func (r *idleReader) Read(p []byte) (int, error) {
	if r.b.idle > 0 {
		// A server whose connection takes no deadline (a test's
		// in-memory one) reads without: the error is not a failure.
		r.b.rc.SetReadDeadline(time.Now().Add(r.b.idle))
	}
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF && r.b.rawErr == nil {
		r.b.rawErr = err
	}
	return n, err
}

func (b *writeBody) Read(p []byte) (int, error) {
	if e := b.err.Load(); e != nil {
		return 0, e
	}
	if b.r == nil {
		b.r = b.raw
		if b.gz {
			zr, err := gzip.NewReader(b.raw)
			if err != nil {
				return 0, b.fail(err)
			}
			zr.Multistream(true)
			b.r = zr
		}
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	if b.read > b.limit {
		return n, b.fail(&http.MaxBytesError{Limit: b.limit})
	}
	if err != nil && err != io.EOF {
		return n, b.fail(err)
	}
	return n, err
}

// fail classifies a read error and keeps it. The raw body's own error,
// if any, is the cause (a gzip reader reports a cut stream as such).
func (b *writeBody) fail(err error) error {
	if b.rawErr != nil {
		err = b.rawErr
	}
	var mb *http.MaxBytesError
	var ce flate.CorruptInputError
	var e *errs.Error
	switch {
	case errors.As(err, &e):
	case errors.As(err, &mb):
		e = errs.Errorf(errs.TooLarge, "body_too_large", "the request body is larger than %d bytes", mb.Limit)
	case errors.Is(err, os.ErrDeadlineExceeded):
		e = errs.Errorf(errs.Timeout, "body_timeout", "the request body stopped arriving: nothing came for %s", b.idle)
	case b.rawErr != nil && errors.Is(err, io.ErrUnexpectedEOF):
		e = errs.Errorf(errs.Invalid, "body_short", "the request body is shorter than its Content-Length (%d bytes)", b.c.Request.ContentLength)
	case b.gz && (errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) || errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &ce)):
		e = errs.Errorf(errs.Invalid, "bad_gzip", "the request body is not valid gzip (it was sent with Content-Encoding: gzip)")
	default:
		e = errs.Errorf(errs.Invalid, "body_unreadable", "the request body could not be read")
	}
	if e.Err == nil {
		e = &errs.Error{Kind: e.Kind, Code: e.Code, Message: e.Message, Err: err}
	}
	b.err.CompareAndSwap(nil, e)
	return e
}

// failure is the first read error of the body, nil when there was none.
func (b *writeBody) failure() error {
	if e := b.err.Load(); e != nil {
		return e
	}
	return nil
}
