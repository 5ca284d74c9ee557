// Package gen fills a database with a realistic, deterministic deployment of
// committees, people, memberships, handling units and users, at the scales of
// DOMAIN.md §7: one county, one province, or the whole nation.
//
// It is a generator, not a use case: it writes the tables directly in one
// transaction (COPY on PostgreSQL, multi-row INSERT on SQLite), filling every
// column the services read, and records one audit entry per committee saying
// the committee's data was generated. The same seed gives the same data.
package gen

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/proposal"
	"lvzhi/internal/secret"
)

// Scale is the size of deployment to generate.
type Scale string

// The scales of DOMAIN.md §7.
const (
	County   Scale = "county"   // one county committee, ~300 members
	Province Scale = "province" // 1 province + 16 prefectures + 130 counties, ~30,000 members
	Nation   Scale = "nation"   // 1 + 31 + 333 + 2,840 committees, ~650,000 members
)

// ParseScale reads a scale name.
func ParseScale(s string) (Scale, error) {
	switch Scale(s) {
	case County, Province, Nation:
		return Scale(s), nil
	}
	return "", fmt.Errorf("unknown scale %q (want county, province or nation)", s)
}

// Options say what to generate.
type Options struct {
	Scale Scale
	Seed  uint64
	// PasswordHash is stored for every generated user (hash one password once:
	// argon2id costs ~50 ms). Required unless NoUsers.
	PasswordHash string
	// NoUsers skips all user accounts (the demo creates its own through auth).
	NoUsers bool
	// MemberUsers gives every member a login (default: at county scale only).
	MemberUsers *bool
	// UnitUsers gives every handling unit a login (default: at county scale only).
	UnitUsers *bool
	// Proposals says whether to generate the year's proposals: "" (auto: yes),
	// "yes" or "no". After writing them the proposal service computes their
	// figures and search rows in batches (proposal.Service.CatchUpBulk).
	Proposals string
	// IDBox, when set, generates valid citizen ID numbers, stored encrypted
	// with a keyed lookup hash; without it they are left empty.
	IDBox *secret.Box
	// Year is the year of the current plenary session (default 2018, the report's year).
	Year int
	// CountyName, CountyCode and CountyMembers override the county at county scale.
	CountyName    string // e.g. "滇富县"
	CountyCode    string // e.g. "539901"
	CountyMembers int
	// Households is how many registered poor households (三送三帮) each county
	// committee gets: 0 gives DefaultHouseholds at county scale and none
	// above; negative none.
	Households int
	// Progress receives one line per written batch (nil: silent).
	Progress io.Writer
}

// Result reports what was generated.
type Result struct {
	RootID   int64            // the top committee
	Rows     map[string]int64 // rows written per table
	Members  int64
	Duration time.Duration
}

