package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
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
	// writeReadTime is how long a write may take to send its body.
	writeReadTime = 10 * time.Minute
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
	h := c.GetHeader("Authorization")
	key, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || !s.keys.valid(strings.TrimSpace(key)) {
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

// bodyLimit caps the request body at n bytes (413 beyond) and gives a
// large body time to arrive.
func (s *srv) bodyLimit(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > n {
			s.fail(c, errs.Errorf(errs.TooLarge, "body_too_large", "the request body is larger than %d bytes", n))
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(writeReadTime))
		c.Next()
	}
}

// tooLarge maps a body over its limit to 413.
func tooLarge(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return errs.Errorf(errs.TooLarge, "body_too_large", "the request body is larger than %d bytes", mb.Limit)
	}
	return err
}

func (s *srv) handlePut(c *gin.Context) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.fail(c, tooLarge(err))
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
	res, err := s.w.Bulk(c.Request.Context(), c.Request.Body)
	if err != nil {
		s.fail(c, tooLarge(err))
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
