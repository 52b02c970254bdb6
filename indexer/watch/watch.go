package watch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/indexer/wal"
	"github.com/govbulletin/bulletin/internal/errs"
)

// How a watched folder is followed (see the package doc).
const (
	settleTime  = time.Second
	rescanEvery = 2 * time.Second
	checkEvery  = 250 * time.Millisecond
)

// File is what the index holds of a watched file.
type File struct {
	Sig string   // size and modification time of the version indexed
	IDs []string // its articles
}

// Target is where a watched folder's changes go: the write log of an index
// directory (live.Live) or an OpenSearch cluster (opensearch.Writer).
// PutPage writes a file's articles (origin is wal.OriginOf the file's
// path, sig its version); Delete removes ids (an error of kind
// errs.NotFound when none was there); WatchedFiles says which files under
// root the index holds, and in which version, by their paths (wal.PathOf
// the origins: a path is bytes, not always valid UTF-8).
type Target interface {
	PutPage(ctx context.Context, page *source.Page, docs []source.Doc, origin, sig string) ([]*schema.Article, error)
	Delete(ctx context.Context, ids []string, origin string) error
	WatchedFiles(root string) (map[string]*File, error)
}

// Options configure the following of a folder.
type Options struct {
	Logger *slog.Logger
	// MaxFileBytes caps the size of a file read; 0 means the cap of
	// `bulletin index` (indexer.Config.MaxFile).
	MaxFileBytes int64
}

// Run follows the files under root, writing their changes to t, until ctx
// is done. It returns once the folder is watched; the files found then
// are taken in like any file that changes, once they have stayed the same
// for settleTime (one of them may be being written as the server starts),
// within about a second and a half.
func Run(ctx context.Context, t Target, root string, opts Options) error {
	root, err := filepath.Abs(root)
	if err != nil {
		return err
	}
	if st, err := os.Stat(root); err != nil || !st.IsDir() {
		return fmt.Errorf("--watch %s: not a folder", root)
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return fmt.Errorf("--watch %s: %w", root, err)
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	maxBytes := opts.MaxFileBytes
	if maxBytes <= 0 {
		maxBytes = indexer.Config{}.MaxFile()
	}
	known, err := t.WatchedFiles(root)
	if err != nil {
		return err
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("--watch: %w", err)
	}
	wt := &watcher{l: t, log: log, root: root, realRoot: realRoot, maxBytes: maxBytes, known: known, fsw: w, seen: map[string]candidate{}, refused: map[string]string{}}
	wt.scan()
	go wt.run(ctx)
	return nil
}

type candidate struct {
	sig   string
	since time.Time
}

// watcher follows one folder. Concurrency: one goroutine (run) after Run
// returns.
type watcher struct {
	l        Target
	log      *slog.Logger
	root     string
	realRoot string               // root, its symbolic links resolved
	maxBytes int64                // files over it are refused
	known    map[string]*File     // what the index holds
	seen     map[string]candidate // files that differ from it, and since when they look the same
	fsw      *fsnotify.Watcher
	dirs     map[string]bool
	// refused holds the files not read (refused, or unreadable), with
	// the version not read: each version is told once in the log, and
	// looked at again only once it changes.
	refused map[string]string
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
				w.log.Warn("watch: notification error; the rescan catches up", "root", w.root, "err", err)
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
	if r, ok := w.refused[p]; ok {
		if r == sig {
			delete(w.seen, p)
			return
		}
		delete(w.refused, p)
	}
	if k := w.known[p]; (k == nil && sig == "") || (k != nil && k.Sig == sig) {
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
			w.log.Warn("watch: file not taken in", "path", p, "err", err)
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
	notRead := false // refused, or unreadable: told once for this version
	if sig != "" {
		data, err := w.read(p)
		var ref *refusal
		switch {
		case errors.As(err, &ref):
			w.log.Warn("watch: file refused", "path", p, "reason", ref.reason)
			page, notRead = &source.Page{}, true
		case err != nil:
			return err
		default:
			page, err = source.Read(p, data)
		}
		if err != nil {
			w.log.Warn("watch: file skipped", "path", p, "reason", err.Error())
			page, notRead = &source.Page{}, true
		}
		rel, _ := filepath.Rel(w.root, p)
		rel = filepath.ToSlash(rel)
		for i, d := range page.Docs {
			d.ID = indexer.ArticleID(rel, i, d)
			if why := source.CheckDoc(d); why != "" { // as every path checks it
				w.log.Warn("watch: article skipped", "path", p, "article", i+1, "reason", why)
				continue
			}
			docs = append(docs, d)
		}
	}
	keep := map[string]bool{}
	for _, d := range docs {
		keep[d.ID] = true
	}
	var gone []string
	if old != nil {
		for _, id := range old.IDs {
			if !keep[id] {
				gone = append(gone, id)
			}
		}
	}
	if len(docs) > 0 {
		if _, err := w.l.PutPage(ctx, page, docs, wal.OriginOf(p), sig); err != nil {
			return err
		}
	}
	if len(gone) > 0 {
		if err := w.l.Delete(ctx, gone, wal.OriginOf(p)); err != nil && errs.KindOf(err) != errs.NotFound {
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
		w.known[p] = &File{Sig: sig, IDs: ids}
	}
	if notRead || (sig != "" && len(docs) == 0) {
		w.refused[p] = sig // nothing to take in from this version
	}
	w.log.Info("watch: file taken in", "path", p, "articles", len(docs), "removed", len(gone))
	return nil
}
