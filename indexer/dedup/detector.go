// Package dedup finds re-posts: one notice posted again by other sites, with
// their own title prefix (转发, 【转载】), source and editor lines, page
// furniture, punctuation width, traditional or simplified script, and
// sometimes without its lead paragraph. Such copies form a duplicate group,
// represented by the earliest published copy (ties to the lower id).
//
// Notices built from one template but about another place, date or figure
// are not copies, nor is an article that quotes a paragraph of another: a
// pair is grouped only when the shorter article's whole text is held by the
// longer, the shorter is a substantial share of the longer, and their
// distinctive tokens (figures, dates, document numbers, place names) agree
// up to what the longer's extra text holds.
//
// The Detector is incremental: articles are added and removed one at a
// time, at index time and on every live write, and it keeps only a bounded
// sketch of each article (see sketch.go), never the text.
package dedup

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"time"
)

// maxChain bounds how many articles of one LSH bucket an addition checks. A
// bucket that long holds boilerplate shared by many unrelated articles;
// real copies share many buckets, so they are found through another.
const maxChain = 512

const none = -1

// Detector groups copies. Its methods are safe for concurrent use: Add and
// Remove build the sketch of an article without holding the lock and then
// take the write lock for the index update; Group, Rep and Len take the read
// lock. Memory is a bounded sketch per article plus its LSH bucket entries:
// about 2 KB at most, 1.4 to 1.7 KB on average (BenchmarkDetector).
type Detector struct {
	th Thresholds

	mu     sync.RWMutex
	ids    map[string]int32
	slots  []slot
	free   []int32
	bands  [numBands]map[uint64]int32 // LSH key → first slot of its chain
	groups map[int32]*group           // by group number
	nextG  int32
}

type slot struct {
	id    string
	date  string
	sk    *sketch
	next  [numBands]int32 // next slot in each band's chain
	group int32
	live  bool
}

type group struct {
	members []int32
	rep     int32
}

// Result is the outcome of an addition or removal.
type Result struct {
	// Group is the id of the representative of the added article's group
	// (the article's own id when it has no copies); empty for a removal.
	Group string
	// Moved lists the other articles whose representative changed: their
	// group key must be rewritten wherever it is stored.
	Moved []string
}

// New returns an empty Detector with the given thresholds (zero value:
// DefaultThresholds).
func New(th Thresholds) *Detector {
	if th == (Thresholds{}) {
		th = DefaultThresholds()
	}
	d := &Detector{th: th, ids: map[string]int32{}, groups: map[int32]*group{}}
	for i := range d.bands {
		d.bands[i] = map[uint64]int32{}
	}
	return d
}

// Len returns the number of articles held.
func (d *Detector) Len() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return len(d.ids)
}

// Add adds an article, or replaces the article of the same id, and returns
// its group. date is YYYY-MM-DD or empty (an undated copy sorts after the
// dated ones).
func (d *Detector) Add(id, date, title, body string) Result {
	sk := newSketch(title, body)
	d.mu.Lock()
	defer d.mu.Unlock()
	moved := moves{}
	if old, ok := d.ids[id]; ok {
		d.removeLocked(old, moved)
	}
	s := d.alloc(id, date, sk)
	joined, steal := d.matches(s)
	for _, c := range steal {
		d.detach(c, moved)
		joined = append(joined, d.slots[c].group)
	}
	before := map[int32]int32{} // member → old representative
	for _, g := range joined {
		for _, m := range d.groups[g].members {
			before[m] = d.groups[g].rep
		}
	}
	g := d.merge(s, joined)
	for m, rep := range before {
		if d.groups[g].rep != rep {
			moved.note(d.slots[m].id, d.slots[rep].id)
		}
	}
	delete(moved, id)
	return Result{Group: d.slots[d.groups[g].rep].id, Moved: d.changed(moved)}
}

