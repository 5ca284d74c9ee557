package db_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// handWritten are the SQLite migrations that are not what pg2sqlite.sh makes
// of their PostgreSQL twin, and why. Any other file must be exactly the
// script's output, so a change to a PostgreSQL migration is not forgotten in
// its SQLite twin (and the script stays the way to write one).
var handWritten = map[string]string{
	"00009_proposal_search.sql":    "full-text search: FTS5 virtual table and triggers instead of tsvector",
	"00012_person_identity.sql":    "no identity sequence to move past copied ids",
	"00013_reply_submitted_on.sql": "date() instead of to_char(… AT TIME ZONE), WHERE true before ON CONFLICT",
	"00014_token_expiry.sql":       "datetime() date arithmetic instead of an interval",
	"00015_change_queue.sql":       "triggers: SQLite trigger bodies instead of plpgsql functions, CURRENT_TIMESTAMP for now()",
	"00024_duty_report_pairing.sql": "triggers on assist_pairings: SQLite trigger bodies instead of a plpgsql function, CURRENT_TIMESTAMP " +
		"for now(), WHERE true before ON CONFLICT",
	"00031_data_version.sql": "row triggers with SQLite bodies instead of statement triggers, a plpgsql function and a deferred constraint trigger",
}

// TestSQLiteMigrationsRegenerate runs pg2sqlite.sh on every PostgreSQL
// migration (in a copy of the directory) and compares with the committed
// SQLite files.
func TestSQLiteMigrationsRegenerate(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh to run pg2sqlite.sh")
	}
	src := filepath.Join("migrations")
	pgFiles, err := filepath.Glob(filepath.Join(src, "postgres", "*.sql"))
	if err != nil || len(pgFiles) == 0 {
		t.Fatalf("no PostgreSQL migrations: %v", err)
	}
	liteFiles, _ := filepath.Glob(filepath.Join(src, "sqlite", "*.sql"))
	names := func(fs []string) []string {
		var out []string
		for _, f := range fs {
			out = append(out, filepath.Base(f))
		}
		return out
	}
	if !slices.Equal(names(pgFiles), names(liteFiles)) {
		t.Fatalf("migration twins differ:\npostgres %v\nsqlite   %v", names(pgFiles), names(liteFiles))
	}

	work := t.TempDir()
	script, err := os.ReadFile(filepath.Join(src, "pg2sqlite.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"postgres", "sqlite"} {
		if err := os.MkdirAll(filepath.Join(work, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(work, "pg2sqlite.sh"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range pgFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, "postgres", filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range names(pgFiles) {
		out, err := exec.Command("sh", filepath.Join(work, "pg2sqlite.sh"), name).CombinedOutput()
		if err != nil {
			t.Fatalf("pg2sqlite.sh %s: %v\n%s", name, err, out)
		}
		got, err := os.ReadFile(filepath.Join(work, "sqlite", name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(src, "sqlite", name))
		if err != nil {
			t.Fatal(err)
		}
		same := bytes.Equal(got, want)
		switch why, hand := handWritten[name]; {
		case !same && !hand:
			t.Errorf("sqlite/%s is not what pg2sqlite.sh makes of postgres/%s: run the script (or list it in handWritten, saying why)\n%s",
				name, name, firstDiff(string(got), string(want)))
		case same && hand:
			t.Errorf("sqlite/%s is listed as hand-written (%s) but the script makes it: remove it from handWritten", name, why)
		}
	}
}

// firstDiff shows the first differing line of generated and committed text.
func firstDiff(got, want string) string {
	g, w := bytes.Split([]byte(got), []byte("\n")), bytes.Split([]byte(want), []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b []byte
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if !bytes.Equal(a, b) {
			return "line " + strconv.Itoa(i+1) + ":\n  generated: " + string(a) + "\n  committed: " + string(b)
		}
	}
	return ""
}
