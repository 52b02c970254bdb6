// Package indexer turns input files into a complete index generation:
// files → articles (source) → metadata (enrich) → terms (analysis) → a bleve
// index and an article store, switched in only once complete.
package indexer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/enrich"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/indexer/wal"
)

// Config is the indexer's configuration. The zero value is valid: region
// 北京市, the embedded taxonomy and dictionary, no progress output.
type Config struct {
	Region string // province-level region (--region)
	// District says that every input is one district's bulletins
	// (--district): each article gets it first, before the districts its
	// text names; districts given with an article still override.
	District     string
	DictFile     string    // extra user dictionary (--dict)
	TaxonomyFile string    // replacement taxonomy (--taxonomy)
	Progress     io.Writer // progress output (stderr); nil for none
	Logger       *slog.Logger
	// MaxFileBytes caps the size of one input file; 0 means 64 MiB.
	MaxFileBytes int64
	// Workers is the number of analysis goroutines; 0 means GOMAXPROCS.
	Workers int
	// Fields names the fields of JSON Lines exports that other systems
	// name differently (--map); nil for the usual names.
	Fields source.FieldMap
	// OCR says whether scanned PDF pages are read with tesseract (--ocr).
	OCR source.OCRMode
}

// Report says what a build did.
type Report struct {
	Generation string
	Files      int // files read
	Articles   int // articles indexed
	Skipped    []Skip
	Elapsed    time.Duration
	Bytes      int64 // bytes of input read
	// Replaced counts articles not indexed because a later one has their
	// id (JSON Lines exports and the write API: the later one wins).
	Replaced int
}

// Skip names a file (and line) that was not indexed, and why.
type Skip struct {
	Path   string
	Line   int
	Reason string
}

func (s Skip) String() string {
	if s.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", s.Path, s.Line, s.Reason)
	}
	return fmt.Sprintf("%s: %s", s.Path, s.Reason)
}

// ErrNothingIndexed is returned when no input yielded an article.
var ErrNothingIndexed = errors.New("nothing usable was indexed")

// Input is one file to read: its name for ids and messages and a way to
// read it (WalkPaths, RecordsInputs).
type Input struct {
	rel  string // path relative to the root given, slash-separated
	show string // path as shown in messages
	open func() ([]byte, error)
	// stream opens the file for reading a piece at a time (JSON Lines);
	// nil for files read whole.
	stream func() (io.ReadCloser, error)
	n      int // position in the run's order of inputs
}

// Build indexes the files and folders at paths (recursively) into a new
// generation of the index in dir and makes it current.
func Build(ctx context.Context, dir string, cfg Config, paths ...string) (*Report, error) {
	prep := Prepare(cfg) // jieba loads while the paths are walked
	inputs, skips, err := WalkPaths(paths, cfg.MaxFile())
	if err != nil {
		return nil, err
	}
	return build(ctx, dir, cfg, prep, inputs, skips)
}

// BuildFS indexes every supported file of fsys (such as the embedded seeds).
func BuildFS(ctx context.Context, dir string, cfg Config, fsys fs.FS) (*Report, error) {
	prep := Prepare(cfg)
	var inputs []Input
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !source.Supported(p) {
			return nil
		}
		p2 := p
		in := Input{rel: p2, show: p2, open: func() ([]byte, error) { return fs.ReadFile(fsys, p2) }}
		if isJSONL(p2) {
			in.stream = func() (io.ReadCloser, error) { return fsys.Open(p2) }
		}
		inputs = append(inputs, in)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return build(ctx, dir, cfg, prep, inputs, nil)
}

// MaxFile is the size over which a file is skipped (MaxFileBytes, else
// 64 MiB).
func (c Config) MaxFile() int64 {
	if c.MaxFileBytes > 0 {
		return c.MaxFileBytes
	}
	return 64 << 20
}

// Log is the logger of the build (Logger, else one that discards).
func (c Config) Log() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// Preparation is what a build needs before it reads files: the enricher
// (gazetteer, taxonomy), the --dict entries, and the generation's segmenter,
// which loads in the background (about 1.4 s) while files are walked, read,
// split and enriched.
type Preparation struct {
	ready    chan struct{} // closed when en, userDict, err are set
	en       *enrich.Enricher
	userDict []string // --dict entries as dictionary lines (Meta.UserDict)
	err      error
	seg      chan segResult // the segmenter, once loaded
}

type segResult struct {
	seg *analysis.Segmenter
	err error
}

