package proposal

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
)

// figText is every figure and league cell a service computes for ff, as text.
func figText(t *testing.T, f *fx, s *Service, ff FigureFilter) string {
	t.Helper()
	fs, err := s.Figures(f.ctx, f.office, ff)
	if err != nil {
		t.Fatal(err)
	}
	lg, err := s.League(f.ctx, f.office, ff)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(fs.Text("zh"))
	for _, row := range lg.Rows {
		ids := make([]string, 0, len(row.Values))
		for id := range row.Values {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			fmt.Fprintf(&b, "%d %s %d/%d\n", row.UnitID, id, row.Values[id].Value, row.Values[id].DenValue)
		}
	}
	return b.String()
}

// TestFigureCacheFollowsWrites: after a write through a use case, a raw SQL
// write of each kind of table, and a change of date, the next view shows what
// a computation without the cache shows, and differs from the view before;
// a view with nothing changed is served from the cache. Both engines.
func TestFigureCacheFollowsWrites(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		s := f.seedSession()
		ff := FigureFilter{CommitteeID: f.cid, SessionID: f.sessionID}
		plain := &Service{DB: f.d, Today: f.svc.Today, NoFigureCache: true}
		last := ""
		view := func(step string, wantChange bool) {
			t.Helper()
			got, want := figText(t, f, f.svc, ff), figText(t, f, plain, ff)
			if got != want {
				t.Fatalf("%s: cached figures differ from computed ones:\n%s\nwant\n%s", step, got, want)
			}
			if changed := got != last; changed != wantChange {
				t.Fatalf("%s: figures changed %v, want %v", step, changed, wantChange)
			}
			last = got
		}
		view("first view", true)
		v, err := db.DataVersion(f.ctx, f.d)
		if err != nil {
			t.Fatal(err)
		}
		c := f.svc.figCacheOf()
		if c.version != v || len(c.entries) != 2 {
			t.Fatalf("cache at version %d with %d entries, data version %d", c.version, len(c.entries), v)
		}
		// Served from the cache: a planted value shows (the cache is really read).
		for k, e := range c.entries {
			if k.kind == "defs" {
				e.got["proposals.received"] = 999
			}
		}
		if fs, err := f.svc.Figures(f.ctx, f.office, ff); err != nil || fs.Get("proposals.received").Value != 999 {
			t.Fatalf("second view not from the cache: %v", err)
		}
		c.entries = nil
		view("view again", false)

		f.must(f.svc.MarkExcellent(f.ctx, f.office, Ref{ID: s.jointB.ID}, true))
		view("a use case's write", true)
		f.exec(`UPDATE memberships SET status = 'resigned' WHERE id = $1`, s.idleMember)
		view("raw SQL: memberships", true)
		f.exec(`DELETE FROM proposal_evaluations WHERE proposal_id = $1`, s.late.ID)
		view("raw SQL: evaluations", true)
		f.exec(`UPDATE proposal_unit_facts SET on_time = NOT on_time WHERE proposal_id = $1`, s.solvedA.ID)
		view("raw SQL: unit facts", true)
		f.exec(`UPDATE proposal_facts SET theme = 'society' WHERE proposal_id = $1`, s.solvedA.ID)
		view("raw SQL: facts", true)
		// The handling proposal is overdue on the fixture's date (2026-06-15), not on 1 April.
		f.today = civil.MustParse("2026-04-01")
		view("an earlier date", true)
		f.today = civil.MustParse("2026-12-31")
		view("a later date", true)
	})
}

// TestFigureCacheScopes: readers with different scopes share no values. A
// foreign committee's office reads its own (empty) figures after the county's
// are cached, and is refused the county's; a unit reads the league only,
// never the committee's figures, however warm the cache.
func TestFigureCacheScopes(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.seedSession()
		county := FigureFilter{CommitteeID: f.cid, SessionID: f.sessionID}
		fs, err := f.svc.Figures(f.ctx, f.office, county)
		if err != nil || fs.Get("proposals.received").Value == 0 {
			t.Fatalf("county figures: %v", err)
		}
		foreign := FigureFilter{CommitteeID: f.foreignOffice.CommitteeID}
		own, err := f.svc.Figures(f.ctx, f.foreignOffice, foreign)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range own.Values {
			if v.Value != 0 {
				t.Errorf("foreign committee sees %s = %d", v.ID, v.Value)
			}
		}
		_, err = f.svc.Figures(f.ctx, f.foreignOffice, county)
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.League(f.ctx, f.foreignOffice, county)
		wantCode(t, err, apperr.NotFound)
		if _, err := f.svc.Figures(f.ctx, f.unitActors[0], county); err == nil {
			t.Error("a unit read the committee's figures")
		}
		// The county's whole-year figures are not its session's.
		year, err := f.svc.Figures(f.ctx, f.office, FigureFilter{CommitteeID: f.cid, Year: 2025})
		if err != nil || year.Get("proposals.received").Value != 0 {
			t.Fatalf("2025 figures: %v %d", err, year.Get("proposals.received").Value)
		}
	})
}

// TestFigureCacheTablesTriggered: every table the cached computations read
// (computeDefs, leagueValues and what they call, in figures.go and league.go)
// has a data-version trigger on both engines, so a write of it is seen. Any
// schema table named in those files counts, unless exempted below with why.
func TestFigureCacheTablesTriggered(t *testing.T) {
	exempt := map[string]string{
		"units":     "League's unit list, read on every view outside the cache",
		"proposals": "named in comments only: the figures read proposal_facts",
		"people":    "named in comments only",
		"reports":   "named in comments only",
		"terms":     "a Go variable (memberships' terms are read through plenary_sessions)",
	}
	migrations, err := filepath.Glob("../db/migrations/postgres/*.sql")
	if err != nil || len(migrations) == 0 {
		t.Fatalf("no migrations: %v", err)
	}
	schema := map[string]bool{}
	create := regexp.MustCompile(`CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)`)
	for _, m := range migrations {
		src, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range create.FindAllStringSubmatch(string(src), -1) {
			schema[c[1]] = true
		}
	}
	word := regexp.MustCompile(`[a-z_]+`)
	tables := map[string]bool{}
	for _, file := range []string{"figures.go", "league.go"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range word.FindAllString(string(src), -1) {
			if schema[w] && exempt[w] == "" {
				tables[w] = true
			}
		}
	}
	if len(tables) < 9 {
		t.Fatalf("found only %v", tables)
	}
	for _, engine := range []string{"postgres", "sqlite"} {
		src, err := os.ReadFile("../db/migrations/" + engine + "/00031_data_version.sql")
		if err != nil {
			t.Fatal(err)
		}
		for tb := range tables {
			on := " ON " + tb + "\n"
			if engine == "sqlite" {
				on = " ON " + tb + " BEGIN"
			}
			if n := strings.Count(string(src), on); n == 0 || engine == "sqlite" && n != 3 {
				t.Errorf("%s: %d data-version triggers on %s", engine, n, tb)
			}
		}
	}
}
