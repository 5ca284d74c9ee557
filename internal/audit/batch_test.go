package audit_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"

	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestBatchedChainVerifies writes entries of two committees in one batch
// (after entries written one by one), with a savepoint rolled back in the
// middle, as a ledger import does for a refused row: the chains must verify,
// the rolled-back entries must be gone, and the head must be the last entry.
func TestBatchedChainVerifies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		seed(t, d, 7, 2)
		actor := &auth.Actor{Name: "张三"}
		rec := func(ctx context.Context, tx *sql.Tx, committee, id int64) error {
			return audit.Record(ctx, tx, actor, committee, "update", "membership", id, nil, map[string]any{"n": id})
		}
		refused := errors.New("refused")
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			return audit.Batched(ctx, tx, func(ctx context.Context) error {
				for i := range int64(450) { // more than one multi-row INSERT
					if err := rec(ctx, tx, 7, 100+i); err != nil {
						return err
					}
				}
				err := audit.Savepoint(ctx, tx, "row", func() error {
					if err := rec(ctx, tx, 7, 999); err != nil {
						return err
					}
					if err := rec(ctx, tx, 9, 999); err != nil { // a new chain, rolled back with its head
						return err
					}
					return refused
				})
				if !errors.Is(err, refused) {
					t.Fatalf("savepoint: %v", err)
				}
				if err := rec(ctx, tx, 8, 1); err != nil {
					return err
				}
				return audit.Savepoint(ctx, tx, "row", func() error { return rec(ctx, tx, 7, 1000) })
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		if ps := verify(t, d); len(ps) != 0 {
			t.Fatalf("batched chain reported %v", ps)
		}
		var n, last, rolled int64
		if err := d.QueryRow(`SELECT COUNT(*), MAX(seq) FROM audit_log WHERE committee_id = 7`).Scan(&n, &last); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE entity_id = 999`).Scan(&rolled); err != nil {
			t.Fatal(err)
		}
		if n != 2+450+1 || last != n || rolled != 0 {
			t.Fatalf("committee 7: %d entries, last seq %d, %d rolled-back entries kept", n, last, rolled)
		}
		// A later unbatched entry continues the chain from the batch's head.
		seed(t, d, 7, 1)
		seed(t, d, 9, 1)
		if ps := verify(t, d); len(ps) != 0 {
			t.Fatalf("chain after the batch reported %v", ps)
		}
	})
}
