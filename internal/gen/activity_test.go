package gen_test

import (
	"testing"

	"lvzhi/internal/db"
)

// checkActivities: the county's year holds 41–51 held activities, the plenary
// with every active member, every roll row a member of the committee, and 社情民意.
func checkActivities(t *testing.T, d *db.DB, _ int) {
	t.Helper()
	members := count(t, d, `SELECT count(*) FROM memberships WHERE status = 'active'`)
	if n := count(t, d, `SELECT count(*) FROM activities WHERE state = 'HELD' AND starts_on LIKE '2018-%'`); n < 41 || n > 51 {
		t.Errorf("activities = %d", n)
	}
	if n := count(t, d, `SELECT count(*) FROM activity_attendance t JOIN activities a ON a.id = t.activity_id WHERE a.kind = 'plenary'`); n != members {
		t.Errorf("plenary roll = %d, want the %d active members", n, members)
	}
	if n := count(t, d, `SELECT count(*) FROM activity_attendance t JOIN people p ON p.id = t.person_id WHERE p.committee_id <> t.committee_id`); n != 0 {
		t.Errorf("%d roll rows of another committee's people", n)
	}
	if n := count(t, d, `SELECT count(*) FROM sqmy_items`); n < 15 {
		t.Errorf("社情民意 = %d", n)
	}
}
