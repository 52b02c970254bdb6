package embedded

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"os"
	"slices"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/blevesearch/mmap-go"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
)

// pairIndex answers "which articles may hold this run of Han characters"
// from the generation's pair sets (indexer/pairsets.go): the intersection
// of the article lists of the run's character pairs. It is what keeps the
// Ctrl-F promise: an article that holds a query of two or more Han
// characters is found, however jieba cut it in context (第四十九 inside
// 第四十九条; 开发银行行长 across 国家开发银行 / 行长). The set is exact for
// two characters; for more, an article may hold every pair without the
// run, so the page of hits is still checked against the text (rerank).
//
// Concurrency: read-only after openPairs; any number of searches share it.
type pairIndex struct {
	data  mmap.MMap // the file, mapped read-only
	keys  []analysis.PairKey
	count []uint32 // articles holding keys[i]
	offs  []uint32 // list i is data[offs[i]:offs[i+1]] (offs has len(keys)+1 entries; offsets are into data)
	docs  []uint64 // article number → bleve document number (noDoc: not in the index)
	words int      // bitset words a docSet of this generation needs
	f     *os.File
	// ids are the article ids by number, kept only for a live generation,
	// whose views number the articles anew (see remap).
	ids []string
}

const noDoc = ^uint64(0)

// openPairs maps the pairs file of a generation and numbers its articles
// as the bleve index does. A generation without the file gets nil (every
// search then works from the words alone). With r nil (a live generation)
// the articles are not numbered but their ids are kept: each view of the
// generation numbers them with remap.
func openPairs(path string, r index.IndexReader) (*pairIndex, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pairs: %w", err)
	}
	data, err := mmap.Map(f, mmap.RDONLY, 0)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("pairs: %w", err)
	}
	p := &pairIndex{data: data, f: f}
	if err := p.parse(r); err != nil {
		p.close()
		return nil, fmt.Errorf("pairs %s: %w", path, err)
	}
	return p, nil
}

// loadPairs opens the pair sets of the generation whose bleve index is idx.
func loadPairs(idx bleve.Index, path string) (*pairIndex, error) {
	r, err := openReader(idx)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return openPairs(path, r)
}

func (p *pairIndex) close() {
	if p == nil {
		return
	}
	p.data.Unmap()
	p.f.Close()
}

var errPairsCorrupt = errors.New("corrupt pairs file")

func (p *pairIndex) parse(r index.IndexReader) error {
	b := []byte(p.data)
	if len(b) < len(schema.PairsMagic) || string(b[:len(schema.PairsMagic)]) != schema.PairsMagic {
		return errPairsCorrupt
	}
	off := len(schema.PairsMagic)
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(b[off:])
		if n <= 0 {
			return 0, false
		}
		off += n
		return v, true
	}
	nDocs, ok := next()
	if !ok || nDocs > uint64(len(b)) {
		return errPairsCorrupt
	}
	p.docs = make([]uint64, nDocs)
	if r == nil {
		p.ids = make([]string, 0, nDocs)
	}
	for i := range p.docs {
		l, ok := next()
		if !ok || uint64(len(b)-off) < l {
			return errPairsCorrupt
		}
		id := string(b[off : off+int(l)])
		off += int(l)
		p.docs[i] = noDoc
		if r == nil {
			p.ids = append(p.ids, id)
			continue
		}
		iid, err := r.InternalID(id)
		if err != nil {
			return err
		}
		if len(iid) == 8 {
			p.docs[i] = docNum(iid)
			p.words = max(p.words, int(p.docs[i]>>6)+1)
		}
	}
	nKeys, ok := next()
	if !ok || nKeys > uint64(len(b)) {
		return errPairsCorrupt
	}
	p.keys = make([]analysis.PairKey, nKeys)
	p.count = make([]uint32, nKeys)
	p.offs = make([]uint32, nKeys+1)
	lens := make([]uint64, nKeys)
	var key uint64
	for i := range p.keys {
		d, ok1 := next()
		c, ok2 := next()
		l, ok3 := next()
		if !ok1 || !ok2 || !ok3 {
			return errPairsCorrupt
		}
		key += d
		p.keys[i], p.count[i], lens[i] = analysis.PairKey(key), uint32(c), l
	}
	pos := uint64(off)
	for i, l := range lens {
		p.offs[i] = uint32(pos)
		pos += l
	}
	if pos != uint64(len(b)) || pos > 1<<32-1 {
		return errPairsCorrupt
	}
	p.offs[nKeys] = uint32(pos)
	return nil
}

