package account_test

import (
	"context"
	"testing"
	"time"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	world "lvzhi/internal/fixture"
	"lvzhi/internal/jobs"
	"lvzhi/internal/org"
)

// endedWorld is a committee whose last term ended yesterday and whose
// current term began today, with one account per way a membership can end
// and per way it goes on.
type endedWorld struct {
	w        *world.World
	c        org.Committee
	disabled []string // usernames the scan must disable
	enabled  []string // usernames it must leave alone
	later    string   // serving until tomorrow: disabled once that day has passed
}

func newEndedWorld(t *testing.T, d *db.DB) *endedWorld {
	w := world.New(t, d)
	c := w.Root("county", "清河县政协", "qh")
	today := civil.Today()
	old := w.Term(c, org.TermInput{Number: 8, Name: "八届", StartsOn: today.AddMonths(-60).String(), EndsOn: today.AddDays(-1).String()})
	cur := w.Term(c, org.TermInput{Number: 9, Name: "九届", StartsOn: today.String(), EndsOn: today.AddMonths(60).String()})
	x := &endedWorld{w: w, c: c}
	member := func(name string, in org.MemberInput, roles ...auth.Role) org.Member {
		in.Name = name
		m := w.Member(c, in)
		w.User(c, name, append([]auth.Role{auth.RoleMember}, roles...), m.PersonID, 0)
		return m
	}
	member("serving", org.MemberInput{TermID: cur.ID})
	member("oldterm", org.MemberInput{TermID: old.ID})
	member("oldstaff", org.MemberInput{TermID: old.ID}, auth.RoleStaff) // a staff role is not the membership's
	member("tomorrow", org.MemberInput{TermID: cur.ID, LeftOn: today.AddDays(1).String()})
	member("leftyday", org.MemberInput{TermID: cur.ID, LeftOn: today.AddDays(-1).String()})
	resigned := member("resigned", org.MemberInput{TermID: cur.ID})
	in := org.MemberInput{Name: "resigned", Gender: resigned.Gender, Phone: resigned.Phone, SectorID: resigned.SectorID,
		Affiliation: resigned.Affiliation, Status: "resigned", TermID: cur.ID, Version: resigned.Version}
	if _, err := w.Org.UpdateMember(w.Ctx, world.Admin(c), resigned.ID, in); err != nil {
		t.Fatal(err)
	}
	gone := w.Unit(c, "县撤并局")
	w.User(c, "goneunit", []auth.Role{auth.RoleUnit}, 0, gone.ID)
	if _, err := w.Org.UpdateUnit(w.Ctx, world.Admin(c), gone.ID, org.UnitInput{Name: gone.Name, Kind: gone.Kind, Active: false, Version: gone.Version}); err != nil {
		t.Fatal(err)
	}
	w.User(c, "liveunit", []auth.Role{auth.RoleUnit}, 0, w.Unit(c, "县财政局").ID)
	x.disabled = []string{"oldterm", "leftyday", "resigned", "goneunit"}
	x.enabled = []string{"serving", "oldstaff", "tomorrow", "liveunit"}
	x.later = "tomorrow"
	return x
}

func (x *endedWorld) isDisabled(t *testing.T, username string) bool {
	t.Helper()
	u, err := x.w.Accounts.UserByUsername(x.w.Ctx, world.Admin(x.c), username)
	if err != nil {
		t.Fatal(err)
	}
	return u.Disabled
}

func (x *endedWorld) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := x.w.DB.QueryRowContext(x.w.Ctx, q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDisableEnded: the scan disables the accounts of members whose
// membership ended (status changed, left_on passed, term ended) and of
// inactive units, ends their sessions and audits each as the system; it
// leaves serving members, a member leaving tomorrow, an account that is also
// staff, and active units alone; run again it disables nothing more; and a
// day after the leaving date that member's account goes too.
func TestDisableEnded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		x := newEndedWorld(t, d)
		svc := x.w.Accounts
		sessions := map[string]string{}
		for _, u := range append(append([]string{}, x.disabled...), x.enabled...) {
			user, err := svc.UserByUsername(x.w.Ctx, world.Admin(x.c), u)
			if err != nil {
				t.Fatal(err)
			}
			if sessions[u], err = svc.CreateSession(x.w.Ctx, user.ID, "127.0.0.1", "t"); err != nil {
				t.Fatal(err)
			}
		}
		n, err := svc.DisableEnded(x.w.Ctx)
		if err != nil || n != len(x.disabled) {
			t.Fatalf("disabled %d (%v), want %d", n, err, len(x.disabled))
		}
		for _, u := range x.disabled {
			if !x.isDisabled(t, u) {
				t.Errorf("%s was not disabled", u)
			}
			if a, _ := svc.ActorFromSession(x.w.Ctx, sessions[u]); a != nil {
				t.Errorf("%s's session survived", u)
			}
		}
		for _, u := range x.enabled {
			if x.isDisabled(t, u) {
				t.Errorf("%s was disabled", u)
			}
		}
		if a := x.count(t, `SELECT COUNT(*) FROM audit_log WHERE committee_id = $1 AND action = 'disable' AND entity = 'user'
			AND actor_name = $2 AND after_json LIKE '%membership_or_unit_ended%'`, x.c.ID, auth.SystemName); a != len(x.disabled) {
			t.Fatalf("%d audit entries, want %d", a, len(x.disabled))
		}
		if n, err := svc.DisableEnded(x.w.Ctx); err != nil || n != 0 {
			t.Fatalf("a second scan disabled %d (%v)", n, err)
		}
		svc.Now = func() time.Time { return time.Now().Add(48 * time.Hour) }
		if n, err := svc.DisableEnded(x.w.Ctx); err != nil || n != 1 || !x.isDisabled(t, x.later) {
			t.Fatalf("two days on: disabled %d (%v), %s disabled %v", n, err, x.later, x.isDisabled(t, x.later))
		}
	})
}

// TestDisableEndedAtStart: the job runner runs the scan when it starts, not
// only after midnight.
func TestDisableEndedAtStart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		x := newEndedWorld(t, d)
		r, err := jobs.NewConfig(d, nil, jobs.Config{PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(x.w.Ctx); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		for !x.isDisabled(t, x.disabled[0]) && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := r.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
		for _, u := range x.disabled {
			if !x.isDisabled(t, u) {
				t.Errorf("%s was not disabled when the runner started", u)
			}
		}
		if (account.DisableEndedArgs{}).Kind() != "auth.disable_ended" {
			t.Fatal("job kind renamed")
		}
	})
}
