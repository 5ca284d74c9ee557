package audit

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// keyedSeed makes committees 1 and 2 with a person each (records that are
// audited) and n entries in their chains.
func keyedSeed(t *testing.T, d *db.DB, committee int64, n int) {
	t.Helper()
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, `INSERT INTO committees (id, level, name, code, path, created_at) VALUES ($1, 'county', $2, $2, '/', $3)`,
		committee, "C"+string(rune('0'+committee)), db.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, `INSERT INTO people (committee_id, name, gender, phone, created_at, updated_at) VALUES ($1, '王芳', 'female', '', $2, $2)`,
		committee, db.Now()); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		record(t, d, committee, i)
	}
}

func record(t *testing.T, d *db.DB, committee int64, i int) {
	t.Helper()
	ctx := context.Background()
	if err := d.Tx(ctx, func(tx *sql.Tx) error {
		return Record(ctx, tx, &auth.Actor{Name: "张三"}, committee, "update", "membership", int64(i+1), map[string]any{"phone": "1"}, map[string]any{"phone": "2"})
	}); err != nil {
		t.Fatal(err)
	}
}

// rehash is the attacker's tool: recompute a committee's chain from seq on
// with key (nil: plain SHA-256, all one can do without the audit key) and
// move the head to the new end.
func rehash(t *testing.T, d *db.DB, committee, from int64, key []byte) {
	t.Helper()
	ctx := context.Background()
	rows, err := d.QueryContext(ctx, `SELECT committee_id, seq, at, COALESCE(actor_user_id, 0), actor_name, action, entity, entity_id,
		before_json, after_json, prev_hash, hash FROM audit_log WHERE committee_id = $1 ORDER BY seq`, committee)
	if err != nil {
		t.Fatal(err)
	}
	var es []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			t.Fatal(err)
		}
		es = append(es, e)
	}
	rows.Close()
	prev := ""
	for _, e := range es {
		if e.Seq >= from {
			e.PrevHash = prev
			e.Hash = e.hashWith(key)
			if _, err := d.ExecContext(ctx, `UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE committee_id = $3 AND seq = $4`, e.PrevHash, e.Hash, committee, e.Seq); err != nil {
				t.Fatal(err)
			}
		}
		prev = e.Hash
	}
	if _, err := d.ExecContext(ctx, `UPDATE audit_head SET seq = $1, hash = $2 WHERE committee_id = $3`, len(es), prev, committee); err != nil {
		t.Fatal(err)
	}
}

func withKey(t *testing.T, k []byte) {
	t.Helper()
	SetKey(k)
	t.Cleanup(func() { SetKey(nil) })
}

// TestKeyedChainResistsItsDatabase tries what one who can write the database
// file (but holds neither the audit key nor the checkpoint file) can do: edit
// an entry and re-hash the chain after it (plainly, or with a guessed key),
// delete the last entries and rewind the head, delete a committee's whole
// chain. Each is found by VerifyAll; an intact log that grew after the
// checkpoint passes. Before the key and checkpoints, all three passed.
func TestKeyedChainResistsItsDatabase(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, d *db.DB)
		want   string
	}{
		{"intact", func(*testing.T, *db.DB) {}, ""},
		{"edit and re-hash plainly", func(t *testing.T, d *db.DB) {
			d.Exec(`UPDATE audit_log SET after_json = '{"phone":"9"}' WHERE committee_id = 1 AND seq = 3`)
			rehash(t, d, 1, 3, nil)
		}, "not keyed"},
		{"edit and re-hash with a guessed key", func(t *testing.T, d *db.DB) {
			d.Exec(`UPDATE audit_log SET after_json = '{"phone":"9"}' WHERE committee_id = 1 AND seq = 3`)
			rehash(t, d, 1, 3, bytes.Repeat([]byte{1}, 32))
		}, "changed"},
		{"delete the last entries, rewind the head", func(t *testing.T, d *db.DB) {
			d.Exec(`DELETE FROM audit_log WHERE committee_id = 1 AND seq >= 5`)
			rehash(t, d, 1, 99, nil) // only moves the head back to entry 4
		}, "is gone"},
		{"delete a committee's chain", func(t *testing.T, d *db.DB) {
			d.Exec(`DELETE FROM audit_log WHERE committee_id = 2`)
			d.Exec(`DELETE FROM audit_head WHERE committee_id = 2`)
		}, "no audit chain"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				withKey(t, bytes.Repeat([]byte{42}, 32))
				keyedSeed(t, d, 1, 5)
				keyedSeed(t, d, 2, 3)
				path := filepath.Join(t.TempDir(), "checkpoints.jsonl")
				if _, err := AppendCheckpoint(context.Background(), d, path); err != nil {
					t.Fatal(err)
				}
				record(t, d, 1, 5) // the log grows after the checkpoint
				c.tamper(t, d)
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				marks, err := ReadCheckpoints(f)
				f.Close()
				if err != nil || len(marks) != 2 || marks[1].Seq != 5 {
					t.Fatalf("checkpoints %v %v", marks, err)
				}
				_, problems, err := VerifyAll(context.Background(), d, marks)
				if err != nil {
					t.Fatal(err)
				}
				var all []string
				for _, p := range problems {
					all = append(all, p.String())
				}
				got := strings.Join(all, "\n")
				if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
					t.Fatalf("problems:\n%s\nwant %q", got, c.want)
				}
			})
		})
	}
}

// TestRekey: chains written before the key fail verification once the key is
// set (unkeyed), pass after Rekey, and a chain that does not verify is not
// keyed (that would launder the break).
func TestRekey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		SetKey(nil)
		keyedSeed(t, d, 1, 4)
		keyedSeed(t, d, 2, 2)
		withKey(t, bytes.Repeat([]byte{42}, 32))
		if _, ps, _ := VerifyAll(ctx, d, nil); len(ps) == 0 {
			t.Fatal("unkeyed entries pass with a key set")
		}
		d.Exec(`UPDATE audit_log SET actor_name = '李四' WHERE committee_id = 2 AND seq = 1`)
		if _, err := Rekey(ctx, d); err == nil || !strings.Contains(err.Error(), "committee 2") {
			t.Fatalf("rekey of a broken chain: %v", err)
		}
		d.Exec(`UPDATE audit_log SET actor_name = '张三' WHERE committee_id = 2 AND seq = 1`)
		n, err := Rekey(ctx, d)
		if err != nil || n != 6 {
			t.Fatalf("rekey: %d %v", n, err)
		}
		record(t, d, 1, 4)
		if _, ps, err := VerifyAll(ctx, d, nil); err != nil || len(ps) > 0 {
			t.Fatalf("after rekey: %v %v", ps, err)
		}
	})
}
