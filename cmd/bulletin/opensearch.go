package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	osindex "github.com/govbulletin/bulletin/indexer/opensearch"
	"github.com/govbulletin/bulletin/internal/osconn"
	"github.com/govbulletin/bulletin/search"
	osengine "github.com/govbulletin/bulletin/search/opensearch"
	"github.com/govbulletin/bulletin/search/server"
)

// osFlags are the flags that point a command at an OpenSearch cluster
// instead of an index directory.
type osFlags struct {
	url, alias, user, passwordFile, caFile string
	insecure                               bool
}

func addOSFlags(fs *flag.FlagSet) *osFlags {
	f := &osFlags{}
	fs.StringVar(&f.url, "opensearch", "", "OpenSearch URL(s), comma-separated (instead of --index)")
	fs.StringVar(&f.alias, "opensearch-index", osconn.DefaultAlias, "OpenSearch alias naming the index served")
	fs.StringVar(&f.user, "opensearch-user", "", "OpenSearch basic-auth user (password from $BULLETIN_OPENSEARCH_PASSWORD or --opensearch-password-file)")
	fs.StringVar(&f.passwordFile, "opensearch-password-file", "", "file holding the OpenSearch password")
	fs.StringVar(&f.caFile, "opensearch-ca", "", "PEM file of the certificate authorities of an https cluster")
	fs.BoolVar(&f.insecure, "opensearch-insecure", false, "do not verify the cluster's TLS certificate (test clusters only)")
	return f
}

func (f *osFlags) enabled() bool { return f.url != "" }

// client makes the OpenSearch client; the password never comes from the
// command line (where ps would show it).
func (f *osFlags) client() (*osconn.Client, error) {
	cfg := osconn.Config{URLs: osconn.ParseURLs(f.url), Alias: f.alias, Username: f.user, CAFile: f.caFile, Insecure: f.insecure}
	if len(cfg.URLs) == 0 {
		return nil, fmt.Errorf("--opensearch: no URL")
	}
	cfg.Password = os.Getenv("BULLETIN_OPENSEARCH_PASSWORD")
	if f.passwordFile != "" {
		raw, err := os.ReadFile(f.passwordFile)
		if err != nil {
			return nil, fmt.Errorf("--opensearch-password-file: %w", err)
		}
		cfg.Password = strings.TrimRight(string(raw), "\r\n")
	}
	return osconn.New(cfg)
}

// searcher is what `bulletin search` needs of either engine.
type searcher interface {
	Search(ctx context.Context, req search.Request) (*search.Response, error)
	Close() error
}

// serveOpenSearch serves the API, page and widget from the cluster, with
// the write API (--write-keys) and watched folders (--watch) writing to it.
func serveOpenSearch(ctx context.Context, osf *osFlags, addr string, origins []string, synonyms string, log *slog.Logger, stdout io.Writer, w writeOptions) error {
	c, err := osf.client()
	if err != nil {
		return err
	}
	defer c.Close()
	eng, err := osengine.Open(ctx, c, osengine.Options{Logger: log, SynonymsFile: synonyms})
	if err != nil {
		return err
	}
	defer eng.Close()
	opts := server.Options{CORSOrigins: origins, Logger: log, BodyTimeout: w.bodyTimeout}
	if err := osWriteSide(ctx, c, w, log, &opts); err != nil {
		return err
	}
	h, err := server.New(eng, opts)
	if err != nil {
		return err
	}
	return server.Serve(ctx, addr, h, log, func(a string) {
		fmt.Fprintf(stdout, "serving %d articles from OpenSearch index %s at http://%s/\n", eng.Info().Documents, eng.Info().Generation, a)
	})
}

// osWriteSide sets up the writes to the cluster that w asks for: the write
// API's keys and writer, and the watched folders (followed until ctx is
// done).
func osWriteSide(ctx context.Context, c *osconn.Client, w writeOptions, log *slog.Logger, opts *server.Options) error {
	if w.keysFile == "" && len(w.watch) == 0 {
		return nil
	}
	if w.keysFile != "" {
		keys, err := readKeys(w.keysFile)
		if err != nil {
			return err
		}
		opts.WriteKeys = keys
	}
	live, err := osindex.OpenWriter(ctx, c, osindex.WriterConfig{TaxonomyFile: w.taxonomy, Logger: log})
	if err != nil {
		return err
	}
	opts.Writer, opts.Live = liveWriter{live}, osLiveStats{live}
	for _, p := range w.watch {
		if err := watchFolder(p, log); err != nil {
			return err
		}
		if err := live.Watch(ctx, p); err != nil {
			return err
		}
		log.Info("watching folder", "path", p, "into", "opensearch")
	}
	return nil
}

// osLiveStats are the write side's figures for /metrics: a write to the
// cluster is answered once visible, and there is no write log.
type osLiveStats struct{ l *osindex.Writer }

func (s osLiveStats) Written() int64               { return s.l.Written.Load() }
func (s osLiveStats) Deleted() int64               { return s.l.Deleted.Load() }
func (s osLiveStats) LogSize() int64               { return 0 }
func (s osLiveStats) LogFolds() int64              { return 0 }
func (s osLiveStats) VisibilityLag() time.Duration { return 0 }
func (s osLiveStats) ViewCost() time.Duration      { return 0 }
