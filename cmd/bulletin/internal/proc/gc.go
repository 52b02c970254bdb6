package proc

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// GCRoom gives the garbage collector more room while writes stream in.
//
// A bulk load allocates fast (analysis, the batch's segment): at 20,000
// articles the live heap is ~110 MB and the collector ran every ~0.3 s
// during a load, each cycle taking a core for 30–60 ms and, when a search
// happened to start it, making that search wait (a runtime trace of the
// bench's load put 80 of the searches' 260 ms of scheduling delay in
// starting cycles). While writes run, the heap may grow by minRoom before
// a cycle (GOGC raised to match, at most maxGCPercent, never lowered, and
// set again as the heap grows); the setting is put back restoreAfter the
// last write ends. An operator's own
// GOGC (the environment variable) is left alone.
//
// Concurrency: safe for concurrent use. The GC percent is process-wide
// state: one GCRoom (NewGCRoom) keeps it for all the writers of a process.
type GCRoom struct {
	minRoom      uint64        // bytes the heap may grow by between cycles while writing
	restoreAfter time.Duration // how long after the last write the setting is put back

	mu     sync.Mutex
	active int  // writes running
	raised bool // the GC percent is ours
	saved  int  // the GC percent before it was raised
	timer  *time.Timer
	gen    int // invalidates a pending restore when writes resume
}

// NewGCRoom makes the keeper of the process's GC setting. A program makes
// one and shares it among every writer of the process: the setting is one
// for the process, so two keepers could each put back the other's raised
// value.
func NewGCRoom() *GCRoom {
	return &GCRoom{minRoom: 384 << 20, restoreAfter: 2 * time.Second}
}

// Enter marks a write running; the returned function marks it done.
func (r *GCRoom) Enter() (leave func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	r.mu.Lock()
	r.active++
	r.gen++
	r.tune()
	r.mu.Unlock()
	return r.leave
}

// Adjust sets the GC percent again for the live heap now (it grows as a
// load goes in): a write calls it now and then while it runs.
func (r *GCRoom) Adjust() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.active > 0 {
		r.tune()
	}
}

// tune sets the GC percent that gives the live heap minRoom to grow, at
// most maxGCPercent and never less than the setting before; r.mu is held.
func (r *GCRoom) tune() {
	cur, live := gcState()
	if cur <= 0 || live == 0 {
		return
	}
	base := cur
	if r.raised {
		base = r.saved
	}
	want := int(min(r.minRoom*100/live, maxGCPercent))
	switch {
	case want <= base:
		if r.raised {
			debug.SetGCPercent(r.saved)
			r.raised = false
		}
	case !r.raised:
		r.saved = debug.SetGCPercent(want)
		r.raised = true
	case want < cur*9/10 || want > cur*11/10:
		debug.SetGCPercent(want)
	}
}

// maxGCPercent bounds the raised setting: a small live heap (at start,
// most of the index is outside the Go heap) would otherwise get a
// setting under which the heap, growing during a load, grows far more.
const maxGCPercent = 400

func (r *GCRoom) leave() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.active--
	if r.active > 0 || !r.raised {
		return
	}
	gen := r.gen
	r.timer = time.AfterFunc(r.restoreAfter, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.active == 0 && r.raised && r.gen == gen {
			debug.SetGCPercent(r.saved)
			r.raised = false
		}
	})
}

// gcState reads the GC percent in force and the live heap (bytes marked
// by the last cycle; 0 before the first).
func gcState() (percent int, live uint64) {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() == metrics.KindUint64 {
		percent = int(s[0].Value.Uint64())
	}
	if s[1].Value.Kind() == metrics.KindUint64 {
		live = s[1].Value.Uint64()
	}
	return percent, live
}
