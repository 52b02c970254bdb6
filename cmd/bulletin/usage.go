package main

import (
	_ "embed"
	"fmt"
	"io"
	"runtime"
)

// usage is what `bulletin --help` prints: every command and every flag.
//
//go:embed usage.txt
var usage string

// version is the release this binary was built from. `make build` sets it
// from `git describe` with -ldflags "-X main.version=..."; a plain
// `go build` leaves "devel".
var version = "devel"

// printVersion prints the version and the Go version the binary was built
// with, e.g. "bulletin v1.2.0 go1.26.8 linux/amd64".
func printVersion(w io.Writer) {
	fmt.Fprintf(w, "bulletin %s %s %s/%s\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
