package audit_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

func seed(t *testing.T, d *db.DB, committeeID int64, n int) {
	t.Helper()
	ctx := context.Background()
	actor := &auth.Actor{UserID: 0, Name: "张三"}
	for i := range n {
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			return audit.Record(ctx, tx, actor, committeeID, "update", "membership", int64(i+1),
				map[string]any{"phone": "1"}, map[string]any{"phone": "2"})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func verify(t *testing.T, d *db.DB) []audit.Problem {
	t.Helper()
	_, ps, err := audit.Verify(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func TestVerifyDetectsTampering(t *testing.T) {
	cases := []struct {
		name   string
		tamper string
		want   string
	}{
		{"intact", "", ""},
		{"edited value", `UPDATE audit_log SET after_json = '{"phone":"3"}' WHERE committee_id = 7 AND seq = 3`, "changed"},
		{"edited actor", `UPDATE audit_log SET actor_name = '李四' WHERE committee_id = 7 AND seq = 1`, "changed"},
		{"deleted middle", `DELETE FROM audit_log WHERE committee_id = 7 AND seq = 2`, "missing"},
		{"deleted last", `DELETE FROM audit_log WHERE committee_id = 7 AND seq = 5`, "should end"},
		{"rehashed edit", `UPDATE audit_log SET after_json = '{}', hash = 'x' WHERE committee_id = 7 AND seq = 4`, "follow"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				seed(t, d, 7, 5)
				seed(t, d, 8, 2)
				if c.tamper != "" {
					if _, err := d.Exec(c.tamper); err != nil {
						t.Fatal(err)
					}
				}
				ps := verify(t, d)
				if c.want == "" {
					if len(ps) != 0 {
						t.Fatalf("intact chain reported %v", ps)
					}
					return
				}
				if len(ps) == 0 {
					t.Fatalf("tampering not detected")
				}
				found := false
				for _, p := range ps {
					if p.CommitteeID != 7 {
						t.Fatalf("problem reported in untouched chain: %v", p)
					}
					found = found || strings.Contains(p.What, c.want)
				}
				if !found {
					t.Fatalf("problems %v do not mention %q", ps, c.want)
				}
			})
		})
	}
}

func TestListNewestFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		seed(t, d, 7, 5)
		es, err := audit.List(context.Background(), d, 7, audit.Filter{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 2 || es[0].Seq != 5 || es[1].Seq != 4 || es[0].ActorName != "张三" {
			t.Fatalf("got %+v", es)
		}
		es, _ = audit.List(context.Background(), d, 7, audit.Filter{BeforeSeq: 4, EntityID: 2})
		if len(es) != 1 || es[0].EntityID != 2 {
			t.Fatalf("filtered got %+v", es)
		}
	})
}
