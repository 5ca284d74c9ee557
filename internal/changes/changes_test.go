package changes_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"lvzhi/internal/changes"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/jobs"
)

// A test consumer of the entity "test.note": it records which records of
// which committee it refreshed, and can fail or re-mark on demand.
var note = struct {
	sync.Mutex
	seen   map[int64][]int64 // committee → ids refreshed
	fail   bool
	remark int64 // mark this id again while refreshing it
}{seen: map[int64][]int64{}}

func init() {
	changes.Register(changes.Consumer{Name: "test_notes", Entity: "test.note",
		Refresh: func(ctx context.Context, tx *sql.Tx, committeeID int64, ids []int64) error {
			note.Lock()
			defer note.Unlock()
			if note.fail {
				return errors.New("consumer failed")
			}
			for _, id := range ids {
				if id == note.remark {
					note.remark = 0
					if err := changes.Mark(ctx, tx, committeeID, "test.note", id); err != nil {
						return err
					}
				}
			}
			note.seen[committeeID] = append(note.seen[committeeID], ids...)
			return nil
		}})
}

func reset() {
	note.Lock()
	defer note.Unlock()
	note.seen, note.fail, note.remark = map[int64][]int64{}, false, 0
}

func seen(c int64) []int64 {
	note.Lock()
	defer note.Unlock()
	out := slices.Clone(note.seen[c])
	slices.Sort(out)
	return out
}

// committees makes a prefecture with two counties (through the org service);
// it returns the counties and the prefecture's path.
func committees(t *testing.T, d *db.DB) (a, b int64, prefPath string) {
	t.Helper()
	w := fixture.New(t, d)
	pref := w.Root("prefecture", "曲靖市政协", "5303")
	return w.Child(pref, "county", "富源县政协", "530325").ID, w.Child(pref, "county", "罗平县政协", "530324").ID, pref.Path
}

func mark(t *testing.T, d *db.DB, c int64, ids ...int64) {
	t.Helper()
	if err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		for _, id := range ids {
			if err := changes.Mark(context.Background(), tx, c, "test.note", id); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func pending(t *testing.T, d *db.DB, c int64) int {
	t.Helper()
	n, err := changes.Pending(context.Background(), d, c)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMarkIsTransactional: a mark made in a transaction that rolls back never
// existed; a committed one waits for its consumers; marking again does not duplicate.
func TestMarkIsTransactional(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		reset()
		ctx := context.Background()
		a, _, _ := committees(t, d)
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if err := changes.Mark(ctx, tx, a, "test.note", 1); err != nil {
				return err
			}
			return errors.New("use case failed")
		})
		if err == nil || pending(t, d, a) != 0 {
			t.Fatalf("rolled-back mark: err %v, %d pending", err, pending(t, d, a))
		}
		mark(t, d, a, 1, 2)
		mark(t, d, a, 2)
		if n := pending(t, d, a); n != 2 {
			t.Fatalf("%d pending, want 2", n)
		}
	})
}

// TestCatchUpOnlyTheReadersCommittee: a reader catches up its own committee
// and pays for no other; a higher committee's roll-up catches up its subtree.
func TestCatchUpOnlyTheReadersCommittee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		reset()
		ctx := context.Background()
		a, b, prefPath := committees(t, d)
		mark(t, d, a, 1, 2, 3)
		mark(t, d, b, 7)
		n, err := changes.CatchUp(ctx, d, a)
		if err != nil || n != 3 {
			t.Fatalf("catch up A: %d, %v", n, err)
		}
		if got := seen(a); !slices.Equal(got, []int64{1, 2, 3}) || len(seen(b)) != 0 {
			t.Fatalf("A's reader refreshed A %v and B %v", got, seen(b))
		}
		if pending(t, d, a) != 0 || pending(t, d, b) != 1 {
			t.Fatalf("pending A %d, B %d", pending(t, d, a), pending(t, d, b))
		}
		if _, err := changes.CatchUpSubtree(ctx, d, prefPath); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(seen(b), []int64{7}) || pending(t, d, 0) != 0 {
			t.Fatalf("roll-up refreshed B %v, %d pending", seen(b), pending(t, d, 0))
		}
	})
}

// TestMarkedAgainStaysQueued: a record marked again while its derived rows
// are refreshed stays queued and is refreshed again; a failing consumer
// leaves everything queued.
func TestMarkedAgainStaysQueued(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		reset()
		ctx := context.Background()
		a, _, _ := committees(t, d)
		mark(t, d, a, 5, 6)
		note.Lock()
		note.remark = 6
		note.Unlock()
		if _, err := changes.CatchUp(ctx, d, a); err != nil {
			t.Fatal(err)
		}
		if n := pending(t, d, a); n != 1 {
			t.Fatalf("%d pending after a re-mark, want 1 (record 6)", n)
		}
		if _, err := changes.CatchUp(ctx, d, a); err != nil {
			t.Fatal(err)
		}
		if got := seen(a); !slices.Equal(got, []int64{5, 6, 6}) || pending(t, d, a) != 0 {
			t.Fatalf("refreshed %v, %d pending", got, pending(t, d, a))
		}
		mark(t, d, a, 8)
		note.Lock()
		note.fail = true
		note.Unlock()
		if _, err := changes.CatchUp(ctx, d, a); err == nil || pending(t, d, a) != 1 {
			t.Fatalf("failing consumer: err %v, %d pending", err, pending(t, d, a))
		}
	})
}

// TestDrainJob: the background job drains every committee's queue without a reader.
func TestDrainJob(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		reset()
		a, b, _ := committees(t, d)
		mark(t, d, a, 1)
		mark(t, d, b, 2)
		r, err := jobs.NewConfig(d, nil, jobs.Config{PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			if err := r.Stop(ctx); err != nil {
				t.Errorf("stop: %v", err)
			}
		}()
		deadline := time.Now().Add(20 * time.Second)
		for pending(t, d, 0) != 0 && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if pending(t, d, 0) != 0 || !slices.Equal(seen(a), []int64{1}) || !slices.Equal(seen(b), []int64{2}) {
			t.Fatalf("after the job: %d pending, A %v, B %v", pending(t, d, 0), seen(a), seen(b))
		}
	})
}
