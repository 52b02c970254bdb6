package wal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func records(t *testing.T, path string, from int64) []string {
	t.Helper()
	var out []string
	if _, err := Read(path, from, func(_ int64, rec []byte) error {
		out = append(out, string(rec))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// A crash can leave a torn last line: Read stops before it, Open cuts it.
func TestTornTail(t *testing.T) {
	for name, tail := range map[string]string{
		"no newline":       `{"op":"put","id":"c`,
		"garbage line":     "\x00\x00\x00\x00\n",
		"half then more":   `{"op":"pu` + "\n" + `{"op":"put","id":"d"}` + "\n",
		"nothing appended": "",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "api.log")
			l, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			end, err := l.Append([]byte(`{"op":"put","id":"a"}`), []byte(`{"op":"delete","id":"b"}`))
			if err != nil {
				t.Fatal(err)
			}
			l.Close()
			f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString(tail)
			f.Close()
			if got := records(t, path, 0); len(got) != 2 || got[1] != `{"op":"delete","id":"b"}` {
				t.Fatalf("records before repair: %q", got)
			}
			l, err = Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			if l.Size() != end {
				t.Errorf("size after repair %d, want %d", l.Size(), end)
			}
			if _, err := l.Append([]byte(`{"op":"put","id":"e"}`)); err != nil {
				t.Fatal(err)
			}
			got := records(t, path, 0)
			if strings.Join(got, "|") != `{"op":"put","id":"a"}|{"op":"delete","id":"b"}|{"op":"put","id":"e"}` {
				t.Errorf("records after repair and append: %q", got)
			}
			if got := records(t, path, end); len(got) != 1 {
				t.Errorf("records from offset %d: %q", end, got)
			}
		})
	}
}

func TestAppendRefusesBadRecords(t *testing.T) {
	l, err := Open(filepath.Join(t.TempDir(), "api.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for _, bad := range []string{"not json", "{\"a\":1}\n{\"b\":2}", ""} {
		if _, err := l.Append([]byte(`{"ok":1}`), []byte(bad)); err == nil {
			t.Errorf("record %q accepted", bad)
		}
	}
	if l.Size() != 0 {
		t.Errorf("a refused call wrote %d bytes", l.Size())
	}
	if got, _ := Read(filepath.Join(t.TempDir(), "none.log"), 0, nil); got != 0 {
		t.Errorf("a missing log reads to %d", got)
	}
}