// Remove removes an article. When it represented a group the next copy
// takes the group over; when it was the link between copies the group
// splits. It returns the other articles whose representative changed.
func (d *Detector) Remove(id string) Result {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, ok := d.ids[id]
	if !ok {
		return Result{}
	}
	moved := moves{}
	d.removeLocked(s, moved)
	delete(moved, id)
	return Result{Moved: d.changed(moved)}
}

// Rep returns the id of the representative of id's group ("" if id is not
// held).
func (d *Detector) Rep(id string) string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	s, ok := d.ids[id]
	if !ok {
		return ""
	}
	return d.slots[d.groups[d.slots[s].group].rep].id
}

// Group returns the ids of id's group, the representative first and the
// others by date and id (nil if id is not held).
func (d *Detector) Group(id string) []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	s, ok := d.ids[id]
	if !ok {
		return nil
	}
	ms := slices.Clone(d.groups[d.slots[s].group].members)
	slices.SortFunc(ms, d.order)
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = d.slots[m].id
	}
	return out
}

// order sorts slots by date (undated last), then id.
func (d *Detector) order(a, b int32) int {
	da, db := d.slots[a].date, d.slots[b].date
	if (da == "") != (db == "") {
		if da == "" {
			return 1
		}
		return -1
	}
	return cmp.Or(cmp.Compare(da, db), cmp.Compare(d.slots[a].id, d.slots[b].id))
}

func (d *Detector) alloc(id, date string, sk *sketch) int32 {
	var s int32
	if n := len(d.free); n > 0 {
		s, d.free = d.free[n-1], d.free[:n-1]
	} else {
		s = int32(len(d.slots))
		d.slots = append(d.slots, slot{})
	}
	sl := &d.slots[s]
	*sl = slot{id: id, date: date, sk: sk, group: none, live: true}
	d.ids[id] = s
	for b, key := range sk.bands {
		if sk.size == 0 {
			sl.next[b] = none
			continue
		}
		head, ok := d.bands[b][key]
		if !ok {
			head = none
		}
		sl.next[b] = head
		d.bands[b][key] = s
	}
	return s
}

// candidates calls fn for every other slot sharing an LSH bucket with s,
// once each.
func (d *Detector) candidates(s int32, fn func(c int32)) {
	sk := d.slots[s].sk
	if sk.size == 0 {
		return
	}
	seen := map[int32]bool{s: true}
	for b, key := range sk.bands {
		c, n := d.bands[b][key], 0
		for ; c != none && n < maxChain; c, n = d.slots[c].next[b], n+1 {
			if !seen[c] {
				seen[c] = true
				fn(c)
			}
		}
	}
}

// matches returns the groups the new slot s joins: those holding a copy of
// it none of whose members conflicts with it (notices of one template,
// see conflict). A copy without its lead paragraph can be a copy of two
// such notices that differ only in their leads: it joins the group it
// matches best, and a later notice it matches better takes it over (the
// second result: copies to move to s's group). Groups that conflict are
// never merged.
func (d *Detector) matches(s int32) (gs, steal []int32) {
	type hit struct {
		g    int32
		c    float64
		days int
	}
	var hits []hit
	var tried []int32
	sk := d.slots[s].sk
	d.candidates(s, func(c int32) {
		g := d.slots[c].group
		if g == none || slices.ContainsFunc(hits, func(h hit) bool { return h.g == g }) {
			return
		}
		m := compare(sk, d.slots[c].sk, d.th)
		if !m.Duplicate {
			return
		}
		days := d.days(s, c)
		if slices.Contains(tried, g) || d.conflicts(sk, g) {
			tried = append(tried, g)
			if fc, fdays := d.fit(c); better(m.Containment, days, fc, fdays) {
				steal = append(steal, c)
			}
			return
		}
		hits = append(hits, hit{g, m.Containment, days})
	})
	for i := 1; i < len(hits); i++ { // the best match first
		if better(hits[i].c, hits[i].days, hits[0].c, hits[0].days) {
			hits[0], hits[i] = hits[i], hits[0]
		}
	}
	for _, h := range hits {
		if !slices.ContainsFunc(gs, func(g int32) bool { return d.groupsConflict(g, h.g) }) {
			gs = append(gs, h.g)
		}
	}
	return gs, steal
}

