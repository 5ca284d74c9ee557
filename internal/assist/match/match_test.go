package match

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

var (
	kinds     = []string{"study", "medical", "housing", "job", "industry", "info", "tech", "living", "other"}
	townships = []string{"中安街道", "墨红镇", "富村镇", "营上镇", "竹园镇", "后所镇", "大河镇", "胜境街道", "十八连山镇", "老厂镇", "黄泥河镇", "古敢乡"}
	words     = []string{"种植", "养殖", "电商", "学费", "就医", "建房", "务工", "魔芋", "烤烟", "培训"}
)

func randomWorld(r *rand.Rand, nNeeds, nMembers, maxCap int) ([]Offer, []Need) {
	pick := func(list []string, k int) []string {
		var out []string
		for _, i := range r.Perm(len(list))[:k] {
			out = append(out, list[i])
		}
		return out
	}
	offers := make([]Offer, nMembers)
	for i := range offers {
		var towns []string
		if r.IntN(5) > 0 {
			towns = pick(townships, 1+r.IntN(3))
		}
		offers[i] = Offer{MemberID: int64(i + 1), Kinds: pick(kinds, 1+r.IntN(3)), Keywords: pick(words, r.IntN(3)),
			Sector:    []string{"教育界", "医药卫生界", "经济界", "农业界", "科学技术界", "社会福利界"}[r.IntN(6)],
			Townships: towns, Capacity: r.IntN(maxCap + 1)}
	}
	needs := make([]Need, nNeeds)
	for i := range needs {
		needs[i] = Need{ID: int64(i + 1), HouseholdID: int64(i/2 + 1), Kind: kinds[r.IntN(len(kinds))],
			Township: townships[r.IntN(len(townships))], Urgency: 1 + r.IntN(3), Text: "需要" + words[r.IntN(len(words))] + "帮助"}
	}
	return offers, needs
}

// bruteForce tries every assignment of each need to nobody or a plausible member within capacity.
func bruteForce(offers []Offer, needs []Need) int {
	left := map[int64]int{}
	for _, o := range offers {
		left[o.MemberID] = o.Capacity
	}
	best := 0
	var rec func(i, total int)
	rec = func(i, total int) {
		if i == len(needs) {
			best = max(best, total)
			return
		}
		rec(i+1, total)
		for _, o := range offers {
			if left[o.MemberID] == 0 {
				continue
			}
			if f, ok := Score(o, needs[i]); ok {
				left[o.MemberID]--
				rec(i+1, total+f.Score)
				left[o.MemberID]++
			}
		}
	}
	rec(0, 0)
	return best
}

// check verifies an assignment is feasible and returns its total.
func check(t *testing.T, offers []Offer, needs []Need, got []Fit) int {
	t.Helper()
	used := map[int64]int{}
	seen := map[int64]bool{}
	total := 0
	for _, f := range got {
		if seen[f.NeedID] {
			t.Fatalf("need %d assigned twice", f.NeedID)
		}
		seen[f.NeedID] = true
		used[f.MemberID]++
		i := slices.IndexFunc(needs, func(n Need) bool { return n.ID == f.NeedID })
		j := slices.IndexFunc(offers, func(o Offer) bool { return o.MemberID == f.MemberID })
		want, ok := Score(offers[j], needs[i])
		if !ok || want.Score != f.Score {
			t.Fatalf("pair %d-%d not plausible or wrong score", f.NeedID, f.MemberID)
		}
		total += f.Score
	}
	for _, o := range offers {
		if used[o.MemberID] > o.Capacity {
			t.Fatalf("member %d over capacity: %d > %d", o.MemberID, used[o.MemberID], o.Capacity)
		}
	}
	return total
}

// TestAssignOptimalAgainstBruteForce: on hundreds of small random worlds the
// assignment is feasible and its total fit equals the brute-force optimum.
func TestAssignOptimalAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 2026))
	nonTrivial, split := 0, 0
	defer func() {
		if nonTrivial < 500 {
			t.Errorf("only %d cases assigned anything", nonTrivial)
		}
		if split < 100 {
			t.Errorf("only %d cases of several separate parts", split)
		}
	}()
	for c := range 1500 {
		// Few townships and kinds so pairs compete.
		offers, needs := randomWorld(r, 1+r.IntN(7), 1+r.IntN(4), 3)
		for i := range offers {
			offers[i].Townships = offers[i].Townships[:min(len(offers[i].Townships), 1)]
			if len(offers[i].Townships) == 1 {
				offers[i].Townships[0] = townships[r.IntN(2)]
			}
		}
		for i := range needs {
			needs[i].Township = townships[r.IntN(2)]
			needs[i].Kind = kinds[r.IntN(3)]
		}
		got := check(t, offers, needs, Assign(offers, needs))
		if got > 0 {
			nonTrivial++
		}
		if len(components(offers, needs, Pairs(offers, needs))) > 1 {
			split++
		}
		if want := bruteForce(offers, needs); got != want {
			t.Fatalf("case %d: assignment totals %d, optimum %d\noffers %+v\nneeds %+v", c, got, want, offers, needs)
		}
	}
}

// TestAssignBeatsGreedy: the case where taking the best pair first loses.
// Member 1 fits both needs (need 1 best); member 2 fits need 1 only. Greedy
// gives need 1 to member 1 and leaves need 2; the optimum swaps.
func TestAssignBeatsGreedy(t *testing.T) {
	offers := []Offer{
		{MemberID: 1, Kinds: []string{"study", "job"}, Keywords: []string{"学费"}, Capacity: 1},
		{MemberID: 2, Kinds: []string{"study"}, Capacity: 1},
	}
	needs := []Need{{ID: 1, Kind: "study", Text: "学费", Urgency: 1}, {ID: 2, Kind: "job", Urgency: 1}}
	got := Assign(offers, needs)
	if len(got) != 2 {
		t.Fatalf("assigned %+v, want both needs", got)
	}
	for _, f := range got {
		if (f.NeedID == 1) != (f.MemberID == 2) {
			t.Errorf("need %d → member %d", f.NeedID, f.MemberID)
		}
	}
}

