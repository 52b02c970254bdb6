package indexer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/govbulletin/bulletin/indexer/source"
)

// WalkPaths expands files and folders into the input files to read, in a
// stable order. Folders are walked recursively; symbolic links are followed
// but a folder already visited (a symlink loop) is not entered again.
// Files of unsupported types are reported as skipped with the reason
// (hidden files inside folders are passed over silently).
func WalkPaths(paths []string, maxBytes int64) ([]Input, []Skip, error) {
	if len(paths) == 0 {
		return nil, nil, errors.New("no input paths")
	}
	var inputs []Input
	var skips []Skip
	type key struct{ dev, ino uint64 }
	seen := map[key]bool{}
	seenFile := map[key]bool{}
	usedRel := map[string]bool{}
	var walk func(abs, rel, show string, top bool) error
	walk = func(abs, rel, show string, top bool) error {
		info, err := os.Stat(abs) // follows symlinks
		if err != nil {
			skips = append(skips, Skip{Path: show, Reason: reason(err)})
			return nil
		}
		var k key
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			k = key{uint64(st.Dev), uint64(st.Ino)}
		}
		if info.IsDir() {
			if seen[k] {
				skips = append(skips, Skip{Path: show, Reason: "folder already visited (symlink loop)"})
				return nil
			}
			seen[k] = true
			entries, err := os.ReadDir(abs)
			if err != nil {
				skips = append(skips, Skip{Path: show, Reason: reason(err)})
				return nil
			}
			names := make([]string, 0, len(entries))
			for _, e := range entries {
				names = append(names, e.Name())
			}
			sort.Strings(names)
			for _, n := range names {
				childRel := n
				if rel != "" {
					childRel = rel + "/" + n
				}
				if err := walk(filepath.Join(abs, n), childRel, filepath.Join(show, n), false); err != nil {
					return err
				}
			}
			return nil
		}
		if !info.Mode().IsRegular() {
			// A FIFO, socket or device is never opened (reading a FIFO
			// blocks forever); one named like an input is reported.
			if top || source.Supported(abs) {
				skips = append(skips, Skip{Path: show, Reason: "not a regular file"})
			}
			return nil
		}
		if !source.Supported(abs) {
			// Listed, so that a file the user expected to be read does
			// not vanish; hidden files (.DS_Store, .gitkeep) are not.
			if top || !strings.HasPrefix(filepath.Base(abs), ".") {
				skips = append(skips, Skip{Path: show, Reason: source.UnsupportedReason(abs)})
			}
			return nil
		}
		if seenFile[k] {
			return nil // the same file through another link
		}
		seenFile[k] = true
		// rel names the file in article ids. Two roots can hold files of
		// the same relative name (`index a/ b/` with a/x.txt and b/x.txt):
		// their articles would get the same ids and one would replace the
		// other. A later duplicate is named by the path as given instead.
		if usedRel[rel] {
			rel = filepath.ToSlash(filepath.Clean(show))
			for usedRel[rel] {
				rel += "~"
			}
		}
		usedRel[rel] = true
		p := abs
		in := Input{rel: rel, show: show, open: func() ([]byte, error) { return readCapped(p, maxBytes) }}
		if isJSONL(p) { // read in pieces, whatever its size
			in.stream = func() (io.ReadCloser, error) { return os.Open(p) }
		}
		inputs = append(inputs, in)
		return nil
	}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, nil, err
		}
		info, err := os.Stat(abs)
		rel := filepath.Base(abs)
		if err == nil && info.IsDir() {
			rel = ""
		}
		if err := walk(abs, rel, p, true); err != nil {
			return nil, nil, err
		}
	}
	return inputs, skips, nil
}

// readCapped reads a file, refusing files over max bytes without reading them whole.
func readCapped(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errors.New(reason(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, errors.New(reason(err))
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("file larger than %d bytes", max)
	}
	return data, nil
}

// reason words a file-system error without repeating the path.
func reason(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	case errors.Is(err, os.ErrNotExist):
		return "no such file or folder"
	}
	return err.Error()
}
