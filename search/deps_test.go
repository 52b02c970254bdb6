package search

import (
	"os/exec"
	"strings"
	"testing"
)

// TestServingSideDeps: the search side reads an index through package
// schema; it does not link the indexer, its readers, its enrichment or its
// progress bar.
func TestServingSideDeps(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/govbulletin/bulletin/search/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch {
		case dep == "github.com/govbulletin/bulletin/indexer",
			strings.HasPrefix(dep, "github.com/govbulletin/bulletin/indexer/source"),
			strings.HasPrefix(dep, "github.com/govbulletin/bulletin/indexer/enrich"),
			strings.Contains(dep, "progressbar"):
			t.Errorf("the search side depends on %s", dep)
		}
	}
}