// numbered returns a copy of the pair sets, sharing the file, whose
// article numbers map to no document yet (see liveNumbering); the copy is
// never closed itself. p must come from openPairs with a nil reader.
func (p *pairIndex) numbered() *pairIndex {
	q := *p
	q.ids, q.words = nil, 0
	q.docs = make([]uint64, len(p.ids))
	for i := range q.docs {
		q.docs[i] = noDoc
	}
	return &q
}

// set maps article a to document d.
func (p *pairIndex) set(a uint32, d uint64) {
	p.docs[a] = d
	p.words = max(p.words, int(d>>6)+1)
}

// each calls fn with the article numbers holding key i, in order.
func (p *pairIndex) each(i int, fn func(uint32)) {
	b := p.data[p.offs[i]:p.offs[i+1]]
	var cur uint32
	for len(b) > 0 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			break
		}
		b = b[n:]
		cur += uint32(v)
		fn(cur)
	}
}

// list returns the article numbers holding key i, appended to dst.
func (p *pairIndex) list(i int, dst []uint32) []uint32 {
	p.each(i, func(a uint32) { dst = append(dst, a) })
	return dst
}

// holding returns the bleve documents that hold every pair of keys, as a
// set; nil when no article does. Lists are intersected rarest first.
func (p *pairIndex) holding(keys []analysis.PairKey) *docSet {
	if p == nil || len(keys) == 0 {
		return nil
	}
	idx := make([]int, 0, len(keys))
	for _, k := range keys {
		i, ok := slices.BinarySearch(p.keys, k)
		if !ok {
			return nil
		}
		idx = append(idx, i)
	}
	slices.SortFunc(idx, func(a, b int) int { return int(p.count[a]) - int(p.count[b]) })
	s := &docSet{words: make([]uint64, p.words)}
	if len(idx) == 1 { // one pair (a query of two characters): no intersection
		p.each(idx[0], func(a uint32) {
			if d := p.docs[a]; d != noDoc {
				s.add(d)
			}
		})
		if s.n == 0 {
			return nil
		}
		return s
	}
	cur := p.list(idx[0], make([]uint32, 0, p.count[idx[0]]))
	var scratch []uint32
	for _, i := range idx[1:] {
		if len(cur) == 0 {
			return nil
		}
		scratch = p.list(i, scratch[:0])
		cur = intersect(cur, scratch)
	}
	if len(cur) == 0 {
		return nil
	}
	for _, a := range cur {
		if d := p.docs[a]; d != noDoc {
			s.add(d)
		}
	}
	if s.n == 0 {
		return nil
	}
	return s
}

// intersect keeps the elements of a (sorted) that b (sorted) holds.
func intersect(a, b []uint32) []uint32 {
	out := a[:0]
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j == len(b) {
			break
		}
		if b[j] == x {
			out = append(out, x)
		}
	}
	return out
}

// docSet is a set of bleve document numbers (a bitset).
type docSet struct {
	words []uint64
	n     int
}

func (s *docSet) add(d uint64) {
	w := int(d >> 6)
	if w >= len(s.words) {
		s.words = slices.Grow(s.words, w+1-len(s.words))[:w+1]
	}
	if s.words[w]&(1<<(d&63)) == 0 {
		s.words[w] |= 1 << (d & 63)
		s.n++
	}
}

func (s *docSet) has(d uint64) bool {
	if s == nil {
		return false
	}
	w := int(d >> 6)
	return w < len(s.words) && s.words[w]&(1<<(d&63)) != 0
}

// each calls fn for every document of s, in ascending order.
func (s *docSet) each(fn func(d uint64)) {
	for w, x := range s.words {
		for x != 0 {
			t := bits.TrailingZeros64(x)
			fn(uint64(w)<<6 | uint64(t))
			x &= x - 1
		}
	}
}

// len returns the number of documents in s (0 for nil).
func (s *docSet) len() int {
	if s == nil {
		return 0
	}
	return s.n
}
