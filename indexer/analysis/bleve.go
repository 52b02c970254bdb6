package analysis

import (
	"fmt"

	blevea "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// Names under which the analysers are registered with bleve, so that an
// index mapping can name them and a reopened index finds them.
const (
	WordsAnalyzer   = "bulletin_words"   // normalise + jieba search mode, shared positions
	BigramsAnalyzer = "bulletin_bigrams" // normalise + character bigrams
	JoinsAnalyzer   = "bulletin_joins"   // normalise + join bigrams of lone characters
	wordsTokenizer  = "bulletin_jieba"
	bigramTokenizer = "bulletin_bigram"
	joinsTokenizer  = "bulletin_joins"
)

func init() {
	// Registration happens once at start-up; the registry is not touched again.
	registry.RegisterTokenizer(wordsTokenizer, func(map[string]interface{}, *registry.Cache) (blevea.Tokenizer, error) {
		return segTok((*Segmenter).IndexTokens), nil
	})
	registry.RegisterTokenizer(bigramTokenizer, func(map[string]interface{}, *registry.Cache) (blevea.Tokenizer, error) {
		return bigramTok{}, nil
	})
	registry.RegisterTokenizer(joinsTokenizer, func(map[string]interface{}, *registry.Cache) (blevea.Tokenizer, error) {
		return segTok((*Segmenter).Joins), nil
	})
	for name, tok := range map[string]string{WordsAnalyzer: wordsTokenizer, BigramsAnalyzer: bigramTokenizer, JoinsAnalyzer: joinsTokenizer} {
		tok := tok
		registry.RegisterAnalyzer(name, func(_ map[string]interface{}, c *registry.Cache) (blevea.Analyzer, error) {
			t, err := c.TokenizerNamed(tok)
			if err != nil {
				return nil, err
			}
			return &blevea.DefaultAnalyzer{Tokenizer: t}, nil
		})
	}
}

// segTok is the bleve face of a segmenting analysis (IndexTokens for the
// words, Joins for the join bigrams). The indexer normally hands bleve
// pre-counted terms produced by the same functions in parallel goroutines;
// these tokenizers make the mapping self-describing and give the same terms
// when bleve analyses a field itself, with the embedded dictionaries alone
// (Shared): a registered tokenizer cannot know a generation's user words,
// so neither the indexer nor the search side ever has bleve analyse text.
type segTok func(*Segmenter, string) []Token

func (f segTok) Tokenize(b []byte) blevea.TokenStream {
	seg, err := Shared()
	if err != nil {
		panic(fmt.Sprintf("analysis: segmenter unavailable: %v", err))
	}
	return ToStream(f(seg, Normalize(CleanText(string(b)))))
}

type bigramTok struct{}

func (bigramTok) Tokenize(b []byte) blevea.TokenStream {
	return ToStream(Bigrams(Normalize(CleanText(string(b)))))
}

// ToStream converts tokens to a bleve token stream.
func ToStream(toks []Token) blevea.TokenStream {
	ts := make(blevea.TokenStream, len(toks))
	for i, t := range toks {
		ts[i] = &blevea.Token{Term: []byte(t.Term), Start: t.Start, End: t.End, Position: t.Pos, Type: blevea.Ideographic}
	}
	return ts
}
