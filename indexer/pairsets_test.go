package indexer

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
)

// The lists written are the article numbers of each pair, whatever the
// arena's block boundaries (long lists span many blocks and chunks).
func TestPairSetsWrite(t *testing.T) {
	s := newPairSets()
	defer s.arena.release()
	a, b := analysis.MakePair('养', '老'), analysis.MakePair('老', '人')
	want := map[analysis.PairKey][]uint32{}
	for i := range 3000 {
		keys := []analysis.PairKey{a, a} // a repeat is skipped
		want[a] = append(want[a], uint32(i))
		if i%7 == 0 {
			keys = append(keys, b)
			want[b] = append(want[b], uint32(i))
		}
		if err := s.add("id", keys); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), schema.PairsFile)
	if err := s.write(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	off := len(schema.PairsMagic)
	next := func() uint64 {
		v, n := binary.Uvarint(data[off:])
		if n <= 0 {
			t.Fatalf("bad varint at %d", off)
		}
		off += n
		return v
	}
	if n := next(); n != 3000 {
		t.Fatalf("%d articles", n)
	}
	for range 3000 {
		off += int(next())
	}
	if n := next(); n != 2 {
		t.Fatalf("%d keys", n)
	}
	var keys []analysis.PairKey
	var sizes []int
	var k uint64
	for range 2 {
		k += next()
		n := next()
		keys = append(keys, analysis.PairKey(k))
		sizes = append(sizes, int(next()))
		if int(n) != len(want[analysis.PairKey(k)]) {
			t.Errorf("%s: %d articles, want %d", analysis.PairKey(k), n, len(want[analysis.PairKey(k)]))
		}
	}
	for i, key := range keys {
		end := off + sizes[i]
		var cur uint64
		var got []uint32
		for off < end {
			cur += next()
			got = append(got, uint32(cur))
		}
		w := want[key]
		if len(got) != len(w) {
			t.Fatalf("%s: %d numbers, want %d", key, len(got), len(w))
		}
		for j := range w {
			if got[j] != w[j] {
				t.Fatalf("%s: [%d] = %d, want %d", key, j, got[j], w[j])
			}
		}
	}
	if off != len(data) {
		t.Errorf("%d bytes left", len(data)-off)
	}
}
