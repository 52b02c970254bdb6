//go:build !linux

package proc

// Niced runs fn (thread priorities are lowered on Linux only).
func Niced(fn func()) { fn() }
