package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"time"

	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
)

// `bulletin search --index DIR` and a live server (serve --write-keys or
// --watch) on the same DIR: the server holds the generation open for
// writing (bleve's bolt file is locked), and what was written since the
// build lives in the server (its overlay and the new segments) until the
// next build, so no read of the folder alone would answer as the server
// does. The live server therefore announces itself in DIR/SERVING (its pid
// and URL) while it runs, and `bulletin search` asks it over HTTP, getting
// exactly what the server answers, written articles included. Without a
// live server the generation is opened read-only as before. A SERVING left
// by a killed server names a dead pid and is ignored.

// serving is the content of DIR/SERVING.
type serving struct {
	PID int    `json:"pid"`
	URL string `json:"url"`
}

// announce writes DIR/SERVING for a live server listening on addr and
// returns its removal.
func announce(dir, addr string) (remove func(), err error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		if ip != nil && ip.To4() == nil {
			host = "::1"
		} else {
			host = "127.0.0.1"
		}
	}
	raw, _ := json.Marshal(serving{PID: os.Getpid(), URL: "http://" + net.JoinHostPort(host, port)})
	path := filepath.Join(dir, schema.ServingFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o644); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	return func() {
		if s, ok := readServing(dir); ok && s.PID == os.Getpid() {
			os.Remove(path)
		}
	}, nil
}

func readServing(dir string) (serving, bool) {
	var s serving
	raw, err := os.ReadFile(filepath.Join(dir, schema.ServingFile))
	if err != nil || json.Unmarshal(raw, &s) != nil || s.PID <= 0 || s.URL == "" {
		return s, false
	}
	return s, true
}

// runningServer returns the URL of the live server running on dir, if any.
func runningServer(dir string) (string, bool) {
	s, ok := readServing(dir)
	if !ok {
		return "", false
	}
	if err := syscall.Kill(s.PID, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return "", false // a server killed without removing it
	}
	return s.URL, true
}

// remoteSearch asks a running server the query q (the API's parameters).
func remoteSearch(ctx context.Context, base string, q url.Values) (*search.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/api/search?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error struct{ Code, Message string }
		}
		if json.Unmarshal(raw, &e) == nil && e.Error.Message != "" {
			return nil, fmt.Errorf("server at %s: %s (%s)", base, e.Error.Message, e.Error.Code)
		}
		return nil, fmt.Errorf("server at %s answered %s", base, resp.Status)
	}
	var r search.Response
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("server at %s: %w", base, err)
	}
	return &r, nil
}

// heldError explains a generation that could not be opened because a
// live server holds it, and what to do instead (q: the search asked).
func heldError(dir string, q url.Values, err error) error {
	if !errors.Is(err, bolterrors.ErrTimeout) {
		return err
	}
	where, ok := runningServer(dir)
	if !ok {
		where = "http://ADDRESS"
	}
	if q == nil {
		return fmt.Errorf("index %s is held open for writing by a running server (serve --write-keys or --watch, at %s): "+
			"send requests to it, or stop it first: %w", dir, where, err)
	}
	return fmt.Errorf("index %s is held open for writing by a running server (serve --write-keys or --watch) that does not answer here; "+
		"ask it instead: curl '%s/api/search?%s' (or stop it): %w", dir, where, q.Encode(), err)
}
