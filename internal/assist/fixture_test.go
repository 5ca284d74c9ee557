package assist

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// fx is a county committee with villages, one user per role, four members
// (members[i] has membership mids[i]) and a foreign committee with its own
// officer and household.
type fx struct {
	t     *testing.T
	d     *db.DB
	ctx   context.Context
	svc   *Service
	w     *fixture.World
	today civil.Date

	c                                     org.Committee
	admin, staff, office, leader, officer *auth.Actor
	unit                                  *auth.Actor
	members                               []*auth.Actor
	mids                                  []int64
	villages                              []Village

	foreign        org.Committee
	foreignOfficer *auth.Actor
	foreignMember  *auth.Actor
	foreignMID     int64
	foreignHH      Household
}

func each(t *testing.T, fn func(t *testing.T, f *fx)) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) { fn(t, newFx(t, d)) })
}

func newFx(t *testing.T, d *db.DB) *fx {
	f := &fx{t: t, d: d, ctx: context.Background(), today: civil.MustParse("2026-06-15")}
	box, err := secret.New(fixture.Key)
	if err != nil {
		t.Fatal(err)
	}
	f.svc = NewService(d)
	f.svc.Secret = box
	f.svc.Today = func() civil.Date { return f.today }
	f.w = fixture.New(t, d)
	f.c = f.w.Root("county", "滇富县政协", "530325")
	term := f.w.Term(f.c, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
	f.admin = f.w.User(f.c, "admin", []auth.Role{auth.RoleAdmin}, 0, 0)
	f.staff = f.w.User(f.c, "staff", []auth.Role{auth.RoleStaff}, 0, 0)
	f.office = f.w.User(f.c, "office", []auth.Role{auth.RoleProposalOffice}, 0, 0)
	f.leader = f.w.User(f.c, "leader", []auth.Role{auth.RoleLeader}, 0, 0)
	f.officer = f.w.User(f.c, "officer", []auth.Role{auth.RoleAssistance}, 0, 0)
	f.unit = f.w.User(f.c, "unit", []auth.Role{auth.RoleUnit}, 0, f.w.Unit(f.c, "县扶贫办").ID)
	for i, name := range []string{"张三", "李四", "王五", "赵六"} {
		m := f.w.Member(f.c, org.MemberInput{Name: name, TermID: term.ID})
		f.members = append(f.members, f.w.User(f.c, fmt.Sprintf("member%d", i), []auth.Role{auth.RoleMember}, m.PersonID, 0))
		f.mids = append(f.mids, m.ID)
	}
	for _, v := range [][2]string{{"中安街道", "西关社区"}, {"中安街道", "东村"}, {"墨红镇", "補掌村"}} {
		vv, err := f.svc.CreateVillage(f.ctx, f.officer, v[0], v[1], "")
		f.must(err)
		f.villages = append(f.villages, vv)
	}
	f.foreign = f.w.Root("county", "邻县政协", "530326")
	ft := f.w.Term(f.foreign, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
	f.foreignOfficer = f.w.User(f.foreign, "f_officer", []auth.Role{auth.RoleAssistance}, 0, 0)
	fm := f.w.Member(f.foreign, org.MemberInput{Name: "外县委员", TermID: ft.ID})
	f.foreignMember = f.w.User(f.foreign, "f_member", []auth.Role{auth.RoleMember}, fm.PersonID, 0)
	f.foreignMID = fm.ID
	fv, err := f.svc.CreateVillage(f.ctx, f.foreignOfficer, "外乡", "外村", "")
	f.must(err)
	f.foreignHH, err = f.svc.CreateHousehold(f.ctx, f.foreignOfficer, HouseholdInput{RegistryID: "F001", VillageID: fv.ID,
		HeadName: "外户主", Attribute: "general", CauseMain: "illness", Status: "poor",
		Members: []MemberInput{{Name: "外户主", Gender: "male", IDNumber: idNumber("530326", "19700101", 1), Relation: "户主"}}})
	f.must(err)
	return f
}

func (f *fx) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// idNumber makes a valid citizen ID number from a region, a birth date and a sequence.
func idNumber(region, birth string, seq int) string {
	first := fmt.Sprintf("%s%s%03d", region, birth, seq)
	return first + string(org.IDCheckChar(first))
}

// household registers a household with a head and a child in village v.
func (f *fx) household(reg string, v int, seq int) Household {
	f.t.Helper()
	h, err := f.svc.CreateHousehold(f.ctx, f.officer, HouseholdInput{RegistryID: reg, VillageID: f.villages[v].ID,
		HeadName: "户主" + reg, Attribute: "dibao", CauseMain: "illness", CauseOthers: []string{"labour"}, IncomeFen: 350000,
		Status: "poor", GovHelper: "县扶贫办 李干部",
		Members: []MemberInput{
			{Name: "户主" + reg, Gender: "male", IDNumber: idNumber("530325", "19750303", seq*2+1), Relation: "户主", Phone: "13800000001"},
			{Name: "子" + reg, Gender: "female", IDNumber: idNumber("530325", "20100505", seq*2), Relation: "之女", Schooling: "小学"},
		}})
	f.must(err)
	return h
}

func code(err error) apperr.Code {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return "other"
}

func fieldKeys(err error) map[string]string {
	out := map[string]string{}
	var e *apperr.Error
	if errors.As(err, &e) {
		for _, fe := range e.Fields {
			k := fe.Field
			if fe.Row != 0 {
				k = fmt.Sprintf("%d:%s", fe.Row, fe.Field)
			}
			out[k] = fe.Key
		}
	}
	return out
}
