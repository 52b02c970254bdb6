package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// Options configure one benchmark run. Zero values take the defaults noted.
type Options struct {
	N         int           // articles (20,000)
	Seed      uint64        // corpus seed (DefaultSeed)
	Root      string        // module root: vocabulary sources (found from the working directory)
	Bin       string        // the bulletin binary (Root/bin/bulletin)
	Work      string        // work folder; "" makes one under the temp dir, removed after
	Keep      bool          // keep the work folder
	Clients   int           // concurrent clients of the second query phase (8)
	Queries1  int           // most queries of the one-client phase (2,000)
	QueriesN  int           // most queries of the concurrent phase, all clients together (6,000)
	PhaseTime time.Duration // longest time of each query phase (60 s)
	Timeout   time.Duration // whole run (20 min + 10 ms per article)
	Profile   string        // if set, in-process pprof experiments are written here
	// BulkN, when > 0, adds a phase: the one-client query mix again while
	// BulkN more articles stream in through the write API (_bulk).
	BulkN int
	Out   io.Writer // JSON lines, one per figure (stdout)
	Log   io.Writer // progress (stderr)
}

func (o *Options) defaults() error {
	if o.N <= 0 {
		o.N = 20000
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Root == "" {
		r, err := FindRoot()
		if err != nil {
			return err
		}
		o.Root = r
	}
	if o.Bin == "" {
		o.Bin = filepath.Join(o.Root, "bin", "bulletin")
	}
	if o.Clients <= 0 {
		o.Clients = 8
	}
	if o.Queries1 <= 0 {
		o.Queries1 = 2000
	}
	if o.QueriesN <= 0 {
		o.QueriesN = 6000
	}
	if o.PhaseTime <= 0 {
		o.PhaseTime = 60 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 20*time.Minute + time.Duration(o.N)*10*time.Millisecond
	}
	if o.Out == nil {
		o.Out = os.Stdout
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	return nil
}

// Figure is one measured value, printed as one JSON line.
type Figure struct {
	Figure string  `json:"figure"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	N      int     `json:"n"`
}

type runner struct {
	o       Options
	enc     *json.Encoder
	figures []Figure
}

func (r *runner) emit(name string, v float64, unit string) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = -1
	}
	f := Figure{Figure: name, Value: round3(v), Unit: unit, N: r.o.N}
	r.figures = append(r.figures, f)
	r.enc.Encode(f)
}

func (r *runner) logf(format string, args ...any) {
	fmt.Fprintf(r.o.Log, "bench: "+format+"\n", args...)
}

// round3 keeps three decimals (and whole numbers for large values).
func round3(v float64) float64 {
	if math.Abs(v) >= 1000 {
		return math.Round(v*10) / 10
	}
	return math.Round(v*1000) / 1000
}

const mb = 1e6

// Run generates the corpus, measures the floor, the indexer and the server
// on it, and prints one JSON line per figure to o.Out.
func Run(ctx context.Context, o Options) ([]Figure, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	r := &runner{o: o, enc: json.NewEncoder(o.Out)}
	if o.Profile != "" && !profileBuilt {
		return nil, errors.New("bench: -profile needs a build with -tags benchprof")
	}
	if _, err := os.Stat(o.Bin); err != nil {
		return nil, fmt.Errorf("bench: binary %s: %w (run `make build`)", o.Bin, err)
	}
	work := o.Work
	made := false
	if work == "" {
		w, err := os.MkdirTemp("", "bulletin-bench-")
		if err != nil {
			return nil, err
		}
		work, made = w, true
	} else if err := os.MkdirAll(work, 0o755); err != nil {
		return nil, err
	}
	corpus := filepath.Join(work, "corpus")
	indexDir := filepath.Join(work, "index")
	// Only what the bench writes is removed; a folder given with -work stays.
	ours := []string{corpus, indexDir, filepath.Join(work, "index-prof"), filepath.Join(work, "serve.log")}
	for _, p := range ours {
		os.RemoveAll(p)
	}
	if o.Keep {
		r.logf("work folder kept: %s", work)
	} else {
		defer func() {
			for _, p := range ours {
				os.RemoveAll(p)
			}
			if made {
				os.Remove(work)
			}
		}()
	}

	// 1. Corpus.
	v, err := LoadVocab(o.Root)
	if err != nil {
		return nil, err
	}
	cfg := GenConfig{N: o.N, Seed: o.Seed}
	r.logf("generating %d articles into %s", o.N, corpus)
	t0 := time.Now()
	st, err := Write(corpus, v, cfg)
	if err != nil {
		return nil, err
	}
	r.emit("corpus_articles", float64(st.Articles), "articles")
	r.emit("corpus_pages", float64(st.Pages), "files")
	r.emit("corpus_mb", float64(st.FileBytes)/mb, "MB")
	r.emit("corpus_text_mb", float64(st.TextBytes)/mb, "MB")
	r.emit("corpus_mean_article_chars", float64(st.TextRunes)/float64(max(st.Articles, 1)), "chars")
	r.emit("corpus_gen_s", time.Since(t0).Seconds(), "s")

	// Other work on the machine skews every figure: record the load.
	r.emit("host_cpus", float64(runtime.NumCPU()), "cpus")
	r.emit("host_load_1m_before_floor", loadavg(), "load")

	// 2. The floor: bare gojieba, search mode, HMM off, one goroutine.
	// prefix names its figures ("floor_gojieba", or "..._after_index").
	measureFloor := func(prefix string) (float64, error) {
		r.logf("%s: bare gojieba on one goroutine", prefix)
		fl, err := floor(ctx, v, cfg, o.Timeout/4)
		if err != nil {
			return 0, err
		}
		if fl.articles < o.N {
			r.logf("floor stopped early at %d articles (time limit)", fl.articles)
		}
		rate := float64(fl.articles) / fl.d.Seconds()
		r.emit(prefix+"_articles_per_s", rate, "articles/s")
		r.emit(prefix+"_mb_per_s", float64(fl.bytes)/mb/fl.d.Seconds(), "MB/s")
		r.emit(prefix+"_s", fl.d.Seconds(), "s")
		return rate, nil
	}
	floorRate, err := measureFloor("floor_gojieba")
	if err != nil {
		return nil, err
	}

	// 3. Indexing, as a subprocess: wall clock including start-up, peak RSS.
	r.emit("host_load_1m_before_index", loadavg(), "load")
	r.logf("indexing with %s", o.Bin)
	ix, err := indexRun(ctx, o.Bin, indexDir, corpus, st.FileBytes)
	if err != nil {
		return nil, err
	}
	rate := float64(st.Articles) / ix.wall.Seconds()
	r.emit("index_articles_per_s", rate, "articles/s")
	r.emit("index_mb_per_s", float64(st.FileBytes)/mb/ix.wall.Seconds(), "MB/s")
	r.emit("index_wall_s", ix.wall.Seconds(), "s")
	r.emit("index_cpu_s", ix.cpu.Seconds(), "s")
	r.emit("index_cpu_cores", ix.cpu.Seconds()/ix.wall.Seconds(), "cores")
	if ix.afterRead > 0 {
		// From the moment all input was read to exit: the final flush,
		// merge and sync (time sampled every 200 ms).
		r.emit("index_after_input_read_s", ix.afterRead.Seconds(), "s")
	}
	r.emit("index_peak_rss_mb", float64(ix.maxRSS)/mb, "MB")
	r.emit("index_peak_rss_anon_mb", float64(ix.peakAnon)/mb, "MB")
	r.emit("index_peak_rss_file_mb", float64(ix.peakFile)/mb, "MB")
	r.emit("index_articles_indexed", float64(ix.articles), "articles")
	if ix.articles != st.Articles {
		r.logf("WARNING: generated %d articles, the indexer reports %d", st.Articles, ix.articles)
	}
	size := dirSize(indexDir)
	r.emit("index_size_mb", float64(size)/mb, "MB")
	r.emit("index_size_ratio", float64(size)/float64(st.FileBytes), "x raw")

	// The floor again, right after indexing: the host's speed drifts (by
	// 10-15 % within minutes on a shared machine), so the ratio is taken
	// against the faster of the two floors, the conservative choice.
	floorAfter, err := measureFloor("floor_gojieba_after_index")
	if err != nil {
		return nil, err
	}
	r.emit("index_ratio_to_floor", rate/max(floorRate, floorAfter), "x")
	r.emit("index_ratio_to_floor_before", rate/floorRate, "x")
	r.emit("index_ratio_to_floor_after", rate/floorAfter, "x")

	// 4. Queries over HTTP.
	r.emit("host_load_1m_before_queries", loadavg(), "load")
	if err := r.queries(ctx, v, indexDir, work); err != nil {
		return r.figures, err
	}
	r.emit("host_load_1m_at_end", loadavg(), "load")

	// 5. Optional in-process profiles.
	if o.Profile != "" {
		if err := r.profile(ctx, v, corpus, filepath.Join(work, "index-prof")); err != nil {
			return r.figures, err
		}
	}
	return r.figures, nil
}
