package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/govbulletin/bulletin/indexer"
)

func startWatch(ctx context.Context, path string, live *indexer.Live, log *slog.Logger) error {
	return errors.New("--watch: not built yet")
}
