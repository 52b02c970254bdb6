package analysis

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/yanyiwu/gojieba"
)

//go:embed dict/jieba.dict.utf8.gz dict/hmm_model.utf8.gz
var jiebaDicts embed.FS

//go:embed data/dict.txt
var govDict []byte

//go:embed data/stopwords.txt
var stopWordsData []byte

// Entry is one user-dictionary word.
type Entry struct {
	Word string
	Freq int    // 0: jieba's default weight for user words
	Tag  string // part of speech; "" for none
}

// Segmenter is one gojieba instance loaded with the embedded dictionaries
// and one set of user words (a Dictionary). Its words never change: a
// different dictionary is a different Segmenter (see For).
//
// Concurrency: all methods may be called from any number of goroutines.
// The instance is never freed explicitly; gojieba frees it (once) when the
// Segmenter is no longer reachable, that is when no generation, build or
// cache holds it any more.
type Segmenter struct {
	jb   *gojieba.Jieba
	dict Dictionary
	work sync.Pool // of *scratch, EachIndexTerm's working memory
}

// Shared returns the segmenter of the embedded dictionaries alone, with no
// user words: jieba's own dictionary and the government-domain user
// dictionary (data/dict.txt). It is For(Dictionary{}).
func Shared() (*Segmenter, error) {
	return For(Dictionary{})
}

// Dictionary returns the user words the segmenter was made with.
func (s *Segmenter) Dictionary() Dictionary { return s.dict }

// dictNames are the files cppjieba's constructor reads, in its argument order.
var dictNames = []string{"jieba.dict.utf8", "hmm_model.utf8", "user.dict.utf8", "idf.utf8", "stop_words.utf8"}

func newSegmenter(dict Dictionary) (*Segmenter, error) {
	files := map[string][]byte{
		"idf.utf8":        []byte("政务 10.0\n"), // keyword extraction is unused; cppjieba needs one line
		"stop_words.utf8": []byte("的\n"),
	}
	for _, name := range dictNames[:2] {
		raw, err := jiebaDicts.ReadFile("dict/" + name + ".gz")
		if err != nil {
			return nil, fmt.Errorf("analysis: embedded %s: %w", name, err)
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("analysis: embedded %s: %w", name, err)
		}
		if files[name], err = io.ReadAll(zr); err != nil {
			return nil, fmt.Errorf("analysis: embedded %s: %w", name, err)
		}
	}
	entries, err := ParseDict(bytes.NewReader(govDict))
	if err != nil {
		return nil, fmt.Errorf("analysis: embedded user dictionary: %w", err)
	}
	var ub bytes.Buffer
	for _, e := range entries {
		ub.WriteString(e.Line())
		ub.WriteByte('\n')
	}
	// The user words come after the base user dictionary: cppjieba keeps
	// the last entry of a word, so they override it, as AddWord would.
	ub.WriteString(dict.lines)
	files["user.dict.utf8"] = ub.Bytes()

	paths, cleanup, err := dictFiles(files)
	if err != nil {
		return nil, err
	}
	defer cleanup() // cppjieba reads the files in its constructor only
	args := make([]string, len(dictNames))
	for i, name := range dictNames {
		args[i] = paths[name]
	}
	return &Segmenter{jb: gojieba.NewJieba(args...), dict: dict}, nil
}

// dictFiles gives the dictionaries paths that cppjieba can open: anonymous
// memory files where the system has them (see memFiles), so that nothing is
// left behind when the process is killed while jieba loads; otherwise files
// in a temporary folder. cleanup releases them.
func dictFiles(files map[string][]byte) (paths map[string]string, cleanup func(), err error) {
	if paths, cleanup, err := memFiles(files); err == nil {
		return paths, cleanup, nil
	}
	dir, err := os.MkdirTemp("", "bulletin-dict-")
	if err != nil {
		return nil, nil, fmt.Errorf("analysis: temp dir for dictionaries: %w", err)
	}
	cleanup = func() { os.RemoveAll(dir) }
	paths = map[string]string{}
	for name, data := range files {
		paths[name] = filepath.Join(dir, name)
		if err := os.WriteFile(paths[name], data, 0o600); err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("analysis: write %s: %w", name, err)
		}
	}
	return paths, cleanup, nil
}

