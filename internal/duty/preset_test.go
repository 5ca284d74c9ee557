package duty

import (
	"testing"

	"lvzhi/internal/civil"
)

// ev builds an event of a source record; quantity 1 unless given.
func ev(member int64, date, item, variant string, source int64, qty ...int) Event {
	q := 1
	if len(qty) > 0 {
		q = qty[0]
	}
	return Event{MembershipID: member, Date: civil.MustParse(date), Item: item, Variant: variant, Quantity: q,
		Entity: "test", SourceID: source}
}

// scoreOf prices events under a preset of 2026 and scores member m.
func scoreOf(t *testing.T, preset string, m int64, events []Event) Score {
	t.Helper()
	rs, ok := Preset(preset)
	if !ok {
		t.Fatalf("no preset %s", preset)
	}
	rs.Year = 2026
	if err := validate(&rs); err != nil {
		t.Fatalf("preset %s does not validate: %v", preset, err)
	}
	b := &rulebook{sets: map[int]*RuleSet{2026: &rs}}
	ps, err := price(b, events)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]int64{}
	for _, p := range ps {
		if p.MembershipID == m {
			sums[p.Category] += p.Points
		}
	}
	sc := score(&rs, member{id: m}, sums)
	judge(&rs, &sc)
	return sc
}

func part(sc Score, cat string) Part {
	for _, p := range sc.Parts {
		if p.Category == cat {
			return p
		}
	}
	return Part{}
}