func (o *Options) defaults() error {
	if o.Scale == "" {
		o.Scale = County
	}
	if _, err := ParseScale(string(o.Scale)); err != nil {
		return err
	}
	if o.Year == 0 {
		o.Year = 2018
	}
	if !o.NoUsers && o.PasswordHash == "" {
		return errors.New("gen: a password hash for the generated users is required")
	}
	switch o.Proposals {
	case "", "yes", "no":
	default:
		return fmt.Errorf("gen: proposals %q: want yes, no or empty (auto)", o.Proposals)
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	return nil
}

func (o *Options) memberUsers() bool {
	if o.NoUsers {
		return false
	}
	if o.MemberUsers != nil {
		return *o.MemberUsers
	}
	return o.Scale == County
}

func (o *Options) wantProposals() bool {
	switch o.Proposals {
	case "yes":
		return true
	case "no":
		return false
	}
	return true
}

func (o *Options) unitUsers() bool {
	if o.NoUsers {
		return false
	}
	if o.UnitUsers != nil {
		return *o.UnitUsers
	}
	return o.Scale == County
}

// flushRows is how many buffered rows trigger a write.
const flushRows = 60000

// Run generates the deployment into d, which must be migrated and must not yet
// hold committees with the generated codes.
func Run(ctx context.Context, d *db.DB, o Options) (*Result, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	start := time.Now()
	nodes := buildTree(&o)
	var exists int
	if err := d.QueryRowContext(ctx, `SELECT count(*) FROM committees WHERE code = $1`, nodes[0].code).Scan(&exists); err != nil {
		return nil, err
	}
	if exists > 0 {
		return nil, fmt.Errorf("gen: committee %s (%s) already exists: generate into an empty database", nodes[0].code, nodes[0].name)
	}
	g, err := newGenerator(ctx, d, &o)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(o.Progress, "gen: %s scale, seed %d, %d committees, %s\n", o.Scale, o.Seed, len(nodes), d.Engine)
	err = withWriter(ctx, d, func(w writer) error {
		for i, n := range nodes {
			if err := ctx.Err(); err != nil {
				return err
			}
			g.committee(n)
			if g.buffered() >= flushRows || i == len(nodes)-1 {
				if err := g.flush(ctx, w); err != nil {
					return err
				}
				fmt.Fprintf(o.Progress, "gen: %d/%d committees, %d members, %d users, %d proposals (%.1fs)\n",
					i+1, len(nodes), g.t.memberships.n, g.t.users.n, g.proposalCount(), time.Since(start).Seconds())
			}
		}
		return g.finish(ctx, w, d.Engine)
	})
	if err != nil {
		return nil, err
	}
	if err := g.auditAll(ctx, d, nodes); err != nil {
		return nil, err
	}
	if g.proposalCount() > 0 {
		fmt.Fprintf(o.Progress, "gen: computing the proposals' figures and search index (%.1fs)\n", time.Since(start).Seconds())
		if _, err := proposal.NewService(d).CatchUpBulk(ctx, o.Progress); err != nil {
			return nil, fmt.Errorf("proposal figures: %w", err)
		}
	}
	fmt.Fprintf(o.Progress, "gen: analysing tables (%.1fs)\n", time.Since(start).Seconds())
	if err := d.Analyze(ctx); err != nil {
		return nil, fmt.Errorf("analyze: %w", err)
	}
	if d.Engine == db.SQLite { // fold the load's write-ahead log into the file
		if _, err := d.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
			return nil, fmt.Errorf("checkpoint: %w", err)
		}
	}
	res := &Result{RootID: nodes[0].id, Rows: map[string]int64{}, Members: g.t.memberships.n, Duration: time.Since(start)}
	for _, t := range g.tables() {
		res.Rows[t.name] = t.n
	}
	fmt.Fprintf(o.Progress, "gen: done in %.1fs: %d committees, %d people, %d members, %d units, %d users, %d proposals, %d households\n",
		res.Duration.Seconds(), res.Rows["committees"], res.Rows["people"], res.Members, res.Rows["units"], res.Rows["users"],
		res.Rows["proposals"], res.Rows["assist_households"])
	return res, nil
}

// tables are the buffers, in the order their foreign keys need.
type tables struct {
	committees, terms, sessions, sectors, groups, identities, people, memberships, memberGroups, units, users, roles *table
}

func (t *tables) all() []*table {
	return []*table{t.committees, t.terms, t.sessions, t.sectors, t.groups, t.identities, t.people, t.memberships,
		t.memberGroups, t.units, t.users, t.roles}
}

func (g *generator) proposalCount() int64 {
	if g.pt == nil {
		return 0
	}
	return g.pt.proposals.n
}

// generator holds the id counters and buffers of one run.
type generator struct {
	o      *Options
	t      tables
	pt     *proposalTables  // nil without the proposal schema or with NoProposals
	at     *activityTables  // nil without the activity schema or without the year's records
	ast    *assistTables    // nil without the assist schema or without households
	tables func() []*table  // all buffers in write order
	ids    map[string]int64 // last id used per table
	// optional columns added by later migrations
	groupSort, unitUpdated, idMask bool
	staffUsers                     int
	// idSeen holds every citizen ID number drawn in the run (idKey): a number
	// is one identity, so it is drawn once across all committees.
	idSeen map[uint64]bool
}

