// Command bulletin-load runs the bounded load test of `make load` (see
// devtools/load) and prints one JSON line per figure on stdout:
//
//	bulletin-load [-bin bin/bulletin] [-work data/load] [-n 2000]
//	              [-clients 32] [-seconds 60] [-runs 2] [-reindex]
//
// LOAD_CLIENTS and LOAD_SECONDS set the defaults of -clients and -seconds.
// It exits 1 if any request got a 5xx or an unexpected answer.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/govbulletin/bulletin/devtools/bench"
	"github.com/govbulletin/bulletin/devtools/load"
)

func envInt(name string, def int) int {
	if s := os.Getenv(name); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			fmt.Fprintf(os.Stderr, "bulletin-load: %s=%q is not a positive number\n", name, s)
			os.Exit(2)
		}
		return v
	}
	return def
}

func main() {
	root, err := bench.FindRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bulletin-load:", err)
		os.Exit(2)
	}
	var o load.Options
	flag.StringVar(&o.Bin, "bin", filepath.Join(root, "bin", "bulletin"), "bulletin binary")
	flag.StringVar(&o.Work, "work", filepath.Join(root, "data", "load"), "folder for the corpus, index and server log (kept for reuse)")
	flag.IntVar(&o.N, "n", 2000, "generated articles indexed beside the seeds")
	flag.IntVar(&o.Clients, "clients", envInt("LOAD_CLIENTS", 32), "concurrent clients ($LOAD_CLIENTS)")
	secs := flag.Int("seconds", envInt("LOAD_SECONDS", 60), "length of one run in seconds ($LOAD_SECONDS)")
	flag.IntVar(&o.Runs, "runs", 2, "runs in a row against the same server (memory growth shows across them)")
	flag.BoolVar(&o.Reindex, "reindex", false, "rebuild the index even if one of the same corpus exists")
	flag.Parse()
	o.Duration = time.Duration(*secs) * time.Second
	o.Out, o.Log = os.Stdout, os.Stderr
	if err := os.MkdirAll(o.Work, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "bulletin-load:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := load.Run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bulletin-load:", err)
		os.Exit(1)
	}
	if res.Errors5xx > 0 || res.ErrorsOther > 0 {
		fmt.Fprintf(os.Stderr, "bulletin-load: %d answers 5xx, %d other errors\n", res.Errors5xx, res.ErrorsOther)
		os.Exit(1)
	}
}
