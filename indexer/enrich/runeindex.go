package enrich

// runeIndex holds items (place names, topic keywords) by the first rune of
// their text, for scans that look up every rune of an article: a dense
// table over the Basic Multilingual Plane (a map lookup a rune was the
// largest cost of enrichment), a map beyond it. It is read-only once built
// and safe for concurrent use.
type runeIndex[T any] struct {
	slot    []uint16 // BMP rune → 1 + index in buckets; 0: no item
	buckets [][]T
	rest    map[rune][]T
}

func newRuneIndex[T any](m map[rune][]T) *runeIndex[T] {
	x := &runeIndex[T]{slot: make([]uint16, 0x10000), rest: map[rune][]T{}}
	for r, items := range m {
		if r < 0x10000 && len(x.buckets) < 0xFFFF {
			x.buckets = append(x.buckets, items)
			x.slot[r] = uint16(len(x.buckets))
		} else {
			x.rest[r] = items
		}
	}
	return x
}

// get returns the items whose text starts with r.
func (x *runeIndex[T]) get(r rune) []T {
	if 0 <= r && r < 0x10000 {
		if i := x.slot[r]; i != 0 {
			return x.buckets[i-1]
		}
		if len(x.rest) == 0 {
			return nil
		}
	}
	return x.rest[r]
}
