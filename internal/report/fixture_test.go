package report

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"lvzhi/internal/activity"
	"lvzhi/internal/apperr"
	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/duty"
	"lvzhi/internal/figure"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/")

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Fatalf("%s differs from the golden file (run with -update after checking):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// rfx is a county committee with a term, a session of Year, members, units
// and one user per role, built through the services, and a foreign county.
// Its registry holds every area source built in this tree.
type rfx struct {
	t   *testing.T
	d   *db.DB
	ctx context.Context
	w   *fixture.World

	c                            org.Committee
	props                        *proposal.Service
	reg                          *figure.Registry
	svc                          *Service
	staff, leader, office, admin *auth.Actor
	member, unit, assistance     *auth.Actor
	foreignStaff                 *auth.Actor
	mids, units                  []int64
	persons                      []int64 // the members' people, as mids
}

// Year is the fixture's report year.
const Year = 2026

func each(t *testing.T, fn func(t *testing.T, f *rfx)) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) { fn(t, newRfx(t, d)) })
}

func newRfx(t *testing.T, d *db.DB) *rfx {
	f := &rfx{t: t, d: d, ctx: context.Background(), w: fixture.New(t, d)}
	f.props = proposal.NewService(d)
	f.props.Today = func() civil.Date { return civil.MustParse("2026-03-02") }
	f.reg = registry(d, f.props)
	f.svc = NewService(d, f.reg)
	f.svc.Today = func() civil.Date { return civil.MustParse("2027-01-15") }
	f.c = f.w.Root("county", "滇富县政协", "530325")
	term := f.w.Term(f.c, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
	f.w.Session(f.c, org.SessionInput{TermID: term.ID, Number: 5, Name: "九届五次全会", Year: Year,
		OpensOn: "2026-02-26", ClosesOn: "2026-03-01", SubmitFrom: "2026-02-01", SubmitTo: "2026-03-01"})
	user := func(name string, role auth.Role, person, unit int64) *auth.Actor {
		return f.w.User(f.c, name, []auth.Role{role}, person, unit)
	}
	f.staff, f.leader = user("staff", auth.RoleStaff, 0, 0), user("leader", auth.RoleLeader, 0, 0)
	f.office, f.admin = user("office", auth.RoleProposalOffice, 0, 0), user("admin", auth.RoleAdmin, 0, 0)
	f.assistance = user("assist", auth.RoleAssistance, 0, 0)
	for i, name := range []string{"张三", "李四", "王五", "赵六", "孙七"} {
		m := f.w.Member(f.c, org.MemberInput{Name: name, TermID: term.ID})
		f.mids, f.persons = append(f.mids, m.ID), append(f.persons, m.PersonID)
		if i == 0 {
			f.member = user("member", auth.RoleMember, m.PersonID, 0)
		}
	}
	for _, name := range []string{"县教育体育局", "县交通运输局", "县卫生健康局"} {
		f.units = append(f.units, f.w.Unit(f.c, name).ID)
	}
	f.unit = user("unit", auth.RoleUnit, 0, f.units[0])
	other := f.w.Root("county", "邻县政协", "530326")
	f.foreignStaff = f.w.User(other, "f_staff", []auth.Role{auth.RoleStaff, auth.RoleLeader}, 0, 0)
	return f
}

// registry is every figure source built in this tree (the web server's list).
func registry(d *db.DB, props *proposal.Service) *figure.Registry {
	return figure.NewRegistry(props.Source(), activity.NewService(d).Source(), assist.NewService(d).Source(), duty.NewService(d).Source())
}

// seed drives a proposal through the real workflow to target.
func (f *rfx) seed(target proposal.State, title string, mut ...func(*proposal.SeedSpec)) *proposal.Proposal {
	f.t.Helper()
	spec := proposal.SeedSpec{Content: proposal.Content{Kind: proposal.Individual, Theme: proposal.Economy, Title: title,
		Matter: "关于" + title + "的提案", Analysis: "现状分析。", Suggestions: "一是……二是……"},
		FirstProposer: f.mids[0], Target: target, Mode: proposal.Single, Units: []int64{f.units[0]}}
	for _, m := range mut {
		m(&spec)
	}
	sd := proposal.NewSeeder(f.props, f.c.ID)
	sd.Office = f.office
	p, err := sd.Drive(f.ctx, spec)
	if err != nil {
		f.t.Fatalf("seed %s: %v", title, err)
	}
	return p
}

// seedYear is the fixture's year in every area: the proposals (every
// outcome the report's sentences count), activities and 三送三帮.
func (f *rfx) seedYear() {
	f.t.Helper()
	f.seedProposals()
	f.seedActivities()
	f.seedAssist()
	f.seedDuty()
}

// seedProposals drives the year's proposals.
func (f *rfx) seedProposals() {
	f.t.Helper()
	f.seed(proposal.Closed, "关于加快乡村振兴产业发展的建议", func(sp *proposal.SeedSpec) { sp.Key = []int64{f.leader.UserID} })
	f.seed(proposal.Closed, "关于改善农村道路交通条件的建议", func(sp *proposal.SeedSpec) {
		sp.FirstProposer, sp.Units, sp.ResultClass = f.mids[1], []int64{f.units[1]}, "B"
	})
	f.seed(proposal.Closed, "关于保护南盘江流域生态环境的建议", func(sp *proposal.SeedSpec) {
		sp.FirstProposer, sp.Units, sp.ResultClass, sp.Content.Theme = f.mids[2], []int64{f.units[2]}, "C", proposal.Ecology
	})
	f.seed(proposal.Replied, "关于加强农村学校师资建设的建议", func(sp *proposal.SeedSpec) { sp.FirstProposer = f.mids[3] })
	f.seed(proposal.InHandling, "关于发展高原特色农业的建议")
	f.seed(proposal.Registered, "关于加强基层党建工作的建议", func(sp *proposal.SeedSpec) {
		sp.Content.Kind, sp.Content.BodyType, sp.Content.BodyName = proposal.Body, proposal.BodyParty, "民盟滇富县支部"
	})
	f.seed(proposal.NotRegistered, "关于个人事务的建议")
	f.seed(proposal.Submitted, "关于完善城市公交线路的建议")
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

// create makes the fixture's annual report as staff.
func (f *rfx) create() *Report {
	f.t.Helper()
	r, err := f.svc.Create(f.ctx, f.staff, CreateInput{Year: Year})
	if err != nil {
		f.t.Fatalf("create: %v", err)
	}
	return r
}

func (f *rfx) doc(a *auth.Actor, id int64, lang string) *Document {
	f.t.Helper()
	d, err := f.svc.Document(f.ctx, a, id, lang)
	if err != nil {
		f.t.Fatalf("document: %v", err)
	}
	return d
}

var _ = fmt.Sprint
