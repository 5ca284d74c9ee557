package account

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/sync/semaphore"
)

// MinPasswordLen is the shortest password accepted, in characters.
const MinPasswordLen = 10

// MaxPasswordLen caps passwords so hashing cannot be abused with megabyte inputs.
const MaxPasswordLen = 256

// PasswordParams are the argon2id cost parameters. They are stored in every
// hash, so raising them later only affects new hashes and old ones still verify.
type PasswordParams struct {
	Time    uint32 // passes
	Memory  uint32 // KiB
	Threads uint8
	KeyLen  uint32
	SaltLen uint32
}

// DefaultPasswordParams are OWASP's low-memory argon2id configuration
// (7 MiB, 5 passes, one lane), which it rates equivalent to 19 MiB with 2
// passes: ~40 ms a hash here. Memory is what a server's budget feels: 64 MiB a
// hash pushed a burst of logins to ~700 MB, and even 19 MiB left enough
// garbage per login to take a nation-scale server past 150 MB.
var DefaultPasswordParams = PasswordParams{Time: 5, Memory: 7 * 1024, Threads: 1, KeyLen: 32, SaltLen: 16}

// hashMemory bounds the memory of the argon2id computations running at once,
// in KiB: two hashes at the default cost. Logins beyond it wait their turn (in
// order), so memory stays bounded whatever the number of concurrent logins. A
// hash stored with a higher cost (19 or 64 MiB from earlier versions) takes the
// whole budget and runs alone; Login replaces it with a default one.
const hashMemory = 2 * 7 * 1024

var hashSlots = semaphore.NewWeighted(hashMemory)

// idKey is argon2.IDKey (golang.org/x/crypto) within hashMemory.
func idKey(password, salt []byte, p PasswordParams, keyLen uint32) []byte {
	cost := int64(min(max(p.Memory, 1), hashMemory))
	_ = hashSlots.Acquire(context.Background(), cost) // never fails without a deadline
	defer hashSlots.Release(cost)
	return argon2.IDKey(password, salt, p.Time, p.Memory, p.Threads, keyLen)
}

// NeedsRehash reports whether encoded was made with other parameters than p
// (or is not an argon2id hash at all), so that a successful login should store
// a new hash of the password.
func NeedsRehash(encoded string, p PasswordParams) bool {
	q, _, key, err := parseHash(encoded)
	return err != nil || q.Time != p.Time || q.Memory != p.Memory || q.Threads != p.Threads || uint32(len(key)) != p.KeyLen
}

// FastPasswordParams are for tests only: cheap, and still real argon2id.
var FastPasswordParams = PasswordParams{Time: 1, Memory: 64, Threads: 1, KeyLen: 32, SaltLen: 16}

var b64 = base64.RawStdEncoding

// HashPassword returns a PHC-style argon2id string:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> (base64 without padding).
func HashPassword(password string, p PasswordParams) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := idKey([]byte(password), salt, p, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("account: malformed password hash")

// CheckPassword reports whether password matches encoded, comparing in constant
// time. A malformed or unusable hash (e.g. "!" for accounts without a password) never matches.
func CheckPassword(encoded, password string) bool {
	p, salt, key, err := parseHash(encoded)
	if err != nil {
		return false
	}
	got := idKey([]byte(password), salt, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

func parseHash(encoded string) (PasswordParams, []byte, []byte, error) {
	var p PasswordParams
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, errBadHash
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, errBadHash
	}
	if p.Time == 0 || p.Threads == 0 || p.Memory == 0 || p.Memory > 4<<20 || p.Time > 64 {
		return p, nil, nil, errBadHash
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, errBadHash
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return p, nil, nil, errBadHash
	}
	return p, salt, key, nil
}

// PasswordProblem returns the i18n key of what is wrong with a new password, or "".
func PasswordProblem(password string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLen:
		return "err.auth.password_short"
	case len(password) > MaxPasswordLen:
		return "err.auth.password_long"
	case strings.TrimSpace(password) == "":
		return "err.auth.password_short"
	}
	return ""
}

// GeneratePassword returns a random password that is easy to read aloud and type
// on a phone: groups of lowercase letters and digits without look-alikes.
func GeneratePassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	var sb strings.Builder
	buf := make([]byte, 1)
	for n := 0; n < 12; {
		if _, err := rand.Read(buf); err != nil {
			panic(err)
		}
		if int(buf[0]) >= 256-256%len(alphabet) {
			continue // rejection sampling: no bias towards the first letters
		}
		if n > 0 && n%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(alphabet[int(buf[0])%len(alphabet)])
		n++
	}
	return sb.String()
}