// TestPresetsHandComputed scores members with a known year of records under
// each published table; the expected totals are worked out by hand in the comments.
func TestPresetsHandComputed(t *testing.T) {
	const me, a, b = 1, 2, 3
	cases := []struct {
		name, preset string
		events       []Event
		total        int64
		grade        string
		parts        map[string][2]int64 // category → raw, counted
	}{
		{
			// Tongcheng, a full year: plenary attended 50. An individual proposal
			// submitted and registered 10+15 = 25, a joint one co-signed with b
			// (first proposer a): co-signers share half of 10 and of 15:
			// 2.5 + 3.75 → proposals 31.25, capped at 25. Six required
			// activities 12, capped at 10. 社情民意 submitted 10 + adopted 5 = 15.
			// 50+25+10+15 = 100 (the maximum): 优秀.
			name: "tongcheng full", preset: PresetTongcheng,
			events: []Event{
				ev(me, "2026-03-01", ItemPlenary, VarAttended, 1),
				ev(me, "2026-02-20", ItemSubmitted, VarIndividual, 10), ev(me, "2026-03-10", ItemRegistered, VarIndividual, 10),
				ev(a, "2026-02-21", ItemSubmitted, VarFirst, 11), ev(me, "2026-02-21", ItemSubmitted, VarCo, 11),
				ev(b, "2026-02-21", ItemSubmitted, VarCo, 11),
				ev(a, "2026-03-11", ItemRegistered, VarFirst, 11), ev(me, "2026-03-11", ItemRegistered, VarCo, 11),
				ev(b, "2026-03-11", ItemRegistered, VarCo, 11),
				ev(me, "2026-04-01", ItemMandatory, VarAttended, 20), ev(me, "2026-05-01", ItemMandatory, VarAttended, 21),
				ev(me, "2026-06-01", ItemMandatory, VarAttended, 22), ev(me, "2026-07-01", ItemMandatory, VarAttended, 23),
				ev(me, "2026-08-01", ItemMandatory, VarAttended, 24), ev(me, "2026-09-01", ItemSignup, VarAttended, 25),
				ev(me, "2026-05-05", ItemSqmySubmitted, VarNone, 30), ev(me, "2026-06-05", ItemSqmyAdopted, VarNone, 30),
			},
			total: 10000, grade: Excellent,
			parts: map[string][2]int64{CatPlenary: {5000, 5000}, CatProposal: {3125, 2500}, CatActivity: {1200, 1000}, CatSqmy: {1500, 1500}},
		},
		{
			// Tongcheng, a thin year: approved leave from the plenary 30; first
			// proposer of a registered joint proposal with one co-signer: half of
			// 10 and of 15 = 12.5; three activities 6; one 社情民意 not adopted 10.
			// 30+12.5+6+10 = 58.5 < 60: 不称职, a reminder talk.
			name: "tongcheng thin", preset: PresetTongcheng,
			events: []Event{
				ev(me, "2026-03-01", ItemPlenary, VarLeave, 1),
				ev(me, "2026-02-21", ItemSubmitted, VarFirst, 11), ev(a, "2026-02-21", ItemSubmitted, VarCo, 11),
				ev(me, "2026-03-11", ItemRegistered, VarFirst, 11), ev(a, "2026-03-11", ItemRegistered, VarCo, 11),
				ev(me, "2026-04-01", ItemSignup, VarAttended, 20), ev(me, "2026-05-01", ItemSignup, VarAttended, 21),
				ev(me, "2026-06-01", ItemMandatory, VarAttended, 22),
				ev(me, "2026-05-05", ItemSqmySubmitted, VarNone, 30),
			},
			total: 5850, grade: Incompetent,
			parts: map[string][2]int64{CatPlenary: {3000, 3000}, CatProposal: {1250, 1250}, CatActivity: {600, 600}, CatSqmy: {1000, 1000}},
		},
		{
			// Minhang: plenary 4 half days × 5 = 20; three activities × 5 = 15;
			// an individual registered proposal 15 that became key +15; a
			// co-signed registered proposal 3 that was rated excellent +2.
			// 20+15+15+15+3+2 = 70: 称职.
			name: "minhang", preset: PresetMinhang,
			events: []Event{
				ev(me, "2026-03-01", ItemPlenary, VarAttended, 1, 4),
				ev(me, "2026-04-01", ItemMandatory, VarAttended, 20), ev(me, "2026-05-01", ItemSignup, VarAttended, 21),
				ev(me, "2026-06-01", ItemMandatory, VarAttended, 22),
				ev(me, "2026-03-10", ItemRegistered, VarIndividual, 10), ev(me, "2026-03-10", ItemKey, VarIndividual, 10),
				ev(a, "2026-03-11", ItemRegistered, VarFirst, 11), ev(me, "2026-03-11", ItemRegistered, VarCo, 11),
				ev(b, "2026-03-11", ItemRegistered, VarCo, 11),
				ev(a, "2026-03-11", ItemExcellent, VarFirst, 11), ev(me, "2026-03-11", ItemExcellent, VarCo, 11),
				ev(me, "2026-02-20", ItemSubmitted, VarIndividual, 10), // not scored in Minhang
			},
			total: 7000, grade: Competent,
			parts: map[string][2]int64{CatPlenary: {2000, 2000}, CatActivity: {1500, 1500}, CatProposal: {3500, 3500}},
		},
		{
			// Guangshui: first proposer of a registered proposal 20, co-signer of
			// another 15; two adopted 社情民意 40; pairing with a household 20;
			// one plenary absence −3 and two sign-up absences −1 each.
			// 20+15+40+20−5 = 90: 优秀.
			name: "guangshui", preset: PresetGuangshui,
			events: []Event{
				ev(me, "2026-03-10", ItemRegistered, VarFirst, 10), ev(a, "2026-03-10", ItemRegistered, VarCo, 10),
				ev(b, "2026-03-11", ItemRegistered, VarFirst, 11), ev(me, "2026-03-11", ItemRegistered, VarCo, 11),
				ev(me, "2026-05-05", ItemSqmyAdopted, VarNone, 30), ev(me, "2026-06-05", ItemSqmyAdopted, VarNone, 31),
				ev(me, "2026-04-01", ItemPairing, VarNone, 40),
				ev(me, "2026-03-01", ItemPlenary, VarAbsent, 1),
				ev(me, "2026-07-01", ItemSignup, VarAbsent, 21), ev(me, "2026-08-01", ItemSignup, VarAbsent, 22),
				ev(me, "2026-03-01", ItemPlenary, VarAttended, 2), // not scored in Guangshui
			},
			total: 9000, grade: Excellent,
			parts: map[string][2]int64{CatProposal: {3500, 3500}, CatSqmy: {4000, 4000}, CatAssist: {2000, 2000}, CatDiscipline: {-500, -500}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := scoreOf(t, c.preset, me, c.events)
			if sc.Total != c.total || sc.Grade != c.grade {
				t.Errorf("total %s grade %s, want %s %s", FormatPoints(sc.Total), sc.Grade, FormatPoints(c.total), c.grade)
			}
			for cat, want := range c.parts {
				if p := part(sc, cat); p.Raw != want[0] || p.Counted != want[1] {
					t.Errorf("%s: raw %d counted %d, want %d %d", cat, p.Raw, p.Counted, want[0], want[1])
				}
			}
		})
	}
}

