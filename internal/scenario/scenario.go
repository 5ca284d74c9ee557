// Package scenario builds worked examples: a year of records of a fictional
// committee entered through the areas' services with the records' real dates
// (past-record entry, 补录), so that the annual work report generated over it
// states known figures. Fuyuan2018 is the year of ../shared/scenarios/fuyuan-2018.md.
package scenario

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/gen"
	"lvzhi/internal/secret"
)

// Options are a scenario's knobs.
type Options struct {
	// Password of the scenario's logins ("" : DefaultPassword).
	Password string
	// IDBox, when set, lets the generator store citizen ID numbers (encrypted).
	IDBox *secret.Box
}

// DefaultPassword is the scenario logins' password unless Options says otherwise.
const DefaultPassword = "lvzhi-scenario"

// Login is one account a scenario creates.
type Login struct {
	Username string
	Name     string
	Role     auth.Role
}

// Result is a built scenario: its committee, year, the filters its figures
// are asked for, and its logins (Staff writes the report).
type Result struct {
	CommitteeID int64
	Year        int
	// AssistTo is the last day the 三送三帮 figures count (the report's "截至").
	AssistTo civil.Date
	Logins   []Login
	Seeded   bool // false: the committee was already there (nothing written)
	Staff    *auth.Actor
	Office   *auth.Actor
	Assist   *auth.Actor
	Leaders  []*auth.Actor
}

// world is what a scenario builds on: the generated organisation, the
// session of the year and the actors entering the records.
type world struct {
	d          *db.DB
	cid        int64
	path       string
	sessionID  int64
	submitFrom civil.Date
	submitTo   civil.Date
	members    []int64 // serving memberships, in id order
	persons    []int64 // their people
	units      []unit  // government units, in id order
	res        *Result
}

type unit struct {
	id   int64
	name string
}

// county is the organisation a scenario generates.
type county struct {
	name, code string
	members    int
	year       int
	seed       uint64
	prefix     string // login name prefix
	leaders    []string
}

// newWorld generates the county's organisation (committee, term, the year's
// session, members, units) with gen and creates the scenario's logins.
// It returns nil when the committee already exists.
func newWorld(ctx context.Context, d *db.DB, c county, opt Options) (*world, error) {
	var existing int64
	err := d.QueryRowContext(ctx, `SELECT id FROM committees WHERE code = $1`, c.code).Scan(&existing)
	switch {
	case err == nil:
		res := &Result{CommitteeID: existing, Year: c.year}
		res.Logins, err = db.Query(ctx, d, func(sc db.Scanner) (Login, error) {
			var l Login
			return l, sc.Scan(&l.Username, &l.Name, &l.Role)
		}, `SELECT u.username, u.display_name, MIN(r.role) FROM users u JOIN user_roles r ON r.user_id = u.id
			WHERE u.committee_id = $1 AND u.username LIKE $2 GROUP BY u.id, u.username, u.display_name ORDER BY u.id`, existing, c.prefix+"%")
		return &world{d: d, cid: existing, res: res}, err
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	g, err := gen.Run(ctx, d, gen.Options{Scale: gen.County, Seed: c.seed, NoUsers: true, Proposals: "no", IDBox: opt.IDBox,
		CountyName: c.name, CountyCode: c.code, CountyMembers: c.members, Year: c.year})
	if err != nil {
		return nil, fmt.Errorf("scenario organisation: %w", err)
	}
	w := &world{d: d, cid: g.RootID, res: &Result{CommitteeID: g.RootID, Year: c.year, Seeded: true}}
	if err := d.QueryRowContext(ctx, `SELECT path FROM committees WHERE id = $1`, w.cid).Scan(&w.path); err != nil {
		return nil, err
	}
	var from, to string
	if err := d.QueryRowContext(ctx, `SELECT id, submit_from, submit_to FROM plenary_sessions WHERE committee_id = $1 AND year = $2
		ORDER BY id DESC LIMIT 1`, w.cid, c.year).Scan(&w.sessionID, &from, &to); err != nil {
		return nil, fmt.Errorf("scenario session %d: %w", c.year, err)
	}
	if w.submitFrom, err = civil.Parse(from); err != nil {
		return nil, err
	}
	if w.submitTo, err = civil.Parse(to); err != nil {
		return nil, err
	}
	ms, err := db.Query(ctx, d, func(sc db.Scanner) ([2]int64, error) {
		var m [2]int64
		return m, sc.Scan(&m[0], &m[1])
	}, `SELECT m.id, m.person_id FROM memberships m WHERE m.committee_id = $1 AND m.status = 'active'
		AND m.term_id = (SELECT t.id FROM terms t WHERE t.committee_id = m.committee_id ORDER BY t.number DESC LIMIT 1) ORDER BY m.id`, w.cid)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		w.members, w.persons = append(w.members, m[0]), append(w.persons, m[1])
	}
	if w.units, err = db.Query(ctx, d, func(sc db.Scanner) (unit, error) {
		var u unit
		return u, sc.Scan(&u.id, &u.name)
	}, `SELECT id, name FROM units WHERE committee_id = $1 AND kind = 'government' AND active ORDER BY id`, w.cid); err != nil {
		return nil, err
	}
	password := opt.Password
	if password == "" {
		password = DefaultPassword
	}
	accounts := account.NewService(d)
	sys := auth.System(w.cid)
	sys.Name = "scenario"
	add := func(username, name string, role auth.Role) (*auth.Actor, error) {
		u, err := accounts.CreateUser(ctx, sys, account.NewUser{Username: c.prefix + username, DisplayName: name, Password: password,
			Roles: []auth.Role{role}, Lang: "zh"})
		if err != nil {
			return nil, fmt.Errorf("scenario login %s: %w", username, err)
		}
		w.res.Logins = append(w.res.Logins, Login{Username: u.Username, Name: name, Role: role})
		return &auth.Actor{UserID: u.ID, Name: u.DisplayName, CommitteeID: w.cid, CommitteePath: w.path, Roles: u.Roles, Lang: u.Lang}, nil
	}
	if w.res.Staff, err = add("staff", "办公室", auth.RoleStaff); err != nil {
		return nil, err
	}
	if w.res.Office, err = add("proposal", "提案委", auth.RoleProposalOffice); err != nil {
		return nil, err
	}
	if w.res.Assist, err = add("assistance", "帮扶办", auth.RoleAssistance); err != nil {
		return nil, err
	}
	for i, name := range c.leaders {
		a, err := add(fmt.Sprintf("leader%d", i+1), name, auth.RoleLeader)
		if err != nil {
			return nil, err
		}
		w.res.Leaders = append(w.res.Leaders, a)
	}
	return w, nil
}

// day is the civil date y-m-d.
func day(y, m, d int) civil.Date {
	return civil.MustParse(fmt.Sprintf("%04d-%02d-%02d", y, m, d))
}
