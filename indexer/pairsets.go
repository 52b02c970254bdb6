package indexer

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"slices"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
)

// schema.PairsFile holds a generation's Han pair sets: for every bigram of Han
// characters (analysis.PairKey) that some article holds, the articles that
// hold it, as a sorted list of article numbers; and the article ids by
// number. A search intersects the lists of a query's pairs to find every
// article that may hold the query as typed, however jieba cut it in
// context (see search/pairs.go), without positions: no frequencies, no
// positions, only gaps.
//
// Layout (all numbers unsigned varints):
//
//	"BPAIRS1\n"
//	articles; for each: id length, id bytes        (article number = order)
//	keys;     for each, keys ascending: key - previous key, articles, bytes
//	the lists, back to back in key order; each a list of gaps between
//	article numbers (the first from 0)

// pairSets collects the pair sets while a generation is built. Not safe
// for concurrent use: one goroutine adds articles in order.
type pairSets struct {
	ids   []string
	index map[analysis.PairKey]int32
	lists []pairList
}

type pairList struct {
	key  analysis.PairKey
	last uint32
	n    uint32
	buf  []byte
}

func newPairSets() *pairSets {
	return &pairSets{index: make(map[analysis.PairKey]int32, 1<<16)}
}

// add records that the next article (id) holds the pairs keys (duplicates
// allowed: sorting each article's pairs in the analysers cost more than
// skipping the repeats here).
func (s *pairSets) add(id string, keys []analysis.PairKey) {
	seq := uint32(len(s.ids))
	s.ids = append(s.ids, id)
	for _, k := range keys {
		i, ok := s.index[k]
		if !ok {
			i = int32(len(s.lists))
			s.index[k] = i
			s.lists = append(s.lists, pairList{key: k})
		}
		l := &s.lists[i]
		if l.n > 0 && l.last == seq {
			continue
		}
		l.buf = binary.AppendUvarint(l.buf, uint64(seq-l.last))
		l.last = seq
		l.n++
	}
}

// write writes the pair sets to path and syncs nothing (the generation is
// synced as a whole before it is published).
func (s *pairSets) write(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("pairs: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var tmp [binary.MaxVarintLen64]byte
	uv := func(x uint64) { w.Write(tmp[:binary.PutUvarint(tmp[:], x)]) }
	w.WriteString(schema.PairsMagic)
	uv(uint64(len(s.ids)))
	for _, id := range s.ids {
		uv(uint64(len(id)))
		w.WriteString(id)
	}
	slices.SortFunc(s.lists, func(a, b pairList) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	uv(uint64(len(s.lists)))
	prev := analysis.PairKey(0)
	for _, l := range s.lists {
		uv(uint64(l.key - prev))
		uv(uint64(l.n))
		uv(uint64(len(l.buf)))
		prev = l.key
	}
	for _, l := range s.lists {
		w.Write(l.buf)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("pairs: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("pairs: %w", err)
	}
	return nil
}
