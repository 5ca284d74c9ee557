//go:build unix

package argon2

import (
	"syscall"
	"unsafe"
)

// mapMin is the smallest memory cost mapped from the system; smaller ones
// (tests' fast parameters) are allocated on the heap.
const mapMin = 1 << 20 / blockLength / 8 // 1 MiB, in blocks

// getBlocks returns zeroed memory for memory blocks and the func that frees
// it. Above mapMin it is an anonymous private mapping outside the Go heap,
// unmapped (returned to the system at once) by release; the caller must not
// keep any reference to the blocks after release.
func getBlocks(memory uint32) (B []block, release func()) {
	if memory < mapMin {
		return make([]block, memory), func() {}
	}
	mem, err := syscall.Mmap(-1, 0, int(memory)*blockLength*8, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]block, memory), func() {}
	}
	return unsafe.Slice((*block)(unsafe.Pointer(&mem[0])), memory), func() { _ = syscall.Munmap(mem) }
}
