package activity

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

// fx is a county committee below a city one, with a user per role and four
// serving members (the first a standing member), plus a sibling county (the
// other committee) with its own staff and member.
type fx struct {
	t     *testing.T
	d     *db.DB
	ctx   context.Context
	svc   *Service
	w     *fixture.World
	today civil.Date

	city, county, other        org.Committee
	staff, leader, admin, unit *auth.Actor
	cityStaff                  *auth.Actor
	members                    []*auth.Actor
	people                     []int64
	group                      int64
	otherStaff, otherMember    *auth.Actor
}

func each(t *testing.T, fn func(t *testing.T, f *fx)) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) { fn(t, newFx(t, d)) })
}

func newFx(t *testing.T, d *db.DB) *fx {
	f := &fx{t: t, d: d, ctx: context.Background(), today: civil.MustParse("2026-06-15")}
	f.svc = NewService(d)
	f.svc.Today = func() civil.Date { return f.today }
	f.w = fixture.New(t, d)
	f.city = f.w.Root("prefecture", "曲靖市政协", "qujing")
	f.county = f.w.Child(f.city, "county", "富源县政协", "fuyuan")
	f.other = f.w.Child(f.city, "county", "邻县政协", "linxian")
	for _, c := range []org.Committee{f.city, f.county, f.other} {
		f.w.Term(c, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
	}
	f.staff = f.w.User(f.county, "staff", []auth.Role{auth.RoleStaff}, 0, 0)
	f.leader = f.w.User(f.county, "leader", []auth.Role{auth.RoleLeader}, 0, 0)
	f.admin = f.w.User(f.county, "admin", []auth.Role{auth.RoleAdmin}, 0, 0)
	f.unit = f.w.User(f.county, "unit", []auth.Role{auth.RoleUnit}, 0, f.w.Unit(f.county, "县教育体育局").ID)
	f.cityStaff = f.w.User(f.city, "citystaff", []auth.Role{auth.RoleStaff}, 0, 0)
	f.group = f.w.Group(f.county, "working_group", "经济委员会").ID
	for i, name := range []string{"张三", "李四", "王五", "赵六"} {
		m := f.w.Member(f.county, org.MemberInput{Name: name, Standing: i == 0})
		f.people = append(f.people, m.PersonID)
		f.members = append(f.members, f.w.User(f.county, fmt.Sprintf("member%d", i), []auth.Role{auth.RoleMember}, m.PersonID, 0))
	}
	f.otherStaff = f.w.User(f.other, "ostaff", []auth.Role{auth.RoleStaff}, 0, 0)
	om := f.w.Member(f.other, org.MemberInput{Name: "外人"})
	f.otherMember = f.w.User(f.other, "omember", []auth.Role{auth.RoleMember}, om.PersonID, 0)
	return f
}

// input is a complete activity input on date.
func (f *fx) input(kind Kind, on string) Input {
	return Input{Kind: kind, Title: "关于" + string(kind) + "的活动", Place: "县政协会议室", StartsOn: civil.MustParse(on),
		StartsAt: "09:00", EndsAt: "11:30", GroupID: f.group, Mandatory: kind.MandatoryByDefault()}
}

func (f *fx) create(kind Kind, on string, mut ...func(*Input)) *Activity {
	f.t.Helper()
	in := f.input(kind, on)
	for _, m := range mut {
		m(&in)
	}
	a, err := f.svc.Create(f.ctx, f.staff, f.county.ID, in)
	if err != nil {
		f.t.Fatalf("create %s: %v", kind, err)
	}
	return a
}

func (f *fx) must(err error, what string) {
	f.t.Helper()
	if err != nil {
		f.t.Fatalf("%s: %v", what, err)
	}
}

// ref is the current ref of activity id.
func (f *fx) ref(id int64) Ref {
	f.t.Helper()
	d, err := f.svc.Get(f.ctx, f.staff, id)
	f.must(err, "get")
	return Ref{ID: id, Version: d.Version}
}

func (f *fx) row(activityID, personID int64) Attendance {
	f.t.Helper()
	r, err := attendanceOf(f.ctx, f.d, activityID, personID)
	f.must(err, "row")
	if r == nil {
		return Attendance{Status: None}
	}
	return *r
}

// wantCode asserts err has the code (and key, when given).
func wantCode(t *testing.T, err error, code apperr.Code, key ...string) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("got %v, want %s", err, code)
	}
	if len(key) > 0 {
		e := apperr.As(err)
		got := e.Key
		if len(e.Fields) > 0 {
			got = e.Fields[0].Key
		}
		if got != key[0] {
			t.Fatalf("got key %q (%v), want %q", got, err, key[0])
		}
	}
}
