package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/indexer/wal"
)

// A watched folder is a source that the server follows: a file added or
// changed under it is read and its articles written (through the write log,
// like the write API), a file removed has its articles deleted. Changes are
// noticed through fsnotify (inotify) and, as a fallback for what it misses
// (network file systems, overflowing queues, folders created in a burst), a
// rescan every rescanEvery. A file is read only once its size and
// modification time have stayed the same for settleTime, so a file still
// being written is not read half-done. Ids are those `bulletin index ROOT`
// gives (the path relative to the watched folder), so a full build of the
// same folder names the same articles.
const (
	settleTime  = time.Second
	rescanEvery = 2 * time.Second
	checkEvery  = 250 * time.Millisecond
)

// fileState is what the index holds of a watched file.
type fileState struct {
	sig string   // size and modification time of the version indexed
	ids []string // its articles
}

// watchedFiles reads, from the write log, the watched files under root
// whose articles the index holds.
func (l *Live) watchedFiles(root string) (map[string]*fileState, error) {
	type last struct {
		origin, sig string
		put         bool
	}
	byID := map[string]last{}
	_, err := wal.Read(filepath.Join(l.dir, LogFile), 0, func(_ int64, raw []byte) error {
		var rec Record
		if json.Unmarshal(raw, &rec) == nil && rec.ID != "" {
			byID[rec.ID] = last{rec.Origin, rec.Sig, rec.Op == "put"}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	files := map[string]*fileState{}
	prefix := root + string(filepath.Separator)
	for id, r := range byID {
		if !r.put || !strings.HasPrefix(r.origin, prefix) {
			continue
		}
		f := files[r.origin]
		if f == nil {
			f = &fileState{sig: r.sig}
			files[r.origin] = f
		}
		f.ids = append(f.ids, id)
	}
	for _, f := range files {
		sort.Strings(f.ids)
	}
	return files, nil
}

// watchTarget is where a watched folder's changes go: the write log of an
// index directory (Live) or an OpenSearch index (OSLive). putPage writes a
// file's articles, Delete removes ids (ErrNotFound when none was there),
// watchedFiles says which files under root the index holds, and in which
// version.
type watchTarget interface {
	putPage(ctx context.Context, page *source.Page, docs []source.Doc, origin, sig string) ([]*schema.Article, error)
	Delete(ctx context.Context, ids []string, origin string) error
	watchedFiles(root string) (map[string]*fileState, error)
	logger() *slog.Logger
}

func (l *Live) logger() *slog.Logger { return l.lg }

// Watch follows the files under root until ctx is done. It returns once
// the folder is watched; the files found then are taken in like any file
// that changes, once they have stayed the same for settleTime (one of them
// may be being written as the server starts), within about a second and a
// half.
func (l *Live) Watch(ctx context.Context, root string) error { return watch(ctx, l, root) }

// watch follows the files under root, writing their changes to l, until
// ctx is done, as Live.Watch says.
func watch(ctx context.Context, l watchTarget, root string) error {
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	if st, err := os.Stat(root); err != nil || !st.IsDir() {
		return fmt.Errorf("--watch %s: not a folder", root)
	}
	known, err := l.watchedFiles(root)
	if err != nil {
		return err
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("--watch: %w", err)
	}
	wt := &watcher{l: l, root: root, known: known, fsw: w, seen: map[string]candidate{}}
	wt.scan()
	go wt.run(ctx)
	return nil
}

type candidate struct {
	sig   string
	since time.Time
}

type watcher struct {
	l     watchTarget
	root  string
	known map[string]*fileState // what the index holds
	seen  map[string]candidate  // files that differ from it, and since when they look the same
	fsw   *fsnotify.Watcher
	dirs  map[string]bool
}

func (w *watcher) run(ctx context.Context) {
	defer w.fsw.Close()
	rescan := time.NewTicker(rescanEvery)
	defer rescan.Stop()
	check := time.NewTicker(checkEvery)
	defer check.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					w.scan() // a new folder: watch it and take in what it holds
					continue
				}
			}
			w.look(ev.Name, false)
		case err, ok := <-w.fsw.Errors:
			if ok {
				w.l.logger().Warn("watch: notification error; the rescan catches up", "root", w.root, "err", err)
			}
		case <-rescan.C:
			w.scan()
		case <-check.C:
			w.settle()
		}
	}
}

