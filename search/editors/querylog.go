package editors

import (
	"bufio"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govbulletin/bulletin/search"
)

// The query log keeps, for each day, the queries searched that day:
// query → searches, hits of the latest search, results opened, time of the
// latest search. Its files, in one folder:
//
//	DAY.snap        the day's summary: a header line {"upto": N}, then
//	                one line a query {"q","c","n","k","l"}
//	DAY.NNNNNN.log  the day's journal N: one line a search
//	                {"t","q","f","n","ms"} or a click {"t","q","id","r"}
//
// A record is appended to the current journal by the one writer goroutine
// and synced in batches (every second, or every 1,024 records). When a
// journal passes Options.JournalBytes, and when the day ends, the summary
// is written anew (atomically) holding journals up to N, and those
// journals are removed: the log on disk is the summaries (one line per
// distinct query a day) and at most one journal. Opening the log folds the
// journals of past days into their summaries and reads today's.
//
// Concurrency: recordSearch and recordClick may be called by any
// goroutine and never block (a full queue drops the record and counts
// it); queries may run alongside the writer (mu guards the stats).
type queryLog struct {
	dir    string
	log    *slog.Logger
	days   int
	maxQ   int
	jmax   int64
	off    bool
	ch     chan record
	stop   chan struct{}
	done   chan struct{}
	closed sync.Once

	dropped atomic.Int64

	mu    sync.RWMutex
	today string
	cur   map[string]*stat
	past  map[string]map[string]*stat // summaries of past days read, newest kept

	// the writer's own
	seq     int
	j       *os.File
	jw      *bufio.Writer
	jbytes  int64
	pending int
}

// stat is one query of one day.
type stat struct {
	Count  int64  `json:"c"`
	Total  uint64 `json:"n"`
	Clicks int64  `json:"k"`
	Last   int64  `json:"l"` // Unix milliseconds of the latest search; 0 when only clicked
}

// record is one line of a journal.
type record struct {
	T  int64               `json:"t"` // Unix milliseconds
	Q  string              `json:"q"` // normalised
	F  map[string][]string `json:"f,omitempty"`
	N  uint64              `json:"n,omitempty"`
	MS float64             `json:"ms,omitempty"`
	ID string              `json:"id,omitempty"` // a click: the article opened
	R  int                 `json:"r,omitempty"`
}

type snapHeader struct {
	Upto int `json:"upto"`
}

type snapLine struct {
	Q string `json:"q"`
	stat
}

const (
	batchRecords = 1024
	pastCached   = 16
	dayLayout    = "2006-01-02"
)

func dayOf(t time.Time) string { return t.Local().Format(dayLayout) }

func openQueryLog(dir string, opts Options, log *slog.Logger) (*queryLog, error) {
	q := &queryLog{dir: dir, log: log, days: opts.Days, maxQ: opts.MaxQueriesPerDay, jmax: opts.JournalBytes,
		stop: make(chan struct{}), done: make(chan struct{}), cur: map[string]*stat{}, past: map[string]map[string]*stat{}}
	if q.days < 0 {
		q.off = true
		close(q.done)
		return q, nil
	}
	if q.days == 0 {
		q.days = 180
	}
	if q.maxQ <= 0 {
		q.maxQ = 100000
	}
	if q.jmax <= 0 {
		q.jmax = 8 << 20
	}
	n := opts.Queue
	if n <= 0 {
		n = 4096
	}
	q.ch = make(chan record, n)
	q.today = dayOf(time.Now())
	if err := q.sweep(); err != nil {
		return nil, err
	}
	days, err := q.journalDays()
	if err != nil {
		return nil, err
	}
	for _, d := range days {
		if d == q.today {
			continue
		}
		stats, _, maxSeq, err := q.loadDay(d)
		if err != nil {
			return nil, err
		}
		if err := q.writeSnap(d, stats, maxSeq); err != nil {
			return nil, err
		}
	}
	stats, _, maxSeq, err := q.loadDay(q.today)
	if err != nil {
		return nil, err
	}
	q.cur, q.seq = stats, maxSeq+1
	if err := q.openJournal(); err != nil {
		return nil, err
	}
	go q.run()
	return q, nil
}

