package main

import (
	"context"
	"log/slog"

	"github.com/govbulletin/bulletin/indexer/live"
)

// startWatch follows a folder (--watch) until ctx is done.
func startWatch(ctx context.Context, path string, lv *live.Live, log *slog.Logger) error {
	if err := lv.Watch(ctx, path); err != nil {
		return err
	}
	log.Info("watching folder", "path", path)
	return nil
}
