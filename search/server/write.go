package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/internal/errs"
)

// Writer is what the server needs of the write side (indexer.Live, wired
// by cmd). Its errors carry search error kinds (Invalid, NotFound, ...).
type Writer interface {
	// Put creates or replaces the article id from a JSON object.
	Put(ctx context.Context, id string, body []byte) (*schema.Article, error)
	// Bulk writes the articles of a JSON Lines body, one a line, id required.
	Bulk(ctx context.Context, body io.Reader) (*BulkResult, error)
	// Delete removes an article; NotFound when there is none.
	Delete(ctx context.Context, id string) error
}

// BulkResult is the answer to a bulk write.
type BulkResult struct {
	Indexed int         `json:"indexed"`
	Errors  []BulkError `json:"errors"`
}

// BulkError names a line of a bulk write that was not written, and why.
type BulkError struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

const (
	// defaultMaxArticleBytes caps the body of a PUT.
	defaultMaxArticleBytes = 8 << 20
	// defaultMaxBulkBytes caps the body of a bulk write.
	defaultMaxBulkBytes = 256 << 20
	// defaultBodyTimeout is how long a write's body may send nothing.
	defaultBodyTimeout = 30 * time.Second
	// writeAnswerTime is how long a write may take before its answer is
	// sent (a bulk write of the largest body takes minutes).
	writeAnswerTime = 30 * time.Minute
)

// keyring holds the SHA-256 of the write keys.
type keyring [][sha256.Size]byte

func newKeyring(keys []string) keyring {
	var kr keyring
	for _, k := range keys {
		if k = strings.TrimSpace(k); k != "" {
			kr = append(kr, sha256.Sum256([]byte(k)))
		}
	}
	return kr
}

// valid compares a key with every key of the ring in constant time.
func (kr keyring) valid(key string) bool {
	h := sha256.Sum256([]byte(key))
	ok := 0
	for i := range kr {
		ok |= subtle.ConstantTimeCompare(h[:], kr[i][:])
	}
	return ok == 1
}

// writeAuth answers 403 when writes are off and 401 without a valid key.
func (s *srv) writeAuth(c *gin.Context) {
	if s.w == nil || len(s.keys) == 0 {
		s.fail(c, errs.Errorf(errs.Forbidden, "writes_disabled", "this server takes no writes (start it with --write-keys FILE)"))
		return
	}
	key, ok := bearer(c)
	if !ok || !s.keys.valid(key) {
		c.Header("WWW-Authenticate", `Bearer realm="bulletin"`)
		s.fail(c, errs.Errorf(errs.Unauthorized, "unauthorized", "a write needs a valid key: Authorization: Bearer KEY"))
		return
	}
	c.Next()
}

// isWrite reports a request to a write route.
func isWrite(c *gin.Context) bool {
	m := c.Request.Method
	return (m == http.MethodPut || m == http.MethodPost || m == http.MethodDelete) && strings.HasPrefix(c.FullPath(), "/api/articles/")
}

// checkID answers 400 for an id in the path that no article can have
// (schema.CheckID): not valid UTF-8, or holding a control character.
func (s *srv) checkID(c *gin.Context) {
	if err := schema.CheckID(c.Param("id")); err != nil {
		s.fail(c, &errs.Error{Kind: errs.Invalid, Code: "bad_id", Message: "the id in the path: " + err.Error(), Err: err})
		return
	}
	c.Next()
}

// writeBodyKey holds a write's *writeBody in the gin context.
const writeBodyKey = "bulletin.writeBody"

// bodyLimit refuses a body of a type or encoding the write routes do not
// take (415) or larger than n bytes (413, at once when Content-Length
// says so), and reads the rest through a writeBody (body.go).
func (s *srv) bodyLimit(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := mediaError(c.Request.Header); err != nil {
			s.fail(c, err)
			return
		}
		if c.Request.ContentLength > n {
			s.fail(c, errs.Errorf(errs.TooLarge, "body_too_large", "the request body is larger than %d bytes", n))
			return
		}
		b := newWriteBody(c, n, s.bodyTimeout)
		c.Set(writeBodyKey, b)
		// A large bulk write takes minutes to apply: its answer must
		// still be sent (the server's write timeout counts from the
		// request's start).
		http.NewResponseController(c.Writer).SetWriteDeadline(time.Now().Add(writeAnswerTime))
		c.Next()
	}
}

// bodyOf is the body of a write (bodyLimit made it).
func bodyOf(c *gin.Context) *writeBody { return c.MustGet(writeBodyKey).(*writeBody) }

// bodyFailed answers err, or the body's own failure when reading it
// failed: whatever layer met it, it is the cause (a short body, not an
// internal error).
func (s *srv) bodyFailed(c *gin.Context, b *writeBody, err error) {
	if bf := b.failure(); bf != nil {
		err = bf
	}
	s.fail(c, err)
}

func (s *srv) handlePut(c *gin.Context) {
	b := bodyOf(c)
	body, err := io.ReadAll(b)
	if err != nil {
		s.bodyFailed(c, b, err)
		return
	}
	a, err := s.w.Put(c.Request.Context(), c.Param("id"), body)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (s *srv) handleBulk(c *gin.Context) {
	b := bodyOf(c)
	res, err := s.w.Bulk(c.Request.Context(), b)
	if err == nil {
		// A writer may report a body it could not read as a bad line:
		// the body's failure is the answer (the lines after it were never
		// seen; a client sends the whole again, every line keeps its id).
		err = b.failure()
	}
	if err != nil {
		s.bodyFailed(c, b, err)
		return
	}
	if res.Errors == nil {
		res.Errors = []BulkError{}
	}
	c.JSON(http.StatusOK, res)
}

func (s *srv) handleDelete(c *gin.Context) {
	id := c.Param("id")
	if err := s.w.Delete(c.Request.Context(), id); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"id": id, "deleted": true})
}

// bearer returns the key of a request's `Authorization: Bearer KEY`; the
// scheme's name is case-insensitive (RFC 7235).
func bearer(c *gin.Context) (string, bool) {
	scheme, key, _ := strings.Cut(strings.TrimSpace(c.GetHeader("Authorization")), " ")
	return strings.TrimSpace(key), strings.EqualFold(scheme, "Bearer")
}