func (q *queryLog) send(r record) {
	if q.off {
		return
	}
	select {
	case <-q.stop:
	case q.ch <- r:
	default:
		q.dropped.Add(1)
	}
}

func (q *queryLog) recordSearch(s Search) {
	n := search.NormalizeQuery(s.Query)
	if n == "" {
		return
	}
	var f map[string][]string
	for k, v := range s.Filters {
		if len(v) > 0 {
			if f == nil {
				f = map[string][]string{}
			}
			f[k] = v
		}
	}
	q.send(record{T: s.Time.UnixMilli(), Q: n, F: f, N: s.Total, MS: s.TookMS})
}

func (q *queryLog) recordClick(c Click) {
	n := search.NormalizeQuery(c.Query)
	if n == "" || c.ID == "" {
		return
	}
	q.send(record{T: c.Time.UnixMilli(), Q: n, ID: c.ID, R: max(c.Rank, 1)})
}

// close writes what is queued, folds today's journal into its summary and
// stops the writer.
func (q *queryLog) close() error {
	q.closed.Do(func() {
		if !q.off {
			close(q.stop)
		}
	})
	<-q.done
	return nil
}

func (q *queryLog) run() {
	defer close(q.done)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case r := <-q.ch:
			q.write(r)
		case now := <-tick.C:
			q.sync()
			q.turn(now)
		case <-q.stop:
			for {
				select {
				case r := <-q.ch:
					q.write(r)
				default:
					q.fold(false)
					return
				}
			}
		}
	}
}

// add counts r in stats; it reports false when r is a new query of a full
// day.
func add(stats map[string]*stat, r record, maxQ int) bool {
	st := stats[r.Q]
	if st == nil {
		if maxQ > 0 && len(stats) >= maxQ {
			return false
		}
		st = &stat{}
		stats[r.Q] = st
	}
	if r.ID != "" {
		st.Clicks++
		return true
	}
	st.Count++
	if r.T >= st.Last {
		st.Last, st.Total = r.T, r.N
	}
	return true
}

// write counts r in today's stats and appends it to the journal.
func (q *queryLog) write(r record) {
	q.turn(time.UnixMilli(r.T))
	q.mu.Lock()
	ok := add(q.cur, r, q.maxQ)
	q.mu.Unlock()
	if !ok {
		q.dropped.Add(1)
		return
	}
	line, err := json.Marshal(r)
	if err != nil || q.jw == nil {
		return
	}
	line = append(line, '\n')
	if _, err := q.jw.Write(line); err != nil {
		q.log.Warn("query log: writing the journal failed", "err", err)
		return
	}
	q.jbytes += int64(len(line))
	if q.pending++; q.pending >= batchRecords {
		q.sync()
	}
	if q.jbytes >= q.jmax {
		q.fold(true)
	}
}

// sync writes the records buffered and syncs the journal.
func (q *queryLog) sync() {
	if q.pending == 0 || q.jw == nil {
		return
	}
	q.pending = 0
	err := q.jw.Flush()
	if err == nil {
		err = q.j.Sync()
	}
	if err != nil {
		q.log.Warn("query log: syncing the journal failed", "file", q.j.Name(), "err", err)
	}
}

// fold writes today's summary, holding the journals up to the current
// one, and removes them; reopen starts the next journal.
func (q *queryLog) fold(reopen bool) {
	q.sync()
	q.mu.RLock()
	err := q.writeSnap(q.today, q.cur, q.seq)
	q.mu.RUnlock()
	if err != nil {
		q.log.Warn("query log: writing the day's summary failed; the journal is kept", "day", q.today, "err", err)
		return
	}
	if q.j != nil {
		q.j.Close()
		os.Remove(q.j.Name())
		q.j, q.jw = nil, nil
	}
	q.seq++
	if reopen {
		if err := q.openJournal(); err != nil {
			q.log.Warn("query log: opening a journal failed", "err", err)
		}
	}
}

