package org

import (
	"bytes"
	"context"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/secret"
)

// fixture is a small tree: a prefecture with two counties, the first county
// with a term, sectors, groups and a unit.
type fixture struct {
	s                 *Service
	pref, fuyuan, luo Committee
	term              Term
	econ, edu         Sector
	grp1, cttee       Group
	unit              Unit
}

var ctx = context.Background()

func newService(t *testing.T, d *db.DB) *Service {
	t.Helper()
	box, err := secret.New(bytes.Repeat([]byte{42}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return &Service{DB: d, Secret: box, Today: func() civil.Date { return civil.MustParse("2024-06-01") }}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{s: newService(t, d)}
	f.pref = must[Committee](t)(f.s.CreateRootCommittee(ctx, CommitteeInput{Level: "prefecture", Name: "曲靖市政协", Code: "qujing"}))
	sys := auth.System(f.pref.ID)
	sys.CommitteePath = f.pref.Path
	f.fuyuan = must[Committee](t)(f.s.CreateCommittee(ctx, sys, f.pref.ID, CommitteeInput{Level: "county", Name: "富源县政协", Code: "fuyuan"}))
	f.luo = must[Committee](t)(f.s.CreateCommittee(ctx, sys, f.pref.ID, CommitteeInput{Level: "county", Name: "罗平县政协", Code: "luoping"}))
	a := f.actor(auth.RoleAdmin)
	f.term = must[Term](t)(f.s.CreateTerm(ctx, a, f.fuyuan.ID, TermInput{Number: 9, StartsOn: "2017-01-01"}))
	f.econ = must[Sector](t)(f.s.CreateSector(ctx, a, f.fuyuan.ID, SectorInput{Name: "经济界", Sort: 1}))
	f.edu = must[Sector](t)(f.s.CreateSector(ctx, a, f.fuyuan.ID, SectorInput{Name: "教育界", Sort: 2}))
	f.grp1 = must[Group](t)(f.s.CreateGroup(ctx, a, f.fuyuan.ID, GroupInput{Kind: "member_group", Name: "第一委员小组"}))
	f.cttee = must[Group](t)(f.s.CreateGroup(ctx, a, f.fuyuan.ID, GroupInput{Kind: "special_committee", Name: "提案委员会"}))
	f.unit = must[Unit](t)(f.s.CreateUnit(ctx, a, f.fuyuan.ID, UnitInput{Name: "县教育体育局", Kind: "government", ContactPhone: "0874-4612345", Active: true}))
	return f
}

// actor returns a user of Fuyuan with the given roles.
func (f *fixture) actor(roles ...auth.Role) *auth.Actor {
	return &auth.Actor{UserID: 100, Name: "tester", CommitteeID: f.fuyuan.ID, CommitteePath: f.fuyuan.Path, Roles: roles}
}

// prefActor returns a user of the prefecture (the higher committee).
func (f *fixture) prefActor(roles ...auth.Role) *auth.Actor {
	return &auth.Actor{UserID: 200, Name: "市政协", CommitteeID: f.pref.ID, CommitteePath: f.pref.Path, Roles: roles}
}

// luoActor returns a user of the sibling county.
func (f *fixture) luoActor(roles ...auth.Role) *auth.Actor {
	return &auth.Actor{UserID: 300, Name: "罗平", CommitteeID: f.luo.ID, CommitteePath: f.luo.Path, Roles: roles}
}

func (f *fixture) memberInput(name, id, phone string) MemberInput {
	return MemberInput{Name: name, Gender: genderFromID(id), IDNumber: id, Phone: phone, SectorID: f.econ.ID,
		Affiliation: "cpc", Employer: "富源县第一中学", Positions: []string{"vice_chair"}, Standing: true,
		Groups: []GroupRole{{GroupID: f.grp1.ID, Role: "leader"}}}
}

func code(err error) apperr.Code { return apperr.CodeOf(err) }

// hasField reports whether err carries a field error on field with key.
func hasField(err error, field, key string) bool {
	e := apperr.As(err)
	if e == nil {
		return false
	}
	for _, f := range e.Fields {
		if f.Field == field && (key == "" || f.Key == key) {
			return true
		}
	}
	return false
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