// Prepare starts preparing a build with cfg (the segmenter loads in the
// background). Concurrency: Wait may be called from any goroutine, any
// number of times; Segmenter once.
func Prepare(cfg Config) *Preparation {
	p := &Preparation{ready: make(chan struct{}), seg: make(chan segResult, 1)}
	go func() {
		dict, err := p.load(cfg)
		close(p.ready)
		if err != nil {
			p.seg <- segResult{err: err}
			return
		}
		seg, err := analysis.For(dict)
		p.seg <- segResult{seg, err}
	}()
	return p
}

func (p *Preparation) load(cfg Config) (analysis.Dictionary, error) {
	p.en, p.err = enrich.New(enrich.Config{Region: cfg.Region, TaxonomyFile: cfg.TaxonomyFile, District: cfg.District})
	if p.err != nil {
		return analysis.Dictionary{}, p.err
	}
	if cfg.DictFile != "" {
		f, err := os.Open(cfg.DictFile)
		if err != nil {
			p.err = fmt.Errorf("dictionary: %w", err)
			return analysis.Dictionary{}, p.err
		}
		extra, err := analysis.ParseDict(f)
		f.Close()
		if err != nil {
			p.err = fmt.Errorf("dictionary %s: %w", cfg.DictFile, err)
			return analysis.Dictionary{}, p.err
		}
		for _, e := range extra {
			p.userDict = append(p.userDict, e.Line())
		}
	}
	// The generation's dictionary, made as the server makes it again from
	// the meta (UserWords, UserDict).
	var dict analysis.Dictionary
	dict, p.err = analysis.GenerationDictionary(p.en.Gazetteer.DictWords(), p.userDict)
	return dict, p.err
}

// Wait returns the enricher and the --dict lines.
func (p *Preparation) Wait() (*enrich.Enricher, []string, error) {
	<-p.ready
	return p.en, p.userDict, p.err
}

// Segmenter waits for the generation's Segmenter.
func (p *Preparation) Segmenter() (*analysis.Segmenter, error) {
	r := <-p.seg
	return r.seg, r.err
}

func build(ctx context.Context, dir string, cfg Config, prep *Preparation, inputs []Input, skips []Skip) (*Report, error) {
	start := time.Now()
	log := cfg.Log()
	own := ownerOf(dir)
	if err := own.mkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index dir: %w", err)
	}
	release, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := own.chown(filepath.Join(dir, schema.LockFile)); err != nil {
		return nil, err
	}

	// ctx also stops the pipeline's goroutines when the build gives up early.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	en, userDict, err := prep.Wait()
	if err != nil {
		return nil, err
	}
	name, gen, err := newGeneration(dir)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(gen)
		}
	}()
	w, err := newWriters(gen)
	if err != nil {
		return nil, err
	}

	rep := &Report{Generation: name, Skipped: skips}
	// The write log is a source like the files, read last: its articles
	// replace those with their ids, its deletions remove them.
	logSt, err := wal.ReadState(filepath.Join(dir, wal.FileName))
	if err != nil {
		return nil, err
	}
	logIn := -1
	if len(logSt.Puts) > 0 {
		in, err := logInput(logSt.Puts, gen)
		if err != nil {
			return nil, err
		}
		logIn = len(inputs)
		inputs = append(inputs, in)
	}
	for i := range inputs {
		inputs[i].n = i
	}
	// Which line of each given id comes last (the later article wins).
	winners, err := lastOfIDs(ctx, inputs, cfg.Fields)
	if err != nil {
		return nil, err
	}
	// The log's articles replace the files' articles with their ids, also
	// those of files read whole (a watched file's articles have the ids
	// this build gives them), and its deletions remove them.
	if logIn >= 0 {
		if err := logWins(inputs[logIn], cfg.Fields, winners); err != nil {
			return nil, err
		}
	}
	for id := range logSt.Deleted {
		winners[id] = srcPos{-1, 0} // no article has this position
	}
	log.Info("given ids scanned", "repeated", len(winners), "elapsed", time.Since(start).String())
	titles, err := w.run(ctx, cfg, prep, en, inputs, winners, rep, log)
	log.Info("articles analysed and added", "articles", rep.Articles, "elapsed", time.Since(start).String())
	if err := w.finish(titles, err, rep, log, start); err != nil {
		return rep, err
	}
	if rep.Articles == 0 {
		return rep, ErrNothingIndexed
	}

	meta := schema.Meta{
		Schema: schema.Version, Name: name, Created: time.Now().UTC(), Articles: rep.Articles,
		Region: en.Gazetteer.Region, Districts: en.Gazetteer.Districts(), Topics: en.Taxonomy.Names(),
		UserWords: en.Gazetteer.DictWords(), UserDict: userDict, LogSeq: logSt.Held,
	}
	if err := commitGeneration(dir, name, meta, own); err != nil {
		return rep, err
	}
	ok = true
	if err := removeOld(dir, name); err != nil {
		log.Warn("removing old generations", "err", err)
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}
