package wal

import (
	"encoding/json"
	"errors"
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

// Rewrite replaces the log by what emit gives, then what was appended while
// it ran; appends after it go to the new file, and readers that opened the
// old file still read it whole.
func TestRewrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "api.log")
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	end, err := l.Append([]byte(`{"id":"a","v":1}`), []byte(`{"id":"b","v":1}`), []byte(`{"id":"a","v":2}`))
	if err != nil {
		t.Fatal(err)
	}
	old, err := OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	before, after, err := l.Rewrite(end, func(add func([]byte) error) error {
		// A write that lands while the copy is made.
		if _, err := l.Append([]byte(`{"id":"c","v":1}`)); err != nil {
			return err
		}
		if err := add([]byte(`{"id":"b","v":1}`)); err != nil {
			return err
		}
		return add([]byte(`{"id":"a","v":2}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append([]byte(`{"id":"d","v":1}`)); err != nil {
		t.Fatal(err)
	}
	want := `{"id":"b","v":1}|{"id":"a","v":2}|{"id":"c","v":1}|{"id":"d","v":1}`
	if got := strings.Join(records(t, path, 0), "|"); got != want {
		t.Errorf("after rewrite: %s, want %s", got, want)
	}
	if before != end+int64(len(`{"id":"c","v":1}`)+1) || after >= before || l.Size() != after+int64(len(`{"id":"d","v":1}`)+1) {
		t.Errorf("sizes: before %d after %d now %d (end was %d)", before, after, l.Size(), end)
	}
	var got []string
	old.Read(0, -1, func(_ int64, rec []byte) error { got = append(got, string(rec)); return nil })
	if len(got) != 4 || got[3] != `{"id":"c","v":1}` {
		t.Errorf("a reader of the old file: %q", got)
	}
	if _, err := os.Stat(path + foldSuffix); !os.IsNotExist(err) {
		t.Errorf("the copy is left beside the log: %v", err)
	}
	// A failed emit leaves the log as it was.
	sz := l.Size()
	if _, _, err := l.Rewrite(sz, func(add func([]byte) error) error { return add([]byte("not json")) }); err == nil {
		t.Error("a rewrite with a bad record succeeded")
	}
	if got := strings.Join(records(t, path, 0), "|"); got != want || l.Size() != sz {
		t.Errorf("after a failed rewrite: %s (%d bytes)", got, l.Size())
	}
}

// One process appends: a second Open fails while the first holds the log,
// also after a rewrite (the new file is held too); the copy left by a
// rewrite cut short is removed.
func TestHeldAndLeftovers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "api.log")
	os.WriteFile(path+foldSuffix, []byte(`{"half":`), 0o644)
	l, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + foldSuffix); !os.IsNotExist(err) {
		t.Errorf("a leftover copy survives Open: %v", err)
	}
	if _, err := Open(path); !errors.Is(err, ErrHeld) {
		t.Errorf("second Open: %v, want ErrHeld", err)
	}
	l.Append([]byte(`{"id":"a"}`))
	if _, _, err := l.Rewrite(l.Size(), func(func([]byte) error) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); !errors.Is(err, ErrHeld) {
		t.Errorf("second Open after a rewrite: %v, want ErrHeld", err)
	}
	l.Close()
	l2, err := Open(path)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	l2.Close()
}

// TestOriginKeepsBytes checks a file path that is not valid UTF-8 (a
// GB18030 name) comes back whole from a record written as JSON.
func TestOriginKeepsBytes(t *testing.T) {
	for _, p := range []string{"/data/watch/\xb1\xb1\xbe\xa9.txt", "/data/watch/北京.txt", "api"} {
		raw, err := json.Marshal(Record{Op: OpPut, ID: "x", Origin: OriginOf(p)})
		if err != nil {
			t.Fatal(err)
		}
		var r Record
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		if got := PathOf(r.Origin); got != p {
			t.Errorf("path %q came back as %q", p, got)
		}
	}
	if got := SourceName(OriginOf("/w/\xb1\xb1.txt")); got != "\xb1\xb1.txt" {
		t.Errorf("source name %q", got)
	}
}
