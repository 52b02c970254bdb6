package watch

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// refusal is why a watched file is not read: it is logged once per
// version of the file (see watcher.refused), and the index holds no
// article of that version, as a full build would hold none.
type refusal struct{ reason string }

func (r *refusal) Error() string { return r.reason }

// fileSig is a file's size and modification time; "" when it is gone or
// is not a regular file (a symbolic link is not followed: it may lead out
// of the watched folder).
func fileSig(p string) string {
	st, err := os.Lstat(p)
	if err != nil || !st.Mode().IsRegular() {
		return ""
	}
	return strconv.FormatInt(st.Size(), 10) + ":" + strconv.FormatInt(st.ModTime().UnixNano(), 10)
}

// read reads the watched file p: a regular file inside the folder (no
// symbolic link on the way, in its name or its folders), of at most
// w.maxBytes. Its errors are *refusal for a file that is not to be read.
func (w *watcher) read(p string) ([]byte, error) {
	lst, err := os.Lstat(p)
	if err != nil {
		return nil, err
	}
	if !lst.Mode().IsRegular() {
		return nil, &refusal{"not a regular file (a symbolic link is not followed)"}
	}
	if !w.inside(p) {
		return nil, &refusal{"outside the watched folder (a folder on its path is a symbolic link)"}
	}
	if lst.Size() > w.maxBytes {
		return nil, &refusal{fmt.Sprintf("file larger than %d bytes", w.maxBytes)}
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !os.SameFile(lst, st) {
		return nil, fmt.Errorf("%s: replaced while opened; read again once it settles", p)
	}
	data, err := io.ReadAll(io.LimitReader(f, w.maxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > w.maxBytes {
		return nil, &refusal{fmt.Sprintf("file larger than %d bytes", w.maxBytes)}
	}
	return data, nil
}

// inside reports whether the folder of p, its symbolic links resolved, is
// the watched folder or under it.
func (w *watcher) inside(p string) bool {
	dir, err := filepath.EvalSymlinks(filepath.Dir(p))
	if err != nil {
		return false
	}
	return dir == w.realRoot || strings.HasPrefix(dir, w.realRoot+string(filepath.Separator))
}
