package indexer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// An index directory holds complete generations side by side and a pointer
// to the one in use:
//
//	DIR/CURRENT          name of the generation being served (replaced atomically)
//	DIR/LOCK             held (flock) by the one `bulletin index` running
//	DIR/gen-…/bleve/     the bleve index
//	DIR/gen-…/articles.dat the article store (and articles.dat.idx)
//	DIR/gen-…/meta.json  schema version, counts, region, user words
//	DIR/api.log          the write log (see live.go), a source of every build
//
// A new generation is written beside the current one, synced to disk, and
// only then named in CURRENT (write a temp file, sync, rename, sync the
// directory). A crash at any moment leaves CURRENT naming a complete
// generation, or no CURRENT at all if none was ever completed.

const (
	currentFile = "CURRENT"
	lockFile    = "LOCK"
	genPrefix   = "gen-"
	// MetaFile, BleveDir and StoreFile name the parts of a generation.
	MetaFile  = "meta.json"
	BleveDir  = "bleve"
	StoreFile = "articles.dat"
	// TitlesFile lists the titles sorted by normalised form (suggestions).
	TitlesFile = "titles.txt"
)

// Meta describes a generation.
type Meta struct {
	Schema    int       `json:"schema"`
	Name      string    `json:"name"`
	Created   time.Time `json:"created"`
	Articles  int       `json:"articles"`
	Region    string    `json:"region"`
	Districts []string  `json:"districts"` // the region's districts, official order
	Topics    []string  `json:"topics"`    // the taxonomy's topics, file order
	UserWords []string  `json:"user_words"`
	// UserDict holds the `--dict` entries as dictionary lines.
	UserDict []string `json:"user_dict,omitempty"`
	// LogOffset is how much of the write log (LogFile) the generation
	// holds; a server replays the log from there.
	LogOffset int64 `json:"log_offset,omitempty"`
}

// ErrNoIndex is returned when DIR has no complete generation.
var ErrNoIndex = errors.New("no index: run `bulletin index` first")

// ErrLocked is returned when another `bulletin index` holds DIR.
var ErrLocked = errors.New("another `bulletin index` is writing this index directory")

// Current returns the path and meta of the generation in use in dir.
func Current(dir string) (string, *Meta, error) {
	raw, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil, ErrNoIndex
	}
	if err != nil {
		return "", nil, fmt.Errorf("index %s: %w", dir, err)
	}
	name := strings.TrimSpace(string(raw))
	if !strings.HasPrefix(name, genPrefix) || strings.ContainsAny(name, `/\`) {
		return "", nil, fmt.Errorf("index %s: CURRENT names %q, not a generation", dir, name)
	}
	path := filepath.Join(dir, name)
	m, err := ReadMeta(path)
	if err != nil {
		return "", nil, err
	}
	return path, m, nil
}

// ReadMeta reads a generation's meta.json and checks its schema version.
func ReadMeta(genPath string) (*Meta, error) {
	raw, err := os.ReadFile(filepath.Join(genPath, MetaFile))
	if err != nil {
		return nil, fmt.Errorf("generation %s: %w", genPath, err)
	}
	var m Meta
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("generation %s: meta: %w", genPath, err)
	}
	if m.Schema != SchemaVersion {
		return nil, fmt.Errorf("generation %s has schema version %d; this binary reads version %d: re-run `bulletin index`", genPath, m.Schema, SchemaVersion)
	}
	return &m, nil
}

// lockDir takes the directory's writer lock without waiting.
func lockDir(dir string) (release func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("index %s: %w", dir, ErrLocked)
		}
		return nil, fmt.Errorf("index %s: lock: %w", dir, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// newGenerationName returns a name that sorts after every earlier one.
func newGenerationName(dir string) string {
	name := genPrefix + time.Now().UTC().Format("20060102T150405.000000000")
	for {
		if _, err := os.Stat(filepath.Join(dir, name)); errors.Is(err, os.ErrNotExist) {
			return name
		}
		name += "x"
	}
}

// syncTree fsyncs every file and directory under root.
func syncTree(root string) error {
	return filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return syncPath(p)
	})
}

func syncPath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("sync %s: %w", p, err)
	}
	return nil
}

// publish makes name the current generation of dir, atomically.
func publish(dir, name string) error {
	tmp := filepath.Join(dir, currentFile+".tmp")
	if err := os.WriteFile(tmp, []byte(name+"\n"), 0o644); err != nil {
		return err
	}
	if err := syncPath(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, currentFile)); err != nil {
		return err
	}
	return syncPath(dir)
}

// removeOld deletes generations other than the current one and the one
// before it (a server may still be finishing requests on that one), and
// unfinished generations of crashed runs.
func removeOld(dir, current string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var gens []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), genPrefix) {
			gens = append(gens, e.Name())
		}
	}
	sort.Strings(gens)
	keepPrev := ""
	for _, g := range gens {
		if g < current {
			if _, err := ReadMeta(filepath.Join(dir, g)); err == nil {
				keepPrev = g // the newest complete one before current
			}
		}
	}
	var errs []error
	for _, g := range gens {
		if g == current || g == keepPrev {
			continue
		}
		// meta.json first: a removal cut short (SIGKILL) must not leave a
		// folder that ReadMeta takes for a complete generation (it would be
		// kept as "the one before" by the next run, a broken fallback).
		if err := os.Remove(filepath.Join(dir, g, MetaFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, g)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
