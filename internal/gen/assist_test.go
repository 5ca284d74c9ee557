package gen_test

import (
	"context"
	"testing"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/gen"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// checkAssist: the county holds gen.DefaultHouseholds households in its own
// villages, each with a head of its name first; members' ID numbers are
// valid, sealed to their own row and hashed with the run's key, masked;
// statuses and lifted years agree.
func checkAssist(t *testing.T, d *db.DB, box *secret.Box) {
	t.Helper()
	ctx := context.Background()
	if n := count(t, d, `SELECT count(*) FROM assist_households`); n != gen.DefaultHouseholds {
		t.Errorf("households = %d, want %d", n, gen.DefaultHouseholds)
	}
	if n := count(t, d, `SELECT count(*) FROM assist_households h JOIN assist_villages v ON v.id = h.village_id
		WHERE v.committee_id <> h.committee_id`); n != 0 {
		t.Errorf("%d households in another committee's village", n)
	}
	if n := count(t, d, `SELECT count(*) FROM assist_households h WHERE NOT EXISTS (SELECT 1 FROM assist_household_members m
		WHERE m.household_id = h.id AND m.sort = 0 AND m.relation = '户主' AND m.name = h.head_name)`); n != 0 {
		t.Errorf("%d households without their head first", n)
	}
	if n := count(t, d, `SELECT count(*) FROM assist_households WHERE (status = 'lifted') <> (lifted_year BETWEEN 2014 AND 2018)`); n != 0 {
		t.Errorf("%d households whose lifted year disagrees with the status", n)
	}
	members := count(t, d, `SELECT count(*) FROM assist_household_members`)
	if members < 2*gen.DefaultHouseholds || members > 4*gen.DefaultHouseholds {
		t.Errorf("household members = %d", members)
	}
	rows, err := d.QueryContext(ctx, `SELECT id, id_number_enc, id_number_hash, id_masked FROM assist_household_members ORDER BY id LIMIT 50`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var enc []byte
		var hash, mask string
		if err := rows.Scan(&id, &enc, &hash, &mask); err != nil {
			t.Fatal(err)
		}
		num, err := box.Open(enc, id)
		if err != nil {
			t.Fatalf("member %d: %v", id, err)
		}
		if p := org.IDNumberProblem(num, civil.MustParse("2026-01-01")); p != "" {
			t.Errorf("member %d: %s %s", id, num, p)
		}
		if h, _ := box.Hash(num); h != hash || mask != org.MaskIDNumber(num) {
			t.Errorf("member %d: hash or mask does not match", id)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}