// maxConflictChecks bounds the members a conflict check reads: a group that
// large is a widely re-posted notice whose copies agree.
const maxConflictChecks = 64

// conflicts reports whether sk conflicts with a member of group g.
func (d *Detector) conflicts(sk *sketch, g int32) bool {
	ms := d.groups[g].members
	for _, m := range ms[:min(len(ms), maxConflictChecks)] {
		if conflict(sk, d.slots[m].sk, d.th) {
			return true
		}
	}
	return false
}

func (d *Detector) groupsConflict(a, b int32) bool {
	ms := d.groups[a].members
	for _, m := range ms[:min(len(ms), maxConflictChecks)] {
		if d.conflicts(d.slots[m].sk, b) {
			return true
		}
	}
	return false
}

// fit is the best containment of slot c with another member of its group,
// and the days between their dates.
func (d *Detector) fit(c int32) (float64, int) {
	best, days := 0.0, noDate
	for _, m := range d.groups[d.slots[c].group].members {
		if m == c {
			continue
		}
		x, dd := compare(d.slots[c].sk, d.slots[m].sk, d.th).Containment, d.days(c, m)
		if better(x, dd, best, days) {
			best, days = x, dd
		}
	}
	return best, days
}

// tieContainment is the difference of containments that counts as a tie:
// for articles longer than the bottom-k sample the containment is an
// estimate.
const tieContainment = 0.03

// better reports whether a match of containment c at days apart is better
// than one of containment c0 at days0: the clearly higher containment, or
// on a tie the nearer date.
func better(c float64, days int, c0 float64, days0 int) bool {
	if math.Abs(c-c0) > tieContainment {
		return c > c0
	}
	return days < days0
}

// noDate is the distance in days from or to an undated article.
const noDate = math.MaxInt

// days returns the days between the dates of two slots. Between copies
// that match equally well (a copy without its lead paragraph, of two
// notices that differ only there) the nearer date decides: a re-post
// follows its notice within days, a notice of the same template is of
// another day or year.
func (d *Detector) days(a, b int32) int {
	ta, ea := time.Parse(time.DateOnly, d.slots[a].date)
	tb, eb := time.Parse(time.DateOnly, d.slots[b].date)
	if ea != nil || eb != nil {
		return noDate
	}
	n := int(ta.Sub(tb).Hours() / 24)
	if n < 0 {
		n = -n
	}
	return n
}

// merge puts s and the groups gs into one group and returns its number.
func (d *Detector) merge(s int32, gs []int32) int32 {
	if len(gs) == 0 {
		g := d.nextG
		d.nextG++
		d.groups[g] = &group{members: []int32{s}, rep: s}
		d.slots[s].group = g
		return g
	}
	slices.SortFunc(gs, func(a, b int32) int { return cmp.Compare(len(d.groups[b].members), len(d.groups[a].members)) })
	into := d.groups[gs[0]]
	for _, g := range gs[1:] {
		for _, m := range d.groups[g].members {
			d.slots[m].group = gs[0]
		}
		into.members = append(into.members, d.groups[g].members...)
		delete(d.groups, g)
	}
	into.members = append(into.members, s)
	d.slots[s].group = gs[0]
	d.setRep(into)
	return gs[0]
}

func (d *Detector) setRep(g *group) {
	g.rep = slices.MinFunc(g.members, d.order)
}

// removeLocked takes slot s out of the index and its group, recording in
// moved the articles whose representative changed.
func (d *Detector) removeLocked(s int32, moved moves) {
	sl := &d.slots[s]
	if sl.sk.size > 0 {
		for b, key := range sl.sk.bands {
			d.unlink(b, key, s)
		}
	}
	d.detach(s, moved)
	delete(d.groups, d.slots[s].group)
	delete(d.ids, sl.id)
	*sl = slot{group: none}
	d.free = append(d.free, s)
}

