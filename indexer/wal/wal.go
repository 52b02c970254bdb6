// Package wal is a write-ahead log: an append-only file of records, one
// JSON object a line, each Append synced to disk before it returns. A crash
// can leave a torn last line (a write that was never acknowledged); Open
// cuts it off, and readers stop before it.
//
// Concurrency: a Log is safe for concurrent use; Appends are serialised.
// Any number of readers (Read, also from other processes) may read the file
// while one process appends.
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
)

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
	good, err := scan(f, 0, nil)
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
	return scan(f, from, fn)
}

// scan reads whole, valid records from offset from and returns the offset
// after the last one.
func scan(f *os.File, from int64, fn func(off int64, rec []byte) error) (int64, error) {
	if _, err := f.Seek(from, io.SeekStart); err != nil {
		return from, err
	}
	br := bufio.NewReaderSize(f, 1<<20)
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
	d.Sync()
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
