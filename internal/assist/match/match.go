// Package match scores members' offers against households' needs by the
// principle 群众所需、政协可为、委员所能 and proposes the assignment of needs to
// members that maximises the total fit within each member's capacity. It is
// pure Go, with no database: the assist service loads offers and open needs,
// calls it, and officers confirm, change or reject what it proposes.
package match

import (
	"slices"
	"strings"
)

// Offer is what one member offers: the kinds of need they can meet, skills
// and resources as keywords, their sector, the townships they can reach
// (none: anywhere) and how many needs they can take.
type Offer struct {
	MemberID  int64
	Name      string
	Kinds     []string
	Keywords  []string
	Sector    string
	Townships []string
	Capacity  int
}

// Need is one open need of a household.
type Need struct {
	ID          int64
	HouseholdID int64
	Kind        string
	Township    string
	Urgency     int // 1 normal … 3 urgent
	Text        string
}

// Reason is one part of a fit score: its code (i18n assist.reason.<code>),
// the points it gives and a detail (the skill or township that matched).
type Reason struct {
	Code   string `json:"code"`
	Points int    `json:"points"`
	Detail string `json:"detail,omitempty"`
}

// Fit is how well a member fits a need.
type Fit struct {
	NeedID   int64    `json:"need_id"`
	MemberID int64    `json:"member_id"`
	Score    int      `json:"score"`
	Reasons  []Reason `json:"reasons"`
}

// The points of each reason.
const (
	PointsKind      = 50 // the member offers this kind of help (委员所能)
	PointsSkill     = 15 // a skill or resource keyword appears in the need (per keyword, at most two)
	PointsSector    = 10 // the member's sector usually serves this kind of need
	PointsTownship  = 20 // the member named the household's township
	PointsAnywhere  = 5  // the member reaches every township
	PointsUrgency   = 5  // per urgency level above normal (群众所需: urgent needs first)
	maxSkillMatches = 2
)

// sectorKinds maps words in a sector's name to the kinds of need it usually serves.
var sectorKinds = []struct {
	word  string
	kinds []string
}{
	{"教育", []string{"study"}},
	{"医", []string{"medical"}},
	{"卫生", []string{"medical"}},
	{"经济", []string{"industry", "job"}},
	{"工商", []string{"industry", "job"}},
	{"农", []string{"industry", "tech"}},
	{"科", []string{"tech", "info"}},
	{"文化", []string{"info", "study"}},
}

// Score returns how well offer o fits need n, and whether the pair is
// plausible at all: the member reaches the township and either offers the
// kind or has a matching skill. Implausible pairs are never suggested or assigned.
func Score(o Offer, n Need) (Fit, bool) {
	f := Fit{NeedID: n.ID, MemberID: o.MemberID}
	add := func(code string, pts int, detail string) {
		f.Score += pts
		f.Reasons = append(f.Reasons, Reason{Code: code, Points: pts, Detail: detail})
	}
	switch {
	case len(o.Townships) == 0:
		add("anywhere", PointsAnywhere, "")
	case slices.Contains(o.Townships, n.Township):
		add("township", PointsTownship, n.Township)
	default:
		return f, false
	}
	kind := slices.Contains(o.Kinds, n.Kind)
	if kind {
		add("kind", PointsKind, n.Kind)
	}
	skills := 0
	for _, k := range o.Keywords {
		if k != "" && skills < maxSkillMatches && strings.Contains(n.Text, k) {
			add("skill", PointsSkill, k)
			skills++
		}
	}
	if !kind && skills == 0 {
		return f, false
	}
	for _, s := range sectorKinds {
		if strings.Contains(o.Sector, s.word) && slices.Contains(s.kinds, n.Kind) {
			add("sector", PointsSector, o.Sector)
			break
		}
	}
	if n.Urgency > 1 {
		add("urgency", PointsUrgency*(n.Urgency-1), "")
	}
	return f, true
}

// Pairs returns every plausible (need, member) fit.
func Pairs(offers []Offer, needs []Need) []Fit {
	var out []Fit
	for _, n := range needs {
		for _, o := range offers {
			if o.Capacity <= 0 {
				continue
			}
			if f, ok := Score(o, n); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// CandidatePairs returns the plausible fits of each need with the members
// who reach its township (or every township), at most k per need, best first
// (k ≤ 0: all): the pairs a province's assignment works on, found through an
// index by township instead of scoring every member against every need.
func CandidatePairs(offers []Offer, needs []Need, k int) []Fit {
	byTown := map[string][]int{}
	var anywhere []int
	for i, o := range offers {
		if o.Capacity <= 0 {
			continue
		}
		if len(o.Townships) == 0 {
			anywhere = append(anywhere, i)
		}
		for _, t := range o.Townships {
			if l := byTown[t]; len(l) == 0 || l[len(l)-1] != i { // a township named twice
				byTown[t] = append(byTown[t], i)
			}
		}
	}
	var out []Fit
	for _, n := range needs {
		var fs []Fit
		for _, list := range [][]int{byTown[n.Township], anywhere} {
			for _, i := range list {
				if f, ok := Score(offers[i], n); ok {
					fs = append(fs, f)
				}
			}
		}
		if k > 0 {
			fs = top(fs, k, func(f Fit) int64 { return f.MemberID })
		}
		out = append(out, fs...)
	}
	return out
}

// ForNeed returns the best k members for need n, best first (ties by member id).
func ForNeed(offers []Offer, n Need, k int) []Fit {
	var out []Fit
	for _, o := range offers {
		if f, ok := Score(o, n); ok && o.Capacity > 0 {
			out = append(out, f)
		}
	}
	return top(out, k, func(f Fit) int64 { return f.MemberID })
}

// ForMember returns the best k needs for offer o, best first (ties by need id).
func ForMember(o Offer, needs []Need, k int) []Fit {
	var out []Fit
	for _, n := range needs {
		if f, ok := Score(o, n); ok {
			out = append(out, f)
		}
	}
	return top(out, k, func(f Fit) int64 { return f.NeedID })
}

func top(fs []Fit, k int, tie func(Fit) int64) []Fit {
	slices.SortFunc(fs, func(a, b Fit) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		return int(tie(a) - tie(b))
	})
	if k > 0 && len(fs) > k {
		fs = fs[:k]
	}
	return fs
}
