package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/editors"
)

const (
	// maxEventBytes caps the body of an event (413 beyond).
	maxEventBytes = 4 << 10
	// eventRate and eventBurst are how many events one client address may
	// send: eventBurst at once, then eventRate a second.
	eventRate  = 5
	eventBurst = 20
	// maxClients caps the addresses the event limiter remembers.
	maxClients = 10000
)

// limiter is a token bucket per client address, in memory only: the
// addresses are never stored nor logged, and one idle for a minute is
// forgotten.
//
// Concurrency: allow is safe for concurrent use.
type limiter struct {
	mu      sync.Mutex
	clients map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter() *limiter { return &limiter{clients: map[string]*bucket{}} }

// allow takes a token of addr's bucket; false when there is none (or when
// too many addresses are active at once to remember another).
func (l *limiter) allow(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.clients[addr]
	if b == nil {
		if len(l.clients) >= maxClients && now.Sub(l.swept) > time.Second {
			l.swept = now
			for a, c := range l.clients {
				if now.Sub(c.at) > time.Minute {
					delete(l.clients, a)
				}
			}
		}
		if len(l.clients) >= maxClients {
			return false
		}
		b = &bucket{tokens: eventBurst, at: now}
		l.clients[addr] = b
	}
	b.tokens = min(eventBurst, b.tokens+now.Sub(b.at).Seconds()*eventRate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// event is the body of POST /api/events: a result opened.
type event struct {
	Query string `json:"query"`
	ID    string `json:"id"`
	Rank  int    `json:"rank"`
}

// handleEvent counts a result opened as a click of its query. No key; the
// body is small, the rate per client address bounded.
func (s *srv) handleEvent(c *gin.Context) {
	if c.Request.ContentLength > maxEventBytes {
		s.fail(c, errs.Errorf(errs.TooLarge, "body_too_large", "an event is at most %d bytes", maxEventBytes))
		return
	}
	if !s.events.allow(c.ClientIP(), time.Now()) {
		c.Header("Retry-After", "1")
		s.fail(c, errs.Errorf(errs.TooMany, "too_many_events", "too many events from this client; retry shortly"))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxEventBytes))
	if err != nil {
		s.fail(c, tooLarge(err))
		return
	}
	var e event
	if err := json.Unmarshal(body, &e); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			s.fail(c, errs.Errorf(errs.Invalid, "invalid_event", "event field %s has the wrong type", te.Field))
			return
		}
		s.fail(c, errs.Errorf(errs.Invalid, "invalid_event", "an event is a JSON object {\"query\", \"id\", \"rank\"}"))
		return
	}
	switch {
	case search.NormalizeQuery(e.Query) == "":
		err = errs.Errorf(errs.Invalid, "invalid_event", "event field query is empty")
	case len([]rune(e.Query)) > search.MaxQueryRunes:
		err = errs.Errorf(errs.Invalid, "invalid_event", "event field query is longer than %d characters", search.MaxQueryRunes)
	case e.ID == "" || len(e.ID) > editors.MaxIDBytes:
		err = errs.Errorf(errs.Invalid, "invalid_event", "event field id must be 1 to %d bytes", editors.MaxIDBytes)
	case e.Rank < 1 || e.Rank > search.MaxWindow:
		err = errs.Errorf(errs.Invalid, "invalid_event", "event field rank must be from 1 to %d", search.MaxWindow)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if s.ed == nil {
		c.JSON(http.StatusAccepted, gin.H{"recorded": false})
		return
	}
	s.ed.RecordClick(editors.Click{Time: time.Now(), Query: e.Query, ID: e.ID, Rank: e.Rank})
	c.JSON(http.StatusAccepted, gin.H{"recorded": true})
}
