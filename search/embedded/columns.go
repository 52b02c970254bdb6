package embedded

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
)

// columns hold, for every document of a generation, its facet values and
// its date, indexed by bleve's internal document number. They are read once
// when the generation opens (from the keyword fields' posting lists) and
// are read-only afterwards, so any number of searches share them.
//
// With them a search counts facets and applies filters itself while it
// walks the matches of the text query once: bleve's own facets visit doc
// values through closures for every hit of every facet request, and
// disjunctive counts would need one more search per filtered facet.
type columns struct {
	docs []uint64       // live document numbers in listing order (see rank)
	dims [nDims]*column // district, topic, year, issuer, type
	when []uint32       // sort key: yyyymmdd, yyyy0000 when only the year is known, 0
	// rank is, by document number, the document's place in docs: newest
	// first, articles of one date by id (ascending). It breaks every tie
	// of a search (sorting by date, or equal scores of one date) by the
	// article id, never by bleve's internal number, which differs between
	// views of one index (segments merge, a replaced article is appended)
	// and between engines; so a page read from a newer view neither
	// repeats nor skips an article that kept its date, and OpenSearch
	// (sorting by id last) lists ties alike. noRank: no live document.
	rank []uint32
}

// nDims is the number of facet dimensions (search.Dimensions).
const nDims = 5

// column is one multi-valued facet: values[offs[d]:offs[d+1]] are the value
// numbers of document d; names[v] is value v.
type column struct {
	names []string
	ids   map[string]uint16
	offs  []uint32
	vals  []uint16
}

func (c *column) of(doc uint64) []uint16 {
	if doc+1 >= uint64(len(c.offs)) {
		return nil
	}
	return c.vals[c.offs[doc]:c.offs[doc+1]]
}

func docNum(id index.IndexInternalID) uint64 {
	if len(id) != 8 {
		return ^uint64(0)
	}
	return binary.BigEndian.Uint64(id)
}

// openReader returns a reader of the index's (read-only) snapshot; the
// caller closes it.
func openReader(idx bleve.Index) (index.IndexReader, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if s, ok := r.(*scorch.IndexSnapshot); err == nil && (r == nil || ok && s == nil) {
		return nil, errClosed // scorch's Reader after Close: a nil snapshot, no error
	}
	return r, err
}

var errClosed = errors.New("the index is closed")

// loadColumns reads the facet fields and dates of every document.
func loadColumns(idx bleve.Index) (*columns, error) {
	r, err := openReader(idx)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return loadColumnsFrom(r)
}

// loadColumnsFrom reads the facet fields and dates of every document of a
// snapshot; the columns are valid for that snapshot only.
func loadColumnsFrom(r index.IndexReader) (*columns, error) {
	c := &columns{}
	all, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	var max uint64
	for {
		id, err := all.Next()
		if err != nil {
			all.Close()
			return nil, err
		}
		if id == nil {
			break
		}
		n := docNum(id)
		c.docs = append(c.docs, n)
		if n > max {
			max = n
		}
	}
	all.Close()
	size := int(max) + 1
	if len(c.docs) == 0 {
		size = 0
	}

	// postings calls fn for every document that has term in field.
	postings := func(field string, fn func(term string, doc uint64)) error {
		d, err := r.FieldDict(field)
		if err != nil {
			return err
		}
		defer d.Close()
		for {
			ent, err := d.Next()
			if err != nil {
				return err
			}
			if ent == nil {
				return nil
			}
			tfr, err := r.TermFieldReader(context.Background(), []byte(ent.Term), field, false, false, false)
			if err != nil {
				return err
			}
			var tfd index.TermFieldDoc
			for {
				m, err := tfr.Next(&tfd)
				if err != nil {
					tfr.Close()
					return err
				}
				if m == nil {
					break
				}
				if n := docNum(m.ID); n < uint64(size) {
					fn(ent.Term, n)
				}
			}
			tfr.Close()
		}
	}

	fields := [nDims]string{schema.FieldDistricts, schema.FieldTopics, schema.FieldYear, schema.FieldIssuer, schema.FieldType}
	for i, f := range fields {
		lists := make([][]uint16, size)
		col := &column{ids: map[string]uint16{}}
		err := postings(f, func(term string, doc uint64) {
			v, ok := col.ids[term]
			if !ok {
				v = uint16(len(col.names))
				col.ids[term] = v
				col.names = append(col.names, term)
			}
			lists[doc] = append(lists[doc], v)
		})
		if err != nil {
			return nil, fmt.Errorf("facet column %s: %w", f, err)
		}
		if len(col.names) > 1<<16-1 {
			return nil, fmt.Errorf("facet column %s: too many values", f)
		}
		if len(col.names) == 0 {
			// No document has the field (an index of news has no issuers):
			// no offsets, every document has no value.
			c.dims[i] = col
			continue
		}
		col.offs = make([]uint32, size+1)
		for d, l := range lists {
			col.offs[d+1] = col.offs[d] + uint32(len(l))
			col.vals = append(col.vals, l...)
		}
		c.dims[i] = col
	}
	c.when = make([]uint32, size)
	err = postings(schema.FieldWhen, func(term string, doc uint64) { c.when[doc] = dateKey(term) })
	if err != nil {
		return nil, fmt.Errorf("date column: %w", err)
	}
	if err := c.order(r, size); err != nil {
		return nil, fmt.Errorf("listing order: %w", err)
	}
	return c, nil
}