// TestShareAddsUp splits pools of every size and sign and checks the parts
// add up to the pool and differ by at most one hundredth.
func TestShareAddsUp(t *testing.T) {
	for _, pool := range []int64{0, 1, 500, 750, 1001, -300, -1} {
		for n := 1; n <= 7; n++ {
			var sum, lo, hi int64
			for i := 0; i < n; i++ {
				s := share(pool, n, i)
				sum += s
				if i == 0 || s < lo {
					lo = s
				}
				if i == 0 || s > hi {
					hi = s
				}
			}
			if sum != pool || hi-lo > 1 {
				t.Errorf("share(%d, %d): sum %d (lo %d hi %d)", pool, n, sum, lo, hi)
			}
		}
	}
}

func TestGradeBands(t *testing.T) {
	rs, _ := Preset(PresetMinhang)
	for score, want := range map[int64]string{10000: Excellent, 9000: Excellent, 8999: Good, 8000: Good, 7999: Competent,
		6000: Competent, 5999: Incompetent, -100: Incompetent} {
		if g := rs.Grade(score); g != want {
			t.Errorf("grade(%d) = %s, want %s", score, g, want)
		}
	}
}

func TestFormatPoints(t *testing.T) {
	for p, want := range map[int64]string{0: "0", 1250: "12.5", 1000: "10", -300: "-3", 375: "3.75", 5: "0.05", -1: "-0.01"} {
		if got := FormatPoints(p); got != want {
			t.Errorf("FormatPoints(%d) = %q, want %q", p, got, want)
		}
	}
}

// TestExitRules checks the exit rules and the proposed actions.
func TestExitRules(t *testing.T) {
	rs, _ := Preset(PresetTongcheng)
	cases := []struct {
		grade                 string
		absences, incompetent int
		exit                  int
		action                string
	}{
		{Excellent, 0, 0, 0, ActionCommend},
		{Good, 2, 0, 0, ""},
		{Good, 3, 0, 1, ActionResign},
		{Incompetent, 0, 1, 0, ActionRemind},
		{Incompetent, 0, 2, 1, ActionResign},
		{Incompetent, 3, 2, 2, ActionResign},
	}
	for _, c := range cases {
		sc := Score{Grade: c.grade, Absences: c.absences, Incompetent: c.incompetent}
		judge(&rs, &sc)
		if len(sc.Exit) != c.exit || sc.Action != c.action {
			t.Errorf("%+v: exit %v action %q", c, sc.Exit, sc.Action)
		}
	}
}

func TestParsePoints(t *testing.T) {
	for in, want := range map[string]int64{"12.5": 1250, "10": 1000, "-3": -300, "0.25": 25, " 7.05 ": 705, "-0.5": -50} {
		if got, err := ParsePoints("p", in); err != nil || got != want {
			t.Errorf("ParsePoints(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "abc", "1.234", "1.", ".5", "--1", "1e3", "+1", "12345678", "1.-5"} {
		if _, err := ParsePoints("p", in); err == nil {
			t.Errorf("ParsePoints(%q): no error", in)
		}
	}
}
