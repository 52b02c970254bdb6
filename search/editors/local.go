package editors

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govbulletin/bulletin/internal/errs"
	"github.com/govbulletin/bulletin/search"
)

// Options configure a Local store. The zero value is valid.
type Options struct {
	Logger *slog.Logger
	// Days is how many days the query log keeps; 0 means 180. Negative
	// turns the log off: searches and clicks are not recorded.
	Days int
	// Queue is how many searches and clicks may wait for the log's writer;
	// beyond it they are dropped and counted (Dropped). 0 means 4096.
	Queue int
	// MaxQueriesPerDay caps the distinct queries one day keeps; a query
	// new on a full day is dropped and counted. 0 means 100,000.
	MaxQueriesPerDay int
	// JournalBytes is the size at which a day's journal is folded into its
	// summary; 0 means 8 MB.
	JournalBytes int64
}

const (
	stateFile   = "state.json"
	auditFile   = "audit.jsonl"
	queriesDir  = "queries"
	auditMemory = 10000 // audit entries kept in memory for reading
)

// Local keeps the editors' state in a folder: the changes in state.json
// (replaced whole, atomically, before a change is answered), the audit
// trail in audit.jsonl (appended and synced before a change is answered),
// and the query log under queries/ (querylog.go).
//
// Concurrency: all methods are safe for concurrent use. RecordSearch and
// RecordClick never block: they hand the record to one writer goroutine.
// Changes are serialised.
type Local struct {
	dir  string
	log  *slog.Logger
	pl   Planner
	base *search.Synonyms // the synonyms the planner had before any group of the store

	mu    sync.Mutex // serialises changes; guards st and audit
	st    state
	audit []AuditEntry

	ql *queryLog

	hotMu  sync.Mutex
	hotAt  time.Time
	hotAll []string // the hot queries, blocked ones left out, at hotAt

	blocked atomic.Pointer[map[string]bool]
}

// state is what editors changed, as stored in state.json.
type state struct {
	Synonyms map[string][]string `json:"synonyms"`
	Pins     map[string][]string `json:"pins"`
	Blocked  []string            `json:"blocked"`
}

// Open opens (or creates) the store in dir and applies its synonyms and
// pins to pl.
func Open(dir string, pl Planner, opts Options) (*Local, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := os.MkdirAll(filepath.Join(dir, queriesDir), 0o755); err != nil {
		return nil, fmt.Errorf("editors: %w", err)
	}
	// A state half-written by a crash is a temporary file: the change it
	// held was not answered.
	if tmps, err := filepath.Glob(filepath.Join(dir, "."+stateFile+".*")); err == nil {
		for _, t := range tmps {
			os.Remove(t)
		}
	}
	l := &Local{dir: dir, log: log, pl: pl, base: pl.Synonyms()}
	st, err := readState(dir)
	if err != nil {
		return nil, err
	}
	l.st = st
	if err := l.loadAudit(); err != nil {
		return nil, err
	}
	l.apply()
	ql, err := openQueryLog(filepath.Join(dir, queriesDir), opts, log)
	if err != nil {
		return nil, err
	}
	l.ql = ql
	return l, nil
}

// Close writes what the query log holds and stops its writer.
func (l *Local) Close() error { return l.ql.close() }

// RecordSearch logs a search with a non-empty query; it never blocks.
func (l *Local) RecordSearch(s Search) { l.ql.recordSearch(s) }

// RecordClick counts a result opened; it never blocks.
func (l *Local) RecordClick(c Click) { l.ql.recordClick(c) }

// Dropped is how many searches and clicks the log dropped: its writer was
// behind, or the day held its most queries.
func (l *Local) Dropped() int64 { return l.ql.dropped.Load() }

// Queries lists the queries of the last days, most frequent first.
func (l *Local) Queries(ctx context.Context, f QueryFilter) ([]QueryStat, error) {
	return l.ql.queries(f)
}

// Daily sums each of the last days days, today first.
func (l *Local) Daily(ctx context.Context, days int) ([]DayStat, error) {
	return l.ql.daily(days)
}

// hotTTL is how long a list of hot queries is served before it is
// computed again.
const hotTTL = 5 * time.Second

// Hot returns up to n of the most frequent queries of the last 7 days
// that found something and are not blocked.
func (l *Local) Hot(ctx context.Context, n int) ([]string, error) {
	l.hotMu.Lock()
	defer l.hotMu.Unlock()
	if l.hotAll == nil || time.Since(l.hotAt) > hotTTL {
		stats, err := l.ql.queries(QueryFilter{Days: 7, Limit: 1000})
		if err != nil {
			return nil, err
		}
		blocked := *l.blocked.Load()
		all := []string{}
		for _, s := range stats {
			if s.Total > 0 && !blocked[s.Query] {
				all = append(all, s.Query)
			}
		}
		l.hotAll, l.hotAt = all, time.Now()
	}
	return slices.Clone(l.hotAll[:min(n, len(l.hotAll))]), nil
}

