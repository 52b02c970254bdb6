// Package editors keeps what the people who run a search site see and
// change without a rebuild: the query log (what was searched, what found
// nothing, which results were opened), the hot queries, and the editors'
// changes (blocked hot words, synonyms, pinned results) with their audit
// trail.
//
// Local keeps all of it in a folder on the machine that serves. The server
// depends on the Store interface of search/server, so that a store shared
// by several servers (kept in a cluster) can stand in for it.
package editors

import (
	"encoding/json"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/search"
)

// Search is one search with a non-empty query, as the log records it:
// never who asked.
type Search struct {
	Time    time.Time
	Query   string              // as typed; the log normalises it
	Filters map[string][]string // the facet and date filters given
	Total   uint64
	TookMS  float64
}

// Click is one result opened from the results of a query.
type Click struct {
	Time  time.Time
	Query string // as typed; the log normalises it
	ID    string
	Rank  int // 1 for the first hit
}

// QueryStat is what the log knows of one normalised query over some days.
type QueryStat struct {
	Query  string    `json:"query"`
	Count  int64     `json:"count"`  // searches
	Total  uint64    `json:"total"`  // hits of the latest search
	Clicks int64     `json:"clicks"` // results opened
	Last   time.Time `json:"last"`   // the latest search
}

// DayStat sums one day of the query log.
type DayStat struct {
	Day      string `json:"day"`      // YYYY-MM-DD, the server's local time
	Searches int64  `json:"searches"` // searches with a query
	Queries  int    `json:"queries"`  // distinct queries searched
	Zero     int64  `json:"zero"`     // searches of queries whose latest search found nothing
	Clicks   int64  `json:"clicks"`   // results opened
}

// QueryFilter selects the queries listed.
type QueryFilter struct {
	Days    int  // the last Days days, today included
	Zero    bool // only queries whose latest search found nothing
	NoClick bool // only queries whose results nobody opened
	Limit   int
}

// AuditEntry is one change made by an editor.
type AuditEntry struct {
	Time   time.Time       `json:"time"`
	Key    string          `json:"key"`    // the label of the key used, never the key
	Action string          `json:"action"` // e.g. synonyms.put, pins.delete, hot.block
	Target string          `json:"target"` // the synonym group's name, the query
	Before json.RawMessage `json:"before"` // null when there was nothing
	After  json.RawMessage `json:"after"`  // null when nothing is left
}

// SynonymGroup is one named group of equivalent words.
type SynonymGroup struct {
	Name  string   `json:"name"`
	Words []string `json:"words"`
}

// Pin is the articles placed first for one normalised query.
type Pin struct {
	Query string   `json:"query"`
	IDs   []string `json:"ids"`
}

// Limits of what an editor may set.
const (
	MaxWordRunes  = 64  // a synonym word
	MaxNameRunes  = 64  // a synonym group's name
	MaxGroupWords = 32  // words of one synonym group
	MaxIDBytes    = 512 // an article id
)

// Planner is what the store changes in the query side: the synonyms and
// the pins in effect (search.Planner).
type Planner interface {
	Synonyms() *search.Synonyms
	SetSynonyms(*search.Synonyms)
	SetPins(map[string][]string)
}

// checkText refuses an empty text, one longer than max runes, and one
// holding invalid UTF-8 or control characters; field names it.
func checkText(field, s string, max int) error {
	if s == "" {
		return errs.Errorf(errs.Invalid, "invalid_"+field, "%s is empty", field)
	}
	if !utf8.ValidString(s) {
		return errs.Errorf(errs.Invalid, "invalid_"+field, "%s is not valid UTF-8", field)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return errs.Errorf(errs.Invalid, "invalid_"+field, "%s is %d characters long; at most %d", field, n, max)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return errs.Errorf(errs.Invalid, "invalid_"+field, "%s holds a control character (%U)", field, r)
		}
	}
	return nil
}

// NormalQuery checks a query an editor names (to pin or block it) and
// returns its normalised form.
func NormalQuery(q string) (string, error) {
	if err := checkText("query", q, search.MaxQueryRunes); err != nil {
		return "", err
	}
	n := search.NormalizeQuery(q)
	if n == "" {
		return "", errs.Errorf(errs.Invalid, "invalid_query", "query is empty")
	}
	return n, nil
}

func rawJSON(v any) json.RawMessage {
	if v == nil {
		return json.RawMessage("null")
	}
	b, err := json.Marshal(v)
	if err != nil { // slices and maps of strings always marshal
		panic(err)
	}
	return b
}
