package indexer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govbulletin/bulletin/indexer/wal"
)

// Folding the write log. Every record of the log carries a sequence number
// (Record.Seq), given in log order when it is appended and kept for good;
// a generation records the last one its build read (schema.Meta.LogSeq),
// and a server opening it replays the records with higher numbers.
//
// The log is folded (compacted) when it has doubled since it was last
// folded (and is past LiveConfig.FoldBytes): only the last record of each
// id is kept, in log order with its number. The log's meaning is unchanged
// by it: the last record of each id (an article as given, with the watched
// file it came from, or a deletion) is all that a replay, a full build or a
// watched folder reads from it. Deletions stay as tombstones: a full build
// reads the sources again, and an article deleted through the API must stay
// deleted even if a source file still holds it. So the log is bounded by
// the number of distinct ids written, not by the number of writes: at most
// twice the size of the last version of every id written (or FoldBytes).
//
// The fold is wal.Log.Rewrite: the compacted copy is written beside the
// log while writes go on, what they appended meanwhile is copied after
// it, and the copy is synced and renamed over the log. A SIGKILL at any
// moment leaves the old log or the new one, each whole; the unfinished
// copy of a fold cut short is removed when the log is next opened.
//
// Records written before sequence numbers existed have none: their number
// is their offset in the log plus one, which makes the byte offsets older
// generations recorded (schema.Meta.LogOffset) mean the same.

// DefaultFoldBytes is the size under which the write log is never folded
// (LiveConfig.FoldBytes 0).
const DefaultFoldBytes = 64 << 20

// seqPrefix starts every record with a sequence number (see stamp).
var seqPrefix = []byte(`{"seq":`)

// stamp gives a record (a JSON object as marshalled from Record, without
// its seq) its sequence number, as its first field.
func stamp(rec []byte, seq int64) []byte {
	out := make([]byte, 0, len(rec)+24)
	out = append(out, seqPrefix...)
	out = strconv.AppendInt(out, seq, 10)
	if len(rec) > 2 {
		out = append(out, ',')
	}
	return append(out, rec[1:]...)
}

// recordSeq is the sequence number of the record raw at offset off: its
// seq, else (a record written before seqs) off+1.
func recordSeq(off int64, raw []byte) int64 {
	if !bytes.HasPrefix(raw, seqPrefix) {
		return off + 1
	}
	rest := raw[len(seqPrefix):]
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	n, err := strconv.ParseInt(string(rest[:i]), 10, 64)
	if err != nil || n <= 0 {
		return off + 1
	}
	return n
}

// recordID is the id of a record, "" when it has none or is unreadable.
func recordID(raw []byte) string {
	var r struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(raw, &r) != nil {
		return ""
	}
	return r.ID
}

// logScan is what one pass over the log tells: the next sequence number to
// give and the bytes of the last record of each id (the log's live size).
type logScan struct {
	next int64
	live int64
	end  int64
}

func scanLog(path string) (*logScan, error) {
	r, err := wal.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	s := &logScan{next: 1}
	lens := map[string]int64{}
	s.end, err = r.Read(0, -1, func(off int64, raw []byte) error {
		n := recordSeq(off, raw)
		if !bytes.HasPrefix(raw, seqPrefix) {
			// A record without seq: the next number must pass the end of
			// the log, which older generations' offsets may name.
			n = off + int64(len(raw)) + 1
		}
		s.next = max(s.next, n+1)
		if id := recordID(raw); id != "" {
			lens[id] = int64(len(raw)) + 1
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, n := range lens {
		s.live += n
	}
	return s, nil
}

// folder folds the log of a Live in the background.
type folder struct {
	min  int64        // never below this size (<0: never)
	at   atomic.Int64 // fold once the log reaches this size
	kick chan struct{}
	stop chan struct{}
	wg   sync.WaitGroup
	mu   sync.Mutex // one fold at a time (the background one or Fold)
	// Folds counts the folds done.
	Folds atomic.Int64
}

// startFolder sets the first threshold from the log as opened and starts
// the background folder.
func (l *Live) startFolder(minBytes int64, s *logScan) {
	f := &l.fold
	f.min = minBytes
	if f.min == 0 {
		f.min = DefaultFoldBytes
	}
	f.kick = make(chan struct{}, 1)
	f.stop = make(chan struct{})
	if f.min < 0 {
		f.at.Store(-1)
		return
	}
	f.at.Store(max(f.min, 2*s.live))
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		for {
			select {
			case <-f.stop:
				return
			case <-f.kick:
			}
			if err := l.Fold(); err != nil {
				l.lg.Error("folding the write log failed; it is whole, and grows until the next fold", "err", err)
				// Not again before it has grown by half.
				f.at.Store(l.log.Size() + l.log.Size()/2)
			}
		}
	}()
	l.grew(s.end)
}

// grew is told the log's size after an append and starts a fold when it
// is due.
func (l *Live) grew(size int64) {
	if at := l.fold.at.Load(); at >= 0 && size >= at {
		select {
		case l.fold.kick <- struct{}{}:
		default:
		}
	}
}

// stopFolder stops the background folder (a fold in progress finishes).
func (l *Live) stopFolder() {
	if l.fold.stop == nil {
		return
	}
	select {
	case <-l.fold.stop:
	default:
		close(l.fold.stop)
	}
	l.fold.wg.Wait()
}

// Fold compacts the write log now: the last record of each id, in log
// order, then whatever is appended meanwhile. Writes go on while it runs.
func (l *Live) Fold() error {
	f := &l.fold
	f.mu.Lock()
	defer f.mu.Unlock()
	start := time.Now()
	path := filepath.Join(l.dir, LogFile)
	end := l.log.Size() // every record before it is whole and acknowledged
	r, err := wal.OpenReader(path)
	if err != nil {
		return err
	}
	defer r.Close()
	kept := 0
	before, after, err := l.log.Rewrite(end, func(add func([]byte) error) error {
		// (The copy beside the log exists from here.)
		l.lg.Info("folding the write log", "bytes", end)
		// Where the last record of each id is, then those records.
		last := map[string]int64{}
		if _, err := r.Read(0, end, func(off int64, raw []byte) error {
			if id := recordID(raw); id != "" {
				last[id] = off
			}
			return nil
		}); err != nil {
			return err
		}
		_, err := r.Read(0, end, func(off int64, raw []byte) error {
			id := recordID(raw)
			if id == "" || last[id] != off {
				return nil
			}
			kept++
			if !bytes.HasPrefix(raw, seqPrefix) {
				raw = stamp(raw, off+1) // its number, now written down
			}
			return add(raw)
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("fold the write log: %w", err)
	}
	f.Folds.Add(1)
	if f.min >= 0 {
		f.at.Store(max(f.min, 2*after))
	}
	l.lg.Info("write log folded", "bytes_before", before, "bytes_after", after, "ids", kept,
		"elapsed", time.Since(start).Round(time.Millisecond).String())
	return nil
}

// Folds is how many times the write log has been folded since it was
// opened.
func (l *Live) Folds() int64 { return l.fold.Folds.Load() }
