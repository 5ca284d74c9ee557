package secret

import (
	"bytes"
	"encoding/base64"
	"testing"
)

func testBox(t *testing.T, fill byte) *Box {
	t.Helper()
	b, err := New(bytes.Repeat([]byte{fill}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSealOpen(t *testing.T) {
	b := testBox(t, 7)
	sealed, err := b.Seal("53032519800101123X", 42)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("5303")) {
		t.Fatal("plaintext visible in ciphertext")
	}
	got, err := b.Open(sealed, 42)
	if err != nil || got != "53032519800101123X" {
		t.Fatalf("open: %q %v", got, err)
	}
	// Bound to the record: the same bytes on another row do not open.
	if _, err := b.Open(sealed, 43); err == nil {
		t.Fatal("opened with the wrong record id")
	}
	// Another key does not open it.
	if _, err := testBox(t, 8).Open(sealed, 42); err == nil {
		t.Fatal("opened with the wrong key")
	}
	// Tampering is detected.
	sealed[len(sealed)-1] ^= 1
	if _, err := b.Open(sealed, 42); err == nil {
		t.Fatal("opened a tampered value")
	}
	if _, err := b.Open([]byte{1, 2}, 42); err == nil {
		t.Fatal("opened a short value")
	}
	// Fresh nonce each time.
	s1, _ := b.Seal("x", 1)
	s2, _ := b.Seal("x", 1)
	if bytes.Equal(s1, s2) {
		t.Fatal("nonce reused")
	}
}

func TestHash(t *testing.T) {
	b := testBox(t, 7)
	h1, _ := b.Hash("53032519800101123X")
	h2, _ := b.Hash("53032519800101123X")
	h3, _ := testBox(t, 8).Hash("53032519800101123X")
	if h1 != h2 || h1 == h3 || len(h1) != 64 {
		t.Fatalf("hash: %s %s %s", h1, h2, h3)
	}
}

func TestKeys(t *testing.T) {
	if _, err := New(make([]byte, 16)); err == nil {
		t.Fatal("accepted a 16-byte key")
	}
	if _, err := FromBase64("not base64!"); err == nil {
		t.Fatal("accepted bad base64")
	}
	k := NewKey()
	raw, err := base64.StdEncoding.DecodeString(k)
	if err != nil || len(raw) != 32 {
		t.Fatalf("NewKey: %q", k)
	}
	if _, err := FromBase64(k); err != nil {
		t.Fatal(err)
	}
	var nilBox *Box
	if _, err := nilBox.Seal("x", 1); err != ErrNoKey {
		t.Fatal("nil box sealed")
	}
	t.Setenv(EnvKey, "")
	if b, err := FromEnv(); b != nil || err != nil {
		t.Fatal("FromEnv without key")
	}
	t.Setenv(EnvKey, k)
	if b, err := FromEnv(); b == nil || err != nil {
		t.Fatal("FromEnv with key", err)
	}
}
