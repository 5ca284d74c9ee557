package notify_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/jobs"
	"lvzhi/internal/notify"
)

// world is two committees and their users, inserted directly.
type world struct {
	A, B                  int64 // committees
	Unit, Person          int64 // in A
	Office, UnitUser      int64 // users in A
	Member, Disabled      int64 // users in A (Disabled: proposal_office, disabled)
	Foreign               int64 // a proposal_office user of B
	office, unit, foreign *auth.Actor
}

func seed(t *testing.T, d *db.DB) world {
	t.Helper()
	ctx := context.Background()
	now := db.Now()
	id := func(q string, args ...any) int64 {
		t.Helper()
		var id int64
		if err := d.QueryRowContext(ctx, q+" RETURNING id", args...).Scan(&id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return id
	}
	var w world
	w.A = id(`INSERT INTO committees (level, name, code, path, created_at) VALUES ('county', '富源县政协', 'A', '/1/', $1)`, now)
	w.B = id(`INSERT INTO committees (level, name, code, path, created_at) VALUES ('county', '罗平县政协', 'B', '/2/', $1)`, now)
	w.Unit = id(`INSERT INTO units (committee_id, name, kind, created_at) VALUES ($1, '县教育局', 'government', $2)`, w.A, now)
	w.Person = id(`INSERT INTO people (committee_id, name, created_at, updated_at) VALUES ($1, '王芳', $2, $2)`, w.A, now)
	user := func(c int64, name string, role auth.Role, person, unit any, disabled bool) int64 {
		u := id(`INSERT INTO users (committee_id, username, display_name, password_hash, person_id, unit_id, disabled, created_at, updated_at)
			VALUES ($1, $2, $2, 'x', $3, $4, $5, $6, $6)`, c, name, person, unit, disabled, now)
		if _, err := d.ExecContext(ctx, `INSERT INTO user_roles (user_id, committee_id, role) VALUES ($1, $2, $3)`, u, c, string(role)); err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.Office = user(w.A, "office", auth.RoleProposalOffice, nil, nil, false)
	w.UnitUser = user(w.A, "unit", auth.RoleUnit, nil, w.Unit, false)
	w.Member = user(w.A, "member", auth.RoleMember, w.Person, nil, false)
	w.Disabled = user(w.A, "gone", auth.RoleProposalOffice, nil, nil, true)
	w.Foreign = user(w.B, "foreign", auth.RoleProposalOffice, nil, nil, false)
	w.office = &auth.Actor{UserID: w.Office, CommitteeID: w.A, Roles: []auth.Role{auth.RoleProposalOffice}}
	w.unit = &auth.Actor{UserID: w.UnitUser, CommitteeID: w.A, Roles: []auth.Role{auth.RoleUnit}, UnitID: w.Unit}
	w.foreign = &auth.Actor{UserID: w.Foreign, CommitteeID: w.B, Roles: []auth.Role{auth.RoleProposalOffice}}
	return w
}

func send(t *testing.T, d *db.DB, committee int64, users []int64, key string, args map[string]any, link string) {
	t.Helper()
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		return notify.Send(context.Background(), tx, committee, users, "test.kind", key, args, link)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRecipients(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		for _, c := range []struct {
			name string
			got  func() ([]int64, error)
			want []int64
		}{
			{"office role (disabled user left out)", func() ([]int64, error) {
				return notify.UsersWithRole(ctx, d, w.A, auth.RoleProposalOffice)
			}, []int64{w.Office}},
			{"two roles", func() ([]int64, error) {
				return notify.UsersWithRole(ctx, d, w.A, auth.RoleProposalOffice, auth.RoleUnit)
			}, []int64{w.Office, w.UnitUser}},
			{"other committee's office", func() ([]int64, error) {
				return notify.UsersWithRole(ctx, d, w.B, auth.RoleProposalOffice)
			}, []int64{w.Foreign}},
			{"unit", func() ([]int64, error) { return notify.UsersOfUnit(ctx, d, w.A, w.Unit) }, []int64{w.UnitUser}},
			{"unit asked in the wrong committee", func() ([]int64, error) { return notify.UsersOfUnit(ctx, d, w.B, w.Unit) }, nil},
			{"people", func() ([]int64, error) { return notify.UsersOfPeople(ctx, d, w.A, w.Person) }, []int64{w.Member}},
		} {
			got, err := c.got()
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: got %v want %v", c.name, got, c.want)
			}
		}
	})
}

