package main

import (
	"bufio"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/govbulletin/bulletin/search/editors"
	"github.com/govbulletin/bulletin/search/server"
)

// adminDir is the folder of the editors' store inside the index folder.
const adminDir = "admin"

// adminOptions are the flags of the editors' tools of serve.
type adminOptions struct {
	keysFile string
	keys     []server.AdminKey // read from keysFile
	logDays  int
}

// readAdminKeys reads a key file: one key a line; what follows `#` after a
// key is its label (the audit trail names it), else the line number is.
func readAdminKeys(path string) ([]server.AdminKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--admin-keys: %w", err)
	}
	defer f.Close()
	var keys []server.AdminKey
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line, label, _ := strings.Cut(sc.Text(), "#")
		line, label = strings.TrimSpace(line), strings.TrimSpace(label)
		if line == "" {
			continue
		}
		if strings.ContainsAny(line, " \t") {
			return nil, fmt.Errorf("--admin-keys %s:%d: a key has no spaces", path, n)
		}
		if label == "" {
			label = fmt.Sprintf("line %d", n)
		}
		keys = append(keys, server.AdminKey{Key: line, Label: label})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("--admin-keys: %w", err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("--admin-keys %s: no key in the file", path)
	}
	return keys, nil
}

// openEditors opens the editors' store of the index in dir (DIR/admin) and
// wires it and the admin keys into opts. A store that cannot be opened
// without admin keys asked for (a read-only index folder) only leaves the
// query log off, with a warning.
func openEditors(dir string, pl editors.Planner, a adminOptions, log *slog.Logger, opts *server.Options) (func(), error) {
	opts.AdminKeys = a.keys
	days := a.logDays
	if days == 0 {
		days = -1 // --query-log-days 0: no log
	}
	st, err := editors.Open(filepath.Join(dir, adminDir), pl, editors.Options{Logger: log, Days: days})
	if err != nil {
		if len(a.keys) > 0 {
			return nil, err
		}
		log.Warn("the query log and the editors' changes are off", "err", err)
		return func() {}, nil
	}
	opts.Editors = st
	return func() {
		if err := st.Close(); err != nil {
			log.Warn("closing the query log", "err", err)
		}
	}, nil
}