// turn starts a new day when now is on a later day than today.
func (q *queryLog) turn(now time.Time) {
	d := dayOf(now)
	if d <= q.today {
		return
	}
	q.fold(false)
	q.mu.Lock()
	q.past[q.today] = q.cur
	q.cur, q.today = map[string]*stat{}, d
	q.trimPast()
	q.mu.Unlock()
	q.seq, q.jbytes = 1, 0
	if err := q.openJournal(); err != nil {
		q.log.Warn("query log: opening a journal failed", "err", err)
	}
	if err := q.sweep(); err != nil {
		q.log.Warn("query log: removing days past retention failed", "err", err)
	}
}

func (q *queryLog) openJournal() error {
	f, err := os.OpenFile(filepath.Join(q.dir, fmt.Sprintf("%s.%06d.log", q.today, q.seq)), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("query log: %w", err)
	}
	q.j, q.jw, q.jbytes = f, bufio.NewWriterSize(f, 64<<10), 0
	return syncDir(q.dir)
}

// trimPast keeps the newest pastCached summaries read. q.mu is held.
func (q *queryLog) trimPast() {
	for len(q.past) > pastCached {
		oldest := ""
		for d := range q.past {
			if oldest == "" || d < oldest {
				oldest = d
			}
		}
		delete(q.past, oldest)
	}
}

// eachDay calls fn with the stats of each of the last days days, today
// first; fn must not keep them. Today's are read under q.mu.
func (q *queryLog) eachDay(days int, fn func(day string, stats map[string]*stat)) error {
	now := time.Now()
	for i := 0; i < min(days, q.days); i++ {
		d := dayOf(now.AddDate(0, 0, -i))
		q.mu.RLock()
		today := q.today
		stats, ok := q.past[d]
		if d == today {
			stats, ok = q.cur, true
		}
		if ok {
			fn(d, stats)
		}
		q.mu.RUnlock()
		if ok || d > today {
			continue
		}
		stats, _, _, err := q.loadDay(d)
		if err != nil {
			return err
		}
		q.mu.Lock()
		q.past[d] = stats
		q.trimPast()
		q.mu.Unlock()
		fn(d, stats)
	}
	return nil
}

// daily sums each of the last days days, today first.
func (q *queryLog) daily(days int) ([]DayStat, error) {
	out := []DayStat{}
	if q.off {
		return out, nil
	}
	err := q.eachDay(days, func(day string, stats map[string]*stat) {
		ds := DayStat{Day: day}
		for _, st := range stats {
			if st.Count > 0 {
				ds.Queries++
			}
			ds.Searches += st.Count
			ds.Clicks += st.Clicks
			if st.Total == 0 {
				ds.Zero += st.Count
			}
		}
		out = append(out, ds)
	})
	return out, err
}

// queries merges the stats of the last f.Days days.
func (q *queryLog) queries(f QueryFilter) ([]QueryStat, error) {
	if q.off {
		return []QueryStat{}, nil
	}
	days := f.Days
	if days <= 0 {
		days = 7
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	merged := map[string]*stat{}
	err := q.eachDay(days, func(_ string, stats map[string]*stat) {
		for qs, st := range stats {
			m := merged[qs]
			if m == nil {
				m = &stat{}
				merged[qs] = m
			}
			m.Count += st.Count
			m.Clicks += st.Clicks
			if st.Last >= m.Last {
				m.Last, m.Total = st.Last, st.Total
			}
		}
	})
	if err != nil {
		return nil, err
	}
	out := []QueryStat{}
	for qs, m := range merged {
		if m.Count == 0 || (f.Zero && m.Total > 0) || (f.NoClick && m.Clicks > 0) {
			continue
		}
		out = append(out, QueryStat{Query: qs, Count: m.Count, Total: m.Total, Clicks: m.Clicks, Last: time.UnixMilli(m.Last).UTC()})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if !a.Last.Equal(b.Last) {
			return a.Last.After(b.Last)
		}
		return a.Query < b.Query
	})
	return out[:min(limit, len(out))], nil
}
