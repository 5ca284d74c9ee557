package proposal

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
)

func TestListVisibilityAndFilters(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		draft, _ := f.svc.Create(f.ctx, f.members[0], content("草稿"))
		sub := f.seed(Submitted, func(s *SeedSpec) { s.Content.Theme = Ecology })
		joint := f.seed(Registered, func(s *SeedSpec) {
			s.FirstProposer = f.mids[1]
			s.Content.Kind, s.Content.CoSigners = Joint, []int64{f.mids[0]}
		})
		as0 := f.seed(Assigned, func(s *SeedSpec) { s.FirstProposer = f.mids[2] })
		as1 := f.seed(Accepted, func(s *SeedSpec) { s.FirstProposer = f.mids[2]; s.Units = f.units[1:2] })
		ids := func(p Page) []int64 {
			var out []int64
			for _, it := range p.Items {
				out = append(out, it.ID)
			}
			slices.Sort(out)
			return out
		}
		list := func(a *auth.Actor, flt Filter) Page {
			t.Helper()
			p, err := f.svc.List(f.ctx, a, f.cid, flt)
			if err != nil {
				t.Fatalf("%s: %v", a.Name, err)
			}
			return p
		}
		all := []int64{sub.ID, joint.ID, as0.ID, as1.ID}
		if got := ids(list(f.office, Filter{})); !slices.Equal(got, all) {
			t.Fatalf("office sees %v, want %v (no drafts)", got, all)
		}
		if got := ids(list(f.leader, Filter{})); !slices.Equal(got, all) {
			t.Fatalf("leader sees %v", got)
		}
		// A staff member who is also a member sees all but others' drafts, and their own draft.
		staffMember := *f.members[0]
		staffMember.Roles = []auth.Role{auth.RoleStaff, auth.RoleMember}
		if got := ids(list(&staffMember, Filter{})); !slices.Equal(got, append([]int64{draft.ID}, all...)) {
			t.Fatalf("staff+member sees %v", got)
		}
		// A member: own (incl. draft) and co-signed.
		if got := ids(list(f.members[0], Filter{})); !slices.Equal(got, []int64{draft.ID, sub.ID, joint.ID}) {
			t.Fatalf("member sees %v", got)
		}
		// A unit: its assignments only.
		if got := ids(list(f.unitActors[1], Filter{})); !slices.Equal(got, []int64{as1.ID}) {
			t.Fatalf("unit sees %v", got)
		}
		up := list(f.unitActors[1], Filter{UnitStates: []State{Accepted}})
		if len(up.Items) != 1 || up.Items[0].MyState != Accepted || up.Items[0].MyDueOn.IsZero() {
			t.Fatalf("unit's own list %+v", up.Items)
		}
		if got := ids(list(f.unitActors[1], Filter{UnitStates: []State{Assigned}})); got != nil {
			t.Fatalf("unit's to-sign list %v", got)
		}
		if got := ids(list(f.office, Filter{UnitID: f.units[0], UnitStates: []State{Assigned}})); !slices.Equal(got, []int64{as0.ID}) {
			t.Fatalf("office's view of a unit's to-sign list %v", got)
		}
		if got := ids(list(f.office, Filter{UnitStates: []State{Assigned, Accepted}})); !slices.Equal(got, []int64{as0.ID, as1.ID}) {
			t.Fatalf("office's view of all units' sub-states %v", got)
		}
		if _, err := f.svc.List(f.ctx, f.assistance, f.cid, Filter{}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("assistance: %v", err)
		}
		if _, err := f.svc.List(f.ctx, f.foreignOffice, f.cid, Filter{}); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("foreign office: %v", err)
		}
		if _, err := f.svc.Get(f.ctx, f.foreignOffice, sub.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("foreign office Get: %v", err)
		}
		// Filters.
		cases := []struct {
			flt  Filter
			want []int64
		}{
			{Filter{States: []State{Assigned, Accepted}}, []int64{as0.ID, as1.ID}},
			{Filter{Theme: Ecology}, []int64{sub.ID}},
			{Filter{UnitID: f.units[0]}, []int64{as0.ID}},
			{Filter{Kind: Joint}, []int64{joint.ID}},
			{Filter{Category: Regular}, all},
			{Filter{Category: Plenary}, nil},
			{Filter{ProposerID: f.mids[0]}, []int64{sub.ID, joint.ID}},
			{Filter{ProposerID: f.mids[2]}, []int64{as0.ID, as1.ID}},
			{Filter{Year: 2026, SessionID: f.sessionID}, all},
			{Filter{Year: 2025}, nil},
			{Filter{Title: "ASSIGNED"}, []int64{as0.ID}},
			{Filter{Title: "100%"}, nil},
			{Filter{KeyOnly: true}, nil},
		}
		for i, c := range cases {
			if got := ids(list(f.office, c.flt)); !slices.Equal(got, c.want) {
				t.Errorf("case %d %+v: %v, want %v", i, c.flt, got, c.want)
			}
		}
		// Paging and the items' columns.
		p1 := list(f.office, Filter{Limit: 3, ByNumber: true})
		p2 := list(f.office, Filter{Limit: 3, Offset: 3, ByNumber: true})
		if p1.Total != 4 || len(p1.Items) != 3 || len(p2.Items) != 1 {
			t.Fatalf("paging %d %d %d", p1.Total, len(p1.Items), len(p2.Items))
		}
		if p1.Items[0].Number != "九届二次-001" || p2.Items[0].Number != "" {
			t.Fatalf("order by number: %+v / %+v", p1.Items[0], p2.Items[0])
		}
		for _, it := range p1.Items {
			if it.ID == as1.ID && (len(it.Units) != 1 || it.Units[0] != "县交通运输局" || it.FirstProposerName != "王五" || it.DueOn.IsZero()) {
				t.Fatalf("item %+v", it)
			}
		}
		// Overdue is derived from today.
		f.today = civil.MustParse("2026-06-03")
		if got := ids(list(f.office, Filter{Overdue: true})); !slices.Equal(got, []int64{as0.ID, as1.ID}) {
			t.Fatalf("overdue %v", got)
		}
	})
}