// Blocked lists the blocked hot queries.
func (l *Local) Blocked(ctx context.Context) ([]string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string{}, l.st.Blocked...), nil
}

// SetBlocked blocks query from the hot queries (on) or lets it back.
func (l *Local) SetBlocked(ctx context.Context, key, query string, on bool) error {
	q, err := NormalQuery(query)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	was := slices.Contains(l.st.Blocked, q)
	if was == on {
		return nil // nothing changes, nothing to audit
	}
	next := l.st.clone()
	action := "hot.block"
	if on {
		next.Blocked = append(next.Blocked, q)
		sort.Strings(next.Blocked)
	} else {
		action = "hot.unblock"
		next.Blocked = slices.DeleteFunc(next.Blocked, func(s string) bool { return s == q })
	}
	return l.change(next, AuditEntry{Key: key, Action: action, Target: q, Before: rawJSON(was), After: rawJSON(on)})
}

// Synonyms lists the synonym groups editors set, by name.
func (l *Local) Synonyms(ctx context.Context) ([]SynonymGroup, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []SynonymGroup{}
	for _, name := range sortedKeys(l.st.Synonyms) {
		out = append(out, SynonymGroup{Name: name, Words: slices.Clone(l.st.Synonyms[name])})
	}
	return out, nil
}

// PutSynonyms creates or replaces the synonym group name.
func (l *Local) PutSynonyms(ctx context.Context, key, name string, words []string) error {
	if err := checkText("name", name, MaxNameRunes); err != nil {
		return err
	}
	if len(words) < 2 || len(words) > MaxGroupWords {
		return errs.Errorf(errs.Invalid, "invalid_words", "words: a synonym group holds 2 to %d words, not %d", MaxGroupWords, len(words))
	}
	seen := map[string]bool{}
	for i, w := range words {
		if err := checkText(fmt.Sprintf("words[%d]", i), w, MaxWordRunes); err != nil {
			return err
		}
		n := search.NormalizeQuery(w)
		if n == "" {
			return errs.Errorf(errs.Invalid, "invalid_words", "words[%d] is empty", i)
		}
		if seen[n] {
			return errs.Errorf(errs.Invalid, "invalid_words", "words[%d] %q is given twice", i, w)
		}
		seen[n] = true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	before, had := l.st.Synonyms[name]
	next := l.st.clone()
	next.Synonyms[name] = slices.Clone(words)
	e := AuditEntry{Key: key, Action: "synonyms.put", Target: name, Before: rawJSON(nil), After: rawJSON(words)}
	if had {
		e.Before = rawJSON(before)
	}
	return l.change(next, e)
}

// DeleteSynonyms removes the synonym group name; NotFound when there is none.
func (l *Local) DeleteSynonyms(ctx context.Context, key, name string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	before, had := l.st.Synonyms[name]
	if !had {
		return errs.Errorf(errs.NotFound, "not_found", "no synonym group is named %q", name)
	}
	next := l.st.clone()
	delete(next.Synonyms, name)
	return l.change(next, AuditEntry{Key: key, Action: "synonyms.delete", Target: name, Before: rawJSON(before), After: rawJSON(nil)})
}

// Pins lists the pins, by query.
func (l *Local) Pins(ctx context.Context) ([]Pin, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []Pin{}
	for _, q := range sortedKeys(l.st.Pins) {
		out = append(out, Pin{Query: q, IDs: slices.Clone(l.st.Pins[q])})
	}
	return out, nil
}

// CheckPins checks the form of the ids of a pin (not whether the articles
// exist: the caller asks the index).
func CheckPins(ids []string) error {
	if len(ids) == 0 || len(ids) > search.MaxPins {
		return errs.Errorf(errs.Invalid, "invalid_ids", "ids: a pin lists 1 to %d articles, not %d", search.MaxPins, len(ids))
	}
	seen := map[string]bool{}
	for i, id := range ids {
		if id == "" || len(id) > MaxIDBytes {
			return errs.Errorf(errs.Invalid, "invalid_ids", "ids[%d] must be 1 to %d bytes", i, MaxIDBytes)
		}
		if seen[id] {
			return errs.Errorf(errs.Invalid, "invalid_ids", "ids[%d] %q is given twice", i, id)
		}
		seen[id] = true
	}
	return nil
}

// PutPins places the articles ids first for query, in that order.
func (l *Local) PutPins(ctx context.Context, key, query string, ids []string) error {
	q, err := NormalQuery(query)
	if err != nil {
		return err
	}
	if err := CheckPins(ids); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	before, had := l.st.Pins[q]
	next := l.st.clone()
	next.Pins[q] = slices.Clone(ids)
	e := AuditEntry{Key: key, Action: "pins.put", Target: q, Before: rawJSON(nil), After: rawJSON(ids)}
	if had {
		e.Before = rawJSON(before)
	}
	return l.change(next, e)
}

// DeletePins removes the pin of query; NotFound when there is none.
func (l *Local) DeletePins(ctx context.Context, key, query string) error {
	q, err := NormalQuery(query)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	before, had := l.st.Pins[q]
	if !had {
		return errs.Errorf(errs.NotFound, "not_found", "no pin for the query %q", q)
	}
	next := l.st.clone()
	delete(next.Pins, q)
	return l.change(next, AuditEntry{Key: key, Action: "pins.delete", Target: q, Before: rawJSON(before), After: rawJSON(nil)})
}

// Audit returns up to limit of the latest changes, newest first.
func (l *Local) Audit(ctx context.Context, limit int) ([]AuditEntry, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]AuditEntry, 0, min(limit, len(l.audit)))
	for i := len(l.audit) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, l.audit[i])
	}
	return out, nil
}

