// Package wal is a write-ahead log: an append-only file of records, one
// JSON object a line, each Append synced to disk before it returns. A crash
// can leave a torn last line (a write that was never acknowledged); Open
// cuts it off, and readers stop before it.
//
// One process at a time holds a log open for appending (an exclusive flock
// on the file; Open fails with ErrHeld otherwise). That process may also
// rewrite the log (Rewrite: a compacted copy written beside it, synced, and
// renamed over it), so a log's size can be bounded.
//
// Concurrency: a Log is safe for concurrent use; Appends are serialised.
// Any number of readers (Read, OpenReader, also from other processes) may
// read the file while one process appends or rewrites it: a reader keeps
// the file it opened, which a rewrite leaves whole.
package wal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
)

// ErrHeld is returned by Open when another process holds the log.
var ErrHeld = errors.New("the write log is held open by another process (a server with --write-keys or --watch on this index)")

// foldSuffix names the compacted copy that Rewrite writes beside the log;
// a copy left by a crash is removed by Open.
const foldSuffix = ".fold"

// Log is an open log, appended to by one process.
type Log struct {
	mu   sync.Mutex
	f    *os.File
	size int64
	path string
}

// Open opens (or creates) the log at path for appending. A torn or
// malformed tail is cut off at the end of the last good record.
func Open(path string) (*Log, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("log: %w", err)
	}
	if err := lock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("log %s: %w", path, err)
	}
	// A compacted copy that a crash left unfinished (never renamed over
	// the log): the log is whole without it.
	if err := os.Remove(path + foldSuffix); err != nil && !errors.Is(err, os.ErrNotExist) {
		f.Close()
		return nil, fmt.Errorf("log %s: %w", path, err)
	}
	good, err := scan(f, 0, -1, nil)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("log %s: %w", path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if st.Size() != good {
		if err := f.Truncate(good); err != nil {
			f.Close()
			return nil, fmt.Errorf("log %s: cut torn tail: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, err
		}
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	if err := syncDir(path); err != nil {
		f.Close()
		return nil, err
	}
	return &Log{f: f, size: good, path: path}, nil
}

// Append writes records (each a JSON object without newlines) and syncs
// them. It returns the log's size after them. On error nothing of the call
// is counted as written: the log is cut back to its size before it.
func (l *Log) Append(recs ...[]byte) (int64, error) {
	var buf bytes.Buffer
	for _, r := range recs {
		if bytes.IndexByte(r, '\n') >= 0 || !json.Valid(r) {
			return 0, errors.New("log: a record must be one line of JSON")
		}
		buf.Write(r)
		buf.WriteByte('\n')
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return 0, errors.New("log: closed")
	}
	if _, err := l.f.Write(buf.Bytes()); err != nil {
		l.f.Truncate(l.size)
		l.f.Seek(l.size, io.SeekStart)
		return 0, fmt.Errorf("log: write: %w", err)
	}
	if err := l.f.Sync(); err != nil {
		// The state of the file after a failed fsync is unknown: refuse
		// further writes rather than acknowledge on top of it.
		l.f.Close()
		l.f = nil
		return 0, fmt.Errorf("log: sync: %w", err)
	}
	l.size += int64(buf.Len())
	return l.size, nil
}

// Size is the log's size in bytes (all acknowledged records).
func (l *Log) Size() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.size
}

// Close closes the log.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// Read calls fn with every whole record of the log at path from offset
// from, in order, and returns the offset after the last one read. A log
// that does not exist holds no records.
func Read(path string, from int64, fn func(off int64, rec []byte) error) (int64, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return from, nil
	}
	if err != nil {
		return from, fmt.Errorf("log: %w", err)
	}
	defer f.Close()
	return scan(f, from, -1, fn)
}

// Reader reads one version of a log file, however many times: a rewrite of
// the log meanwhile does not change what it reads. It is not safe for
// concurrent use.
type Reader struct{ f *os.File }

// OpenReader opens the log at path for reading; a log that does not exist
// reads as empty.
func OpenReader(path string) (*Reader, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Reader{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("log: %w", err)
	}
	return &Reader{f: f}, nil
}

