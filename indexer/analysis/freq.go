package analysis

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
)

// EachDictWord calls fn with every word of jieba's embedded main dictionary,
// its frequency and its part-of-speech tag (ns place name, nr person name,
// n noun, v verb …). The frequency is how often the word occurs as a word
// of ordinary text in jieba's training corpus (place names that are also
// common words, such as 光明, 胜利, 温泉, score high). It reads the embedded dictionary on each
// call (about 5 MB, tens of milliseconds) and is safe for concurrent use.
//
// word and tag are only valid during the call (copy them to keep them).
func EachDictWord(fn func(word []byte, freq int, tag []byte)) error {
	raw, err := jiebaDicts.ReadFile("dict/jieba.dict.utf8.gz")
	if err != nil {
		return fmt.Errorf("analysis: embedded dictionary: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return fmt.Errorf("analysis: embedded dictionary: %w", err)
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		line := sc.Bytes() // the word is copied only if fn keeps it
		sp := bytes.IndexByte(line, ' ')
		if sp <= 0 {
			continue
		}
		rest := line[sp+1:]
		var tag []byte
		if e := bytes.IndexByte(rest, ' '); e >= 0 {
			rest, tag = rest[:e], rest[e+1:]
		}
		n := 0
		for _, c := range rest {
			if c < '0' || c > '9' {
				n = -1
				break
			}
			n = n*10 + int(c-'0')
		}
		if n >= 0 {
			fn(line[:sp], n, tag)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("analysis: embedded dictionary: %w", err)
	}
	return nil
}
