package org

import (
	"bytes"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// bigSheet is a workbook of n valid, distinct members.
func bigSheet(t testing.TB, n int) []byte {
	t.Helper()
	rows := [][]string{memberHeader()}
	for i := range n {
		first17 := fmt.Sprintf("530325%s%03d", time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/400).Format("20060102"), i%400+100)
		id := first17 + string(IDCheckChar(first17))
		rows = append(rows, mrow(goodRow(fmt.Sprintf("委员%05d", i), id, fmt.Sprintf("139%08d", i))))
	}
	tt, ok := t.(*testing.T)
	if !ok {
		tt = &testing.T{}
	}
	r := workbook(tt, rows)
	b := make([]byte, r.Len())
	r.Read(b)
	return b
}

// importWait imports n rows while another user creates a sector every 50 ms
// in the same committee, and returns the import's duration and the longest
// any of those writes waited.
func importWait(t testing.TB, d *db.DB, n int) (time.Duration, time.Duration) {
	tt, _ := t.(*testing.T)
	f := newFixture(tt, d)
	staff := f.actor(auth.RoleStaff)
	sheet := bigSheet(t, n)
	var (
		wg      sync.WaitGroup
		maxWait time.Duration
		done    = make(chan struct{})
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
			start := time.Now()
			if _, err := f.s.CreateSector(ctx, staff, f.fuyuan.ID, SectorInput{Name: fmt.Sprintf("界别%d", i), Sort: i + 3}); err != nil {
				t.Errorf("concurrent write: %v", err)
				return
			}
			maxWait = max(maxWait, time.Since(start))
		}
	}()
	start := time.Now()
	res, err := f.s.ImportMembers(ctx, staff, f.fuyuan.ID, 0, bytesReader(sheet))
	took := time.Since(start)
	close(done)
	wg.Wait()
	if err != nil || res.Created != n {
		t.Fatalf("import: %+v %v %+v", res, err, fieldErrors(err))
	}
	return took, maxWait
}

// TestImportLetsOthersWrite imports members while another user keeps writing
// in the same committee, on both engines, and logs how long the import took
// and the longest the other user's write waited; that write must never fail
// (on SQLite it used to give up with "database is locked"). With
// LVZHI_TEST_TIMING set it imports the full 10,000 rows and asserts the
// issue's bound (under 2 s); otherwise 2,000 rows and no timing assertion,
// since a shared test machine's timings are not the code's (docs/BENCHMARKS.md).
func TestImportLetsOthersWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 10,000 rows")
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		n := 2000
		if timingAsserted() {
			n = MaxImportRows
		}
		took, wait := importWait(t, d, n)
		t.Logf("%s: %d-row import took %v; the other writer waited at most %v", d.Engine, n, took, wait)
		if timingAsserted() && wait > 2*time.Second {
			t.Errorf("another user's write waited %v during the import, want under 2 s", wait)
		}
	})
}

func timingAsserted() bool { return os.Getenv("LVZHI_TEST_TIMING") != "" }

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }

// TestInterruptedImportCompletesOnRerun: when a chunk fails (here a trigger
// refuses the sixth person; in life another user's concurrent edit or a
// crash), the rows before it stay written and audited, the error says how
// many, and importing the same file again writes the rest without
// duplicating any.
func TestInterruptedImportCompletesOnRerun(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		chunk, pause := importChunk, importPause
		importChunk, importPause = 0, 0 // one row per chunk
		t.Cleanup(func() { importChunk, importPause = chunk, pause })
		f := newFixture(t, d)
		staff := f.actor(auth.RoleStaff)
		sheet := bigSheet(t, 8)
		trigger := []string{`CREATE TRIGGER boom BEFORE INSERT ON people FOR EACH ROW WHEN (NEW.name = '委员00005') BEGIN SELECT RAISE(ABORT, 'boom'); END`}
		drop := `DROP TRIGGER boom`
		if d.Engine == db.Postgres {
			trigger = []string{`CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$ LANGUAGE plpgsql`,
				`CREATE TRIGGER boom BEFORE INSERT ON people FOR EACH ROW WHEN (NEW.name = '委员00005') EXECUTE FUNCTION boom()`}
			drop = `DROP TRIGGER boom ON people`
		}
		for _, q := range trigger {
			if _, err := d.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		_, err := f.s.ImportMembers(ctx, staff, f.fuyuan.ID, 0, bytesReader(sheet))
		if e := apperr.As(err); e == nil || e.Key != "err.org.import_interrupted" || e.Args["Done"] != 5 || e.Args["Rows"] != 8 {
			t.Fatalf("interrupted import: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM memberships WHERE committee_id = $1`, f.fuyuan.ID); n != 5 {
			t.Fatalf("%d memberships written before the failure, want 5", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE committee_id = $1 AND entity = 'membership' AND action = 'create'`, f.fuyuan.ID); n != 5 {
			t.Fatalf("%d of the 5 written rows audited", n)
		}
		if _, err := d.Exec(drop); err != nil {
			t.Fatal(err)
		}
		res, err := f.s.ImportMembers(ctx, staff, f.fuyuan.ID, 0, bytesReader(sheet))
		if err != nil || res.Created != 3 || res.Unchanged != 5 {
			t.Fatalf("re-run: %+v %v", res, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM memberships WHERE committee_id = $1`, f.fuyuan.ID); n != 8 {
			t.Fatalf("%d memberships after the re-run, want 8", n)
		}
	})
}
