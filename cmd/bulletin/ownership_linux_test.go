package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestIndexKeepsOwner runs `bulletin index` as root into a folder that
// belongs to another user (nobody, as the server's user would): everything
// it writes belongs to that user too, so that the server can read the
// generation and write beside it. A folder it makes gets its parent's
// owner. It needs root; under CI=true (which runs as root) it must run.
func TestIndexKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI runs as root")
		}
		t.Skip("giving files away needs root")
	}
	const nobody = 65534
	base := t.TempDir()
	given := filepath.Join(base, "given")         // an index folder that exists, owned by nobody
	made := filepath.Join(base, "state", "index") // made by the run, inside a folder owned by nobody
	for _, d := range []string{given, filepath.Dir(made)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(d, nobody, nobody); err != nil {
			t.Fatal(err)
		}
	}
	for _, dir := range []string{given, made} {
		for run2 := 0; run2 < 2; run2++ { // a second run replaces the generation
			var out, errb bytes.Buffer
			if code := run(context.Background(), []string{"index", "--index", dir, "../../seeds"}, &out, &errb); code != 0 {
				t.Fatalf("index %s: exit %d\n%s", dir, code, errb.String())
			}
		}
		n := 0
		filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			fi, err := os.Lstat(p)
			if err != nil {
				t.Fatal(err)
			}
			st := fi.Sys().(*syscall.Stat_t)
			if st.Uid != nobody || st.Gid != nobody {
				t.Errorf("%s belongs to %d:%d, want the index folder's owner %d:%d", p, st.Uid, st.Gid, nobody, nobody)
			}
			n++
			return nil
		})
		if n < 8 {
			t.Errorf("%s: only %d entries checked", dir, n)
		}
	}
}