// change makes next the state: stored (state.json replaced atomically),
// audited (appended and synced), then in effect. l.mu is held.
func (l *Local) change(next state, e AuditEntry) error {
	raw, err := json.MarshalIndent(next, "", "  ")
	if err != nil {
		return fmt.Errorf("editors: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(l.dir, stateFile), raw); err != nil {
		return fmt.Errorf("editors: storing the change: %w", err)
	}
	l.st = next
	l.apply()
	e.Time = time.Now().UTC()
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("editors: %w", err)
	}
	if err := appendSynced(filepath.Join(l.dir, auditFile), append(line, '\n')); err != nil {
		return fmt.Errorf("editors: recording the change in the audit trail: %w", err)
	}
	l.audit = append(l.audit, e)
	if len(l.audit) > auditMemory {
		l.audit = slices.Clone(l.audit[len(l.audit)-auditMemory:])
	}
	return nil
}

// apply puts the state in effect: the planner's synonyms and pins, and
// the blocked queries of Hot. l.mu is held (or l is not shared yet).
func (l *Local) apply() {
	if l.st.Synonyms == nil {
		l.st.Synonyms = map[string][]string{}
	}
	if l.st.Pins == nil {
		l.st.Pins = map[string][]string{}
	}
	l.st.applyTo(l.pl, l.base)
	blocked := make(map[string]bool, len(l.st.Blocked))
	for _, q := range l.st.Blocked {
		blocked[q] = true
	}
	l.blocked.Store(&blocked)
	l.hotMu.Lock()
	l.hotAll = nil
	l.hotMu.Unlock()
}

// applyTo puts the synonyms (joined to base) and the pins of s in effect in pl.
func (s state) applyTo(pl Planner, base *search.Synonyms) {
	var groups [][]string
	for _, name := range sortedKeys(s.Synonyms) {
		groups = append(groups, s.Synonyms[name])
	}
	pl.SetSynonyms(base.With(groups))
	pl.SetPins(s.Pins)
}

// readState reads dir's state.json; none is an empty state.
func readState(dir string) (state, error) {
	var st state
	path := filepath.Join(dir, stateFile)
	raw, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return st, fmt.Errorf("editors: %w", err)
	default:
		if err := json.Unmarshal(raw, &st); err != nil {
			return st, fmt.Errorf("editors: %s: %w", path, err)
		}
	}
	return st, nil
}

// Apply puts the synonyms and pins that editors set in the store in dir in
// effect in pl, reading only: for a search run outside the server (the
// command line), which answers as the server does. A folder without a
// store changes nothing.
func Apply(dir string, pl Planner) error {
	st, err := readState(dir)
	if err != nil {
		return err
	}
	st.applyTo(pl, pl.Synonyms())
	return nil
}

func (s state) clone() state {
	c := state{Synonyms: make(map[string][]string, len(s.Synonyms)), Pins: make(map[string][]string, len(s.Pins)),
		Blocked: slices.Clone(s.Blocked)}
	for k, v := range s.Synonyms {
		c.Synonyms[k] = v
	}
	for k, v := range s.Pins {
		c.Pins[k] = v
	}
	return c
}

// loadAudit reads the audit trail's latest entries. A torn last line (a
// crash while appending an unanswered change) is left out.
func (l *Local) loadAudit() error {
	f, err := os.Open(filepath.Join(l.dir, auditFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("editors: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e AuditEntry
		if err := json.Unmarshal(line, &e); err != nil {
			l.log.Warn("audit trail: a line that does not parse is left out", "file", f.Name(), "line", n, "err", err)
			continue
		}
		l.audit = append(l.audit, e)
		if len(l.audit) > 2*auditMemory {
			l.audit = slices.Clone(l.audit[auditMemory:])
		}
	}
	if len(l.audit) > auditMemory {
		l.audit = slices.Clone(l.audit[len(l.audit)-auditMemory:])
	}
	return sc.Err()
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
