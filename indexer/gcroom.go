package indexer

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// gcRoom gives the garbage collector more room while writes stream in.
//
// A bulk load allocates fast (analysis, the batch's segment): at 20,000
// articles the live heap is ~110 MB and the collector ran every ~0.3 s
// during a load, each cycle taking a core for 30–60 ms and, when a search
// happened to start it, making that search wait (a runtime trace of the
// bench's load put 80 of the searches' 260 ms of scheduling delay in
// starting cycles). While writes run, the heap may grow by at least
// minRoom before a cycle (GOGC raised to match, never lowered); the
// setting is put back restoreAfter the last write ends. An operator's own
// GOGC (the environment variable) is left alone.
//
// Concurrency: safe for concurrent use. The GC percent is process-wide
// state: one gcRoom (processGC) keeps it for all the Lives of a process.
type gcRoom struct {
	minRoom      uint64        // bytes the heap may grow by between cycles while writing
	restoreAfter time.Duration // how long after the last write the setting is put back

	mu     sync.Mutex
	active int  // writes running
	raised bool // the GC percent is ours
	saved  int  // the GC percent before it was raised
	timer  *time.Timer
	gen    int // invalidates a pending restore when writes resume
}

// processGC is the keeper of the process's GC setting, shared by every
// Live of the process: the setting is one for the process, so two keepers
// could each put back the other's raised value.
var processGC = newGCRoom()

func newGCRoom() *gcRoom {
	return &gcRoom{minRoom: 384 << 20, restoreAfter: 2 * time.Second}
}

// enter marks a write running; the returned function marks it done.
func (r *gcRoom) enter() (leave func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	r.mu.Lock()
	r.active++
	r.gen++
	if !r.raised {
		cur, live := gcState()
		if cur > 0 && live > 0 {
			if want := int(r.minRoom * 100 / live); want > cur {
				r.saved = debug.SetGCPercent(want)
				r.raised = true
			}
		}
	}
	r.mu.Unlock()
	return r.leave
}

func (r *gcRoom) leave() {
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