// Line formats the entry as a dictionary line.
func (e Entry) Line() string {
	switch {
	case e.Freq > 0 && e.Tag != "":
		return e.Word + " " + strconv.Itoa(e.Freq) + " " + e.Tag
	case e.Freq > 0:
		return e.Word + " " + strconv.Itoa(e.Freq) + " n"
	default:
		return e.Word
	}
}

// ParseDict reads a jieba user dictionary: one `word [freq] [tag]` a line,
// `#` comments and blank lines ignored. A malformed line is an error naming it.
func ParseDict(r io.Reader) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		e := Entry{Word: CleanText(f[0])}
		if e.Word == "" || strings.ContainsRune(e.Word, ' ') {
			return nil, fmt.Errorf("line %d: empty word", n)
		}
		switch len(f) {
		case 1:
		case 2:
			if v, err := strconv.Atoi(f[1]); err == nil {
				e.Freq = v
			} else {
				e.Tag = f[1]
			}
		case 3:
			v, err := strconv.Atoi(f[1])
			if err != nil || v < 0 {
				return nil, fmt.Errorf("line %d: frequency %q is not a number", n, f[1])
			}
			e.Freq, e.Tag = v, f[2]
		default:
			return nil, fmt.Errorf("line %d: want `word [freq] [tag]`, got %d fields", n, len(f))
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// tokenize runs jieba over one clean piece of text (see pieces).
func (s *Segmenter) tokenize(piece string, search bool) []gojieba.Word {
	mode := gojieba.DefaultMode
	if search {
		mode = gojieba.SearchMode
	}
	words := s.jb.Tokenize(piece, mode, false)
	runtime.KeepAlive(s) // the instance must not be finalised during the call
	return mergeASCII(piece, words)
}

// mergeASCII joins runs of adjacent single-byte letters and digits (and a '.'
// between digits) into one word: with HMM off, jieba leaves "abc123" and "1.4"
// as single characters.
func mergeASCII(piece string, words []gojieba.Word) []gojieba.Word {
	out := words[:0]
	for _, w := range words {
		if n := len(out); n > 0 && asciiWord(w.Str) && out[n-1].End == w.Start && asciiWord(out[n-1].Str) {
			prev := &out[n-1]
			if w.Str == "." || strings.HasSuffix(prev.Str, ".") && !isDigitByte(w.Str[0]) || w.Str[0] == '.' {
				// only digit '.' digit joins
				if !(w.Str == "." && isDigitByte(prev.Str[len(prev.Str)-1])) && !(strings.HasSuffix(prev.Str, ".") && isDigitByte(w.Str[0])) {
					out = append(out, w)
					continue
				}
			}
			prev.End = w.End
			prev.Str = piece[prev.Start:prev.End]
			continue
		}
		out = append(out, w)
	}
	// A run that ends in '.' gives the '.' back as punctuation.
	for i := range out {
		if w := &out[i]; len(w.Str) > 1 && strings.HasSuffix(w.Str, ".") && asciiWord(w.Str) {
			w.End--
			w.Str = w.Str[:len(w.Str)-1]
		}
	}
	return out
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

func asciiWord(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isDigitByte(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '.') {
			return false
		}
	}
	return true
}

// stopWords parses the embedded query stop words (see IsStopWord).
func stopWords() map[string]bool {
	m := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(stopWordsData))
	for sc.Scan() {
		w := strings.TrimSpace(sc.Text())
		if w == "" || strings.HasPrefix(w, "#") {
			continue
		}
		m[Normalize(w)] = true
	}
	return m
}