// detach takes slot s out of its group into a group of its own. The rest of
// the group is what is left connected: its components are recomputed over
// the copies the LSH buckets find, and moved records the articles whose
// representative changed.
func (d *Detector) detach(s int32, moved moves) {
	gi := d.slots[s].group
	g := d.groups[gi]
	if len(g.members) == 1 {
		return
	}
	oldRep := g.rep
	rest := slices.DeleteFunc(slices.Clone(g.members), func(m int32) bool { return m == s })
	d.slots[s].group = none // not reached from the rest
	comps := d.components(rest, gi)
	delete(d.groups, gi)
	for i, comp := range comps {
		ng := gi
		if i > 0 {
			ng = d.nextG
			d.nextG++
		}
		grp := &group{members: comp}
		d.setRep(grp)
		d.groups[ng] = grp
		for _, m := range comp {
			d.slots[m].group = ng
			if grp.rep != oldRep {
				moved.note(d.slots[m].id, d.slots[oldRep].id)
			}
		}
	}
	own := d.nextG
	d.nextG++
	d.groups[own] = &group{members: []int32{s}, rep: s}
	d.slots[s].group = own
	if s == oldRep {
		return
	}
	moved.note(d.slots[s].id, d.slots[oldRep].id)
}

func (d *Detector) unlink(b int, key uint64, s int32) {
	head, ok := d.bands[b][key]
	if !ok {
		return
	}
	if head == s {
		if n := d.slots[s].next[b]; n != none {
			d.bands[b][key] = n
		} else {
			delete(d.bands[b], key)
		}
		return
	}
	for c := head; c != none; c = d.slots[c].next[b] {
		if d.slots[c].next[b] == s {
			d.slots[c].next[b] = d.slots[s].next[b]
			return
		}
	}
}

// components splits members (all of group gi) into the sets connected by
// duplicate pairs.
func (d *Detector) components(members []int32, gi int32) [][]int32 {
	if len(members) == 1 {
		return [][]int32{slices.Clone(members)}
	}
	// the usual case, and a fast one for a widely re-posted notice: every
	// copy is a copy of the earliest
	first := slices.MinFunc(members, d.order)
	if !slices.ContainsFunc(members, func(m int32) bool {
		return m != first && !compare(d.slots[m].sk, d.slots[first].sk, d.th).Duplicate
	}) {
		return [][]int32{slices.Clone(members)}
	}
	comp := make(map[int32]int, len(members))
	var out [][]int32
	for _, m := range members {
		if _, ok := comp[m]; ok {
			continue
		}
		n := len(out)
		out = append(out, []int32{m})
		comp[m] = n
		for q := []int32{m}; len(q) > 0; {
			x := q[len(q)-1]
			q = q[:len(q)-1]
			d.candidates(x, func(c int32) {
				if _, ok := comp[c]; ok || d.slots[c].group != gi {
					return
				}
				if compare(d.slots[x].sk, d.slots[c].sk, d.th).Duplicate && !conflict(d.slots[m].sk, d.slots[c].sk, d.th) {
					comp[c] = n
					out[n] = append(out[n], c)
					q = append(q, c)
				}
			})
		}
	}
	return out
}

// moves records, for the articles an operation regrouped, the id of their
// representative before it.
type moves map[string]string

// note records that id's representative was rep, unless an earlier step of
// the operation recorded it already.
func (m moves) note(id, rep string) {
	if _, ok := m[id]; !ok {
		m[id] = rep
	}
}

// changed returns, sorted, the articles whose representative is not the
// one they had before the operation.
func (d *Detector) changed(m moves) []string {
	var out []string
	for id, rep := range m {
		if s, ok := d.ids[id]; ok && d.slots[d.groups[d.slots[s].group].rep].id != rep {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}
