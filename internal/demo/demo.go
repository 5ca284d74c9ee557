// Package demo seeds a ready-to-try county committee: the organisation of a
// fictional county in Yunnan (滇富县政协, modelled on the committee whose 2018
// work report is the platform's reference), its ninth term with the session
// 九届二次 in the present year (the year before, 九届一次, complete), ~300
// members in their sectors and groups, ~60 handling units, and logins for
// every role (two members and two units) with known passwords.
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
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
	{auth.RoleMember, "member2", "lvzhi-member2", "", "委员", "member"},
	{auth.RoleUnit, "unit", "lvzhi-unit", "", "承办单位", "handling unit"},
	{auth.RoleUnit, "unit2", "lvzhi-unit2", "", "承办单位", "handling unit"},
	{auth.RoleLeader, "leader", "lvzhi-leader", "杨国强", "领导", "leader"},
	{auth.RoleAssistance, "assistance", "lvzhi-assistance", "陈丽华", "帮扶专员", "assistance officer"},
}

// unitNames are the handling units whose accounts are the demo's unit logins
// (other government departments if the generator left them out).
var unitNames = []string{CountyName + "教育体育局", CountyName + "卫生健康局"}

// Year is the year of the demo's current session: this year, once its
// session (January) is well behind; before March, last year.
func Year(today civil.Date) int {
	if today.Month < time.March {
		return today.Year - 1
	}
	return today.Year
}

// Result is the seeded committee and its logins.
type Result struct {
	CommitteeID int64
	Logins      []Login
	Seeded      bool // false when the database already held the demo
	Proposals   int  // proposals created (when seeded), both sessions
	Year        int  // the year of the current session (九届二次); the year before is complete
	// DutyAdjustments is the number of demo score adjustments (when seeded).
	DutyAdjustments int
}

// Seed creates the demo committee in d (migrated). If the demo is already
// there it only reports the logins, so a demo data directory can be reused.
// box, when set, encrypts the generated citizen ID numbers.
func Seed(ctx context.Context, d *db.DB, box *secret.Box) (*Result, error) {
	res := &Result{Year: Year(civil.Today())}
	err := d.QueryRowContext(ctx, `SELECT id FROM committees WHERE code = $1`, Code).Scan(&res.CommitteeID)
	switch {
	case err == nil:
		if err := d.QueryRowContext(ctx, `SELECT MAX(year) FROM plenary_sessions WHERE committee_id = $1`, res.CommitteeID).Scan(&res.Year); err != nil {
			return nil, err
		}
		res.Logins, err = existingLogins(ctx, d)
		return res, err
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	g, err := gen.Run(ctx, d, gen.Options{Scale: gen.County, Seed: GenSeed, NoUsers: true, Proposals: "no", IDBox: box,
		CountyName: CountyName, CountyCode: Code, CountyMembers: Members, Year: res.Year})
	if err != nil {
		return nil, err
	}
	res.CommitteeID, res.Seeded = g.RootID, true
	svc := account.NewService(d)
	sys := auth.System(res.CommitteeID)
	sys.Name = "demo"
	userIDs := map[string]int64{}
	// The people and units already given a login (0: no id, so NOT IN never
	// meets an empty list, which would be NOT IN (NULL), true of nothing).
	members, units := []any{int64(0)}, []any{int64(0)}
	for _, l := range logins {
		in := account.NewUser{Username: l.Username, DisplayName: l.Name, Password: l.Password, Roles: []auth.Role{l.Role}, Lang: "zh"}
		switch l.Role {
		case auth.RoleMember:
			var a db.Args
			q := `SELECT p.id, p.name FROM memberships m JOIN people p ON p.id = m.person_id
				WHERE m.committee_id = ` + a.Add(res.CommitteeID) + ` AND m.positions = '' AND m.status = 'active'
				AND p.id NOT IN ` + db.In(&a, members) + ` ORDER BY m.id LIMIT 1`
			if err := d.QueryRowContext(ctx, q, a...).Scan(&in.PersonID, &in.DisplayName); err != nil {
				return nil, fmt.Errorf("demo member: %w", err)
			}
			members = append(members, in.PersonID)
		case auth.RoleUnit:
			var a db.Args
			q := `SELECT id, name FROM units WHERE committee_id = ` + a.Add(res.CommitteeID) + ` AND id NOT IN ` + db.In(&a, units) + `
				ORDER BY CASE WHEN name = ` + a.Add(unitNames[(len(units)-1)%len(unitNames)]) + ` THEN 0 WHEN kind = 'government' THEN 1 ELSE 2 END, id LIMIT 1`
			if err := d.QueryRowContext(ctx, q, a...).Scan(&in.UnitID, &in.DisplayName); err != nil {
				return nil, fmt.Errorf("demo unit: %w", err)
			}
			units = append(units, in.UnitID)
		}
		u, err := svc.CreateUser(ctx, sys, in)
		if err != nil {
			return nil, fmt.Errorf("demo login %s: %w", l.Username, err)
		}
		userIDs[l.Username] = u.ID
		l.Name = in.DisplayName
		res.Logins = append(res.Logins, l)
	}
	cast, err := loadCast(ctx, d, res.CommitteeID, userIDs, res.Year)
	if err != nil {
		return nil, err
	}
	if res.Proposals, err = seedProposals(ctx, d, cast); err != nil {
		return nil, err
	}
	if err := seedAssist(ctx, d, box, res.CommitteeID, userIDs); err != nil {
		return nil, fmt.Errorf("demo 三送三帮: %w", err)
	}
	if _, err := seedActivities(ctx, d, res.CommitteeID, userIDs); err != nil {
		return nil, err
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