// order sorts docs into listing order (newest first, then by article id)
// and numbers each document's place in rank. The ids are read segment by
// segment from a scorch snapshot (see eachSnapshotDoc), else one by one.
func (c *columns) order(r index.IndexReader, size int) error {
	ids := make([]string, size)
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		err := eachSnapshotDoc(snap, func(id []byte, d uint64) {
			if d < uint64(size) {
				ids[d] = string(id)
			}
		})
		if err != nil {
			return err
		}
	} else {
		iid := make(index.IndexInternalID, 8)
		for _, d := range c.docs {
			binary.BigEndian.PutUint64(iid, d)
			id, err := r.ExternalID(iid)
			if err != nil {
				return err
			}
			ids[d] = id
		}
	}
	slices.SortFunc(c.docs, func(a, b uint64) int {
		if wa, wb := c.whenOf(a), c.whenOf(b); wa != wb {
			return cmp.Compare(wb, wa)
		}
		return strings.Compare(ids[a], ids[b])
	})
	c.rank = make([]uint32, size)
	for d := range c.rank {
		c.rank[d] = noRank
	}
	for i, d := range c.docs {
		c.rank[d] = uint32(i)
	}
	return nil
}

// noRank is the rank of a document number no live document has.
const noRank = math.MaxUint32

// rankOf is doc's place in the listing order (see columns.rank).
func (c *columns) rankOf(doc uint64) uint32 {
	if doc < uint64(len(c.rank)) {
		return c.rank[doc]
	}
	return noRank
}

// dateOf returns the document's date as yyyymmdd, 0 when only its year (or
// nothing) is known.
func (c *columns) dateOf(doc uint64) uint32 {
	if w := c.whenOf(doc); w%10000 != 0 {
		return w
	}
	return 0
}

func (c *columns) whenOf(doc uint64) uint32 {
	if doc < uint64(len(c.when)) {
		return c.when[doc]
	}
	return 0
}

// dateKey turns YYYY-MM-DD (MM, DD may be 00) into yyyymmdd; 0 if malformed.
func dateKey(s string) uint32 {
	n, err := strconv.Atoi(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(s) != 10 || n < 0 {
		return 0
	}
	return uint32(n)
}

// filterSet is a request's filters resolved against the columns.
type filterSet struct {
	want     [nDims][]bool // by value number; nil: no filter on the dimension
	from, to uint32        // date range, 0 for open
}

func (c *columns) resolve(f search.Filters) filterSet {
	var fs filterSet
	vals := [nDims][]string{f.Districts, f.Topics, nil, f.Issuers, f.Types}
	for _, y := range f.Years {
		vals[2] = append(vals[2], strconv.Itoa(y))
	}
	for i, vs := range vals {
		if len(vs) == 0 {
			continue
		}
		fs.want[i] = make([]bool, len(c.dims[i].names))
		for _, v := range vs {
			if id, ok := c.dims[i].ids[v]; ok {
				fs.want[i][id] = true
			}
		}
	}
	if f.From != "" {
		fs.from = dateKey(f.From)
	}
	if f.To != "" {
		fs.to = dateKey(f.To)
	}
	return fs
}

// failing returns, for doc, a bit set of the dimensions whose filter it
// fails (bit nDims is the date range).
func (c *columns) failing(fs *filterSet, doc uint64) uint8 {
	var bits uint8
	for i := 0; i < nDims; i++ {
		if fs.want[i] == nil {
			continue
		}
		ok := false
		for _, v := range c.dims[i].of(doc) {
			if int(v) < len(fs.want[i]) && fs.want[i][v] {
				ok = true
				break
			}
		}
		if !ok {
			bits |= 1 << i
		}
	}
	if fs.from != 0 || fs.to != 0 {
		d := c.dateOf(doc)
		if d == 0 || fs.from != 0 && d < fs.from || fs.to != 0 && d > fs.to {
			bits |= 1 << nDims
		}
	}
	return bits
}
