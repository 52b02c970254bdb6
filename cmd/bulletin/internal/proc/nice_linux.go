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
		_ = unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), writeNice) // best effort
		fn()
	}()
	if p := <-done; p != nil {
		panic(p)
	}
}
