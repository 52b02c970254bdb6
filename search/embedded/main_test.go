package embedded

import (
	"context"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/seeds"
)

// seedDir is an index of the seeds, built once for the package's tests.
var seedDir string

func TestMain(m *testing.M) {
	// A fuzz run (`make fuzz`) needs no index: skip building one in the
	// coordinator and in each fuzz worker.
	flag.Parse()
	if f := flag.Lookup("test.fuzz"); f != nil && f.Value.String() != "" {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "search-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if _, err := indexer.BuildFS(context.Background(), dir, indexer.Config{}, seeds.FS); err != nil {
		fmt.Fprintln(os.Stderr, "build seeds:", err)
		os.Exit(1)
	}
	seedDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func openSeeds(t *testing.T) *Engine {
	t.Helper()
	e, err := Open(seedDir, Options{Poll: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}
