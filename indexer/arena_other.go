//go:build !linux

package indexer

// mapChunk returns n bytes from the Go heap (anonymous mappings are used on
// Linux only, see arena_linux.go).
func mapChunk(n int) ([]byte, func(), error) {
	return make([]byte, n), func() {}, nil
}
