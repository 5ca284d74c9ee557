// Package liaisontest seeds a small committee tree with memberships and accounts
// for the tests of the liaison service, its web pages and the API. It writes plain
// SQL so it does not depend on the org service.
package liaisontest

import (
	"context"
	"fmt"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// Fixture is a prefecture (P) over two counties (A, B). A has one term with the
// whole chain; B has one member. Actors are accounts of A unless named otherwise.
type Fixture struct {
	P, A, B   int64 // committee ids
	TermA     int64
	TermB     int64
	OldTermA  int64 // an earlier term of A with one membership (OldMember)
	Secretary int64 // membership ids in A: 党组书记 (also standing)
	Leader    int64 // 党组成员
	Head      int64 // 工作组长 by position (party member)
	Head2     int64 // 组长 of a working group by membership_groups role (party member)
	Party     int64 // 党员委员
	NonParty  int64 // 党外委员, standing
	NonParty2 int64 // 党外委员
	Resigned  int64 // a resigned 党外委员
	OldMember int64 // membership of A's earlier term
	OtherB    int64 // membership in B
	// PersonOf maps a membership id to its person id.
	PersonOf map[int64]int64

	Admin, Staff, LeaderRole, ProposalOffice, Unit, Assistance *auth.Actor
	MemberParty                                                *auth.Actor // the member account of Party (liaising person on party_nonparty links)
	MemberNonParty                                             *auth.Actor // the member account of NonParty
	MemberLeader                                               *auth.Actor // the member account of Leader (党组成员)
	MemberSecretary                                            *auth.Actor // the member account of Secretary
	PrefLeader                                                 *auth.Actor // a leader of P (reads A and B)
	StaffB                                                     *auth.Actor // staff of B
}

// Seed creates the fixture in d.
func Seed(t testing.TB, d *db.DB) *Fixture {
	t.Helper()
	s := &seeder{t: t, d: d, ctx: context.Background()}
	f := &Fixture{PersonOf: map[int64]int64{}}
	f.P = s.committee("prefecture", "曲靖市政协", "QJ", "")
	f.A = s.committee("county", "富源县政协", "FY", fmt.Sprintf("/%d/", f.P))
	f.B = s.committee("county", "陆良县政协", "LL", fmt.Sprintf("/%d/", f.P))
	f.OldTermA = s.id(`INSERT INTO terms (committee_id, number, name, starts_on, ends_on) VALUES ($1, 8, '八届', '2016-01-01', '2020-12-31') RETURNING id`, f.A)
	f.TermA = s.id(`INSERT INTO terms (committee_id, number, name, starts_on) VALUES ($1, 9, '九届', '2021-01-01') RETURNING id`, f.A)
	f.TermB = s.id(`INSERT INTO terms (committee_id, number, name, starts_on) VALUES ($1, 9, '九届', '2021-01-01') RETURNING id`, f.B)
	m := func(cid, term int64, name, positions string, party, standing bool, status string) int64 {
		pid := s.id(`INSERT INTO people (committee_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id`, cid, name, db.Now())
		id := s.id(`INSERT INTO memberships (committee_id, person_id, term_id, positions, is_party_member, is_standing, status, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id`, cid, pid, term, positions, party, standing, status, db.Now())
		f.PersonOf[id] = pid
		return id
	}
	f.Secretary = m(f.A, f.TermA, "王书记", "chair,party_secretary", true, true, "active")
	f.Leader = m(f.A, f.TermA, "李成员", "vice_chair,party_group_member", true, true, "active")
	f.Head = m(f.A, f.TermA, "赵组长", "group_leader", true, false, "active")
	f.Head2 = m(f.A, f.TermA, "钱组长", "", true, false, "active")
	f.Party = m(f.A, f.TermA, "孙党员", "", true, false, "active")
	f.NonParty = m(f.A, f.TermA, "周党外", "", false, true, "active")
	f.NonParty2 = m(f.A, f.TermA, "吴党外", "", false, false, "active")
	f.Resigned = m(f.A, f.TermA, "郑离任", "", false, false, "resigned")
	f.OldMember = m(f.A, f.OldTermA, "冯旧届", "", false, false, "active")
	f.OtherB = m(f.B, f.TermB, "陈外县", "", false, false, "active")
	g := s.id(`INSERT INTO org_groups (committee_id, kind, name) VALUES ($1, 'working_group', '第一工作组') RETURNING id`, f.A)
	s.exec(`INSERT INTO membership_groups (committee_id, membership_id, group_id, role) VALUES ($1, $2, $3, 'leader')`, f.A, f.Head2, g)

	u := func(cid int64, name string, person int64, roles ...auth.Role) *auth.Actor {
		var pid any
		if person != 0 {
			pid = person
		}
		id := s.id(`INSERT INTO users (committee_id, username, display_name, password_hash, person_id, created_at, updated_at)
			VALUES ($1,$2,$3,'x',$4,$5,$5) RETURNING id`, cid, fmt.Sprintf("u%d-%s", cid, name), name, pid, db.Now())
		for _, r := range roles {
			s.exec(`INSERT INTO user_roles (user_id, committee_id, role) VALUES ($1,$2,$3)`, id, cid, string(r))
		}
		return &auth.Actor{UserID: id, Name: name, CommitteeID: cid, CommitteePath: s.path(cid), Roles: roles, PersonID: person, Lang: "zh"}
	}
	f.Admin = u(f.A, "管理员", 0, auth.RoleAdmin)
	f.Staff = u(f.A, "办公室", 0, auth.RoleStaff)
	f.LeaderRole = u(f.A, "县领导", 0, auth.RoleLeader)
	f.ProposalOffice = u(f.A, "提案委", 0, auth.RoleProposalOffice)
	f.Unit = u(f.A, "承办单位", 0, auth.RoleUnit)
	f.Assistance = u(f.A, "帮扶专员", 0, auth.RoleAssistance)
	f.MemberParty = u(f.A, "孙党员", f.PersonOf[f.Party], auth.RoleMember)
	f.MemberNonParty = u(f.A, "周党外", f.PersonOf[f.NonParty], auth.RoleMember)
	f.MemberLeader = u(f.A, "李成员", f.PersonOf[f.Leader], auth.RoleMember)
	f.MemberSecretary = u(f.A, "王书记", f.PersonOf[f.Secretary], auth.RoleMember)
	f.PrefLeader = u(f.P, "市领导", 0, auth.RoleLeader)
	f.StaffB = u(f.B, "陆良办公室", 0, auth.RoleStaff)
	return f
}

type seeder struct {
	t   testing.TB
	d   *db.DB
	ctx context.Context
}

func (s *seeder) id(q string, args ...any) int64 {
	s.t.Helper()
	var id int64
	if err := s.d.QueryRowContext(s.ctx, q, args...).Scan(&id); err != nil {
		s.t.Fatalf("seed: %v\n%s", err, q)
	}
	return id
}

func (s *seeder) exec(q string, args ...any) {
	s.t.Helper()
	if _, err := s.d.ExecContext(s.ctx, q, args...); err != nil {
		s.t.Fatalf("seed: %v\n%s", err, q)
	}
}

func (s *seeder) committee(level, name, code, parentPath string) int64 {
	var parent any
	if parentPath != "" {
		var pid int64
		fmt.Sscanf(parentPath, "/%d/", &pid)
		parent = pid
	}
	id := s.id(`INSERT INTO committees (parent_id, level, name, code, path, created_at) VALUES ($1,$2,$3,$4,'',$5) RETURNING id`,
		parent, level, name, code+fmt.Sprint(randSuffix()), db.Now())
	s.exec(`UPDATE committees SET path = $1 WHERE id = $2`, fmt.Sprintf("%s/%d/", trimSlash(parentPath), id), id)
	return id
}

func (s *seeder) path(id int64) string {
	var p string
	if err := s.d.QueryRowContext(s.ctx, `SELECT path FROM committees WHERE id = $1`, id).Scan(&p); err != nil {
		s.t.Fatal(err)
	}
	return p
}

func trimSlash(p string) string {
	if len(p) > 0 && p[len(p)-1] == '/' {
		return p[:len(p)-1]
	}
	return p
}

var counter int

// randSuffix keeps committee codes unique when a test seeds twice into one database.
func randSuffix() int { counter++; return counter }
