package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/editors"
)

// Editors is what the server needs of the editors' store (editors.Local,
// or a store shared by several servers): the query log, the hot queries
// and the changes editors make. Key arguments are the label of the admin
// key that made a change, for the audit trail.
type Editors interface {
	// RecordSearch and RecordClick must not block.
	RecordSearch(editors.Search)
	RecordClick(editors.Click)
	Queries(ctx context.Context, f editors.QueryFilter) ([]editors.QueryStat, error)
	Daily(ctx context.Context, days int) ([]editors.DayStat, error)
	Hot(ctx context.Context, n int) ([]string, error)
	Blocked(ctx context.Context) ([]string, error)
	SetBlocked(ctx context.Context, key, query string, on bool) error
	Synonyms(ctx context.Context) ([]editors.SynonymGroup, error)
	PutSynonyms(ctx context.Context, key, name string, words []string) error
	DeleteSynonyms(ctx context.Context, key, name string) error
	Pins(ctx context.Context) ([]editors.Pin, error)
	PutPins(ctx context.Context, key, query string, ids []string) error
	DeletePins(ctx context.Context, key, query string) error
	Audit(ctx context.Context, limit int) ([]editors.AuditEntry, error)
}

// AdminKey is a key of the admin API and its label: what the audit trail
// names instead of the key.
type AdminKey struct {
	Key, Label string
}

// adminRing holds the SHA-256 of the admin keys with their labels.
type adminRing struct {
	sums   [][sha256.Size]byte
	labels []string
}

func newAdminRing(keys []AdminKey) adminRing {
	var r adminRing
	for _, k := range keys {
		if key := strings.TrimSpace(k.Key); key != "" {
			r.sums = append(r.sums, sha256.Sum256([]byte(key)))
			r.labels = append(r.labels, k.Label)
		}
	}
	return r
}

// label compares key with every key of the ring in constant time and
// returns the label of the one it is.
func (r adminRing) label(key string) (string, bool) {
	h := sha256.Sum256([]byte(key))
	at := -1
	for i := range r.sums {
		if subtle.ConstantTimeCompare(h[:], r.sums[i][:]) == 1 {
			at = i
		}
	}
	if at < 0 {
		return "", false
	}
	return r.labels[at], true
}

const adminLabelKey = "bulletin.admin.label"

// adminAuth answers 403 when the admin API is off and 401 without a valid
// admin key (a write key is not one).
func (s *srv) adminAuth(c *gin.Context) {
	if s.ed == nil || len(s.admin.sums) == 0 {
		s.fail(c, errs.Errorf(errs.Forbidden, "admin_disabled", "this server has no admin API (start it with --admin-keys FILE)"))
		return
	}
	key, ok := bearer(c)
	label := ""
	if ok {
		label, ok = s.admin.label(key)
	}
	if !ok {
		c.Header("WWW-Authenticate", `Bearer realm="bulletin-admin"`)
		s.fail(c, errs.Errorf(errs.Unauthorized, "unauthorized", "the admin API needs a valid admin key: Authorization: Bearer KEY"))
		return
	}
	c.Set(adminLabelKey, label)
	c.Next()
}

func (s *srv) adminRoutes(r *gin.Engine) {
	api := r.Group("/api")
	api.POST("/events", s.handleEvent)
	api.GET("/hot", s.handleHot)
	adm := api.Group("/admin", s.adminAuth)
	adm.GET("/queries", s.handleQueries)
	adm.GET("/queries/daily", s.handleDaily)
	adm.GET("/hot/blocked", s.handleBlockedList)
	adm.PUT("/hot/blocked/:query", s.handleBlock(true))
	adm.DELETE("/hot/blocked/:query", s.handleBlock(false))
	adm.GET("/synonyms", s.handleSynonymsList)
	adm.PUT("/synonyms/:name", s.handleSynonymsPut)
	adm.DELETE("/synonyms/:name", s.handleSynonymsDelete)
	adm.GET("/pins", s.handlePinsList)
	adm.PUT("/pins/:query", s.handlePinsPut)
	adm.DELETE("/pins/:query", s.handlePinsDelete)
	adm.GET("/audit", s.handleAudit)
	notYet := func(c *gin.Context) {
		s.fail(c, errs.Errorf(errs.NotImplemented, "not_implemented",
			"changing the dictionary without a rebuild is not offered by this server: add the word to the --dict file and run bulletin index"))
	}
	adm.GET("/dictionary", notYet)
	adm.PUT("/dictionary/:word", notYet)
	adm.DELETE("/dictionary/:word", notYet)
	adm.GET("/jobs", notYet)
}

// intParam reads an integer parameter in [lo, hi], def when absent.
func intParam(c *gin.Context, name string, def, lo, hi int) (int, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, errs.Errorf(errs.Invalid, "invalid_"+name, "%s must be a whole number from %d to %d", name, lo, hi)
	}
	return n, nil
}

// flagParam reads a 0/1 parameter.
func flagParam(c *gin.Context, name string) (bool, error) {
	switch c.Query(name) {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	}
	return false, errs.Errorf(errs.Invalid, "invalid_"+name, "%s must be 0 or 1", name)
}