func TestSendListRead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		s := notify.NewService(d)

		// A rolled-back use case leaves no notification behind.
		boom := errors.New("boom")
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if err := notify.Send(ctx, tx, w.A, []int64{w.Office}, "test.kind", "notify.marked_all", nil, ""); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if n, _ := s.UnreadCount(ctx, w.office); n != 0 {
			t.Fatalf("rolled-back notification counted: %d", n)
		}

		// Duplicates, zero, disabled and foreign ids are dropped.
		send(t, d, w.A, []int64{w.Office, w.Office, 0, w.Disabled, w.Foreign, w.UnitUser},
			"notify.marked_all", map[string]any{"Count": 1000000}, "/proposals/7")
		send(t, d, w.A, []int64{w.Office}, "notify.message", map[string]any{"Title": "全会通知", "Text": "请于3月1日报到"}, "")
		var total int
		if err := d.QueryRowContext(ctx, `SELECT count(*) FROM notifications`).Scan(&total); err != nil {
			t.Fatal(err)
		}
		if total != 3 {
			t.Fatalf("%d rows stored, want 3 (office twice, unit once)", total)
		}
		if n, _ := s.UnreadCount(ctx, w.foreign); n != 0 {
			t.Fatalf("foreign user got %d notifications", n)
		}

		list, more, err := s.List(ctx, w.office, 1, false)
		if err != nil || more || len(list) != 2 {
			t.Fatalf("list: %d items, more %v, err %v", len(list), more, err)
		}
		newest, older := list[0], list[1]
		if newest.Title("zh") != "全会通知" || newest.Body("zh") != "请于3月1日报到" || newest.Link != "" {
			t.Fatalf("newest: %q / %q / %q", newest.Title("zh"), newest.Body("zh"), newest.Link)
		}
		if got := older.Title("en"); got != "Marked 1000000 notifications read." {
			t.Fatalf("en title: %q", got)
		}
		if got := older.Title("zh"); got != "已将 1000000 条通知标为已读。" {
			t.Fatalf("zh title: %q", got)
		}
		if older.Body("zh") != "" || older.Link != "/proposals/7" || older.Kind != "test.kind" || !older.Unread() {
			t.Fatalf("older: %+v", older)
		}
		if older.CreatedAt.IsZero() || time.Since(older.CreatedAt) > time.Minute {
			t.Fatalf("created_at %v", older.CreatedAt)
		}

		// Another user cannot see or mark it: not found, not forbidden.
		for _, a := range []*auth.Actor{w.unit, w.foreign} {
			if _, err := s.Get(ctx, a, older.ID); !errors.Is(err, apperr.ErrNotFound) {
				t.Fatalf("user %d read another's notification: %v", a.UserID, err)
			}
			if err := s.MarkRead(ctx, a, older.ID); !errors.Is(err, apperr.ErrNotFound) {
				t.Fatalf("user %d marked another's notification: %v", a.UserID, err)
			}
		}
		if _, _, err := s.List(ctx, nil, 1, false); apperr.As(err) == nil || apperr.As(err).Code != apperr.Unauthorized {
			t.Fatalf("anonymous list: %v", err)
		}

		if err := s.MarkRead(ctx, w.office, older.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.UnreadCount(ctx, w.office); n != 1 {
			t.Fatalf("unread after one read: %d", n)
		}
		if n, _ := s.UnreadCount(ctx, w.unit); n != 1 {
			t.Fatalf("unit's unread changed by office's read: %d", n)
		}
		unread, _, _ := s.List(ctx, w.office, 1, true)
		if len(unread) != 1 || unread[0].ID != newest.ID {
			t.Fatalf("unread-only list: %+v", unread)
		}
		if n, err := s.MarkAllRead(ctx, w.office); err != nil || n != 1 {
			t.Fatalf("mark all: %d %v", n, err)
		}
		if n, _ := s.UnreadCount(ctx, w.office); n != 0 {
			t.Fatalf("unread after mark all: %d", n)
		}
		got, _ := s.Get(ctx, w.office, older.ID)
		if got.Unread() || time.Since(got.ReadAt) > time.Minute {
			t.Fatalf("read_at %v", got.ReadAt)
		}

		// Prune removes old read notifications only.
		n, err := notify.Prune(ctx, d, time.Now().Add(time.Hour))
		if err != nil || n != 2 {
			t.Fatalf("prune: %d %v", n, err)
		}
		if c, _ := s.UnreadCount(ctx, w.unit); c != 1 {
			t.Fatalf("prune removed an unread notification")
		}
	})
}

