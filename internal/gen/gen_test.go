package gen_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"

	"lvzhi/internal/account"
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/gen"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
	"lvzhi/internal/secret"
)

const testPassword = "generated-pass-2018"

func hash(t testing.TB) string {
	t.Helper()
	h, err := account.HashPassword(testPassword, account.FastPasswordParams)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestCounty(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		key := secret.NewKey()
		box, err := secret.FromBase64(key)
		if err != nil {
			t.Fatal(err)
		}
		res, err := gen.Run(ctx, d, gen.Options{Scale: gen.County, Seed: 7, PasswordHash: hash(t), IDBox: box})
		if err != nil {
			t.Fatal(err)
		}
		members := count(t, d, `SELECT count(*) FROM memberships`)
		if members < 290 || members > 310 || int64(members) != res.Members {
			t.Errorf("members = %d (result %d), want ~300", members, res.Members)
		}
		if n := count(t, d, `SELECT count(*) FROM committees WHERE path = '/' || CAST(id AS TEXT) || '/' AND parent_id IS NULL AND level = 'county'`); n != 1 {
			t.Errorf("root county committees with a proper path = %d", n)
		}
		if n := count(t, d, `SELECT count(*) FROM sectors`); n < 25 || n > 34 {
			t.Errorf("sectors = %d", n)
		}
		if n := count(t, d, `SELECT count(*) FROM units`); n < 55 || n > 65 {
			t.Errorf("units = %d", n)
		}
		// Every membership's sector, term and person belong to its committee, and it is in a group.
		if n := count(t, d, `SELECT count(*) FROM memberships m JOIN sectors s ON s.id = m.sector_id
			JOIN terms tm ON tm.id = m.term_id JOIN people p ON p.id = m.person_id
			WHERE s.committee_id = m.committee_id AND tm.committee_id = m.committee_id AND p.committee_id = m.committee_id`); n != members {
			t.Errorf("consistent memberships = %d of %d", n, members)
		}
		if n := count(t, d, `SELECT count(*) FROM memberships m WHERE NOT EXISTS (SELECT 1 FROM membership_groups g WHERE g.membership_id = m.id)`); n != 0 {
			t.Errorf("%d memberships without a group", n)
		}
		if n := count(t, d, `SELECT count(*) FROM memberships WHERE positions LIKE '%chair,party_secretary%'`); n != 1 {
			t.Errorf("chairs = %d", n)
		}
		if n := count(t, d, `SELECT count(*) FROM memberships WHERE is_party_member <> (affiliation = 'cpc')`); n != 0 {
			t.Errorf("%d memberships with is_party_member not matching the affiliation", n)
		}
		checkCodes(t, d)
		checkActivities(t, d, members)
		checkAssist(t, d, box)
		// Session 九届二次 in 2018.
		if n := count(t, d, `SELECT count(*) FROM plenary_sessions WHERE name = '九届二次' AND year = 2018`); n != 1 {
			t.Errorf("sessions 九届二次 in 2018 = %d", n)
		}
		// Logins: 5 staff roles, one per member and one per unit, all with the given password.
		units := count(t, d, `SELECT count(*) FROM units`)
		if n := count(t, d, `SELECT count(*) FROM users`); n != 5+members+units {
			t.Errorf("users = %d, want %d", n, 5+members+units)
		}
		for _, role := range auth.AllRoles {
			if n := count(t, d, `SELECT count(*) FROM user_roles WHERE role = $1`, string(role)); n == 0 {
				t.Errorf("no user with role %s", role)
			}
		}
		var h string
		if err := d.QueryRowContext(ctx, `SELECT password_hash FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'member' LIMIT 1`).Scan(&h); err != nil {
			t.Fatal(err)
		}
		if !account.CheckPassword(h, testPassword) || account.CheckPassword(h, "wrong-password") {
			t.Error("generated users' password hash does not verify")
		}
		// ID numbers are encrypted, bound to the identity, and valid; every person has one.
		var id, person int64
		var sealed []byte
		if err := d.QueryRowContext(ctx, `SELECT i.id, i.id_number_enc, p.id FROM identities i JOIN people p ON p.identity_id = i.id
			ORDER BY p.id LIMIT 1`).Scan(&id, &sealed, &person); err != nil {
			t.Fatal(err)
		}
		if n := count(t, d, `SELECT count(*) FROM people WHERE identity_id IS NULL`); n != 0 {
			t.Errorf("%d people without an identity", n)
		}
		num, err := box.Open(sealed, id)
		if err != nil {
			t.Fatal(err)
		}
		if p := org.IDNumberProblem(num, civil.MustParse("2018-06-01")); p != "" {
			t.Errorf("generated ID number %s: %s", num, p)
		}
		var mask string
		if err := d.QueryRowContext(ctx, `SELECT id_number_mask FROM people WHERE id = $1`, person).Scan(&mask); err != nil || mask != org.MaskIDNumber(num) {
			t.Errorf("mask %q of %s: %v", mask, num, err)
		}
		if _, err := box.Open(sealed, id+1); err == nil {
			t.Error("ID number opens under another record's id")
		}
		// Identity sequences moved past the generated ids: a normal insert works.
		if _, err := d.ExecContext(ctx, `INSERT INTO sectors (committee_id, name, sort) VALUES ($1, '新界别', 999)`, res.RootID); err != nil {
			t.Errorf("insert after gen: %v", err)
		}
		// One audit entry per committee, chain intact.
		if n := count(t, d, `SELECT count(*) FROM audit_log WHERE action = 'gen.seed'`); n != 1 {
			t.Errorf("gen audit entries = %d", n)
		}
		if _, problems, err := audit.Verify(ctx, d); err != nil || len(problems) > 0 {
			t.Errorf("audit verify: %v %v", err, problems)
		}
		checkProposals(t, d, res.RootID)
		// A second run refuses to duplicate the committee.
		if _, err := gen.Run(ctx, d, gen.Options{Scale: gen.County, Seed: 7, PasswordHash: hash(t)}); err == nil {
			t.Error("second run into the same database succeeded")
		}
	})
}