// scan walks the folder: it watches every subfolder, notes every file that
// differs from what the index holds, and every file gone.
func (w *watcher) scan() {
	present := map[string]bool{}
	dirs := map[string]bool{}
	filepath.WalkDir(w.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && p != w.root {
				return filepath.SkipDir
			}
			dirs[p] = true
			if !w.dirs[p] {
				w.fsw.Add(p)
			}
			return nil
		}
		if d.Type().IsRegular() && source.Supported(p) && !strings.HasPrefix(d.Name(), ".") {
			present[p] = true
			w.look(p, false)
		}
		return nil
	})
	w.dirs = dirs
	for p := range w.known {
		if !present[p] {
			w.look(p, false)
		}
	}
	w.settle()
}

// look notes a file whose state may differ from what the index holds.
func (w *watcher) look(p string, _ bool) {
	if !source.Supported(p) || strings.HasPrefix(filepath.Base(p), ".") {
		return
	}
	sig := fileSig(p)
	if k := w.known[p]; (k == nil && sig == "") || (k != nil && k.sig == sig) {
		delete(w.seen, p)
		return
	}
	if c, ok := w.seen[p]; ok && c.sig == sig {
		return
	}
	w.seen[p] = candidate{sig, time.Now()}
}

// settle takes in the files that have looked the same for settleTime.
func (w *watcher) settle() {
	for p, c := range w.seen {
		if time.Since(c.since) < settleTime {
			continue
		}
		if sig := fileSig(p); sig != c.sig { // changed again: wait more
			w.seen[p] = candidate{sig, time.Now()}
			continue
		}
		delete(w.seen, p)
		if err := w.take(p, c.sig); err != nil {
			w.l.logger().Warn("watch: file not taken in", "path", p, "err", err)
		}
	}
}

// take brings the index in line with the file: its articles written, the
// articles of its former version that it no longer has deleted.
func (w *watcher) take(p, sig string) error {
	ctx := context.Background()
	old := w.known[p]
	var docs []source.Doc
	var page *source.Page
	if sig != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		page, err = source.Read(p, data)
		if err != nil {
			w.l.logger().Warn("watch: file skipped", "path", p, "reason", err.Error())
			page = &source.Page{}
		}
		rel, _ := filepath.Rel(w.root, p)
		rel = filepath.ToSlash(rel)
		for i, d := range page.Docs {
			d.ID = articleID(rel, i, d)
			docs = append(docs, d)
		}
	}
	keep := map[string]bool{}
	for _, d := range docs {
		keep[d.ID] = true
	}
	var gone []string
	if old != nil {
		for _, id := range old.ids {
			if !keep[id] {
				gone = append(gone, id)
			}
		}
	}
	if len(docs) > 0 {
		if _, err := w.l.putPage(ctx, page, docs, p, sig); err != nil {
			return err
		}
	}
	if len(gone) > 0 {
		if err := w.l.Delete(ctx, gone, p); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
	}
	if len(docs) == 0 {
		delete(w.known, p)
	} else {
		ids := make([]string, 0, len(docs))
		for _, d := range docs {
			ids = append(ids, d.ID)
		}
		w.known[p] = &fileState{sig: sig, ids: ids}
	}
	w.l.logger().Info("watch: file taken in", "path", p, "articles", len(docs), "removed", len(gone))
	return nil
}

// fileSig is a file's size and modification time; "" when it is gone.
func fileSig(p string) string {
	st, err := os.Stat(p)
	if err != nil || !st.Mode().IsRegular() {
		return ""
	}
	return strconv.FormatInt(st.Size(), 10) + ":" + strconv.FormatInt(st.ModTime().UnixNano(), 10)
}