// recordSearch logs a search with a non-empty query: what was asked and
// found, never who asked.
func (s *srv) recordSearch(c *gin.Context, req search.Request, resp *search.Response) {
	if s.ed == nil || strings.TrimSpace(req.Query) == "" {
		return
	}
	var filters map[string][]string
	q := c.Request.URL.Query()
	for _, k := range []string{"district", "topic", "year", "issuer", "type", "date_from", "date_to"} {
		if vs := q[k]; len(vs) > 0 {
			if filters == nil {
				filters = map[string][]string{}
			}
			filters[k] = vs
		}
	}
	s.ed.RecordSearch(editors.Search{Time: time.Now(), Query: req.Query, Filters: filters, Total: resp.Total, TookMS: resp.TookMS})
}

func (s *srv) handleHot(c *gin.Context) {
	n, err := intParam(c, "limit", 10, 1, 50)
	if err != nil {
		s.fail(c, err)
		return
	}
	hot := []string{}
	if s.ed != nil {
		if hot, err = s.ed.Hot(c.Request.Context(), n); err != nil {
			s.fail(c, err)
			return
		}
	}
	c.JSON(http.StatusOK, gin.H{"hot": hot})
}

func (s *srv) handleQueries(c *gin.Context) {
	var f editors.QueryFilter
	var err error
	if f.Days, err = intParam(c, "days", 7, 1, 3660); err == nil {
		if f.Limit, err = intParam(c, "limit", 50, 1, 1000); err == nil {
			if f.Zero, err = flagParam(c, "zero"); err == nil {
				f.NoClick, err = flagParam(c, "noclick")
			}
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	qs, err := s.ed.Queries(c.Request.Context(), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"queries": qs})
}

func (s *srv) handleDaily(c *gin.Context) {
	n, err := intParam(c, "days", 30, 1, 3660)
	if err != nil {
		s.fail(c, err)
		return
	}
	days, err := s.ed.Daily(c.Request.Context(), n)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"days": days})
}

func (s *srv) handleBlockedList(c *gin.Context) {
	b, err := s.ed.Blocked(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"blocked": b})
}

func (s *srv) handleBlock(on bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		q := c.Param("query")
		if err := s.ed.SetBlocked(c.Request.Context(), c.GetString(adminLabelKey), q, on); err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"query": search.NormalizeQuery(q), "blocked": on})
	}
}

// readJSON decodes a request body of one JSON object into v.
func readJSON(c *gin.Context, v any) error {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return tooLarge(err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return errs.Errorf(errs.Invalid, "invalid_json", "field %s must be %s", te.Field, jsonKind(te.Type.String()))
		}
		return errs.Errorf(errs.Invalid, "invalid_json", "the body is not a JSON object: %v", err)
	}
	return nil
}

func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list of strings"
	case goType == "string":
		return "a string"
	case goType == "int":
		return "a whole number"
	}
	return "of another type"
}

func (s *srv) handleSynonymsList(c *gin.Context) {
	g, err := s.ed.Synonyms(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"synonyms": g})
}

func (s *srv) handleSynonymsPut(c *gin.Context) {
	var body struct {
		Words []string `json:"words"`
	}
	if err := readJSON(c, &body); err != nil {
		s.fail(c, err)
		return
	}
	name := c.Param("name")
	if err := s.ed.PutSynonyms(c.Request.Context(), c.GetString(adminLabelKey), name, body.Words); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, editors.SynonymGroup{Name: name, Words: body.Words})
}

func (s *srv) handleSynonymsDelete(c *gin.Context) {
	name := c.Param("name")
	if err := s.ed.DeleteSynonyms(c.Request.Context(), c.GetString(adminLabelKey), name); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"name": name, "deleted": true})
}

func (s *srv) handlePinsList(c *gin.Context) {
	p, err := s.ed.Pins(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"pins": p})
}

func (s *srv) handlePinsPut(c *gin.Context) {
	var body struct {
		IDs []string `json:"ids"`
	}
	if err := readJSON(c, &body); err != nil {
		s.fail(c, err)
		return
	}
	q := c.Param("query")
	if _, err := editors.NormalQuery(q); err != nil {
		s.fail(c, err)
		return
	}
	if err := editors.CheckPins(body.IDs); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	for i, id := range body.IDs {
		if _, err := s.b.Article(ctx, id); err != nil {
			if errs.KindOf(err) == errs.NotFound {
				err = errs.Errorf(errs.Invalid, "unknown_id", "ids[%d]: no article has the id %q", i, id)
			}
			s.fail(c, err)
			return
		}
	}
	if err := s.ed.PutPins(ctx, c.GetString(adminLabelKey), q, body.IDs); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, editors.Pin{Query: search.NormalizeQuery(q), IDs: body.IDs})
}

func (s *srv) handlePinsDelete(c *gin.Context) {
	q := c.Param("query")
	if err := s.ed.DeletePins(c.Request.Context(), c.GetString(adminLabelKey), q); err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"query": search.NormalizeQuery(q), "deleted": true})
}

func (s *srv) handleAudit(c *gin.Context) {
	n, err := intParam(c, "limit", 100, 1, 1000)
	if err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.ed.Audit(c.Request.Context(), n)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"audit": a})
}

// tooLarge gives a body read that passed its limit the TooLarge kind; any
// other read error is returned as it is.
func tooLarge(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return errs.Errorf(errs.TooLarge, "body_too_large", "the request body is larger than %d bytes", mb.Limit)
	}
	return err
}
