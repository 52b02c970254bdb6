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

	"github.com/govbulletin/bulletin/indexer/schema"
)

// The layout of an index directory is described in package schema. A new
// generation is written beside the current one, synced, and only then named
// in CURRENT; a crash at any moment leaves CURRENT naming a complete
// generation, or no CURRENT at all if none was ever completed.

// ErrLocked is returned when another `bulletin index` holds DIR.
var ErrLocked = errors.New("another `bulletin index` is writing this index directory")

// lockDir takes the directory's writer lock without waiting.
func lockDir(dir string) (release func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, schema.LockFile), os.O_CREATE|os.O_RDWR, 0o644)
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
	name := schema.GenPrefix + time.Now().UTC().Format("20060102T150405.000000000")
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

// newGeneration makes the folder of a new generation in dir.
func newGeneration(dir string) (name, path string, err error) {
	name = newGenerationName(dir)
	path = filepath.Join(dir, name)
	if err := os.MkdirAll(path, 0o755); err != nil {
		return "", "", err
	}
	return name, path, nil
}

// commitGeneration completes the generation name of dir, whose index and
// store are written, and makes it current: everything given to own (the
// folder's owner, owner.go) and synced, then meta.json (a generation with
// meta.json is complete), then CURRENT.
func commitGeneration(dir, name string, meta schema.Meta, own owner) error {
	gen := filepath.Join(dir, name)
	raw, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return fmt.Errorf("meta: %w", err)
	}
	if err := own.chownTree(gen); err != nil {
		return err
	}
	if err := syncTree(gen); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(gen, schema.MetaFile), raw, 0o644); err != nil {
		return err
	}
	if err := own.chown(filepath.Join(gen, schema.MetaFile)); err != nil {
		return err
	}
	if err := syncPath(filepath.Join(gen, schema.MetaFile)); err != nil {
		return err
	}
	if err := syncPath(gen); err != nil {
		return err
	}
	if err := publish(dir, name, own); err != nil {
		return fmt.Errorf("switch to new generation: %w", err)
	}
	return nil
}

// publish makes name the current generation of dir, atomically.
func publish(dir, name string, own owner) error {
	tmp := filepath.Join(dir, schema.CurrentFile+".tmp")
	if err := os.WriteFile(tmp, []byte(name+"\n"), 0o644); err != nil {
		return err
	}
	if err := own.chown(tmp); err != nil {
		return err
	}
	if err := syncPath(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, schema.CurrentFile)); err != nil {
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
		if e.IsDir() && strings.HasPrefix(e.Name(), schema.GenPrefix) {
			gens = append(gens, e.Name())
		}
	}
	sort.Strings(gens)
	keepPrev := ""
	for _, g := range gens {
		if g < current {
			if _, err := schema.ReadMeta(filepath.Join(dir, g)); err == nil {
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
		if err := os.Remove(filepath.Join(dir, g, schema.MetaFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, g)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
