package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/yanyiwu/gojieba"
)

// jiebaTokenizer is a bleve tokenizer around one gojieba instance.
type jiebaTokenizer struct{ j *gojieba.Jieba }

func (t jiebaTokenizer) Tokenize(b []byte) analysis.TokenStream {
	words := t.j.Tokenize(string(b), gojieba.SearchMode, false)
	out := make(analysis.TokenStream, 0, len(words))
	for i, w := range words {
		out = append(out, &analysis.Token{Term: []byte(w.Str), Start: w.Start, End: w.End, Position: i + 1, Type: analysis.Ideographic})
	}
	return out
}

// An ObviousVariant is a way of building the obvious index (see above).
type ObviousVariant string

// The variants of the obvious build.
const (
	ObviousFields ObviousVariant = "fields"
	ObviousRecord ObviousVariant = "record"
	ObviousSingle ObviousVariant = "single"
)

// ObviousBuild indexes the .jsonl files of dir the obvious way into out
// and returns the articles and the time taken.
func ObviousBuild(dir, out string, variant ObviousVariant) (int, time.Duration, error) {
	if variant != ObviousFields && variant != ObviousRecord && variant != ObviousSingle {
		return 0, 0, fmt.Errorf("obvious build: unknown variant %q (fields, record or single)", variant)
	}
	start := time.Now()
	jb := gojieba.NewJieba()
	defer jb.Free()
	name := fmt.Sprintf("obvious-jieba-%p", jb)
	registry.RegisterTokenizer(name, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return jiebaTokenizer{jb}, nil
	})
	m := bleve.NewIndexMapping()
	if err := m.AddCustomAnalyzer("zh", map[string]interface{}{
		"type": "custom", "tokenizer": name, "token_filters": []string{lowercase.Name},
	}); err != nil {
		return 0, 0, err
	}
	m.DefaultAnalyzer = "zh"
	doc := bleve.NewDocumentMapping()
	for _, f := range []string{"title", "body"} {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = "zh"
		doc.AddFieldMappingsAt(f, fm)
	}
	if variant == ObviousFields {
		m.DefaultMapping = doc
	}
	idx, err := bleve.New(out, m)
	if err != nil {
		return 0, 0, err
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	n := 0
	b := idx.NewBatch()
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return n, 0, err
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var rec map[string]interface{}
			if json.Unmarshal(sc.Bytes(), &rec) != nil {
				continue
			}
			id, _ := rec["id"].(string)
			if id == "" {
				id = fmt.Sprint(n)
			}
			var d interface{} = rec
			if variant == ObviousFields {
				d = map[string]interface{}{"title": rec["title"], "body": rec["content"]}
			}
			if variant == ObviousSingle {
				if err := idx.Index(id, d); err != nil {
					return n, 0, err
				}
				n++
				continue
			}
			if err := b.Index(id, d); err != nil {
				return n, 0, err
			}
			n++
			if b.Size() >= 1000 {
				if err := idx.Batch(b); err != nil {
					return n, 0, err
				}
				b = idx.NewBatch()
			}
		}
		fh.Close()
	}
	if b.Size() > 0 {
		if err := idx.Batch(b); err != nil {
			return n, 0, err
		}
	}
	if err := idx.Close(); err != nil {
		return n, 0, err
	}
	return n, time.Since(start), nil
}