func newGenerator(ctx context.Context, d *db.DB, o *Options) (*generator, error) {
	g := &generator{o: o, ids: map[string]int64{}, idSeen: map[uint64]bool{}}
	g.tables = func() []*table {
		out := g.t.all()
		if g.pt != nil {
			out = append(out, g.pt.all()...)
		}
		if g.at != nil {
			out = append(out, g.at.all()...)
		}
		if g.ast != nil {
			out = append(out, g.ast.all()...)
		}
		return out
	}
	g.t = tables{
		committees: &table{name: "committees", cols: cols("id parent_id level name code path created_at")},
		terms:      &table{name: "terms", cols: cols("id committee_id number name starts_on ends_on")},
		sessions:   &table{name: "plenary_sessions", cols: cols("id committee_id term_id number name year opens_on closes_on submit_from submit_to")},
		sectors:    &table{name: "sectors", cols: cols("id committee_id name sort")},
		groups:     &table{name: "org_groups", cols: cols("id committee_id kind name")},
		identities: &table{name: "identities", cols: cols("id id_number_hash id_number_enc created_at")},
		people: &table{name: "people", cols: cols("id committee_id name gender birth_date ethnicity identity_id " +
			"phone email employer job_title created_at updated_at")},
		memberships: &table{name: "memberships", cols: cols("id committee_id person_id term_id sector_id affiliation positions " +
			"is_standing is_party_member status skills resources joined_on left_on version created_at updated_at")},
		memberGroups: &table{name: "membership_groups", cols: cols("committee_id membership_id group_id role")},
		units:        &table{name: "units", cols: cols("id committee_id name kind contact_name contact_phone active version created_at")},
		users: &table{name: "users", cols: cols("id committee_id username display_name password_hash person_id unit_id " +
			"disabled lang created_at updated_at")},
		roles: &table{name: "user_roles", cols: cols("user_id committee_id role")},
	}
	var err error
	if g.groupSort, err = hasColumn(ctx, d, "org_groups", "sort"); err != nil {
		return nil, err
	}
	if g.groupSort {
		g.t.groups.cols = append(g.t.groups.cols, "sort")
	}
	if g.unitUpdated, err = hasColumn(ctx, d, "units", "updated_at"); err != nil {
		return nil, err
	}
	if g.unitUpdated {
		g.t.units.cols = append(g.t.units.cols, "updated_at")
	}
	if g.idMask, err = hasColumn(ctx, d, "people", "id_number_mask"); err != nil {
		return nil, err
	}
	if g.idMask {
		g.t.people.cols = append(g.t.people.cols, "id_number_mask")
	}
	if o.wantProposals() {
		if _, err := hasColumn(ctx, d, "proposals", "id"); err == nil {
			g.pt = newProposalTables()
		}
		if _, err := hasColumn(ctx, d, "activities", "id"); err == nil {
			g.at = newActivityTables()
		}
	}
	if o.households() > 0 {
		if _, err := hasColumn(ctx, d, "assist_households", "id"); err == nil {
			g.ast = newAssistTables()
		}
	}
	for _, t := range g.tables() {
		if t.cols[0] != "id" {
			continue
		}
		var max sql.NullInt64
		if err := d.QueryRowContext(ctx, "SELECT max(id) FROM "+t.name).Scan(&max); err != nil {
			return nil, err
		}
		g.ids[t.name] = max.Int64
	}
	return g, nil
}

func cols(s string) []string { return strings.Fields(s) }

// hasColumn reports whether table has column, on either engine.
func hasColumn(ctx context.Context, d *db.DB, table, column string) (bool, error) {
	rows, err := d.QueryContext(ctx, "SELECT * FROM "+table+" LIMIT 0")
	if err != nil {
		return false, err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return false, err
	}
	for _, n := range names {
		if n == column {
			return true, nil
		}
	}
	return false, nil
}

func (g *generator) next(t *table) int64 {
	g.ids[t.name]++
	return g.ids[t.name]
}

func (g *generator) buffered() int {
	n := 0
	for _, t := range g.tables() {
		n += len(t.rows)
	}
	return n
}

func (g *generator) flush(ctx context.Context, w writer) error {
	for _, t := range g.tables() {
		if err := w.write(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// finish moves PostgreSQL's identity sequences past the ids written explicitly.
func (g *generator) finish(ctx context.Context, w writer, e db.Engine) error {
	if e != db.Postgres {
		return nil
	}
	for _, t := range g.tables() {
		if t.cols[0] != "id" || g.ids[t.name] == 0 {
			continue
		}
		q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), %d)", t.name, g.ids[t.name])
		if err := w.exec(ctx, q); err != nil {
			return fmt.Errorf("sequence of %s: %w", t.name, err)
		}
	}
	return nil
}

// auditAll records, per committee, that its data was generated, so the audit
// chain of every committee starts with how its records came to be.
func (g *generator) auditAll(ctx context.Context, d *db.DB, nodes []*node) error {
	return d.Tx(ctx, func(tx *sql.Tx) error {
		for _, n := range nodes {
			after := map[string]any{"generator": "lvzhi gen", "scale": g.o.Scale, "seed": g.o.Seed,
				"code": n.code, "name": n.name, "members": n.created}
			if err := audit.Record(ctx, tx, auth.System(n.id), n.id, "gen.seed", "committee", n.id, nil, after); err != nil {
				return err
			}
		}
		return nil
	})
}

// rng returns the committee's own random stream, so a committee's data does
// not depend on how much was drawn for the committees before it.
func (g *generator) rng(n *node) *rand.Rand {
	return rand.New(rand.NewPCG(g.o.Seed, uint64(n.idx)+1))
}

// instant is a fixed time on a civil date (09:00 in Shanghai), in UTC.
func instant(date string) time.Time {
	d := civil.MustParse(date)
	return time.Date(d.Year, d.Month, d.Day, 9, 0, 0, 0, civil.Shanghai).UTC()
}
