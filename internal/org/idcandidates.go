package org

import (
	"fmt"
	"time"
)

// IDCandidates counts the citizen ID numbers consistent with what a reader
// sees of a person: the masked number (MaskIDNumber's form, '*' for hidden
// characters), the birth date as shown ("YYYY-MM-DD", "YYYY" or "") and the
// gender ("male", "female" or ""). It assumes the worst case, a reader who
// knows the six-digit region code (the county), and counts the birth dates
// and sequence numbers left, each with the check digit it implies. Counting
// stops at limit. The privacy rule (docs/DEPLOY.md) is that a reader without
// the reveal permission is left with at least 10,000; tests hold every page,
// API answer and export that shows a person to it.
func IDCandidates(masked, birth, gender string, limit int) int {
	if len(masked) != 18 {
		return 0
	}
	region := "530325" // any region: it is taken as known
	n := 0
	for day := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() < 2030 && n < limit; day = day.AddDate(0, 0, 1) {
		ymd := day.Format("20060102")
		if !birthMatches(ymd, birth) || !matches(masked, 6, ymd) {
			continue
		}
		for seq := 0; seq < 1000 && n < limit; seq++ {
			s := fmt.Sprintf("%03d", seq)
			if !matches(masked, 14, s) || !genderMatches(seq%10, gender) {
				continue
			}
			body := region + ymd + s
			if matches(masked, 17, string(IDCheckChar(body))) {
				n++
			}
		}
	}
	return n
}

func birthMatches(ymd, birth string) bool {
	switch len(birth) {
	case 10:
		return ymd == birth[:4]+birth[5:7]+birth[8:10]
	case 4:
		return ymd[:4] == birth
	}
	return true
}

// matches reports whether part, placed at offset in masked, agrees with every
// shown character.
func matches(masked string, offset int, part string) bool {
	for i := 0; i < len(part); i++ {
		if c := masked[offset+i]; c != '*' && c != part[i] {
			return false
		}
	}
	return true
}

func genderMatches(digit int, gender string) bool {
	switch gender {
	case GenderMale:
		return digit%2 == 1
	case GenderFemale:
		return digit%2 == 0
	}
	return true
}
