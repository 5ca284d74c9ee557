// Package secret protects personal data at rest: AES-256-GCM encryption of
// single fields (citizen ID numbers) bound to the record they belong to, and a
// keyed hash for looking such fields up without decrypting them.
//
// The key is 32 random bytes, given base64-encoded in LVZHI_KEY and never
// stored in the database. Two sub-keys are derived from it with HKDF, so the
// lookup hash and the cipher never share key material.
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// EnvKey names the environment variable holding the base64 key.
const EnvKey = "LVZHI_KEY"

// ErrNoKey reports that no key is configured, so personal data cannot be stored or read.
var ErrNoKey = errors.New("secret: no encryption key configured (set " + EnvKey + " to 32 random bytes, base64)")

// Box seals and opens fields and computes lookup hashes with one key.
type Box struct {
	aead   cipher.AEAD
	macKey []byte
}

// New returns a Box for a 32-byte key.
func New(key []byte) (*Box, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("secret: key must be 32 bytes, got %d", len(key))
	}
	encKey, err := hkdf.Key(sha256.New, key, nil, "lvzhi field encryption v1", 32)
	if err != nil {
		return nil, err
	}
	macKey, err := hkdf.Key(sha256.New, key, nil, "lvzhi lookup hash v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead, macKey: macKey}, nil
}

// FromBase64 returns a Box for a base64-encoded (standard or URL alphabet) 32-byte key.
func FromBase64(s string) (*Box, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if key, err := enc.DecodeString(s); err == nil {
			return New(key)
		}
	}
	return nil, errors.New("secret: " + EnvKey + " is not valid base64")
}

// FromEnv returns the Box for LVZHI_KEY, or (nil, nil) when it is unset.
func FromEnv() (*Box, error) {
	v := os.Getenv(EnvKey)
	if v == "" {
		return nil, nil
	}
	return FromBase64(v)
}

// NewKey returns a fresh random key, base64-encoded, for LVZHI_KEY.
func NewKey() string {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand.Read never fails
	return base64.StdEncoding.EncodeToString(key)
}

// ad binds a ciphertext to its record, so a value copied onto another row fails to open.
func ad(recordID int64) []byte { return []byte("record:" + strconv.FormatInt(recordID, 10)) }

// Seal encrypts plaintext for the record with id recordID: nonce || ciphertext.
func (b *Box) Seal(plaintext string, recordID int64) ([]byte, error) {
	if b == nil {
		return nil, ErrNoKey
	}
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return b.aead.Seal(nonce, nonce, []byte(plaintext), ad(recordID)), nil
}

// Open decrypts a value sealed for the record with id recordID.
func (b *Box) Open(sealed []byte, recordID int64) (string, error) {
	if b == nil {
		return "", ErrNoKey
	}
	n := b.aead.NonceSize()
	if len(sealed) < n+b.aead.Overhead() {
		return "", errors.New("secret: sealed value too short")
	}
	p, err := b.aead.Open(nil, sealed[:n], sealed[n:], ad(recordID))
	if err != nil {
		return "", errors.New("secret: cannot open value (wrong key or record)")
	}
	return string(p), nil
}

// Hash returns the keyed lookup hash (HMAC-SHA256, hex) of a normalised value.
// Equal inputs give equal hashes under one key; without the key the hash
// reveals nothing, and ID numbers cannot be brute-forced from it.
func (b *Box) Hash(value string) (string, error) {
	if b == nil {
		return "", ErrNoKey
	}
	m := hmac.New(sha256.New, b.macKey)
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)), nil
}
