package proc

import (
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestGCRoomRaisesWhileWritingAndPutsBack checks the GC percent is raised
// while writes run (nested writes keep it raised) and put back after the
// last one.
func TestGCRoomRaisesWhileWritingAndPutsBack(t *testing.T) {
	if _, set := os.LookupEnv("GOGC"); set {
		t.Skip("GOGC is set: the operator's setting is left alone")
	}
	runtime.GC() // a live heap to measure
	before, live := gcState()
	if live == 0 {
		t.Fatal("no live heap measured after a collection")
	}
	r := &GCRoom{minRoom: live * 3, restoreAfter: 10 * time.Millisecond} // 300 %
	leave1 := r.Enter()
	leave2 := r.Enter()
	if p, _ := gcState(); p <= before {
		t.Fatalf("GC percent while writing = %d, want more than %d", p, before)
	}
	leave1()
	time.Sleep(50 * time.Millisecond)
	if p, _ := gcState(); p <= before {
		t.Fatalf("GC percent with one write still running = %d, want more than %d", p, before)
	}
	leave2()
	deadline := time.Now().Add(10 * time.Second)
	for {
		p, _ := gcState()
		if p == before {
			break
		}
		if time.Now().After(deadline) {
			debug.SetGCPercent(before)
			t.Fatalf("GC percent after the writes = %d, want %d back", p, before)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Room already there: nothing is changed.
	small := &GCRoom{minRoom: 1, restoreAfter: time.Millisecond}
	small.Enter()()
	if small.raised {
		t.Fatal("raised the GC percent though the heap had the room")
	}
}
