package editors

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The files of the query log's days: their names, reading a day back from
// its summary and journals, writing its summary, and the retention.

// cutoff is the first day kept.
func (q *queryLog) cutoff() string {
	return dayOf(time.Now().AddDate(0, 0, -(q.days - 1)))
}

// sweep removes the files of days before the retention, and summaries
// left half-written by a crash (temporary files: the writer calls sweep
// between its writes).
func (q *queryLog) sweep() error {
	entries, err := os.ReadDir(q.dir)
	if err != nil {
		return fmt.Errorf("query log: %w", err)
	}
	cut := q.cutoff()
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") && strings.Contains(name, ".snap.") {
			os.Remove(filepath.Join(q.dir, name))
			continue
		}
		if len(name) < len(dayLayout) || name[:len(dayLayout)] >= cut {
			continue
		}
		if _, err := time.Parse(dayLayout, name[:len(dayLayout)]); err != nil {
			continue
		}
		if err := os.Remove(filepath.Join(q.dir, name)); err != nil {
			return fmt.Errorf("query log: %w", err)
		}
	}
	q.mu.Lock()
	for d := range q.past {
		if d < cut {
			delete(q.past, d)
		}
	}
	q.mu.Unlock()
	return nil
}

// journals returns the sequence numbers of day's journals, ascending.
func (q *queryLog) journals(day string) ([]int, error) {
	matches, err := filepath.Glob(filepath.Join(q.dir, day+".*.log"))
	if err != nil {
		return nil, err
	}
	var seqs []int
	for _, m := range matches {
		s := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(m), day+"."), ".log")
		if n, err := strconv.Atoi(s); err == nil {
			seqs = append(seqs, n)
		}
	}
	sort.Ints(seqs)
	return seqs, nil
}

// journalDays lists the days that have journals.
func (q *queryLog) journalDays() ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(q.dir, "*.log"))
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var days []string
	for _, m := range matches {
		b := filepath.Base(m)
		if len(b) > len(dayLayout) && !seen[b[:len(dayLayout)]] {
			seen[b[:len(dayLayout)]] = true
			days = append(days, b[:len(dayLayout)])
		}
	}
	sort.Strings(days)
	return days, nil
}

// loadDay reads day's summary and the journals after it. A line that does
// not parse (a journal's torn last line after a crash) is left out.
func (q *queryLog) loadDay(day string) (stats map[string]*stat, upto, maxSeq int, err error) {
	stats = map[string]*stat{}
	path := filepath.Join(q.dir, day+".snap")
	raw, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, 0, 0, fmt.Errorf("query log: %w", err)
	default:
		first := true
		q.lines(path, raw, func(line []byte) error {
			if first {
				first = false
				var h snapHeader
				err := json.Unmarshal(line, &h)
				upto = h.Upto
				return err
			}
			var s snapLine
			if err := json.Unmarshal(line, &s); err != nil {
				return err
			}
			st := s.stat
			stats[s.Q] = &st
			return nil
		})
	}
	seqs, err := q.journals(day)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("query log: %w", err)
	}
	maxSeq = upto
	for _, n := range seqs {
		jpath := filepath.Join(q.dir, fmt.Sprintf("%s.%06d.log", day, n))
		if n <= upto { // folded already: a crash came between the summary and the removal
			os.Remove(jpath)
			continue
		}
		maxSeq = max(maxSeq, n)
		raw, err := os.ReadFile(jpath)
		if err != nil {
			return nil, 0, 0, fmt.Errorf("query log: %w", err)
		}
		q.lines(jpath, raw, func(line []byte) error {
			var r record
			if err := json.Unmarshal(line, &r); err != nil {
				return err
			}
			add(stats, r, 0)
			return nil
		})
	}
	return stats, upto, maxSeq, nil
}

// lines calls fn on each non-empty line of raw, logging the lines it refuses.
func (q *queryLog) lines(path string, raw []byte, fn func([]byte) error) {
	for n := 1; len(raw) > 0; n++ {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if err := fn(line); err != nil {
			q.log.Warn("query log: a line that does not parse is left out", "file", path, "line", n, "err", err)
		}
	}
}

// writeSnap writes day's summary holding the journals up to upto, then
// removes those journals. The caller holds q.mu for reading, or stats is
// not shared.
func (q *queryLog) writeSnap(day string, stats map[string]*stat, upto int) error {
	var b bytes.Buffer
	h, _ := json.Marshal(snapHeader{Upto: upto})
	b.Write(h)
	b.WriteByte('\n')
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for qs, st := range stats {
		if err := enc.Encode(snapLine{Q: qs, stat: *st}); err != nil {
			return err
		}
	}
	if err := writeFileAtomic(filepath.Join(q.dir, day+".snap"), b.Bytes()); err != nil {
		return err
	}
	seqs, err := q.journals(day)
	if err != nil {
		return err
	}
	for _, n := range seqs {
		if n <= upto && !(day == q.today && n == q.seq && q.j != nil) {
			os.Remove(filepath.Join(q.dir, fmt.Sprintf("%s.%06d.log", day, n)))
		}
	}
	return nil
}