// TestHigherCommitteeReads: a higher committee's office reads its subtree's
// proposals and edits nothing there.
func TestHigherCommitteeReads(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		parent := f.committee("市政协", "530300")
		f.exec(`UPDATE committees SET parent_id = $1, path = $2 WHERE id = $3`, parent, "/"+itoa(parent)+"/"+itoa(f.cid)+"/", f.cid)
		city := f.userIn(parent, "city_office", auth.RoleProposalOffice, 0, 0)
		city.CommitteePath = "/" + itoa(parent) + "/"
		p := f.seed(Submitted)
		if _, err := f.svc.Get(f.ctx, city, p.ID); err != nil {
			t.Fatalf("city cannot read: %v", err)
		}
		if page, err := f.svc.List(f.ctx, city, f.cid, Filter{}); err != nil || page.Total != 1 {
			t.Fatalf("%v %+v", err, page)
		}
		_, err := f.svc.Register(f.ctx, city, Ref{ID: p.ID})
		wantCode(t, err, apperr.Forbidden)
		if f.state(p.ID) != Submitted {
			t.Fatal("a higher committee changed a proposal")
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestMessageKeys: every message key the code uses exists in both languages.
func TestMessageKeys(t *testing.T) {
	keys := map[string]bool{}
	for _, s := range AllStates {
		keys["proposal.state."+string(s)] = true
		keys["err.proposal.state."+string(s)] = true
		keys["err.proposal.changed."+string(s)] = true
	}
	for _, a := range AllActions {
		keys["proposal.action."+string(a)] = true
	}
	lit := regexp.MustCompile(`"((?:err|notify)\.proposal\.[a-z_]+)"`)
	note := regexp.MustCompile(`o\.notify\([^,]+, "([a-z_]+)"\)`)
	files, _ := filepath.Glob("*.go")
	for _, fn := range files {
		if slices.Contains([]string{"search", "figures", "similar", "publish", "league"}, prefix(fn)) {
			continue
		}
		b, err := os.ReadFile(fn)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			if m[1] != "err.proposal.state" && m[1] != "err.proposal.changed" {
				keys[m[1]] = true
			}
		}
		for _, m := range note.FindAllStringSubmatch(string(b), -1) {
			keys["notify.proposal."+m[1]] = true
		}
	}
	for _, k := range []string{RemindDueSoon, RemindOverdue, RemindContactMissing, RemindEvaluation, RemindEvaluationDue, RemindSigningDue, RemindSigningClosed, "sign", "decline_sign"} {
		keys["notify.proposal."+k] = true
	}
	for k := range keys {
		if len(k) > 0 && k[len(k)-1] == '.' {
			continue
		}
		for _, lang := range []string{"zh", "en"} {
			if !i18n.Has(lang, k) {
				t.Errorf("%s has no %s text", k, lang)
			}
		}
	}
	if len(keys) < 100 {
		t.Fatalf("only %d keys found: the scan is broken", len(keys))
	}
}

func prefix(fn string) string {
	for _, p := range []string{"search", "figures", "similar", "publish", "league"} {
		if len(fn) >= len(p) && fn[:len(p)] == p {
			return p
		}
	}
	return ""
}
