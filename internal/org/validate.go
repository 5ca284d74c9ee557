package org

import (
	"regexp"
	"strings"
	"time"
	"unicode"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
)

// idWeights are the GB 11643-1999 weights of the first 17 characters.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum mod 11 to the check character.
const idCheckChars = "10X98765432"

// NormalizeIDNumber trims spaces, turns full-width digits and letters into
// ASCII and upper-cases a trailing x, so that one number has one spelling.
func NormalizeIDNumber(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == 'ｘ' || r == 'Ｘ':
			r = 'X'
		case r == 'x':
			r = 'X'
		case unicode.IsSpace(r):
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// IDCheckChar returns the GB 11643 check character for the first 17 digits of an
// ID number (for generators and examples); 0 if they are not 17 digits.
func IDCheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// IDNumberProblem checks a normalised citizen ID number (公民身份号码) per GB 11643-1999:
// 18 characters, 17 digits then a digit or X, a plausible birth date, and
// the mod-11 check character. It returns "" when valid, else the i18n key of the problem.
func IDNumberProblem(id string, today civil.Date) string {
	if strings.ContainsAny(id, "Ee") && strings.Contains(id, "+") {
		return "err.org.id_number_scientific" // Excel turned the number into 5.30325E+17
	}
	if len(id) != 18 {
		return "err.org.id_number_length"
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return "err.org.id_number_chars"
		}
		sum += int(c-'0') * idWeights[i]
	}
	last := id[17]
	if (last < '0' || last > '9') && last != 'X' {
		return "err.org.id_number_chars"
	}
	if id[0] < '1' || id[0] > '9' {
		return "err.org.id_number_region"
	}
	if _, ok := birthFromID(id, today); !ok {
		return "err.org.id_number_birth"
	}
	if idCheckChars[sum%11] != last {
		return "err.org.id_number_checksum"
	}
	return ""
}

// birthFromID returns the birth date coded in an 18-character ID number, if it is
// a real date between 1900 and today.
func birthFromID(id string, today civil.Date) (civil.Date, bool) {
	if len(id) != 18 {
		return civil.Date{}, false
	}
	t, err := time.Parse("20060102", id[6:14])
	if err != nil {
		return civil.Date{}, false
	}
	d := civil.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
	if d.Year < 1900 || today.Before(d) {
		return civil.Date{}, false
	}
	return d, true
}

// genderFromID returns "male" or "female" from the 17th character (odd = male).
func genderFromID(id string) string {
	if len(id) != 18 {
		return ""
	}
	if (id[16]-'0')%2 == 1 {
		return GenderMale
	}
	return GenderFemale
}

// MaskIDNumber shows the first four characters only (province and
// prefecture): 5303**************. It also turns a mask stored by older
// versions (5303**********123X) into this form, so it is applied again when
// a member is read.
//
// Why so little: digits 7-14 are the birth date and digit 17's parity the
// gender, so next to a shown birth date and gender the old mask (digits 1-4
// and 15-18) left at most a few dozen candidates, the check digit cutting
// them further (9 in the reported case). With this mask and the birth date
// shown as the year only (see ForReader), a reader without the reveal
// permission faces at least 365 days × 100 sequence numbers × 5 gender
// digits = 182,500 candidates even if they guess the county (digits 5-6).
func MaskIDNumber(id string) string {
	if id == "" {
		return ""
	}
	r := []rune(id)
	if len(r) <= 4 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:4]) + strings.Repeat("*", len(r)-4)
}

// ForReader is what actor may see of m: the ID number masked (MaskIDNumber)
// for everyone, and the birth date in full only for those who may reveal the
// member's ID number (ViewIDNumber in the member's own committee); others see
// the birth year. Every page, API answer and export showing a member passes
// through it.
func ForReader(actor *auth.Actor, m Member) Member {
	m.IDMasked = MaskIDNumber(m.IDMasked)
	if !(auth.Can(actor, ViewIDNumber) && actor.CommitteeID == m.CommitteeID) && len(m.BirthDate) > 4 {
		m.BirthDate = m.BirthDate[:4]
	}
	return m
}

var (
	mobileRE   = regexp.MustCompile(`^1[3-9]\d{9}$`)
	landlineRE = regexp.MustCompile(`^0\d{2,3}-?\d{7,8}(-\d{1,6})?$`)
	emailRE    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// NormalizePhone removes spaces and a +86 prefix, and turns full-width digits into ASCII.
func NormalizePhone(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == '－' || r == '—':
			r = '-'
		case unicode.IsSpace(r):
			continue
		}
		b.WriteRune(r)
	}
	p := b.String()
	p = strings.TrimPrefix(p, "+86")
	p = strings.TrimPrefix(p, "0086")
	return strings.TrimPrefix(p, "-")
}

// ValidPhone accepts a mainland mobile number (1[3-9] and 9 digits) or a landline
// with area code (0871-12345678, extension allowed).
func ValidPhone(p string) bool { return mobileRE.MatchString(p) || landlineRE.MatchString(p) }

// validEmail is a plausibility check, not RFC 5322.
func validEmail(e string) bool { return emailRE.MatchString(e) }

// validDate accepts "" or a real YYYY-MM-DD date.
func validDate(s string) bool {
	if s == "" {
		return true
	}
	_, err := civil.Parse(s)
	return err == nil
}
