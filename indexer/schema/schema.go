package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Field names of the bleve index. Text is indexed as jieba words (title,
// body), the title also as character bigrams (title2), and the body's lone
// characters as join bigrams (body_joins, see analysis/joins.go): every
// bigram of the body would cost as much again as all its words. Nothing is
// stored in bleve and no term vectors are kept: the text lives in the
// article store, exact phrases are checked against it, and snippets are
// made from it.
const (
	FieldTitle        = "title"
	FieldBody         = "body" // the body's words and the title's (see TitleWeight)
	FieldTitleBigrams = "title2"
	FieldBodyJoins    = "body_joins"
	FieldDistricts    = "districts" // keyword (facets)
	FieldTopics       = "topics"    // keyword (facets)
	FieldYear         = "year"      // keyword "2021" (facets); absent when unknown
	FieldWhen         = "when"      // keyword: the date, else YYYY-00-00, else 0000-00-00 (sort, date range)

	// The fields of search by document number and by issuer: FieldDocNo
	// holds the keys of the article's own number (govdoc.Number.Keys: the
	// normal form 京政办发〔2016〕26号 first), FieldCites the keys of every
	// number its title and body name and of its own, FieldIssuerText the
	// words of its issuers (Article.Issuer), analysed as titles are.
	FieldDocNo      = "doc_no"      // keyword
	FieldCites      = "cites"       // keyword
	FieldIssuerText = "issuer_text" // jieba words, search mode
)

// TitleWeight is how many times each title word counts in the body field,
// which holds the title's words as well as the body's: a word query is then
// one term lookup, with a title mention weighing over a body mention.
const TitleWeight = 3

// Version changes whenever the mapping or the meaning of a field changes; a
// server refuses a generation of another version.
const Version = 4

// An index directory holds complete generations side by side and a pointer
// to the one in use:
//
//	DIR/CURRENT                     name of the generation being served (replaced atomically)
//	DIR/LOCK                        held (flock) by the one `bulletin index` running
//	DIR/gen-…/bleve/                the bleve index
//	DIR/gen-…/articles.dat          the article store's records
//	DIR/gen-…/articles.dat.idx      its sorted id index
//	DIR/gen-…/titles.txt            the titles, sorted by normalised form (suggestions)
//	DIR/gen-…/meta.json             schema version, counts, region, dictionary
//	DIR/gen-…/api.jsonl             the write log's articles as the build read them
//	DIR/api.log                     the write log: writes between builds (see package indexer/live)
//	DIR/SERVING                     pid and URL of the live server holding the index (cmd/bulletin/remote.go)
//
// A new generation is written beside the current one, synced to disk, and
// only then named in CURRENT (write a temp file, sync, rename, sync the
// directory). A crash at any moment leaves CURRENT naming a complete
// generation, or no CURRENT at all if none was ever completed. A generation
// with meta.json is complete: it is written last.
const (
	CurrentFile = "CURRENT"
	LockFile    = "LOCK"
	GenPrefix   = "gen-"
	MetaFile    = "meta.json"
	BleveDir    = "bleve"
	StoreFile   = "articles.dat"
	TitlesFile  = "titles.txt"
	// PairsFile holds the Han pair sets (indexer/pairsets.go), read by
	// search/pairs.go; a generation without it is searched by words alone.
	PairsFile = "pairs.dat"
	// ServingFile names the live server that holds the index open for
	// writing, while it runs.
	ServingFile = "SERVING"
)

// PairsMagic starts a pairs file.
const PairsMagic = "BPAIRS1\n"

// Meta describes a generation.
type Meta struct {
	Schema    int       `json:"schema"`
	Name      string    `json:"name"`
	Created   time.Time `json:"created"`
	Articles  int       `json:"articles"`
	Region    string    `json:"region"`
	Districts []string  `json:"districts"` // the region's districts, official order
	Topics    []string  `json:"topics"`    // the taxonomy's topics, file order
	// UserWords are the region's place names, words of the generation's
	// dictionary (see analysis.GenerationDictionary).
	UserWords []string `json:"user_words"`
	// UserDict holds the `--dict` entries as dictionary lines.
	UserDict []string `json:"user_dict,omitempty"`
	// LogSeq is the number of the last record of the write log (DIR/api.log,
	// see packages indexer/wal and indexer/live) that the generation holds; a server
	// replays the records numbered after it.
	LogSeq int64 `json:"log_seq,omitempty"`
	// LogOffset is how much of the write log a generation built before
	// records were numbered holds, in bytes (such a record's number is its
	// offset plus one). Read, no longer written.
	LogOffset int64 `json:"log_offset,omitempty"`
}

// LogHeld is the number of the last write-log record the generation holds.
func (m *Meta) LogHeld() int64 {
	if m.LogSeq > 0 {
		return m.LogSeq
	}
	return m.LogOffset
}

// Article is one article as stored and as the API returns it.
type Article struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Body      string   `json:"body"`
	Date      string   `json:"date"`
	Year      int      `json:"year"`
	Districts []string `json:"districts"`
	Topics    []string `json:"topics"`
	Source    string   `json:"source"`
	URL       string   `json:"url"`

	// What a government document states of itself (its 发文字号, 发文机关
	// and the rest of its 信息公开 block): empty when the article is not
	// such a document. Type is set for every article.
	DocNo    string   `json:"doc_no"`   // normalised to 〔〕: 京政办发〔2016〕26号
	Issuer   []string `json:"issuer"`   // 发文机关 and 联合发文单位, in order
	Written  string   `json:"written"`  // 成文日期, YYYY-MM-DD
	IndexNo  string   `json:"index_no"` // 索引号, as given
	Category string   `json:"category"` // 主题分类, as given
	Validity string   `json:"validity"` // 有效性, as given: 有效, 失效, 废止, 尚未施行
	Type     string   `json:"type"`     // 政策文件, 政策解读, 公告公示 or 新闻
}

// ErrOtherVersion is wrapped by the error of a generation built with
// another schema Version: the index must be built again.
var ErrOtherVersion = errors.New("re-run `bulletin index`")

// ErrNoIndex is returned when DIR has no complete generation.
var ErrNoIndex = errors.New("no index: run `bulletin index` first")

// Current returns the path and meta of the generation in use in dir.
func Current(dir string) (string, *Meta, error) {
	raw, err := os.ReadFile(filepath.Join(dir, CurrentFile))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil, ErrNoIndex
	}
	if err != nil {
		return "", nil, fmt.Errorf("index %s: %w", dir, err)
	}
	name := strings.TrimSpace(string(raw))
	if !strings.HasPrefix(name, GenPrefix) || strings.ContainsAny(name, `/\`) {
		return "", nil, fmt.Errorf("index %s: %s names %q, not a generation", dir, CurrentFile, name)
	}
	path := filepath.Join(dir, name)
	m, err := ReadMeta(path)
	if err != nil {
		return "", nil, err
	}
	return path, m, nil
}

// ReadMeta reads a generation's meta.json and checks its schema version.
func ReadMeta(genPath string) (*Meta, error) {
	raw, err := os.ReadFile(filepath.Join(genPath, MetaFile))
	if err != nil {
		return nil, fmt.Errorf("generation %s: %w", genPath, err)
	}
	var m Meta
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("generation %s: meta: %w", genPath, err)
	}
	if m.Schema != Version {
		return nil, fmt.Errorf("generation %s has schema version %d; this binary reads version %d: %w", genPath, m.Schema, Version, ErrOtherVersion)
	}
	return &m, nil
}
