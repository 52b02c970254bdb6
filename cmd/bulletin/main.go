// Command bulletin indexes and searches Chinese government news bulletins.
//
//	bulletin index  --index DIR [--region NAME] [--district D] [--dict FILE] [--taxonomy FILE] [--ocr auto|off] [--map body=FIELD,...] PATH...
//	bulletin serve  --index DIR [--addr 127.0.0.1:8080] [--cors-origin ORIGIN]... [--write-keys FILE] [--watch PATH]... [--admin-keys FILE] [--query-log-days N]
//	bulletin search --index DIR [--district D] [--topic T] [--year Y] [--json] QUERY
//	bulletin index|serve|search --opensearch URL[,URL...] ...
//	bulletin version
//	bulletin        index the built-in seeds if there is no index yet, then serve
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/gin-gonic/gin"

	"github.com/govbulletin/bulletin/indexer"
	osindex "github.com/govbulletin/bulletin/indexer/opensearch"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/editors"
	"github.com/govbulletin/bulletin/search/embedded"
	osengine "github.com/govbulletin/bulletin/search/opensearch"
	"github.com/govbulletin/bulletin/search/server"
	"github.com/govbulletin/bulletin/seeds"
)

const (
	defaultIndex = "data/index"
	defaultAddr  = "127.0.0.1:8080"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

func newLogger(stderr io.Writer, jsonLogs bool) *slog.Logger {
	if jsonLogs {
		return slog.New(slog.NewJSONHandler(stderr, nil))
	}
	return slog.New(slog.NewTextHandler(stderr, nil))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return demo(ctx, stdout, stderr)
	}
	var err error
	switch args[0] {
	case "index":
		err = cmdIndex(ctx, args[1:], stdout, stderr)
	case "serve":
		err = cmdServe(ctx, args[1:], stdout, stderr)
	case "search":
		err = cmdSearch(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version", "--version", "-version":
		printVersion(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "bulletin: unknown command %q\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "bulletin:", err)
		}
		return 1
	}
	return 0
}

func cmdIndex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("index", defaultIndex, "index directory")
	var cfg indexer.Config
	fs.StringVar(&cfg.Region, "region", "", "province-level region whose districts are inferred (default 北京市)")
	fs.StringVar(&cfg.District, "district", "", "PATH holds one district's bulletins: every article gets this district first")
	fs.StringVar(&cfg.DictFile, "dict", "", "extra user dictionary (word [freq] [tag] per line)")
	fs.StringVar(&cfg.TaxonomyFile, "taxonomy", "", "topic taxonomy YAML replacing the default")
	fieldMap := fs.String("map", "", "JSON Lines field names of other exports: body=FIELD,date=FIELD,...")
	jsonLogs := fs.Bool("log-json", false, "log as JSON")
	osf := addOSFlags(fs)
	ocr := fs.String("ocr", "auto", "read scanned PDF pages with tesseract (chi_sim) when installed: auto or off")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("index: no PATH given")
	}
	if *fieldMap != "" {
		fm, err := source.ParseFieldMap(*fieldMap)
		if err != nil {
			return err
		}
		cfg.Fields = fm
	}
	var err error
	if cfg.OCR, err = source.ParseOCRMode(*ocr); err != nil {
		return err
	}
	cfg.Logger = newLogger(stderr, *jsonLogs)
	if os.Getenv("GOGC") == "" {
		// A build allocates term tables at a high rate and keeps little:
		// collecting at twice the live heap rather than once saves about a
		// tenth of its CPU for about 120 MB more at 20,000 articles.
		debug.SetGCPercent(200)
	}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		cfg.Progress = stderr
	}
	var rep *indexer.Report
	if osf.enabled() {
		c, cerr := osf.client()
		if cerr != nil {
			return cerr
		}
		defer c.Close()
		rep, err = osindex.Build(ctx, c, cfg, osindex.Options{}, fs.Args()...)
	} else {
		rep, err = indexer.Build(ctx, *dir, cfg, fs.Args()...)
	}
	if rep != nil {
		printReport(stderr, rep)
	}
	return err
}

