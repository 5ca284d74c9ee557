package proposal

import (
	"context"
	"fmt"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
)

// fx is a committee with a term, a session, members, units and one user per
// role, built through the org and account services (package fixture), plus a
// second (foreign) committee.
type fx struct {
	t     *testing.T
	d     *db.DB
	ctx   context.Context
	svc   *Service
	w     *fixture.World
	today civil.Date

	cid, termID, sessionID int64
	office, staff, admin   *auth.Actor
	leader, assistance     *auth.Actor
	leader2                *auth.Actor
	members                []*auth.Actor // members[i] has membership mids[i]
	mids                   []int64
	units                  []int64
	unitActors             []*auth.Actor // unitActors[i] acts for units[i]

	foreignOffice, foreignMember *auth.Actor
	foreignUnit                  int64

	committees map[int64]org.Committee // built by committee, for userIn
}

// each runs fn on both engines with a fresh fixture.
func each(t *testing.T, fn func(t *testing.T, f *fx)) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		fn(t, newFx(t, d))
	})
}

func newFx(t *testing.T, d *db.DB) *fx {
	f := &fx{t: t, d: d, ctx: context.Background(), today: civil.MustParse("2026-03-02"), committees: map[int64]org.Committee{}}
	f.svc = NewService(d)
	f.svc.Today = func() civil.Date { return f.today }
	f.w = fixture.New(t, d)
	f.cid = f.committee("滇富县政协", "530325")
	c := f.committees[f.cid]
	term := f.w.Term(c, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
	f.termID = term.ID
	f.sessionID = f.w.Session(c, org.SessionInput{TermID: term.ID, Number: 2, Name: "九届二次全会", Year: 2026,
		OpensOn: "2026-02-26", ClosesOn: "2026-03-01", SubmitFrom: "2026-02-01", SubmitTo: "2026-03-01"}).ID
	f.office = f.user("office", auth.RoleProposalOffice, 0, 0)
	f.staff = f.user("staff", auth.RoleStaff, 0, 0)
	f.admin = f.user("admin", auth.RoleAdmin, 0, 0)
	f.leader = f.user("leader", auth.RoleLeader, 0, 0)
	f.leader2 = f.user("leader2", auth.RoleLeader, 0, 0)
	f.assistance = f.user("assist", auth.RoleAssistance, 0, 0)
	for i, name := range []string{"张三", "李四", "王五", "赵六"} {
		m := f.w.Member(c, org.MemberInput{Name: name, TermID: term.ID})
		f.members = append(f.members, f.user(fmt.Sprintf("member%d", i), auth.RoleMember, m.PersonID, 0))
		f.mids = append(f.mids, m.ID)
	}
	for i, name := range []string{"县教育体育局", "县交通运输局", "县卫生健康局"} {
		uid := f.w.Unit(c, name).ID
		f.units = append(f.units, uid)
		f.unitActors = append(f.unitActors, f.user(fmt.Sprintf("unit%d", i), auth.RoleUnit, 0, uid))
	}
	// The foreign committee.
	other := f.committee("邻县政协", "530326")
	oc := f.committees[other]
	f.w.Term(oc, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
	f.foreignOffice = f.userIn(other, "f_office", auth.RoleProposalOffice, 0, 0)
	fp := f.w.Member(oc, org.MemberInput{Name: "外人"}).PersonID
	f.foreignMember = f.userIn(other, "f_member", auth.RoleMember, fp, 0)
	f.foreignUnit = f.w.Unit(oc, "外县局").ID
	return f
}

func (f *fx) id(q string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.d.QueryRowContext(f.ctx, q, args...).Scan(&id); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return id
}

func (f *fx) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.d.ExecContext(f.ctx, q, args...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

// committee creates a county committee without a parent and returns its id.
func (f *fx) committee(name, code string) int64 {
	c := f.w.Root("county", name, code)
	f.committees[c.ID] = c
	return c.ID
}

func (f *fx) user(username string, role auth.Role, personID, unitID int64) *auth.Actor {
	return f.userIn(f.cid, username, role, personID, unitID)
}

// userIn creates a user of committee cid (one built by f.committee, or any
// other committee row) with one role, as the application resolves it.
func (f *fx) userIn(cid int64, username string, role auth.Role, personID, unitID int64) *auth.Actor {
	f.t.Helper()
	c, ok := f.committees[cid]
	if !ok {
		c = org.Committee{ID: cid}
		if err := f.d.QueryRowContext(f.ctx, `SELECT path FROM committees WHERE id = $1`, cid).Scan(&c.Path); err != nil {
			f.t.Fatal(err)
		}
	}
	return f.w.User(c, username, []auth.Role{role}, personID, unitID)
}

// content is a complete individual proposal.
func content(title string) Content {
	return Content{Kind: Individual, Theme: Economy, Title: title, Matter: "关于加快发展高原特色农业的提案",
		Analysis: "我县农业产业化程度不高。", Suggestions: "一是……二是……"}
}

// seeder drives proposals with the fixture's units.
func (f *fx) seed(target State, mut ...func(*SeedSpec)) *Proposal {
	f.t.Helper()
	spec := SeedSpec{Content: content("关于" + string(target) + "的提案"), FirstProposer: f.mids[0], Target: target,
		Mode: Single, Units: []int64{f.units[0]}}
	for _, m := range mut {
		m(&spec)
	}
	sd := NewSeeder(f.svc, f.cid)
	sd.Office = f.office
	p, err := sd.Drive(f.ctx, spec)
	if err != nil {
		f.t.Fatalf("seed %s: %v", target, err)
	}
	return p
}

func (f *fx) get(id int64) *Detail {
	f.t.Helper()
	d, err := f.svc.Get(f.ctx, f.office, id)
	if err != nil {
		f.t.Fatalf("get %d: %v", id, err)
	}
	return d
}

func (f *fx) state(id int64) State {
	f.t.Helper()
	var s State
	if err := f.d.QueryRowContext(f.ctx, `SELECT state FROM proposals WHERE id = $1`, id).Scan(&s); err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *fx) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.d.QueryRowContext(f.ctx, q, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// wantCode asserts err has the code (and key, if given).
func wantCode(t *testing.T, err error, code apperr.Code, key ...string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("got %v, want code %s", err, code)
	}
	if len(key) > 0 {
		if e := apperr.As(err); e == nil || e.Key != key[0] {
			t.Fatalf("got %v, want key %s", err, key[0])
		}
	}
}

// wantField asserts an Invalid error naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid {
		t.Fatalf("got %v, want invalid %s", err, field)
	}
	for _, fe := range e.Fields {
		if fe.Field == field {
			return
		}
	}
	t.Fatalf("got fields %+v, want %s", e.Fields, field)
}

// fingerprint summarises the database rows a refused call must not change.
func (f *fx) fingerprint(id int64) string {
	f.t.Helper()
	var st string
	var v int
	if err := f.d.QueryRowContext(f.ctx, `SELECT state, version FROM proposals WHERE id = $1`, id).Scan(&st, &v); err != nil {
		f.t.Fatal(err)
	}
	return fmt.Sprintf("%s v%d events=%d audit=%d asg=%d notes=%d", st, v,
		f.count(`SELECT COUNT(*) FROM proposal_events WHERE proposal_id = $1`, id),
		f.count(`SELECT COUNT(*) FROM audit_log`),
		f.count(`SELECT COUNT(*) FROM proposal_assignments WHERE proposal_id = $1`, id),
		f.count(`SELECT COUNT(*) FROM notifications`))
}
