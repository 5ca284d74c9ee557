//go:build !unix

package argon2

// getBlocks returns zeroed memory for memory blocks (on the heap here; see
// memory.go for unix systems).
func getBlocks(memory uint32) (B []block, release func()) {
	return make([]block, memory), func() {}
}
