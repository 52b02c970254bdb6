package embedded

import (
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
)

// writtenPairs are the Han pairs of the articles written since the build,
// as the build's pair sets hold them (the normalised title and body): each
// written article has a slot, and each pair the sorted list of the slots of
// the articles holding it (4 bytes an entry: a bulk load of 20,000 written
// articles holds some 15 million; new slots are appended). A replaced or
// deleted article's pairs are worked out again from its text to take it
// out, rather than kept.
//
// Concurrency: guarded by the overlay's pair lock, pmu (read for
// addHolding, write for add and remove).
type writtenPairs struct {
	slot map[string]uint32 // id → slot
	// Slots of deleted articles: freed since the last view, and free for
	// the next written ones (a view numbers a freed slot as the deleted
	// article, which its snapshot still holds, so a slot is reused only
	// once a newer view is made; see reuse).
	freed, free []uint32
	n           uint32 // slots handed out
	sets        map[analysis.PairKey][]uint32
}

func newWrittenPairs() writtenPairs {
	return writtenPairs{slot: map[string]uint32{}, sets: map[analysis.PairKey][]uint32{}}
}

// articlePairs returns the distinct Han pairs of an article.
func articlePairs(a *schema.Article) []analysis.PairKey {
	return analysis.DistinctPairs(nil, analysis.Normalize(a.Title), analysis.Normalize(a.Body))
}

// add records that article id holds keys (distinct); id holds no pairs
// before.
func (w *writtenPairs) add(id string, keys []analysis.PairKey) {
	s, ok := w.slot[id]
	if !ok {
		if n := len(w.free); n > 0 {
			s, w.free = w.free[n-1], w.free[:n-1]
		} else {
			s = w.n
			w.n++
		}
		w.slot[id] = s
	}
	for _, k := range keys {
		l := w.sets[k]
		if n := len(l); n == 0 || l[n-1] < s {
			w.sets[k] = append(l, s)
			continue
		}
		if i, found := slices.BinarySearch(l, s); !found {
			w.sets[k] = slices.Insert(l, i, s)
		}
	}
}

// remove takes article id, which held keys, out.
func (w *writtenPairs) remove(id string, keys []analysis.PairKey) {
	s, ok := w.slot[id]
	if !ok {
		return
	}
	for _, k := range keys {
		l := w.sets[k]
		if i, found := slices.BinarySearch(l, s); found {
			if len(l) == 1 {
				delete(w.sets, k)
			} else {
				w.sets[k] = slices.Delete(l, i, i+1)
			}
		}
	}
	delete(w.slot, id)
	w.freed = append(w.freed, s)
}

// reuse makes the slots freed before a new view free for the next written
// articles. Requests still running on an older view could then, for an
// instant, take the deleted article's document for a new article's: a
// candidate that the page's check against the text drops.
func (w *writtenPairs) reuse() {
	w.free, w.freed = append(w.free, w.freed...), nil
}

// addHolding adds to s the documents (numbered by docs, slot → document)
// of the written articles that hold every pair of keys.
func (w *writtenPairs) addHolding(s *docSet, keys []analysis.PairKey, docs []uint64) {
	ls := make([][]uint32, 0, len(keys))
	for _, k := range keys {
		l := w.sets[k]
		if len(l) == 0 {
			return
		}
		ls = append(ls, l)
	}
	slices.SortFunc(ls, func(a, b []uint32) int { return len(a) - len(b) })
	hold := ls[0]
	if len(ls) > 1 {
		hold = slices.Clone(hold)
		for _, l := range ls[1:] {
			hold = intersect(hold, l)
		}
	}
	for _, sl := range hold {
		// A slot written after this view was made is not numbered by it.
		if int(sl) < len(docs) && docs[sl] != noDoc {
			s.add(docs[sl])
		}
	}
}

// liveNumbering maps the build's articles (base, numbered by nums) and the
// overlay's written articles to the documents of the snapshot r. It reads
// the ids of the snapshot's documents segment by segment (scorch keeps a
// document's id at the head of its stored record, so this is a pass over
// the documents with a map look-up each, a few milliseconds at 20,000
// articles); for an index of another kind it looks every id up instead.
// The overlay is read-locked meanwhile: the view and the overlay agree
// because writes are applied, and views made, under the engine's live lock.
func liveNumbering(r index.IndexReader, base *pairIndex, nums map[string]uint32, o *overlay) (*pairIndex, []uint64, error) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	o.pmu.RLock()
	defer o.pmu.RUnlock()
	var pairs *pairIndex
	if base != nil {
		pairs = base.numbered()
	}
	written := make([]uint64, o.pairs.n)
	for i := range written {
		written[i] = noDoc
	}
	visit := func(id []byte, d uint64) {
		if sl, ok := o.pairs.slot[string(id)]; ok {
			written[sl] = d
			return
		}
		if pairs == nil {
			return
		}
		if a, ok := nums[string(id)]; ok && !o.touched(string(id)) {
			pairs.set(a, d)
		}
	}
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		if err := eachSnapshotDoc(snap, visit); err != nil {
			return nil, nil, fmt.Errorf("number the view's documents: %w", err)
		}
		return pairs, written, nil
	}
	if err := eachDocByID(r, base, o, visit); err != nil {
		return nil, nil, fmt.Errorf("number the view's documents: %w", err)
	}
	return pairs, written, nil
}

// eachSnapshotDoc calls fn with the id and document number of every live
// document of a scorch snapshot. A document's number is its segment's
// offset (the sizes of the segments before it, deleted documents
// included, as scorch counts them) plus its number in the segment.
func eachSnapshotDoc(snap *scorch.IndexSnapshot, fn func(id []byte, d uint64)) error {
	var offset uint64
	for _, ss := range snap.Segments() {
		n := ss.Segment().Count()
		del := ss.Deleted()
		for local := uint64(0); local < n; local++ {
			if del != nil && del.Contains(uint32(local)) {
				continue
			}
			id, err := ss.DocID(local)
			if err != nil {
				return err
			}
			fn(id, offset+local)
		}
		offset += n
	}
	return nil
}

// eachDocByID calls fn for the build's and the written articles that r
// holds, looking each id up.
func eachDocByID(r index.IndexReader, base *pairIndex, o *overlay, fn func(id []byte, d uint64)) error {
	look := func(id string) error {
		iid, err := r.InternalID(id)
		if err != nil {
			return err
		}
		if len(iid) == 8 {
			fn([]byte(id), docNum(iid))
		}
		return nil
	}
	if base != nil {
		for _, id := range base.ids {
			if err := look(id); err != nil {
				return err
			}
		}
	}
	for id := range o.pairs.slot {
		if err := look(id); err != nil {
			return err
		}
	}
	return nil
}
