// Package logbuf is a log sink that goroutines may write to while a test
// reads it (a server's handlers, River's workers).
package logbuf

import (
	"bytes"
	"sync"
)

// Buffer collects what is written to it, safely across goroutines.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
