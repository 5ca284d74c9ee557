package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/secret"
)

// unmigrated opens an empty database of the engine (PostgreSQL: a fresh schema).
func unmigrated(t *testing.T, e db.Engine) *db.DB {
	t.Helper()
	ctx := context.Background()
	url := t.TempDir() + "/m.db"
	if e == db.Postgres {
		base := os.Getenv(dbtest.EnvPG)
		if base == "" {
			t.Skip(dbtest.EnvPG + " not set: skipped PostgreSQL")
		}
		schema := fmt.Sprintf("m_%d", rand.Int64())
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if a, err := sql.Open("pgx", base); err == nil {
				_, _ = a.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
				a.Close()
			}
		})
		url = dbtest.WithSearchPath(base, schema)
	}
	d, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// TestIdentityMigration: migration 00012 turns the per-committee ID numbers
// into identities: one per number, shared by the people rows that had it, the
// sealed number still opening (it keeps the id it was bound to), and new
// identities numbered after the moved ones.
func TestIdentityMigration(t *testing.T) {
	for _, e := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			d := unmigrated(t, e)
			if err := d.MigrateTo(ctx, 11); err != nil {
				t.Fatal(err)
			}
			box, err := secret.FromBase64(secret.NewKey())
			if err != nil {
				t.Fatal(err)
			}
			id := func(q string, args ...any) int64 {
				t.Helper()
				var id int64
				if err := d.QueryRowContext(ctx, q+" RETURNING id", args...).Scan(&id); err != nil {
					t.Fatal(err)
				}
				return id
			}
			now := db.Now()
			county := id(`INSERT INTO committees (level, name, code, path, created_at) VALUES ('county', '县', 'c', '/1/2/', $1)`, now)
			city := id(`INSERT INTO committees (level, name, code, path, created_at) VALUES ('prefecture', '市', 'p', '/1/', $1)`, now)
			person := func(committee int64, name, num string) int64 {
				p := id(`INSERT INTO people (committee_id, name, created_at, updated_at) VALUES ($1, $2, $3, $3)`, committee, name, now)
				if num == "" {
					return p
				}
				h, _ := box.Hash(num)
				sealed, _ := box.Seal(num, p)
				if _, err := d.ExecContext(ctx, `UPDATE people SET id_number_hash = $1, id_number_enc = $2 WHERE id = $3`, h, sealed, p); err != nil {
					t.Fatal(err)
				}
				return p
			}
			const numA, numB = "53032519800101123X", "530325198502021241"
			a1 := person(county, "张三", numA)
			b1 := person(county, "李四", numB)
			none := person(county, "王五", "")
			a2 := person(city, "张三", numA)
			if err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			identityOf := func(p int64) int64 {
				var i sql.NullInt64
				if err := d.QueryRowContext(ctx, `SELECT identity_id FROM people WHERE id = $1`, p).Scan(&i); err != nil {
					t.Fatal(err)
				}
				return i.Int64
			}
			if identityOf(a1) != a1 || identityOf(a2) != a1 || identityOf(b1) != b1 || identityOf(none) != 0 {
				t.Fatalf("identities: %d %d %d %d", identityOf(a1), identityOf(a2), identityOf(b1), identityOf(none))
			}
			for p, want := range map[int64]string{a1: numA, b1: numB} {
				var sealed []byte
				if err := d.QueryRowContext(ctx, `SELECT id_number_enc FROM identities WHERE id = $1`, p).Scan(&sealed); err != nil {
					t.Fatal(err)
				}
				if got, err := box.Open(sealed, p); err != nil || got != want {
					t.Fatalf("identity %d opens as %q: %v", p, got, err)
				}
			}
			if next := id(`INSERT INTO identities (id_number_hash, id_number_enc, created_at) VALUES ('h', $1, $2)`, []byte{1}, now); next <= max(a1, b1) {
				t.Fatalf("new identity id %d, not after the moved ones", next)
			}
			if _, err := d.ExecContext(ctx, `UPDATE people SET identity_id = $1 WHERE id = $2`, a1, b1); err == nil {
				t.Fatal("two people of one committee share an identity")
			}
			// Down gives each row its hash back, and the sealed number where it was bound to that row.
			if err := d.MigrateDownTo(ctx, 11); err != nil {
				t.Fatal(err)
			}
			var sealed []byte
			if err := d.QueryRowContext(ctx, `SELECT id_number_enc FROM people WHERE id = $1`, a1).Scan(&sealed); err != nil {
				t.Fatal(err)
			}
			if got, err := box.Open(sealed, a1); err != nil || got != numA {
				t.Fatalf("after down: %q %v", got, err)
			}
			if n := migCount(t, d, `SELECT COUNT(*) FROM people WHERE id_number_hash IS NOT NULL`); n != 3 {
				t.Fatalf("after down: %d people with a hash, want 3", n)
			}
		})
	}
}

func migCount(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
