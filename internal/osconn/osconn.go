package osconn

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/opensearch-project/opensearch-go/v4"

	"github.com/govbulletin/bulletin/indexer/schema"
)

// DefaultAlias is the alias that names the index being served.
const DefaultAlias = schema.OSAlias

// Config says how to reach a cluster. The password is never logged.
type Config struct {
	URLs     []string // node addresses, e.g. http://127.0.0.1:9200
	Alias    string   // the alias served and switched (default "bulletins")
	Username string   // basic auth
	Password string
	CAFile   string // PEM certificate authorities for https
	Insecure bool   // skip TLS verification (test clusters only)
	// Timeout bounds one request attempt; 0 means 30 s.
	Timeout time.Duration
}

// AliasName returns the alias, defaulted.
func (c Config) AliasName() string {
	if c.Alias == "" {
		return DefaultAlias
	}
	return c.Alias
}

// ParseURLs splits a --opensearch value: one or more comma-separated URLs.
func ParseURLs(s string) []string {
	var out []string
	for _, u := range strings.Split(s, ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			out = append(out, u)
		}
	}
	return out
}

// ErrUnavailable wraps failures to reach the cluster at all (connection
// refused, timeouts, every node down), as opposed to a request the cluster
// answered with an error status.
var ErrUnavailable = errors.New("OpenSearch cluster unavailable")

// StatusError is an error answer of the cluster.
type StatusError struct {
	Status int
	Type   string // error.type, e.g. index_not_found_exception
	Reason string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("OpenSearch: %d %s: %s", e.Status, e.Type, e.Reason)
}

// IsStatus reports whether err is a StatusError with that status.
func IsStatus(err error, status int) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Status == status
}

// Client sends JSON requests to the cluster.
type Client struct {
	c   *opensearch.Client
	cfg Config
}

// New makes a client; it does not contact the cluster.
func New(cfg Config) (*Client, error) {
	if len(cfg.URLs) == 0 {
		return nil, errors.New("opensearch: no URL given")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	oc := opensearch.Config{
		Addresses:            cfg.URLs,
		Username:             cfg.Username,
		Password:             cfg.Password,
		InsecureSkipVerify:   cfg.Insecure,
		EnableRetryOnTimeout: true,
		MaxRetries:           len(cfg.URLs) + 1,
		RequestTimeout:       cfg.Timeout,
		RetryOnStatus:        []int{502, 503, 504},
	}
	if cfg.CAFile != "" {
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("opensearch CA file: %w", err)
		}
		oc.CACert = pem
	}
	if cfg.Insecure && cfg.CAFile == "" {
		oc.Transport = &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} // #nosec G402: asked for by --opensearch-insecure
	}
	c, err := opensearch.NewClient(oc)
	if err != nil {
		return nil, fmt.Errorf("opensearch client: %w", err)
	}
	return &Client{c: c, cfg: cfg}, nil
}

// Config returns the client's configuration.
func (c *Client) Config() Config { return c.cfg }

