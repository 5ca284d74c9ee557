// Package demo seeds a ready-to-try county committee: the organisation of a
// fictional county in Yunnan (滇富县政协, modelled on the committee whose 2018
// work report is the platform's reference), its ninth term and the session
// 九届二次 of 2018, ~300 members in their sectors and groups, ~60 handling
// units, and one login per role with a known password.
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/gen"
	"lvzhi/internal/secret"
)

// The demo committee.
const (
	CountyName = "滇富县"
	Code       = "539901"
	GenSeed    = 2018 // the generator seed of the demo data
	Members    = 300  // members of the demo committee
)

// Login is one demo account.
type Login struct {
	Role     auth.Role
	Username string
	Password string
	Name     string // display name
	RoleZh   string // the role in Chinese, for the printed list
	RoleEn   string
}

// logins are the demo accounts; the member and unit accounts are linked to a
// generated member and unit when seeding.
var logins = []Login{
	{auth.RoleAdmin, "admin", "lvzhi-admin", "赵志刚", "系统管理员", "administrator"},
	{auth.RoleStaff, "staff", "lvzhi-staff", "李晓梅", "机关工作人员", "secretariat staff"},
	{auth.RoleProposalOffice, "proposal", "lvzhi-proposal", "张文华", "提案委", "proposal office"},
	{auth.RoleMember, "member", "lvzhi-member", "", "委员", "member"},
	{auth.RoleUnit, "unit", "lvzhi-unit", "", "承办单位", "handling unit"},
	{auth.RoleLeader, "leader", "lvzhi-leader", "杨国强", "领导", "leader"},
	{auth.RoleAssistance, "assistance", "lvzhi-assistance", "陈丽华", "帮扶专员", "assistance officer"},
}

// unitName is the handling unit whose account is the demo's unit login
// (another government department if the generator left it out).
const unitName = CountyName + "教育体育局"

// Result is the seeded committee and its logins.
type Result struct {
	CommitteeID int64
	Logins      []Login
	Seeded      bool // false when the database already held the demo
	Proposals   int  // proposals created (when seeded)
	// DutyAdjustments is the number of demo score adjustments (when seeded).
	DutyAdjustments int
}

// Seed creates the demo committee in d (migrated). If the demo is already
// there it only reports the logins, so a demo data directory can be reused.
// box, when set, encrypts the generated citizen ID numbers.
func Seed(ctx context.Context, d *db.DB, box *secret.Box) (*Result, error) {
	res := &Result{}
	err := d.QueryRowContext(ctx, `SELECT id FROM committees WHERE code = $1`, Code).Scan(&res.CommitteeID)
	switch {
	case err == nil:
		res.Logins, err = existingLogins(ctx, d)
		return res, err
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	g, err := gen.Run(ctx, d, gen.Options{Scale: gen.County, Seed: GenSeed, NoUsers: true, Proposals: "no", IDBox: box,
		CountyName: CountyName, CountyCode: Code, CountyMembers: Members, Year: 2018})
	if err != nil {
		return nil, err
	}
	res.CommitteeID, res.Seeded = g.RootID, true
	svc := account.NewService(d)
	sys := auth.System(res.CommitteeID)
	sys.Name = "demo"
	userIDs := map[string]int64{}
	for _, l := range logins {
		in := account.NewUser{Username: l.Username, DisplayName: l.Name, Password: l.Password, Roles: []auth.Role{l.Role}, Lang: "zh"}
		switch l.Role {
		case auth.RoleMember:
			if err := d.QueryRowContext(ctx, `SELECT p.id, p.name FROM memberships m JOIN people p ON p.id = m.person_id
				WHERE m.committee_id = $1 AND m.positions = '' AND m.status = 'active' ORDER BY m.id LIMIT 1`,
				res.CommitteeID).Scan(&in.PersonID, &in.DisplayName); err != nil {
				return nil, fmt.Errorf("demo member: %w", err)
			}
		case auth.RoleUnit:
			if err := d.QueryRowContext(ctx, `SELECT id, name FROM units WHERE committee_id = $1
				ORDER BY CASE WHEN name = $2 THEN 0 WHEN kind = 'government' THEN 1 ELSE 2 END, id LIMIT 1`,
				res.CommitteeID, unitName).Scan(&in.UnitID, &in.DisplayName); err != nil {
				return nil, fmt.Errorf("demo unit: %w", err)
			}
		}
		u, err := svc.CreateUser(ctx, sys, in)
		if err != nil {
			return nil, fmt.Errorf("demo login %s: %w", l.Username, err)
		}
		userIDs[l.Username] = u.ID
		l.Name = in.DisplayName
		res.Logins = append(res.Logins, l)
	}
	cast, err := loadCast(ctx, d, res.CommitteeID, userIDs)
	if err != nil {
		return nil, err
	}
	if res.Proposals, err = seedProposals(ctx, d, cast); err != nil {
		return nil, err
	}
	if err := seedAssist(ctx, d, box, res.CommitteeID, userIDs); err != nil {
		return nil, fmt.Errorf("demo 三送三帮: %w", err)
	}
	if res.DutyAdjustments, err = seedDuty(ctx, d, cast, userIDs); err != nil {
		return nil, err
	}
	return res, nil
}

// existingLogins reads the demo accounts' display names back.
func existingLogins(ctx context.Context, d *db.DB) ([]Login, error) {
	out := make([]Login, 0, len(logins))
	for _, l := range logins {
		if err := d.QueryRowContext(ctx, `SELECT display_name FROM users WHERE username = $1`, l.Username).Scan(&l.Name); err != nil {
			return nil, fmt.Errorf("demo login %s: %w", l.Username, err)
		}
		out = append(out, l)
	}
	return out, nil
}
