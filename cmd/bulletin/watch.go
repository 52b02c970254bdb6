package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"

	"github.com/govbulletin/bulletin/indexer/live"
)

// startWatch follows a folder (--watch) until ctx is done.
func startWatch(ctx context.Context, path string, lv *live.Live, log *slog.Logger) error {
	if err := watchFolder(path, log); err != nil {
		return err
	}
	if err := lv.Watch(ctx, path); err != nil {
		return err
	}
	log.Info("watching folder", "path", path)
	return nil
}

// watchFolder makes a --watch folder that does not exist yet, saying so
// in the log (a folder nobody made yet is an empty one, not a reason for
// the server to stop), or says why it cannot.
func watchFolder(path string, log *slog.Logger) error {
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil // there, or an error the watch reports
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return fmt.Errorf("--watch %s: the folder does not exist and cannot be made: %w", path, err)
	}
	log.Warn("the watched folder did not exist: made it, empty", "path", path)
	return nil
}