// Do sends body (nil, []byte sent as is, or a value encoded as JSON) and
// decodes a 2xx answer into out (when non-nil). An error answer is a
// *StatusError; no answer at all wraps ErrUnavailable.
func (c *Client) Do(ctx context.Context, method, path string, body any, out any) error {
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
		if strings.HasPrefix(path, "/_bulk") || strings.Contains(path, "/_bulk") {
			contentType = "application/x-ndjson"
		}
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return fmt.Errorf("opensearch: encode request: %w", err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, path, rd)
	if err != nil {
		return err
	}
	if rd != nil {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.c.Stream(req) // retries on another node; we own and close the body
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%w: %s %s: %w", ErrUnavailable, method, path, ctx.Err())
		}
		return fmt.Errorf("%w: %s %s: %w", ErrUnavailable, method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return fmt.Errorf("%w: reading answer of %s %s: %w", ErrUnavailable, method, path, err)
	}
	if resp.StatusCode >= 300 {
		se := &StatusError{Status: resp.StatusCode}
		var e struct {
			Error json.RawMessage `json:"error"`
		}
		if json.Unmarshal(raw, &e) == nil && len(e.Error) > 0 {
			var d struct {
				Type   string `json:"type"`
				Reason string `json:"reason"`
			}
			if json.Unmarshal(e.Error, &d) == nil && d.Type != "" {
				se.Type, se.Reason = d.Type, d.Reason
			} else {
				se.Reason = string(e.Error)
			}
		} else {
			se.Reason = truncate(string(raw), 300)
		}
		return se
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("opensearch: decode answer of %s %s: %w", method, path, err)
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Close releases the client's connections.
func (c *Client) Close() error { return c.c.Close() }

// Hit is one hit of a search: the document's id and _source.
type Hit struct {
	ID      string          `json:"_id"`
	Source  json.RawMessage `json:"_source"`
	Version int64           `json:"_version"` // with "version": true in the search body
}

// Scroll runs the search body (with its "size" a page) on index and calls
// each with every page of hits until all are read, then frees the scroll.
func (c *Client) Scroll(ctx context.Context, index string, body any, each func([]Hit) error) error {
	type page struct {
		ScrollID string `json:"_scroll_id"`
		Hits     struct {
			Hits []Hit `json:"hits"`
		} `json:"hits"`
	}
	var p page
	if err := c.Do(ctx, http.MethodPost, "/"+index+"/_search?scroll=1m", body, &p); err != nil {
		return err
	}
	defer func() {
		if p.ScrollID != "" {
			_ = c.Do(context.WithoutCancel(ctx), http.MethodDelete, "/_search/scroll", map[string]any{"scroll_id": []string{p.ScrollID}}, nil)
		}
	}()
	for len(p.Hits.Hits) > 0 {
		if err := each(p.Hits.Hits); err != nil {
			return err
		}
		if p.ScrollID == "" {
			return nil
		}
		id := p.ScrollID
		p = page{}
		if err := c.Do(ctx, http.MethodPost, "/_search/scroll", map[string]any{"scroll": "1m", "scroll_id": id}, &p); err != nil {
			p.ScrollID = id
			return err
		}
		if p.ScrollID == "" {
			p.ScrollID = id
		}
	}
	return nil
}

// Served is the index that the alias names, as its mapping tells it.
type Served struct {
	Index  string
	Meta   schema.Meta                // the mapping's _meta (schema.OSMetaKey)
	Fields map[string]json.RawMessage // the mapping's properties
}

// ErrNoIndex is returned by Served when the alias names no index.
var ErrNoIndex = errors.New("no index")

// Served reads which index the alias names, with its meta: an error
// wrapping ErrNoIndex when it names none.
func (c *Client) Served(ctx context.Context) (*Served, error) {
	alias := c.cfg.AliasName()
	var m map[string]struct {
		Mappings struct {
			Meta       map[string]json.RawMessage `json:"_meta"`
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"mappings"`
	}
	if err := c.Do(ctx, http.MethodGet, "/"+url.PathEscape(alias)+"/_mapping", nil, &m); err != nil {
		if IsStatus(err, http.StatusNotFound) {
			return nil, fmt.Errorf("OpenSearch alias %q names %w: run `bulletin index --opensearch` first", alias, ErrNoIndex)
		}
		return nil, fmt.Errorf("OpenSearch alias %q: %w", alias, err)
	}
	if len(m) != 1 {
		return nil, fmt.Errorf("OpenSearch alias %q names %d indexes, want 1", alias, len(m))
	}
	s := &Served{}
	for k, v := range m {
		s.Index, s.Fields = k, v.Mappings.Properties
		if raw, ok := v.Mappings.Meta[schema.OSMetaKey]; ok {
			if err := json.Unmarshal(raw, &s.Meta); err != nil {
				return nil, fmt.Errorf("OpenSearch index %s: meta: %w", k, err)
			}
		}
	}
	return s, nil
}
