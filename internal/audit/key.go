package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
)

// EnvKey names the environment variable holding the audit key (base64, at
// least 32 bytes). Without it the key is derived from the ID key (LVZHI_KEY).
const EnvKey = "LVZHI_AUDIT_KEY"

// keyedPrefix marks a hash computed with the audit key (HMAC-SHA-256). Entries
// without it were written by versions before the key, or with no key at all.
const keyedPrefix = "k1:"

var chainKey atomic.Pointer[[]byte]

// SetKey sets the key every chain is written and checked with; nil writes
// unkeyed hashes (development and tests without a configured key). The key
// lives outside the database, so one who can write the database but not read
// the key cannot forge an entry's hash: re-hashing after an edit, or a
// rewound head, no longer passes verification.
func SetKey(k []byte) {
	if len(k) == 0 {
		chainKey.Store(nil)
		return
	}
	c := append([]byte(nil), k...)
	chainKey.Store(&c)
}

// Keyed reports whether an audit key is set.
func Keyed() bool { return currentKey() != nil }

func currentKey() []byte {
	if p := chainKey.Load(); p != nil {
		return *p
	}
	return nil
}

// KeyFromEnv returns the audit key: LVZHI_AUDIT_KEY, else one derived from
// LVZHI_KEY (the ID key) so that an operator keeping one secret outside the
// database keeps both; nil when neither is set.
func KeyFromEnv() ([]byte, error) {
	if v := strings.TrimSpace(os.Getenv(EnvKey)); v != "" {
		k, err := decode64(v)
		if err != nil || len(k) < 32 {
			return nil, errors.New("audit: " + EnvKey + " must be at least 32 bytes, base64")
		}
		return k, nil
	}
	if v := strings.TrimSpace(os.Getenv("LVZHI_KEY")); v != "" {
		k, err := decode64(v)
		if err != nil {
			return nil, errors.New("audit: LVZHI_KEY is not valid base64")
		}
		m := hmac.New(sha256.New, k)
		m.Write([]byte("lvzhi audit chain v1"))
		return m.Sum(nil), nil
	}
	return nil, nil
}

func decode64(s string) ([]byte, error) {
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		var k []byte
		if k, err = enc.DecodeString(s); err == nil {
			return k, nil
		}
	}
	return nil, err
}

// hashWith hashes the entry's fields: HMAC-SHA-256 under key (prefixed
// keyedPrefix), or plain SHA-256 without one.
func (e *Entry) hashWith(key []byte) string {
	var fields []string
	fields = append(fields, e.PrevHash, strconv.FormatInt(e.CommitteeID, 10), strconv.FormatInt(e.Seq, 10),
		e.At.UTC().Format("2006-01-02T15:04:05.999999999Z07:00"), strconv.FormatInt(e.ActorUserID, 10), e.ActorName,
		e.Action, e.Entity, strconv.FormatInt(e.EntityID, 10), e.Before, e.After)
	if key == nil {
		h := sha256.New()
		writeFields(h, fields)
		return hex.EncodeToString(h.Sum(nil))
	}
	m := hmac.New(sha256.New, key)
	writeFields(m, fields)
	return keyedPrefix + hex.EncodeToString(m.Sum(nil))
}

func writeFields(h interface{ Write([]byte) (int, error) }, fields []string) {
	for _, s := range fields {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
}
