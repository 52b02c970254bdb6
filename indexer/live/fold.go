package live

import (
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govbulletin/bulletin/indexer/wal"
)

// Folding the write log. Every record of the log carries a sequence number
// (wal.Record.Seq); a generation records the last one its build read
// (schema.Meta.LogSeq), and a server opening it replays the records with
// higher numbers.
//
// The log is folded (compacted) when it has doubled since it was last
// folded (and is past Config.FoldBytes): only the last record of each
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

// DefaultFoldBytes is the size under which the write log is never folded
// (Config.FoldBytes 0).
const DefaultFoldBytes = 64 << 20

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
func (l *Live) startFolder(minBytes int64, s *wal.Scanned) {
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
	f.at.Store(max(f.min, 2*s.Live))
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
	l.grew(s.End)
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
	path := filepath.Join(l.dir, wal.FileName)
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
			if id := wal.RecordID(raw); id != "" {
				last[id] = off
			}
			return nil
		}); err != nil {
			return err
		}
		_, err := r.Read(0, end, func(off int64, raw []byte) error {
			id := wal.RecordID(raw)
			if id == "" || last[id] != off {
				return nil
			}
			kept++
			if !wal.Stamped(raw) {
				raw = wal.Stamp(raw, off+1) // its number, now written down
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
