package eval

import (
	"context"
	"os"
	"path/filepath"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/search/embedded"
)

// Open indexes the seeds and the eval corpus (repo-relative paths under
// root) into a temporary directory and opens an engine on it. The returned
// function closes the engine and removes the directory.
func Open(ctx context.Context, root string) (*embedded.Engine, func(), error) {
	dir, err := os.MkdirTemp("", "bulletin-eval-")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	_, err = indexer.Build(ctx, dir, indexer.Config{}, filepath.Join(root, "seeds"), filepath.Join(root, "testdata", "eval", "corpus"))
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	eng, err := embedded.Open(dir, embedded.Options{Poll: -1})
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return eng, func() { eng.Close(); cleanup() }, nil
}
