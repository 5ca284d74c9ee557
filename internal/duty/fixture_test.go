package duty_test

import (
	"context"
	"fmt"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/duty"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
)

// fx is a committee with four members (and their users), the proposal office,
// staff, a leader and a unit; proposals are driven through the proposal
// area's own service, as a user would.
type fx struct {
	t       *testing.T
	d       *db.DB
	ctx     context.Context
	w       *fixture.World
	svc     *duty.Service
	props   *proposal.Service
	c       org.Committee
	mids    []int64
	members []*auth.Actor
	office  *auth.Actor
	staff   *auth.Actor
	leader  *auth.Actor
	unit    int64
	other   org.Committee
	foreign *auth.Actor // staff of the other committee
}

func each(t *testing.T, fn func(t *testing.T, f *fx)) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) { fn(t, newFx(t, d)) })
}

func newFx(t *testing.T, d *db.DB) *fx {
	f := &fx{t: t, d: d, ctx: context.Background(), w: fixture.New(t, d), svc: duty.NewService(d), props: proposal.NewService(d)}
	today := civil.MustParse("2026-03-02")
	f.props.Today = func() civil.Date { return today }
	f.svc.Today = func() civil.Date { return today }
	f.c = f.w.Root("county", "滇富县政协", "530325")
	term := f.w.Term(f.c, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
	f.w.Session(f.c, org.SessionInput{TermID: term.ID, Number: 5, Name: "九届五次全会", Year: 2026,
		OpensOn: "2026-02-26", ClosesOn: "2026-03-01", SubmitFrom: "2026-02-01", SubmitTo: "2026-03-05"})
	for i, name := range []string{"张三", "李四", "王五", "赵六"} {
		m := f.w.Member(f.c, org.MemberInput{Name: name, TermID: term.ID})
		f.mids = append(f.mids, m.ID)
		f.members = append(f.members, f.w.User(f.c, fmt.Sprintf("m%d", i), []auth.Role{auth.RoleMember}, m.PersonID, 0))
	}
	f.office = f.w.User(f.c, "office", []auth.Role{auth.RoleProposalOffice}, 0, 0)
	f.staff = f.w.User(f.c, "staff", []auth.Role{auth.RoleStaff}, 0, 0)
	f.leader = f.w.User(f.c, "leader", []auth.Role{auth.RoleLeader}, 0, 0)
	f.unit = f.w.Unit(f.c, "县教育体育局").ID
	f.other = f.w.Root("county", "邻县政协", "530326")
	f.w.Term(f.other, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
	f.foreign = f.w.User(f.other, "f_staff", []auth.Role{auth.RoleStaff}, 0, 0)
	return f
}

// proposal drives a proposal by member first (co-signers: joint) to target.
func (f *fx) proposal(target proposal.State, first int, co []int, mut ...func(*proposal.SeedSpec)) *proposal.Proposal {
	f.t.Helper()
	c := proposal.Content{Kind: proposal.Individual, Theme: proposal.Economy, Title: fmt.Sprintf("关于第%d件事的提案", f.seq()),
		Matter: "关于加快发展高原特色农业的提案", Analysis: "我县农业产业化程度不高。", Suggestions: "一是……二是……"}
	if len(co) > 0 {
		c.Kind = proposal.Joint
		for _, i := range co {
			c.CoSigners = append(c.CoSigners, f.mids[i])
		}
	}
	spec := proposal.SeedSpec{Content: c, FirstProposer: f.mids[first], Target: target, Mode: proposal.Single,
		Units: []int64{f.unit}}
	for _, m := range mut {
		m(&spec)
	}
	sd := proposal.NewSeeder(f.props, f.c.ID)
	sd.Office = f.office
	p, err := sd.Drive(f.ctx, spec)
	if err != nil {
		f.t.Fatalf("seed %s: %v", target, err)
	}
	return p
}

var counter int

func (f *fx) seq() int { counter++; return counter }

// rules copies a preset into a year.
func (f *fx) rules(year int, preset string) *duty.RuleSet {
	f.t.Helper()
	rs, err := f.svc.CopyPreset(f.ctx, f.staff, f.c.ID, year, preset)
	if err != nil {
		f.t.Fatalf("copy preset: %v", err)
	}
	return rs
}

// scores returns the year's scores by membership.
func (f *fx) scores(year int) map[int64]duty.Score {
	f.t.Helper()
	y, err := f.svc.Scores(f.ctx, f.staff, f.c.ID, year)
	if err != nil {
		f.t.Fatalf("scores: %v", err)
	}
	out := map[int64]duty.Score{}
	for _, s := range y.Scores {
		out[s.MembershipID] = s
	}
	return out
}

func partOf(s duty.Score, cat string) duty.Part {
	for _, p := range s.Parts {
		if p.Category == cat {
			return p
		}
	}
	return duty.Part{}
}

// clean requires the ledger of the year to agree with a recompute.
func (f *fx) clean(year int) *duty.Report {
	f.t.Helper()
	rep, err := f.svc.Recompute(f.ctx, f.staff, f.c.ID, year, false)
	if err != nil {
		f.t.Fatalf("recompute: %v", err)
	}
	if rep.Differs() {
		f.t.Fatalf("ledger differs from the records: reversed %+v missing %+v", rep.Reversed, rep.Missing)
	}
	return rep
}

func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("got %v, want %s", err, code)
	}
}
