// Command bulletin-bench measures the product on a generated corpus
// and prints one JSON line per figure:
//
//	bulletin-bench [-n N] [-seed S] [-bin bin/bulletin] [-work DIR] [-keep]
//	               [-clients 8] [-q1 2000] [-qn 6000] [-phase 60s] [-profile DIR]
//	bulletin-bench -gen DIR -n N      (only write the corpus)
//
// The size defaults to $BENCH_N, else 20,000 articles.
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

	"github.com/gin-gonic/gin"

	"github.com/govbulletin/bulletin/devtools/bench"
)

func main() {
	n := 20000
	if s := os.Getenv("BENCH_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			fmt.Fprintf(os.Stderr, "bulletin-bench: BENCH_N=%q is not a positive number\n", s)
			os.Exit(2)
		}
		n = v
	}
	var o bench.Options
	flag.IntVar(&o.N, "n", n, "articles in the corpus (the default is $BENCH_N when set)")
	flag.Uint64Var(&o.Seed, "seed", bench.DefaultSeed, "corpus seed")
	flag.StringVar(&o.Bin, "bin", "", "bulletin binary (default ROOT/bin/bulletin)")
	flag.StringVar(&o.Work, "work", "", "work folder (default: a temporary folder, removed after)")
	flag.BoolVar(&o.Keep, "keep", false, "keep the work folder")
	flag.IntVar(&o.Clients, "clients", 8, "concurrent clients")
	flag.IntVar(&o.Queries1, "q1", 2000, "most requests of the one-client phase")
	flag.IntVar(&o.QueriesN, "qn", 6000, "most requests of the concurrent phase (all clients)")
	flag.DurationVar(&o.PhaseTime, "phase", 60*time.Second, "longest time of each query phase")
	flag.DurationVar(&o.Timeout, "timeout", 0, "longest time of the whole run (default 20m + 10ms per article)")
	flag.StringVar(&o.Profile, "profile", "", "also profile the indexer and queries in-process, writing pprof files here (needs -tags benchprof)")
	flag.IntVar(&o.BulkN, "bulk", 0, "also run the one-client query mix while this many new articles stream in through the write API")
	obvious := flag.String("obvious", "", "only index the .jsonl files of this folder the obvious way (jieba tokenizer in bleve, safe batches of 1,000) and print the rate")
	obviousVariant := flag.String("obvious-variant", "fields", "with -obvious: fields (title and body as text fields with bleve's defaults: stored, term vectors), record (the design card's: the whole record through bleve's default dynamic mapping) or single (record, one idx.Index call per article, as bleve's README shows)")
	gen := flag.String("gen", "", "only generate the corpus into this folder")
	genJSONL := flag.Int("jsonl", 0, "with -gen: write the corpus as JSON Lines exports of this many articles a file")
	flag.Parse()
	// -profile runs the HTTP handler in this process: gin's debug mode
	// would print its routes on stdout, among the figures.
	gin.SetMode(gin.ReleaseMode)
	o.Log = os.Stderr
	o.Out = os.Stdout

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *obvious != "" {
		out, err := os.MkdirTemp("", "bulletin-obvious-")
		if err == nil {
			defer os.RemoveAll(out)
			var n int
			var d time.Duration
			n, d, err = bench.ObviousBuild(*obvious, filepath.Join(out, "index"), bench.ObviousVariant(*obviousVariant))
			if err == nil {
				fmt.Printf("{\"figure\":\"obvious_build_articles_per_s\",\"variant\":%q,\"value\":%.1f,\"unit\":\"articles/s\",\"n\":%d,\"s\":%.1f}\n", *obviousVariant, float64(n)/d.Seconds(), n, d.Seconds())
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bulletin-bench:", err)
			os.Exit(1)
		}
		return
	}
	if *gen != "" {
		root, err := bench.FindRoot()
		if err == nil {
			var v *bench.Vocab
			if v, err = bench.LoadVocab(root); err == nil {
				var st bench.Stats
				if *genJSONL > 0 {
					st, err = bench.WriteJSONL(*gen, v, bench.GenConfig{N: o.N, Seed: o.Seed}, *genJSONL)
				} else {
					st, err = bench.Write(*gen, v, bench.GenConfig{N: o.N, Seed: o.Seed})
				}
				fmt.Fprintf(os.Stderr, "wrote %d articles in %d files (%.1f MB) to %s\n", st.Articles, st.Pages, float64(st.FileBytes)/1e6, *gen)
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bulletin-bench:", err)
			os.Exit(1)
		}
		return
	}
	if _, err := bench.Run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bulletin-bench:", err)
		os.Exit(1)
	}
}
