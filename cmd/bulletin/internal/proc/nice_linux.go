package proc

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// writeNice is how much lower than the server's the scheduling priority of
// the threads that analyse written articles and build their segments is:
// on a machine whose cores are all busy, the kernel runs the threads
// answering searches first, and the writing ones get what is left.
const writeNice = 10

// Niced runs fn on an OS thread of its own whose priority is lowered by
// writeNice, and waits for it. The goroutine ends locked to that thread, so
// the Go runtime ends the thread with it rather than reuse it for other
// work (a lowered priority cannot be raised again without privileges).
// jieba's cgo calls made by fn run on that thread too. A panic in fn is
// raised again in the caller.
func Niced(fn func()) {
	done := make(chan any, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: see above
		var p any
		defer func() { done <- p }()
		defer func() { p = recover() }()
		lower(unix.Gettid())
		fn()
	}()
	if p := <-done; p != nil {
		panic(p)
	}
}

// lower lowers the priority of thread tid by writeNice from what it is
// (a server started niced stays below its own searches, not at a fixed
// nice), to at most 19. Best effort: an error leaves the thread as it was.
func lower(tid int) {
	p, err := unix.Getpriority(unix.PRIO_PROCESS, tid) // the kernel answers 20 - nice
	if err != nil {
		return
	}
	_ = unix.Setpriority(unix.PRIO_PROCESS, tid, min(20-p+writeNice, 19))
}
