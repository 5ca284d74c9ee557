package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/duty"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
)

// TestDutyRecompute: a ledger in step passes; a tampered one is reported
// (non-zero exit) until --repair brings it back in step.
func TestDutyRecompute(t *testing.T) {
	ctx := context.Background()
	dsn := filepath.Join(t.TempDir(), "lvzhi.db")
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	w := fixture.New(t, d)
	c := w.Root("county", "富源县政协", "fy")
	term := w.Term(c, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
	m := w.Member(c, org.MemberInput{Name: "张三", TermID: term.ID})
	svc := duty.NewService(d)
	admin := fixture.Admin(c)
	if _, err := svc.CopyPreset(ctx, admin, c.ID, 2026, duty.PresetTongcheng); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Adjust(ctx, admin, c.ID, duty.AdjustInput{MembershipID: m.ID, Date: civil.MustParse("2026-05-01"),
		Points: 300, Reason: "参加县外调研"}); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) error { return runDuty(ctx, append([]string{"recompute", "--db", dsn}, args...)) }
	if err := run("--committee", "fy", "--year", "2026"); err != nil {
		t.Fatalf("clean ledger: %v", err)
	}
	if _, err := d.ExecContext(ctx, `DELETE FROM duty_entries`); err != nil {
		t.Fatal(err)
	}
	if err := run("--committee", "fy", "--year", "2026"); err == nil || !strings.Contains(err.Error(), "differs") {
		t.Fatalf("tampered ledger: err %v, want a difference", err)
	}
	if err := run("--committee", "fy", "--year", "2026", "--repair"); err != nil {
		t.Fatal(err)
	}
	if err := run("--committee", "fy", "--year", "2026"); err != nil {
		t.Fatalf("after repair: %v", err)
	}
	// --all: the same over the committee and those below it (here none).
	if _, err := d.ExecContext(ctx, `DELETE FROM duty_entries`); err != nil {
		t.Fatal(err)
	}
	if err := run("--committee", "fy", "--year", "2026", "--all"); err == nil || !strings.Contains(err.Error(), "ledger differs from the records: 1 ") {
		t.Fatalf("--all on a tampered ledger: err %v, want a difference", err)
	}
	if err := run("--committee", "fy", "--year", "2026", "--all", "--repair"); err != nil {
		t.Fatal(err)
	}
	if err := run("--committee", "fy", "--year", "2026", "--all"); err != nil {
		t.Fatalf("--all after repair: %v", err)
	}
	for _, bad := range [][]string{{"--committee", "nope", "--year", "2026"}, {"--committee", "999", "--year", "2026"}, {"--year", "2026"}} {
		if err := run(bad...); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}
