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
	err   error // the first error of add
	ids   []string
	index map[analysis.PairKey]int32
	lists []pairList
	arena arena
}

// pairList is the list of one pair: a chain of arena blocks.
type pairList struct {
	key        analysis.PairKey
	last       uint32 // the last article number added
	n          uint32 // articles
	size       uint32 // bytes
	head, tail uint32 // blocks (0: none)
	fill       uint8  // bytes used in the tail block
}

func newPairSets() *pairSets {
	return &pairSets{index: make(map[analysis.PairKey]int32, 1<<16)}
}

// add records that the next article (id) holds the pairs keys (duplicates
// allowed: sorting each article's pairs in the analysers cost more than
// skipping the repeats here).
func (s *pairSets) add(id string, keys []analysis.PairKey) error {
	seq := uint32(len(s.ids))
	s.ids = append(s.ids, id)
	var tmp [binary.MaxVarintLen32]byte
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
		n := binary.PutUvarint(tmp[:], uint64(seq-l.last))
		for _, c := range tmp[:n] {
			if l.tail == 0 || l.fill == blockData {
				b, err := s.arena.block()
				if err != nil {
					return err
				}
				if l.tail == 0 {
					l.head = b
				} else {
					s.arena.setNext(l.tail, b)
				}
				l.tail, l.fill = b, 0
			}
			s.arena.data(l.tail)[l.fill] = c
			l.fill++
		}
		l.size += uint32(n)
		l.last = seq
		l.n++
	}
	return nil
}

// bytes appends the list's bytes to w.
func (s *pairSets) bytes(l *pairList, w *bufio.Writer) {
	for b := l.head; b != 0; b = s.arena.next(b) {
		d := s.arena.data(b)
		if b == l.tail {
			d = d[:l.fill]
		}
		w.Write(d)
	}
}

// arena holds the lists' bytes in blocks of blockSize: blockData bytes,
// then the number of the next block of the list (0: none). Its chunks are
// mapped outside the Go heap (see mapChunk).
type arena struct {
	chunks [][]byte
	free   []func()
	n      uint32 // blocks handed out; block 0 is never used
}

const (
	blockSize   = 32
	blockData   = blockSize - 4
	chunkBlocks = 1 << 20 // 32 MB a chunk
)

func (a *arena) block() (uint32, error) {
	if a.n == 0 {
		a.n = 1
	}
	if int(a.n/chunkBlocks) >= len(a.chunks) {
		c, free, err := mapChunk(chunkBlocks * blockSize)
		if err != nil {
			return 0, err
		}
		a.chunks, a.free = append(a.chunks, c), append(a.free, free)
	}
	b := a.n
	a.n++
	return b, nil
}

func (a *arena) raw(b uint32) []byte {
	off := int(b%chunkBlocks) * blockSize
	return a.chunks[b/chunkBlocks][off : off+blockSize]
}

func (a *arena) data(b uint32) []byte { return a.raw(b)[:blockData] }
func (a *arena) next(b uint32) uint32 {
	return binary.LittleEndian.Uint32(a.raw(b)[blockData:])
}
func (a *arena) setNext(b, next uint32) {
	binary.LittleEndian.PutUint32(a.raw(b)[blockData:], next)
}

// release returns the arena's memory.
func (a *arena) release() {
	for _, f := range a.free {
		f()
	}
	a.chunks, a.free, a.n = nil, nil, 0
}

// write writes the pair sets to path and syncs nothing (the generation is
// synced as a whole before it is published).
func (s *pairSets) write(path string) error {
	if s.err != nil {
		return s.err
	}
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
		uv(uint64(l.size))
		prev = l.key
	}
	for i := range s.lists {
		s.bytes(&s.lists[i], w)
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