func TestScoreReasons(t *testing.T) {
	o := Offer{MemberID: 1, Kinds: []string{"industry"}, Keywords: []string{"魔芋", "电商"}, Sector: "农业界", Townships: []string{"墨红镇"}, Capacity: 3}
	f, ok := Score(o, Need{ID: 9, Kind: "industry", Township: "墨红镇", Urgency: 3, Text: "想种魔芋，缺技术"})
	if !ok {
		t.Fatal("not plausible")
	}
	var codes []string
	for _, r := range f.Reasons {
		codes = append(codes, r.Code)
	}
	if f.Score != PointsTownship+PointsKind+PointsSkill+PointsSector+2*PointsUrgency ||
		!slices.Equal(codes, []string{"township", "kind", "skill", "sector", "urgency"}) {
		t.Errorf("fit %d %v", f.Score, codes)
	}
	if _, ok := Score(o, Need{Kind: "industry", Township: "富村镇"}); ok {
		t.Error("unreachable township plausible")
	}
	if _, ok := Score(o, Need{Kind: "medical", Township: "墨红镇", Text: "看病"}); ok {
		t.Error("no kind, no skill: plausible")
	}
	top := ForNeed([]Offer{o, {MemberID: 2, Kinds: []string{"industry"}, Capacity: 1}, {MemberID: 3, Kinds: []string{"study"}, Capacity: 1}},
		Need{ID: 1, Kind: "industry", Township: "墨红镇", Text: "魔芋"}, 5)
	if len(top) != 2 || top[0].MemberID != 1 {
		t.Errorf("suggestions %+v", top)
	}
}

// BenchmarkAssignCounty: a county's 2,000 open needs and 300 members.
func BenchmarkAssignCounty(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	offers, needs := randomWorld(r, 2000, 300, 10)
	b.ResetTimer()
	for range b.N {
		got := Assign(offers, needs)
		if len(got) == 0 {
			b.Fatal("nothing assigned")
		}
	}
	b.ReportMetric(float64(len(Pairs(offers, needs))), "pairs")
}

// TestCandidatePairs: through the township index every plausible pair is
// found (k = 0 gives exactly Pairs), and k keeps each need's best k.
func TestCandidatePairs(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	offers, needs := randomWorld(r, 300, 60, 5)
	key := func(f Fit) [2]int64 { return [2]int64{f.NeedID, f.MemberID} }
	all := map[[2]int64]int{}
	for _, f := range Pairs(offers, needs) {
		all[key(f)] = f.Score
	}
	got := CandidatePairs(offers, needs, 0)
	if len(got) != len(all) {
		t.Fatalf("%d candidate pairs, %d plausible", len(got), len(all))
	}
	for _, f := range got {
		if s, ok := all[key(f)]; !ok || s != f.Score {
			t.Fatalf("pair %v not plausible", key(f))
		}
	}
	per := map[int64][]int{}
	for _, f := range CandidatePairs(offers, needs, 3) {
		per[f.NeedID] = append(per[f.NeedID], f.Score)
	}
	for _, n := range needs {
		best := top(slices.Clone(filterNeed(got, n.ID)), 3, func(f Fit) int64 { return f.MemberID })
		if len(per[n.ID]) != len(best) {
			t.Fatalf("need %d: %d candidates, want %d", n.ID, len(per[n.ID]), len(best))
		}
		for i, f := range best {
			if per[n.ID][i] != f.Score {
				t.Fatalf("need %d: candidate %d scores %d, want %d", n.ID, i, per[n.ID][i], f.Score)
			}
		}
	}
}

func filterNeed(fs []Fit, id int64) []Fit {
	var out []Fit
	for _, f := range fs {
		if f.NeedID == id {
			out = append(out, f)
		}
	}
	return out
}

// BenchmarkAssignProvince: a province's 100,000 open needs and 30,000
// members in 130 counties, each member reaching one to three townships of
// their own county; candidates by the township index, at most 20 per need.
func BenchmarkAssignProvince(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	const counties = 130
	var offers []Offer
	var needs []Need
	for c := range counties {
		o, n := randomWorld(r, 100000/counties, 30000/counties, 10)
		for i := range o {
			o[i].MemberID += int64(c * 1000)
			if len(o[i].Townships) == 0 {
				o[i].Townships = []string{townships[r.IntN(len(townships))]}
			}
			for j := range o[i].Townships {
				o[i].Townships[j] = fmt.Sprint(c, o[i].Townships[j])
			}
		}
		for i := range n {
			n[i].ID += int64(c * 1000)
			n[i].Township = fmt.Sprint(c, n[i].Township)
		}
		offers, needs = append(offers, o...), append(needs, n...)
	}
	b.ResetTimer()
	var got []Fit
	var pairs int
	for range b.N {
		ps := CandidatePairs(offers, needs, 20)
		pairs = len(ps)
		got = AssignPairs(offers, needs, ps)
	}
	b.ReportMetric(float64(pairs), "pairs")
	b.ReportMetric(float64(len(got)), "assigned")
	b.ReportMetric(float64(len(needs)), "needs")
	b.ReportMetric(float64(len(offers)), "members")
}

func ExampleAssign() {
	offers := []Offer{{MemberID: 7, Kinds: []string{"study"}, Capacity: 1}}
	needs := []Need{{ID: 1, Kind: "study", Urgency: 1}}
	fmt.Println(Assign(offers, needs)[0].MemberID)
	// Output: 7
}
