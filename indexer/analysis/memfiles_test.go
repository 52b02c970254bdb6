package analysis

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// The dictionaries handed to cppjieba read back whole, live in memory on
// Linux (nothing to leave behind in /tmp when a process is killed while
// jieba loads), and are gone after cleanup.
func TestDictFiles(t *testing.T) {
	files := map[string][]byte{"a.utf8": []byte("养老驿站 3 n\n"), "b.utf8": {}}
	paths, cleanup, err := dictFiles(files)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		p := paths[name]
		if runtime.GOOS == "linux" && !strings.HasPrefix(p, "/proc/self/fd/") {
			t.Errorf("%s at %s, want a memory file", name, p)
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != string(want) {
			t.Errorf("%s reads back %q, %v; want %q", name, got, err, want)
		}
	}
	cleanup()
	for name, p := range paths {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s still at %s after cleanup", name, p)
		}
	}
}
