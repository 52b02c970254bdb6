// Package indexer turns input files into a complete index generation:
// files → articles (source) → metadata (enrich) → terms (analysis) → a bleve
// index and an article store, switched in only once complete.
package indexer

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/util"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/enrich"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/indexer/store"
)

// Config is the indexer's configuration. The zero value is valid: region
// 北京市, the embedded taxonomy and dictionary, no progress output.
type Config struct {
	Region       string    // province-level region (--region)
	DictFile     string    // extra user dictionary (--dict)
	TaxonomyFile string    // replacement taxonomy (--taxonomy)
	Progress     io.Writer // progress output (stderr); nil for none
	Logger       *slog.Logger
	// MaxFileBytes caps the size of one input file; 0 means 64 MiB.
	MaxFileBytes int64
	// Workers is the number of analysis goroutines; 0 means GOMAXPROCS.
	Workers int
}

// Report says what a build did.
type Report struct {
	Generation string
	Files      int // files read
	Articles   int // articles indexed
	Skipped    []Skip
	Elapsed    time.Duration
	Bytes      int64 // bytes of input read
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

// input is one file to read: its name for ids and messages and a way to read it.
type input struct {
	rel  string // path relative to the root given, slash-separated
	show string // path as shown in messages
	open func() ([]byte, error)
}

// Build indexes the files and folders at paths (recursively) into a new
// generation of the index in dir and makes it current.
func Build(ctx context.Context, dir string, cfg Config, paths ...string) (*Report, error) {
	prep := prepare(cfg) // jieba loads while the paths are walked
	inputs, skips, err := walkPaths(paths, cfg.maxFile())
	if err != nil {
		return nil, err
	}
	return build(ctx, dir, cfg, prep, inputs, skips)
}

// BuildFS indexes every supported file of fsys (such as the embedded seeds).
func BuildFS(ctx context.Context, dir string, cfg Config, fsys fs.FS) (*Report, error) {
	prep := prepare(cfg)
	var inputs []input
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !source.Supported(p) {
			return nil
		}
		p2 := p
		inputs = append(inputs, input{rel: p2, show: p2, open: func() ([]byte, error) { return fs.ReadFile(fsys, p2) }})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return build(ctx, dir, cfg, prep, inputs, nil)
}

func (c Config) maxFile() int64 {
	if c.MaxFileBytes > 0 {
		return c.MaxFileBytes
	}
	return 64 << 20
}

func (c Config) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// analysed is one article ready for the index.
type analysed struct {
	art                 *schema.Article
	doc                 *document.Document
	rec                 store.Record // the article compressed for the store
	normTitle, normBody string       // until analysed
}

// fileResult is what a worker makes of one input file.
type fileResult struct {
	in    input
	arts  []analysed
	skips []Skip
	bytes int64
	err   error
}

// preparation is what a build needs before it reads files: the enricher
// (gazetteer, taxonomy), the --dict entries, and the generation's segmenter,
// which loads in the background (about 1.4 s) while files are walked, read,
// split and enriched.
type preparation struct {
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

// prepare starts preparing a build with cfg.
func prepare(cfg Config) *preparation {
	p := &preparation{ready: make(chan struct{}), seg: make(chan segResult, 1)}
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

func (p *preparation) load(cfg Config) (analysis.Dictionary, error) {
	p.en, p.err = enrich.New(enrich.Config{Region: cfg.Region, TaxonomyFile: cfg.TaxonomyFile})
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

// wait returns the enricher and the --dict lines.
func (p *preparation) wait() (*enrich.Enricher, []string, error) {
	<-p.ready
	return p.en, p.userDict, p.err
}

// segmenter waits for the generation's segmenter.
func (p *preparation) segmenter() (*analysis.Segmenter, error) {
	r := <-p.seg
	return r.seg, r.err
}

func build(ctx context.Context, dir string, cfg Config, prep *preparation, inputs []input, skips []Skip) (*Report, error) {
	start := time.Now()
	log := cfg.logger()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("index dir: %w", err)
	}
	release, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	defer release()

	// ctx also stops the pipeline's goroutines when the build gives up early.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	en, userDict, err := prep.wait()
	if err != nil {
		return nil, err
	}

	name := newGenerationName(dir)
	gen := filepath.Join(dir, name)
	if err := os.MkdirAll(gen, 0o755); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(gen)
		}
	}()

	b, err := newBleveBuilder(filepath.Join(gen, schema.BleveDir))
	if err != nil {
		return nil, err
	}
	sw, err := store.Create(filepath.Join(gen, schema.StoreFile))
	if err != nil {
		return nil, err
	}

	rep := &Report{Generation: name, Skipped: skips}
	prog := newProgress(cfg.Progress, len(inputs))

	// A pipeline: readers read, split and enrich files; analysers segment
	// them (once jieba is loaded) and count terms; this goroutine feeds
	// bleve and the store, which are not concurrent. The buffers let each
	// stage run ahead: readers while jieba loads, analysers while bleve
	// builds a segment (500 articles). The read buffer holds about 2,000
	// files (some 50 MB), whatever the size of the corpus.
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := make(chan input)
	read := make(chan fileResult, 2048)
	results := make(chan fileResult, 256)
	var readers, analysers sync.WaitGroup
	for i := 0; i < workers; i++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for in := range jobs {
				select {
				case read <- readFile(in, cfg.maxFile(), en):
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, in := range inputs {
			select {
			case jobs <- in:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { readers.Wait(); close(read) }()

	seg, err := prep.segmenter()
	if err != nil {
		return nil, err
	}
	for i := 0; i < workers; i++ {
		analysers.Add(1)
		go func() {
			defer analysers.Done()
			for r := range read {
				results <- analyseFile(r, seg, sw)
			}
		}()
	}
	go func() { analysers.Wait(); close(results) }()

	var titles []string // for suggestions, see writeTitles
	var firstErr error
	for r := range results {
		if firstErr != nil {
			continue // drain
		}
		rep.Files++
		rep.Bytes += r.bytes
		prog.add(1, r.bytes)
		if r.err != nil {
			rep.Skipped = append(rep.Skipped, Skip{Path: r.in.show, Reason: r.err.Error()})
			log.Warn("skipped file", "path", r.in.show, "reason", r.err.Error())
			continue
		}
		for _, s := range r.skips {
			rep.Skipped = append(rep.Skipped, s)
			log.Warn("skipped part of file", "path", s.Path, "line", s.Line, "reason", s.Reason)
		}
		for _, a := range r.arts {
			if err := b.Index(a.doc); err != nil {
				firstErr = fmt.Errorf("index %s: %w", a.art.ID, err)
				break
			}
			if err := sw.Append(a.rec); err != nil {
				firstErr = err
				break
			}
			titles = append(titles, a.art.Title)
			rep.Articles++
		}
	}
	prog.done()
	log.Info("articles analysed and added", "articles", rep.Articles, "elapsed", time.Since(start).String())
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	// The store and the titles are finished on the other core while bleve
	// merges its segments, which takes one core for a while (about 10 s at
	// 200,000 articles).
	sideErr := make(chan error, 1)
	go func() {
		if err := sw.Close(); err != nil {
			sideErr <- fmt.Errorf("store: %w", err)
			return
		}
		if firstErr == nil && rep.Articles > 0 {
			sideErr <- writeTitles(filepath.Join(gen, schema.TitlesFile), titles)
			return
		}
		sideErr <- nil
	}()
	// Close merges and publishes the builder's segments. It is called only
	// for a build that will be kept: scorch.Builder.Close panics (index out
	// of range) when no document was indexed, which is the case of a run
	// over only bad files or one canceled early. The builder holds no open
	// file between batches; its files go with the generation folder.
	mergeErr := firstErr
	if mergeErr == nil && rep.Articles > 0 {
		if err := b.Close(); err != nil {
			mergeErr = fmt.Errorf("bleve: %w", err)
		}
		log.Info("index segments merged", "elapsed", time.Since(start).String())
	}
	if err := <-sideErr; mergeErr == nil {
		mergeErr = err
	}
	if mergeErr != nil {
		return rep, mergeErr
	}
	if rep.Articles == 0 {
		return rep, ErrNothingIndexed
	}

	meta := schema.Meta{
		Schema: schema.Version, Name: name, Created: time.Now().UTC(), Articles: rep.Articles,
		Region: en.Gazetteer.Region, Districts: en.Gazetteer.Districts(), Topics: en.Taxonomy.Names(),
		UserWords: en.Gazetteer.DictWords(), UserDict: userDict,
	}
	raw, _ := json.MarshalIndent(meta, "", "  ")
	if err := syncTree(gen); err != nil {
		return rep, err
	}
	// meta.json last: a generation with meta.json is complete.
	if err := os.WriteFile(filepath.Join(gen, schema.MetaFile), raw, 0o644); err != nil {
		return rep, err
	}
	if err := syncPath(filepath.Join(gen, schema.MetaFile)); err != nil {
		return rep, err
	}
	if err := syncPath(gen); err != nil {
		return rep, err
	}
	if err := publish(dir, name); err != nil {
		return rep, fmt.Errorf("switch to new generation: %w", err)
	}
	ok = true
	if err := removeOld(dir, name); err != nil {
		log.Warn("removing old generations", "err", err)
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// newBleveBuilder starts an offline scorch build (segments written in
// batches, merged on Close) in path, with the explicit mapping saved in it.
func newBleveBuilder(path string) (*scorch.Builder, error) {
	m := Mapping()
	if err := m.Validate(); err != nil {
		return nil, err
	}
	mj, err := util.MarshalJSON(m)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, err
	}
	// The same index_meta.json that bleve.New writes for scorch.
	if err := os.WriteFile(filepath.Join(path, "index_meta.json"), []byte(`{"storage":"scorch","index_type":"scorch"}`), 0o644); err != nil {
		return nil, err
	}
	return scorch.NewBuilder(map[string]interface{}{
		"path":            filepath.Join(path, "store"),
		"buildPathPrefix": path,
		"batchSize":       500,
		"mergeMax":        400, // one merge pass up to 200,000 articles; 400 files open at most
		"internal":        map[string][]byte{string(util.MappingInternalKey): mj},
	})
}

// readFile reads one file into articles with their metadata, and their
// normalised title and body for analyseFile.
func readFile(in input, maxBytes int64, en *enrich.Enricher) (res fileResult) {
	res.in = in
	defer func() {
		if p := recover(); p != nil { // a reader bug must not lose the run
			res.arts, res.err = nil, fmt.Errorf("internal error reading file: %v", p)
		}
	}()
	data, err := in.open()
	if err != nil {
		res.err = err
		return res
	}
	if int64(len(data)) > maxBytes {
		res.err = fmt.Errorf("file larger than %d bytes", maxBytes)
		return res
	}
	res.bytes = int64(len(data))
	page, err := source.Read(in.rel, data)
	if err != nil {
		res.err = err
		return res
	}
	for _, p := range page.Problems {
		res.skips = append(res.skips, Skip{Path: in.show, Line: p.Line, Reason: p.Reason})
	}
	var pageDate string
	var pageYear int
	var pageDistricts []string
	pageDistrictsDone := false
	var normPage string // the page's text, normalised once for page-level inference
	if page.Shared {
		normPage = analysis.Normalize(page.Text)
		pageDate, pageYear = enrich.PageDate(normPage)
	}
	for i, d := range page.Docs {
		a := &schema.Article{
			ID:     articleID(in.rel, i, d.ID),
			Title:  strings.TrimSpace(analysis.CleanText(d.Title)),
			Body:   strings.TrimSpace(analysis.CleanText(d.Body)),
			Source: path.Base(in.rel),
			URL:    d.Given.URL,
		}
		if d.Given.Title != "" {
			a.Title = analysis.CleanText(d.Given.Title)
		}
		if d.Given.Source != "" {
			a.Source = d.Given.Source
		}
		normTitle, normBody := analysis.Normalize(a.Title), analysis.Normalize(a.Body)
		switch {
		case d.Given.Date != "":
			a.Date = d.Given.Date
			a.Year, _ = strconv.Atoi(a.Date[:4])
		case page.Shared:
			a.Date, a.Year = pageDate, pageYear
		default:
			a.Date, a.Year = enrich.PageDate(normTitle + "\n" + normBody)
		}
		if len(d.Given.Districts) > 0 {
			for _, x := range d.Given.Districts {
				a.Districts = appendUnique(a.Districts, en.CanonicalDistrict(x))
			}
		} else {
			a.Districts = en.Districts(normTitle, normBody)
			if len(a.Districts) == 0 && page.Shared && len(page.Docs) > 1 {
				if !pageDistrictsDone {
					pageDistricts = en.Districts("", normPage)
					pageDistrictsDone = true
				}
				if len(pageDistricts) > 0 {
					a.Districts = pageDistricts[:1]
				}
			}
		}
		if len(d.Given.Topics) > 0 {
			for _, x := range d.Given.Topics {
				a.Topics = appendUnique(a.Topics, strings.TrimSpace(x))
			}
		} else {
			a.Topics = en.Topics(normTitle, normBody)
		}
		if a.Districts == nil {
			a.Districts = []string{}
		}
		if a.Topics == nil {
			a.Topics = []string{}
		}
		res.arts = append(res.arts, analysed{art: a, normTitle: normTitle, normBody: normBody})
	}
	return res
}

// recordEncoder compresses articles for the store; it is safe for
// concurrent use (store.Writer).
type recordEncoder interface {
	Encode(*schema.Article) (store.Record, error)
}

// analyseFile segments the articles of a file read by readFile and makes
// their bleve documents and store records.
func analyseFile(read fileResult, seg *analysis.Segmenter, enc recordEncoder) (res fileResult) {
	res = read
	defer func() {
		if p := recover(); p != nil { // an analysis bug must not lose the run
			res.arts, res.err = nil, fmt.Errorf("internal error analysing file: %v", p)
		}
	}()
	for i := range res.arts {
		a := &res.arts[i]
		a.doc = Document(a.art, a.normTitle, a.normBody, seg)
		a.normTitle, a.normBody = "", ""
		rec, err := enc.Encode(a.art)
		if err != nil {
			res.arts, res.err = nil, err
			return res
		}
		a.rec = rec
		a.art.Body = "" // kept in the record; the rest of the build needs the id and title
	}
	return res
}

func appendUnique(xs []string, x string) []string {
	if x == "" {
		return xs
	}
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// articleID is stable across re-indexing the same input: it derives from
// the file's path (relative to the root given) and the article's position,
// or, when the input names its articles (JSON Lines `id`), from that name,
// so that reordering lines keeps ids.
func articleID(rel string, pos int, given string) string {
	key := rel + "\x00" + strconv.Itoa(pos)
	if given != "" {
		key = rel + "\x00id:" + given
	}
	h := sha1.Sum([]byte(key))
	return hex.EncodeToString(h[:8])
}

// Document builds the bleve document of an article from its normalised
// title and body, with the terms segmented here rather than inside bleve.
func Document(a *schema.Article, normTitle, normBody string, seg *analysis.Segmenter) *document.Document {
	d := document.NewDocument(a.ID)
	titleToks := seg.IndexTokens(normTitle)
	title := newTermCounts(len(titleToks))
	title.addTokens(titleToks, 1)
	d.AddField(title.field(schema.FieldTitle, len(normTitle)))
	// The body field holds the title's words too, each counted schema.TitleWeight
	// times: one term lookup finds a word in the title or the body and
	// ranks a title mention above a body mention.
	body := newTermCounts(len(normBody) / 8)
	body.addTokens(titleToks, schema.TitleWeight)
	joins := newTermCounts(len(normBody) / 64)
	seg.EachIndexTerm(normBody,
		func(t analysis.Token) { body.add(t.Term, 1) },
		func(t analysis.Token) { joins.add(t.Term, 1) })
	d.AddField(body.field(schema.FieldBody, len(normTitle)+len(normBody)))
	d.AddField(joins.field(schema.FieldBodyJoins, len(normBody)))
	title2 := newTermCounts(len(normTitle) / 3)
	title2.addTokens(analysis.Bigrams(normTitle), 1)
	d.AddField(title2.field(schema.FieldTitleBigrams, len(normTitle)))
	kw := func(name, value string) {
		d.AddField(document.NewTextFieldCustom(name, nil, []byte(value), indexOptions, nil))
	}
	for _, x := range a.Districts {
		kw(schema.FieldDistricts, x)
	}
	for _, x := range a.Topics {
		kw(schema.FieldTopics, x)
	}
	when := "0000-00-00"
	if a.Year > 0 {
		kw(schema.FieldYear, strconv.Itoa(a.Year))
		when = fmt.Sprintf("%04d-00-00", a.Year)
	}
	if a.Date != "" {
		when = a.Date
	}
	kw(schema.FieldWhen, when)
	return d
}

// writeTitles writes the article titles, one a line, sorted by their
// normalised form, for prefix suggestions (search reads it at open).
func writeTitles(path string, titles []string) error {
	type pair struct{ norm, title string }
	ps := make([]pair, 0, len(titles))
	for _, t := range titles {
		t = strings.Join(strings.Fields(t), " ")
		if t != "" {
			ps = append(ps, pair{analysis.Normalize(t), t})
		}
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].norm < ps[j].norm })
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.title)
		b.WriteByte('\n')
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
