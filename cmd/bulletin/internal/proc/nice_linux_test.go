package proc

import (
	"testing"

	"golang.org/x/sys/unix"
)

// niceOf is the nice value of the calling thread (the kernel's getpriority
// answers 20 - nice).
func niceOf(t *testing.T) int {
	t.Helper()
	p, err := unix.Getpriority(unix.PRIO_PROCESS, unix.Gettid())
	if err != nil {
		t.Fatal(err)
	}
	return 20 - p
}

func TestNicedLowersOnlyItsThread(t *testing.T) {
	before := niceOf(t)
	var inside int
	Niced(func() { inside = niceOf(t) })
	if want := min(before+writeNice, 19); inside != want {
		t.Errorf("nice inside niced: %d, want %d (outside %d)", inside, want, before)
	}
	if after := niceOf(t); after != before {
		t.Errorf("the caller's thread nice went from %d to %d", before, after)
	}
	defer func() {
		if p := recover(); p != "boom" {
			t.Errorf("panic in niced: recovered %v, want it raised again in the caller", p)
		}
	}()
	Niced(func() { panic("boom") })
}