// Read calls fn with every whole record from offset from up to offset to
// (to < 0: to the end), in order, and returns the offset after the last one.
func (r *Reader) Read(from, to int64, fn func(off int64, rec []byte) error) (int64, error) {
	if r.f == nil {
		return from, nil
	}
	return scan(r.f, from, to, fn)
}

// Close closes the reader.
func (r *Reader) Close() error {
	if r.f == nil {
		return nil
	}
	return r.f.Close()
}

// Rewrite replaces the log by a compacted copy: emit gives the records that
// stand for the log's first end bytes (add writes one), and the records
// appended since end are copied after them. emit runs while appends go on;
// only the copy of what was appended meanwhile, the sync and the switch
// hold them up. The copy is written beside the log, synced, renamed over
// it, and the directory synced before any further append is acknowledged:
// a crash at any moment leaves either the old log or the new one, each
// whole. It returns the log's size before and after.
func (l *Log) Rewrite(end int64, emit func(add func(rec []byte) error) error) (before, after int64, err error) {
	tmp := l.path + foldSuffix
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, 0, fmt.Errorf("log: rewrite: %w", err)
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	err = emit(func(rec []byte) error {
		if bytes.IndexByte(rec, '\n') >= 0 || !json.Valid(rec) {
			return errors.New("log: a record must be one line of JSON")
		}
		bw.Write(rec)
		return bw.WriteByte('\n')
	})
	if err != nil {
		return 0, 0, err
	}
	if err := bw.Flush(); err != nil {
		return 0, 0, fmt.Errorf("log: rewrite: %w", err)
	}
	// The bulk of the copy is synced before appends are held up.
	if err := f.Sync(); err != nil {
		return 0, 0, fmt.Errorf("log: rewrite: %w", err)
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return 0, 0, errors.New("log: closed")
	}
	if end > l.size {
		return 0, 0, fmt.Errorf("log: rewrite up to %d of a log of %d bytes", end, l.size)
	}
	before = l.size
	if _, err := io.Copy(f, io.NewSectionReader(l.f, end, l.size-end)); err != nil {
		return 0, 0, fmt.Errorf("log: rewrite: copy the tail: %w", err)
	}
	if err := f.Sync(); err != nil {
		return 0, 0, fmt.Errorf("log: rewrite: %w", err)
	}
	after, err = f.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, 0, err
	}
	if err := lock(f); err != nil {
		return 0, 0, fmt.Errorf("log: rewrite: %w", err)
	}
	if err := os.Rename(tmp, l.path); err != nil {
		return 0, 0, fmt.Errorf("log: rewrite: %w", err)
	}
	// From here the new log is the log: appends go to it.
	done = true
	l.f.Close()
	l.f, l.size = f, after
	if err := syncDir(l.path); err != nil {
		// The rename may not be durable: refuse further writes rather
		// than acknowledge what a power cut could take back.
		l.f.Close()
		l.f = nil
		return before, after, fmt.Errorf("log: rewrite: sync the folder: %w", err)
	}
	return before, after, nil
}

// scan reads whole, valid records from offset from (up to offset to, when
// to >= 0) and returns the offset after the last one.
func scan(f *os.File, from, to int64, fn func(off int64, rec []byte) error) (int64, error) {
	if _, err := f.Seek(from, io.SeekStart); err != nil {
		return from, err
	}
	var rd io.Reader = f
	if to >= 0 {
		rd = io.LimitReader(f, max(0, to-from))
	}
	br := bufio.NewReaderSize(rd, 1<<20)
	off := from
	for {
		line, err := br.ReadBytes('\n')
		if err == io.EOF {
			return off, nil // a line without its newline is torn
		}
		if err != nil {
			return off, err
		}
		rec := line[:len(line)-1]
		if !json.Valid(rec) {
			return off, nil // torn or garbage: what follows was never acknowledged
		}
		if fn != nil {
			if err := fn(off, rec); err != nil {
				return off, err
			}
		}
		off += int64(len(line))
	}
}

func syncDir(path string) error {
	d, err := os.Open(dirOf(path))
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

// lock takes the log's exclusive flock without waiting.
func lock(f *os.File) error {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return ErrHeld
		}
		return fmt.Errorf("lock: %w", err)
	}
	return nil
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			if i == 0 {
				return "/"
			}
			return path[:i]
		}
	}
	return "."
}