// checkCodes asserts that coded columns hold codes the org package knows.
func checkCodes(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	rows, err := d.QueryContext(ctx, `SELECT affiliation, positions, status FROM memberships`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var aff, pos, status string
		if err := rows.Scan(&aff, &pos, &status); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(org.Affiliations, aff) || !slices.Contains(org.Statuses, status) {
			t.Fatalf("unknown affiliation %q or status %q", aff, status)
		}
		for _, p := range strings.Split(pos, ",") {
			if p != "" && !slices.Contains(org.Positions, p) {
				t.Fatalf("unknown position %q", p)
			}
		}
	}
	for _, q := range []struct {
		sql  string
		list []string
	}{
		{`SELECT DISTINCT kind FROM units`, org.UnitKinds},
		{`SELECT DISTINCT kind FROM org_groups`, org.GroupKinds},
		{`SELECT DISTINCT role FROM membership_groups`, org.GroupRoles},
		{`SELECT DISTINCT gender FROM people`, org.Genders},
	} {
		rows, err := d.QueryContext(ctx, q.sql)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(q.list, c) {
				t.Errorf("%s: unknown code %q", q.sql, c)
			}
		}
		rows.Close()
	}
}

// digest hashes every generated row, in id order.
func digest(t *testing.T, d *db.DB) string {
	t.Helper()
	h := sha256.New()
	for _, q := range []string{
		`SELECT id, COALESCE(parent_id, 0), level, name, code, path FROM committees ORDER BY id`,
		`SELECT id, committee_id, name, gender, birth_date, ethnicity, phone, employer, job_title FROM people ORDER BY id`,
		`SELECT id, person_id, sector_id, affiliation, positions, is_standing, status, skills, resources, joined_on, left_on FROM memberships ORDER BY id`,
		`SELECT membership_id, group_id, role FROM membership_groups ORDER BY membership_id, group_id`,
		`SELECT id, name, kind, contact_name, contact_phone FROM units ORDER BY id`,
		`SELECT id, username, display_name FROM users ORDER BY id`,
		`SELECT id, seq, number, kind, category, theme, title, state, first_proposer_id, submitted_on, closed_on FROM proposals ORDER BY id`,
		`SELECT proposal_id, unit_id, state, due_on FROM proposal_assignments ORDER BY id`,
	} {
		rows, err := d.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(h, vals...)
		}
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestDeterministic(t *testing.T) {
	ctx := context.Background()
	pw := hash(t)
	run := func(seed uint64) string {
		d := dbtest.SQLite(t)
		if _, err := gen.Run(ctx, d, gen.Options{Scale: gen.County, Seed: seed, PasswordHash: pw}); err != nil {
			t.Fatal(err)
		}
		return digest(t, d)
	}
	a, b, c := run(1), run(1), run(2)
	if a != b {
		t.Error("same seed gave different data")
	}
	if a == c {
		t.Error("different seeds gave the same data")
	}
}

// TestProvince generates a province with a key: every member gets a citizen
// ID number, unique across the run, and the county members who also sit on
// their prefecture's committee are one person (one identity) there.
func TestProvince(t *testing.T) {
	if testing.Short() {
		t.Skip("province scale takes a few seconds")
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		box, err := secret.FromBase64(secret.NewKey())
		if err != nil {
			t.Fatal(err)
		}
		res, err := gen.Run(ctx, d, gen.Options{Scale: gen.Province, Seed: 3, PasswordHash: hash(t), Proposals: "no", IDBox: box})
		if err != nil {
			t.Fatal(err)
		}
		for level, want := range map[string]int{"province": 1, "prefecture": 16, "county": 130} {
			if n := count(t, d, `SELECT count(*) FROM committees WHERE level = $1`, level); n != want {
				t.Errorf("%s committees = %d, want %d", level, n, want)
			}
		}
		if res.Members < 28000 || res.Members > 32000 {
			t.Errorf("members = %d, want ~30,000", res.Members)
		}
		// Paths: each child's path is its parent's path plus its own id.
		if n := count(t, d, `SELECT count(*) FROM committees c JOIN committees p ON p.id = c.parent_id
			WHERE c.path <> p.path || CAST(c.id AS TEXT) || '/'`); n != 0 {
			t.Errorf("%d committees with a wrong path", n)
		}
		if n := count(t, d, `SELECT count(*) FROM committees WHERE path LIKE $1`, fmt.Sprintf("/%d/%%", res.RootID)); n != 147 {
			t.Errorf("subtree of the root = %d committees, want 147", n)
		}
		// Some county members also sit on their prefecture's committee: the same
		// identity, a people row and a membership in each committee.
		cross := count(t, d, `SELECT count(*) FROM people a JOIN committees ca ON ca.id = a.committee_id
			JOIN people b ON b.identity_id = a.identity_id AND b.committee_id = ca.parent_id
			WHERE ca.level = 'county' AND b.name = a.name AND b.birth_date = a.birth_date AND b.id_number_mask = a.id_number_mask`)
		if cross < 100 {
			t.Errorf("cross-level members = %d, want ~3%% of county members", cross)
		}
		if n := count(t, d, `SELECT count(*) FROM identities i WHERE (SELECT count(*) FROM people p WHERE p.identity_id = i.id) = 2`); n != cross {
			t.Errorf("identities held by two committees = %d, want the %d cross-level members", n, cross)
		}
		if n, p := count(t, d, `SELECT count(*) FROM identities`), count(t, d, `SELECT count(*) FROM people`); n != p-cross {
			t.Errorf("identities = %d, want one per person: %d people rows less %d second rows", n, p, cross)
		}
		if n := count(t, d, `SELECT count(*) FROM people WHERE identity_id IS NULL`); n != 0 {
			t.Errorf("%d people without an ID number", n)
		}
		checkCrossLevel(t, d, box)
		// Staff logins per committee, but no member logins above county scale.
		if n := count(t, d, `SELECT count(*) FROM user_roles WHERE role = 'admin'`); n != 147 {
			t.Errorf("admins = %d", n)
		}
		if n := count(t, d, `SELECT count(*) FROM user_roles WHERE role = 'member'`); n != 0 {
			t.Errorf("member logins = %d", n)
		}
	})
}

