//go:build !linux

package indexer

// niced runs fn (thread priorities are lowered on Linux only).
func niced(fn func()) { fn() }