func printReport(w io.Writer, rep *indexer.Report) {
	fmt.Fprintf(w, "indexed %d articles from %d files (%.1f MB) in %.1fs; skipped %d\n",
		rep.Articles, rep.Files, float64(rep.Bytes)/1e6, rep.Elapsed.Seconds(), len(rep.Skipped))
	if rep.Replaced > 0 {
		fmt.Fprintf(w, "  %d articles replaced by a later one with the same id\n", rep.Replaced)
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(w, "  skipped %s\n", s)
	}
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("index", defaultIndex, "index directory")
	addr := fs.String("addr", defaultAddr, "listen address")
	var origins multi
	fs.Var(&origins, "cors-origin", "origin allowed to call the API cross-origin (repeatable)")
	synonyms := fs.String("synonyms", "", "query-time synonym file replacing the default")
	var w writeOptions
	fs.StringVar(&w.keysFile, "write-keys", "", "file of API keys (one a line) that may write; without it the write API answers 403")
	fs.Var(&w.watch, "watch", "folder whose files are indexed, re-indexed and removed as they change (repeatable)")
	fs.StringVar(&w.taxonomy, "taxonomy", "", "topic taxonomy YAML for written articles (as given to index)")
	fs.DurationVar(&w.bodyTimeout, "body-timeout", 30*time.Second, "how long a write's body may send nothing before the write is answered 408")
	var a adminOptions
	fs.StringVar(&a.keysFile, "admin-keys", "", "file of admin keys (one a line, # label after a key); without it the admin API answers 403")
	fs.IntVar(&a.logDays, "query-log-days", 180, "days the query log keeps (0: no log)")
	jsonLogs := fs.Bool("log-json", false, "log as JSON")
	osf := addOSFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	setGinMode(os.Getenv(gin.EnvGinMode))
	if a.logDays < 0 {
		return errors.New("serve: --query-log-days must be 0 or more")
	}
	if osf.enabled() && a.keysFile != "" {
		return errors.New("serve: --admin-keys is not available with --opensearch yet: the editors' tools keep their state beside an --index")
	}
	if a.keysFile != "" {
		keys, err := readAdminKeys(a.keysFile)
		if err != nil {
			return err
		}
		a.keys = keys
	}
	if osf.enabled() {
		return serveOpenSearch(ctx, osf, *addr, origins, *synonyms, newLogger(stderr, *jsonLogs), stdout, w)
	}
	return serve(ctx, *dir, *addr, origins, *synonyms, newLogger(stderr, *jsonLogs), stdout, w, a)
}

// setGinMode sets gin's mode, which is process-wide, before any server is
// built: release (no route listing, no debug warnings on stdout) unless
// mode (GIN_MODE) asks for debug or test.
func setGinMode(mode string) {
	switch mode {
	case gin.DebugMode, gin.TestMode:
		gin.SetMode(mode)
	default:
		gin.SetMode(gin.ReleaseMode)
	}
}

// writeOptions are the flags of the write side of serve.
type writeOptions struct {
	keysFile, taxonomy string
	watch              multi
	bodyTimeout        time.Duration
}

func serve(ctx context.Context, dir, addr string, origins []string, synonyms string, log *slog.Logger, stdout io.Writer, w writeOptions, a adminOptions) error {
	opts := server.Options{CORSOrigins: origins, Logger: log, BodyTimeout: w.bodyTimeout}
	if err := startPprof(log); err != nil {
		return err
	}
	var eng *embedded.Engine
	isLive := false
	if w.keysFile != "" || len(w.watch) > 0 {
		if w.keysFile != "" {
			keys, err := readKeys(w.keysFile)
			if err != nil {
				return err
			}
			opts.WriteKeys = keys
		}
		liveThreads(log)
		live, e, err := openLive(dir, w.taxonomy, synonyms, log)
		if err != nil {
			return err
		}
		defer live.Close()
		eng = e
		opts.Writer, opts.Live = liveWriter{live}, liveStats{live, e}
		isLive = true
		for _, p := range w.watch {
			if err := startWatch(ctx, p, live, log); err != nil {
				eng.Close()
				return err
			}
		}
	} else {
		e, err := embedded.Open(dir, embedded.Options{Logger: log, SynonymsFile: synonyms})
		if err != nil {
			return heldError(dir, nil, err)
		}
		eng = e
	}
	defer eng.Close()
	closeEditors, err := openEditors(dir, eng.Planner(), a, log, &opts)
	if err != nil {
		return err
	}
	defer closeEditors()
	h, err := server.New(eng, opts)
	if err != nil {
		return err
	}
	remove := func() {}
	defer func() { remove() }()
	return server.Serve(ctx, addr, h, log, func(a string) {
		if isLive {
			// It holds the index open for writing: `bulletin search
			// --index DIR` asks it (remote.go).
			r, err := announce(dir, a)
			if err != nil {
				log.Warn("cannot write where this server listens into the index folder; `bulletin search --index` will not reach it", "err", err)
			} else {
				remove = r
			}
		}
		fmt.Fprintf(stdout, "serving %d articles at http://%s/\n", eng.Info().Documents, a)
	})
}

func cmdSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("index", defaultIndex, "index directory")
	var districts, topics, years multi
	fs.Var(&districts, "district", "only this district (repeatable)")
	fs.Var(&topics, "topic", "only this topic (repeatable)")
	fs.Var(&years, "year", "only this year (repeatable)")
	sortBy := fs.String("sort", "relevance", "relevance or date")
	page := fs.Int("page", 1, "page")
	size := fs.Int("size", 10, "results per page")
	asJSON := fs.Bool("json", false, "print the API's JSON")
	synonyms := fs.String("synonyms", "", "query-time synonym file replacing the default")
	osf := addOSFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	q := url.Values{
		"q": {strings.Join(fs.Args(), " ")}, "district": districts, "topic": topics, "year": years,
		"sort": {*sortBy}, "page": {fmt.Sprint(*page)}, "size": {fmt.Sprint(*size)},
	}
	req, err := search.ParseRequest(q)
	if err != nil {
		return err
	}
	var eng searcher
	if !osf.enabled() {
		// A live server holds the index open for writing and alone knows
		// what was written since the build: ask it (remote.go).
		if base, ok := runningServer(*dir); ok {
			resp, err := remoteSearch(ctx, base, q)
			if err == nil {
				return printResults(stdout, req, resp, *asJSON)
			}
			if ne := net.Error(nil); !errors.As(err, &ne) {
				return err
			}
			// Not reachable: read the folder.
		}
	}
	if osf.enabled() {
		c, err := osf.client()
		if err != nil {
			return err
		}
		defer c.Close()
		oe, err := osengine.Open(ctx, c, osengine.Options{Poll: -1, SynonymsFile: *synonyms})
		if err != nil {
			return err
		}
		eng = oe
	} else {
		be, err := embedded.Open(*dir, embedded.Options{Poll: -1, SynonymsFile: *synonyms})
		if err != nil {
			return heldError(*dir, q, err)
		}
		// The synonyms and pins editors set: the answer is the server's.
		if err := editors.Apply(filepath.Join(*dir, adminDir), be.Planner()); err != nil {
			be.Close()
			return err
		}
		eng = be
	}
	defer eng.Close()
	resp, err := eng.Search(ctx, req)
	if err != nil {
		return err
	}
	return printResults(stdout, req, resp, *asJSON)
}

// printResults prints a search's results: the API's JSON, or a list.
func printResults(stdout io.Writer, req search.Request, resp *search.Response, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(stdout).Encode(resp)
	}
	fmt.Fprintf(stdout, "%d results for %q (%.1f ms)\n", resp.Total, resp.Query, resp.TookMS)
	for i, h := range resp.Hits {
		fmt.Fprintf(stdout, "%2d. %s  [%s | %s | %s]\n    %s\n", (req.Page-1)*req.Size+i+1, h.Title, h.Date,
			strings.Join(h.Districts, ","), strings.Join(h.Topics, ","), plain(h.Snippet))
	}
	return nil
}

// plain turns a snippet back into text for a terminal.
func plain(snippet string) string {
	r := strings.NewReplacer("<mark>", "[", "</mark>", "]", "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'")
	return r.Replace(snippet)
}

// demo indexes the built-in seeds if there is no index yet, then serves.
func demo(ctx context.Context, stdout, stderr io.Writer) int {
	log := newLogger(stderr, false)
	_, _, err := schema.Current(defaultIndex)
	if errors.Is(err, schema.ErrOtherVersion) {
		fmt.Fprintf(stderr, "bulletin: %v\n(or remove %s and run again: the built-in sample bulletins are indexed anew)\n", err, defaultIndex)
		return 1
	}
	if errors.Is(err, schema.ErrNoIndex) {
		fmt.Fprintln(stderr, "no index yet: indexing the built-in sample bulletins")
		rep, err := indexer.BuildFS(ctx, defaultIndex, indexer.Config{Logger: log}, seeds.FS)
		if rep != nil {
			printReport(stderr, rep)
		}
		if err != nil {
			fmt.Fprintln(stderr, "bulletin:", err)
			return 1
		}
	}
	if err := serve(ctx, defaultIndex, defaultAddr, nil, "", log, stdout, writeOptions{}, adminOptions{logDays: 180}); err != nil {
		fmt.Fprintln(stderr, "bulletin:", err)
		return 1
	}
	return 0
}

// liveThreads gives a server that takes writes twice as many Go threads
// running at once (GOMAXPROCS) as there are cores, unless the operator set
// GOMAXPROCS. The threads that analyse and write articles run at a lower
// priority (proc.Niced); with only as many threads as cores, a search
// could still wait for one held by the writer or the garbage collector
// until the Go scheduler preempts it (every 10 ms), and the kernel's
// priorities would never come into play. Measured on 2 cores (README, live
// index): the 1-client p99 during a bulk load fell from about 4x its idle
// value to about 1.6x.
func liveThreads(log *slog.Logger) {
	if os.Getenv("GOMAXPROCS") != "" {
		return
	}
	n := 2 * runtime.NumCPU()
	runtime.GOMAXPROCS(n)
	log.Info("live index: Go threads raised for searches to go first", "gomaxprocs", n)
}