// checkProposals reads the generated proposals through the proposal service:
// the figures agree with the rows, and a closed proposal has its whole history.
func checkProposals(t *testing.T, d *db.DB, committeeID int64) {
	t.Helper()
	ctx := context.Background()
	svc := proposal.NewService(d)
	var path string
	if err := d.QueryRowContext(ctx, `SELECT path FROM committees WHERE id = $1`, committeeID).Scan(&path); err != nil {
		t.Fatal(err)
	}
	office := &auth.Actor{Name: "office", CommitteeID: committeeID, CommitteePath: path, Roles: []auth.Role{auth.RoleProposalOffice}}
	total := count(t, d, `SELECT count(*) FROM proposals`)
	if total < 180 || total > 260 {
		t.Errorf("proposals = %d, want ~200 for a county", total)
	}
	registered := count(t, d, `SELECT count(*) FROM proposals WHERE seq IS NOT NULL`)
	if n := count(t, d, `SELECT last FROM proposal_counters WHERE committee_id = $1`, committeeID); n != registered {
		t.Errorf("counter %d, registered %d", n, registered)
	}
	if n := count(t, d, `SELECT count(*) FROM change_queue`); n != 0 {
		t.Errorf("%d proposals still queued for their figures", n)
	}
	fs, err := svc.Figures(ctx, office, proposal.FigureFilter{CommitteeID: committeeID, Year: 2018})
	if err != nil {
		t.Fatal(err)
	}
	closed := count(t, d, `SELECT count(*) FROM proposals WHERE state = 'CLOSED'`)
	replied := count(t, d, `SELECT count(*) FROM proposals WHERE state IN ('REPLIED', 'CLOSED')`)
	solved := count(t, d, `SELECT count(*) FROM proposal_replies WHERE result_class IN ('A', 'B')`)
	for id, want := range map[string]int{"proposals.registered": registered, "proposals.closed": closed,
		"proposals.replied": replied, "proposals.solved": solved} {
		if got := fs.Get(id).Value; got != int64(want) {
			t.Errorf("figure %s = %d, rows say %d", id, got, want)
		}
	}
	if v := fs.Get("proposals.solved"); v.Value*100 < v.DenValue*80 {
		t.Errorf("solved (A+B) %d of %d registered: want most", v.Value, v.DenValue)
	}
	page, err := svc.List(ctx, office, committeeID, proposal.Filter{States: []proposal.State{proposal.Closed}, Limit: 5})
	if err != nil || page.Total != closed || len(page.Items) != 5 {
		t.Fatalf("list closed: total %d items %d: %v", page.Total, len(page.Items), err)
	}
	det, err := svc.Get(ctx, office, page.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(det.Assignments) != 1 || len(det.Replies) != 1 || len(det.Evaluations) == 0 || len(det.Signers) == 0 || det.Number == "" {
		t.Errorf("closed proposal detail: %d assignments, %d replies, %d evaluations, %d signers, number %q",
			len(det.Assignments), len(det.Replies), len(det.Evaluations), len(det.Signers), det.Number)
	}
}

// checkCrossLevel reads one cross-level person through org.Service: each
// committee sees its own membership, the same number, and not the other's.
func checkCrossLevel(t *testing.T, d *db.DB, box *secret.Box) {
	t.Helper()
	ctx := context.Background()
	var countyM, prefM, countyC, prefC int64
	var countyPath, prefPath string
	if err := d.QueryRowContext(ctx, `SELECT ma.id, mb.id, ca.id, ca.path, cb.id, cb.path
		FROM people a JOIN committees ca ON ca.id = a.committee_id JOIN memberships ma ON ma.person_id = a.id
		JOIN people b ON b.identity_id = a.identity_id AND b.committee_id = ca.parent_id
		JOIN memberships mb ON mb.person_id = b.id JOIN committees cb ON cb.id = b.committee_id
		WHERE ca.level = 'county' ORDER BY a.id LIMIT 1`).Scan(&countyM, &prefM, &countyC, &countyPath, &prefC, &prefPath); err != nil {
		t.Fatal(err)
	}
	svc := org.NewService(d)
	svc.Secret = box
	county := &auth.Actor{UserID: 1, Name: "county", CommitteeID: countyC, CommitteePath: countyPath, Roles: []auth.Role{auth.RoleAdmin}}
	pref := &auth.Actor{UserID: 2, Name: "pref", CommitteeID: prefC, CommitteePath: prefPath, Roles: []auth.Role{auth.RoleAdmin}}
	a, err := svc.RevealIDNumber(ctx, county, countyM)
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc.RevealIDNumber(ctx, pref, prefM)
	if err != nil || a != b || org.IDNumberProblem(a, civil.MustParse("2018-06-01")) != "" {
		t.Fatalf("cross-level numbers %q and %q (%v)", a, b, err)
	}
	if _, err := svc.Member(ctx, county, prefM); err == nil {
		t.Fatal("the county reads its member's prefecture membership")
	}
}