func TestPaging(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		s := notify.NewService(d)
		for i := range notify.PageSize + 3 {
			send(t, d, w.A, []int64{w.Office}, "notify.message", map[string]any{"Title": i, "Text": ""}, "")
		}
		p1, more, err := s.List(ctx, w.office, 1, false)
		if err != nil || len(p1) != notify.PageSize || !more {
			t.Fatalf("page 1: %d more=%v err=%v", len(p1), more, err)
		}
		p2, more, _ := s.List(ctx, w.office, 2, false)
		if len(p2) != 3 || more || p2[0].ID >= p1[len(p1)-1].ID {
			t.Fatalf("page 2: %d more=%v", len(p2), more)
		}
		if p2[2].Title("zh") != "0" {
			t.Fatalf("oldest last: %q", p2[2].Title("zh"))
		}
	})
}

func TestSendRefusesOutsideLinks(t *testing.T) {
	for link, ok := range map[string]bool{
		"": true, "/proposals/1": true, "/a?b=c#d": true,
		"//evil.example": false, "https://evil.example": false, `/\evil.example`: false, "javascript:alert(1)": false, "/x\r\nSet-Cookie: a": false,
	} {
		if notify.SafeLink(link) != ok {
			t.Errorf("SafeLink(%q) = %v", link, !ok)
		}
	}
	d := dbtest.SQLite(t)
	w := seed(t, d)
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		return notify.Send(context.Background(), tx, w.A, []int64{w.Office}, "k", "notify.message", nil, "https://evil.example")
	})
	if err == nil {
		t.Fatal("outside link accepted")
	}
}

// TestPruneJobRegistered: every Runner gets the daily prune worker, and it
// deletes read notifications older than KeepRead.
func TestPruneJobRegistered(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := seed(t, d)
		send(t, d, w.A, []int64{w.Office, w.UnitUser}, "notify.marked_all", map[string]any{"Count": 1}, "")
		old := time.Now().Add(-notify.KeepRead - time.Hour).UTC()
		if _, err := d.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE user_id = $2`, old, w.Office); err != nil {
			t.Fatal(err)
		}
		r, err := jobs.NewConfig(d, nil, jobs.Config{PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Tx(ctx, func(tx *sql.Tx) error { return r.Enqueue(ctx, tx, notify.PruneArgs{}) }); err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer r.Stop(ctx)
		deadline := time.Now().Add(15 * time.Second)
		var n int
		for time.Now().Before(deadline) {
			if err := d.QueryRowContext(ctx, `SELECT count(*) FROM notifications`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n == 1 {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("prune job did not run: %d notifications left, want 1", n)
	})
}
