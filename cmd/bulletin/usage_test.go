package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestHelpListsEveryFlag checks that `bulletin --help` names every command
// and every flag each command parses: the flags are read from what the
// command itself prints for -h, so a flag added without a help line fails.
func TestHelpListsEveryFlag(t *testing.T) {
	var help, errb bytes.Buffer
	if code := run(context.Background(), []string{"--help"}, &help, &errb); code != 0 {
		t.Fatalf("--help: exit %d: %s", code, errb.String())
	}
	text := help.String()
	for _, want := range []string{"bulletin index", "bulletin serve", "bulletin search", "bulletin version"} {
		if !strings.Contains(text, want) {
			t.Errorf("--help does not name %q", want)
		}
	}
	flagLine := regexp.MustCompile(`(?m)^  -([a-z][a-z0-9-]*)`)
	for _, cmd := range []string{"index", "serve", "search"} {
		var out, defaults bytes.Buffer
		if code := run(context.Background(), []string{cmd, "-h"}, &out, &defaults); code != 1 {
			t.Fatalf("%s -h: exit %d", cmd, code)
		}
		names := flagLine.FindAllStringSubmatch(defaults.String(), -1)
		if len(names) < 5 {
			t.Fatalf("%s -h printed %d flags:\n%s", cmd, len(names), defaults.String())
		}
		for _, m := range names {
			if !regexp.MustCompile(`(?m)^  --` + regexp.QuoteMeta(m[1]) + `\b`).MatchString(text) {
				t.Errorf("--help does not list %s's flag --%s", cmd, m[1])
			}
		}
	}
	for _, want := range []string{"--write-keys", "--watch", "--map", "--opensearch"} {
		if !strings.Contains(text, want+" ") {
			t.Errorf("--help does not list %s", want)
		}
	}
}

// TestVersion checks `bulletin version` and `--version` in process (a plain
// build says "devel") and in a binary built with the version set the way
// the Makefile sets it.
func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{arg}, &out, &errb); code != 0 {
			t.Fatalf("%s: exit %d: %s", arg, code, errb.String())
		}
		if want := "bulletin devel " + runtime.Version() + " "; !strings.HasPrefix(out.String(), want) {
			t.Errorf("%s printed %q, want the prefix %q", arg, out.String(), want)
		}
	}
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "bulletin")
	build := exec.Command("go", "build", "-ldflags", "-X main.version=v9.8.7-3-gabcdef0", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}
	for _, arg := range []string{"version", "--version"} {
		out, err := exec.Command(bin, arg).Output()
		if err != nil {
			t.Fatalf("bulletin %s: %v", arg, err)
		}
		if want := "bulletin v9.8.7-3-gabcdef0 " + runtime.Version() + " "; !strings.HasPrefix(string(out), want) {
			t.Errorf("bulletin %s printed %q, want the prefix %q", arg, out, want)
		}
	}
}
