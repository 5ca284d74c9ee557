package proposal

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
)

// visCase is one proposal of the visibility world and who signs it.
type visCase struct {
	name      string
	p         *Proposal
	submitted bool // ever submitted: committee readers see it
	first     int  // index in f.members of the first proposer
	co        int  // index of the co-signer, -1 for none
	follower  int  // index of the first proposer of a proposal merged into it, -1 for none
	assigned  bool // assigned to f.units[0]
	coDraft   bool // still a draft: the co-signer does not see it yet
}

// TestVisibilityOneRule: for every role and every proposal state, what List,
// Search and the figures' records return to an actor is exactly what Get lets
// that actor read (a published search hit the actor cannot Get is marked
// PublicOnly and opens through PublicGet), and the rule itself is the
// intended one (expectations below).
func TestVisibilityOneRule(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		// A higher committee above the county, and its reader and member.
		higher := f.committee("曲靖市政协", "530300")
		hpath := fmt.Sprintf("/%d/", higher)
		cpath := fmt.Sprintf("%s%d/", hpath, f.cid)
		f.exec(`UPDATE committees SET path = $1 WHERE id = $2`, cpath, f.cid)
		for _, a := range append([]*auth.Actor{f.office, f.staff, f.admin, f.leader, f.leader2, f.assistance}, append(f.members, f.unitActors...)...) {
			a.CommitteePath = cpath
		}
		higherOffice := f.userIn(higher, "h_office", auth.RoleProposalOffice, 0, 0)
		higherOffice.CommitteePath = hpath
		hp := f.id(`INSERT INTO people (committee_id, name, created_at, updated_at) VALUES ($1, '市委员', $2, $2) RETURNING id`, higher, db.Now())
		higherMember := f.userIn(higher, "h_member", auth.RoleMember, hp, 0)
		higherMember.CommitteePath = hpath
		foreignUnit := f.userIn(f.foreignOffice.CommitteeID, "f_unit", auth.RoleUnit, 0, f.foreignUnit)
		staffMember := *f.members[0]
		staffMember.Roles = []auth.Role{auth.RoleStaff, auth.RoleMember}

		joint := func(sp *SeedSpec) { sp.Content.Kind, sp.Content.CoSigners = Joint, []int64{f.mids[1]} }
		var cases []*visCase
		add := func(name string, p *Proposal, c visCase) *visCase {
			c.name, c.p = name, p
			cases = append(cases, &c)
			return &c
		}
		std := visCase{submitted: true, co: 1, follower: -1}
		// Before submission.
		draft, err := f.svc.Create(f.ctx, f.members[0], func() Content {
			c := content("联名草稿")
			c.Kind, c.CoSigners = Joint, []int64{f.mids[1]}
			return c
		}())
		if err != nil {
			t.Fatal(err)
		}
		add("draft", draft, visCase{co: 1, follower: -1, coDraft: true})
		add("signing", f.seed(Signing, joint), visCase{co: 1, follower: -1})
		wd, err := f.svc.Create(f.ctx, f.members[0], content("撤回的草稿"))
		if err != nil {
			t.Fatal(err)
		}
		wd, err = f.svc.Withdraw(f.ctx, f.members[0], Ref{ID: wd.ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		add("withdrawn draft", wd, visCase{co: -1, follower: -1})
		ws := f.seed(Signing, joint)
		if ws, err = f.svc.Withdraw(f.ctx, f.members[0], Ref{ID: ws.ID}, ""); err != nil {
			t.Fatal(err)
		}
		add("withdrawn while signing", ws, visCase{co: 1, follower: -1})
		// From submission on.
		for _, st := range []State{Submitted, Returned, Withdrawn, NotRegistered, Assigned, ReturnRequested, Accepted,
			InHandling, ReplyDrafted, ReplyReview, Replied, Rehandling, Closed} {
			c := std
			c.assigned = slices.Contains(registeredStates, st) && st != Registered
			add(string(st), f.seed(st, joint), c)
		}
		lead := f.seed(Registered, joint)
		add("REGISTERED (merge target)", lead, visCase{submitted: true, co: 1, follower: 2})
		merged := f.seed(Merged, func(sp *SeedSpec) { sp.FirstProposer, sp.MergeInto = f.mids[2], lead.ID })
		add("MERGED", merged, visCase{submitted: true, first: 2, co: -1, follower: -1})
		key := f.seed(InHandling, joint, func(sp *SeedSpec) { sp.Key = []int64{f.leader2.UserID} })
		add("key, supervised", key, visCase{submitted: true, co: 1, follower: -1, assigned: true})
		pub := f.seed(Closed, func(sp *SeedSpec) { sp.Content.PublishConsent = true })
		if _, err := f.svc.Publish(f.ctx, f.office, Ref{ID: pub.ID}); err != nil {
			t.Fatal(err)
		}
		add("CLOSED, published", pub, visCase{submitted: true, co: -1, follower: -1, assigned: true})

		signs := func(c *visCase, m int) bool {
			return c.first == m || (c.co == m && !c.coDraft) || c.follower == m
		}
		reader := func(c *visCase) bool { return c.submitted }
		nobody := func(*visCase) bool { return false }
		actors := []struct {
			name  string
			a     *auth.Actor
			sees  func(*visCase) bool
			lists bool // may list the county's proposals at all
		}{
			{"admin", f.admin, reader, true},
			{"staff", f.staff, reader, true},
			{"proposal_office", f.office, reader, true},
			{"leader", f.leader, reader, true},
			{"supervising leader", f.leader2, reader, true},
			{"higher committee's office", higherOffice, reader, true},
			{"first proposer", f.members[0], func(c *visCase) bool { return signs(c, 0) }, true},
			{"co-signer", f.members[1], func(c *visCase) bool { return signs(c, 1) }, true},
			{"proposer of a merged proposal", f.members[2], func(c *visCase) bool { return signs(c, 2) }, true},
			{"unrelated member", f.members[3], nobody, true},
			{"staff who is a member", &staffMember, func(c *visCase) bool { return c.submitted || signs(c, 0) }, true},
			{"assigned unit", f.unitActors[0], func(c *visCase) bool { return c.assigned }, true},
			{"unit not assigned", f.unitActors[1], nobody, true},
			{"assistance", f.assistance, nobody, false},
			{"higher committee's member", higherMember, nobody, false},
			{"another committee's office", f.foreignOffice, nobody, false},
			{"another committee's member", f.foreignMember, nobody, false},
			{"another committee's unit", foreignUnit, nobody, false},
		}
		filters := []Filter{{}, {ByNumber: true}, {States: []State{Replied}}, {States: []State{Signing}},
			{UnitStates: handlingStates}, {ProposerID: f.mids[0]}, {UnitID: f.units[0]}}
		figures := []string{"proposals.received", "proposals.withdrawn", "proposals.pending", "proposals.registered",
			"proposals.replied", "proposals.closed", "evaluations.returned", "assignments.all", "assignments.evaluations"}
		for _, ac := range actors {
			t.Run(ac.name, func(t *testing.T) {
				a := ac.a
				// Get decides; it must agree with the intended rule.
				gets := map[int64]bool{}
				for _, c := range cases {
					_, err := f.svc.Get(f.ctx, a, c.p.ID)
					switch {
					case err == nil:
						gets[c.p.ID] = true
					case apperr.CodeOf(err) != apperr.NotFound:
						t.Fatalf("Get %s: %v, want the proposal or not found", c.name, err)
					}
					if gets[c.p.ID] != ac.sees(c) {
						t.Errorf("Get %s (%s): readable %v, want %v", c.name, c.p.State, gets[c.p.ID], ac.sees(c))
					}
				}
				// Every list returns only what Get reads; the unfiltered list all of it.
				for i, flt := range filters {
					flt.Limit = 500
					pg, err := f.svc.List(f.ctx, a, f.cid, flt)
					if !ac.lists {
						if err == nil {
							t.Fatalf("List: %d items for an actor who may not list", len(pg.Items))
						}
						continue
					}
					if err != nil {
						t.Fatalf("List %+v: %v", flt, err)
					}
					got := map[int64]bool{}
					for _, it := range pg.Items {
						got[it.ID] = true
						if !gets[it.ID] {
							t.Errorf("List %+v returns %d (%s), which Get refuses", flt, it.ID, it.State)
						}
					}
					if pg.Total != len(pg.Items) {
						t.Errorf("List %+v: total %d, %d items", flt, pg.Total, len(pg.Items))
					}
					if i == 0 && !maps.Equal(got, gets) {
						t.Errorf("List %v, Get reads %v", keys(got), keys(gets))
					}
				}
				// Search: the readable hits, plus published ones opened on the public page.
				for _, sub := range []bool{false, true} {
					q := SearchQuery{CommitteeID: f.cid, Q: "高原特色农业", Limit: 200, Subtree: sub}
					if a == higherOffice && sub {
						q.CommitteeID = higher // its roll-up over the committees below
					}
					sp, err := f.svc.Search(f.ctx, a, q)
					if err != nil {
						if !ac.lists || sub {
							continue
						}
						t.Fatalf("Search: %v", err)
					}
					if !ac.lists {
						t.Fatalf("Search: %d hits for an actor who may not search", len(sp.Hits))
					}
					found := map[int64]bool{}
					for _, h := range sp.Hits {
						switch {
						case h.PublicOnly:
							if gets[h.ID] || !h.Published {
								t.Errorf("search hit %d marked public only (readable %v, published %v)", h.ID, gets[h.ID], h.Published)
							}
							if _, err := f.svc.PublicGet(f.ctx, h.ID); err != nil {
								t.Errorf("public-only hit %d: PublicGet %v", h.ID, err)
							}
						case !gets[h.ID]:
							t.Errorf("search (subtree %v) finds %d (%s), which Get refuses", sub, h.ID, h.State)
						default:
							found[h.ID] = true
						}
					}
					// Every readable proposal was indexed and is found (drafts included for their proposer).
					if !sub && !maps.Equal(found, gets) {
						t.Errorf("search finds %v, Get reads %v", keys(found), keys(gets))
					}
					if a.CommitteeID == f.cid && !sub && !found[pub.ID] && !gets[pub.ID] && ac.lists {
						if !slices.ContainsFunc(sp.Hits, func(h SearchHit) bool { return h.ID == pub.ID && h.PublicOnly }) {
							t.Errorf("the published proposal is not found (public only)")
						}
					}
				}
				// The figures' records: only proposals Get reads.
				for _, id := range figures {
					for _, ff := range []FigureFilter{{CommitteeID: f.cid}, {CommitteeID: a.CommitteeID, Subtree: true}} {
						pg, err := f.svc.Records(f.ctx, a, id, ff, 0, 500)
						if err != nil {
							continue // not a figure reader (checked by the figures' own tests)
						}
						for _, r := range pg.Records {
							if r.ProposalID != 0 && !gets[r.ProposalID] {
								t.Errorf("records of %s %+v list %d (%s), which Get refuses", id, ff, r.ProposalID, r.State)
							}
						}
					}
				}
			})
		}
		// The figure readers' records are not vacuous: received lists every submitted proposal.
		pg, err := f.svc.Records(f.ctx, f.office, "proposals.received", FigureFilter{CommitteeID: f.cid}, 0, 500)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, c := range cases {
			if c.submitted {
				want++
			}
		}
		if pg.Total != want || len(pg.Records) != want {
			t.Fatalf("received: %d records (total %d), want %d", len(pg.Records), pg.Total, want)
		}
	})
}

func keys(m map[int64]bool) []int64 {
	out := slices.Collect(maps.Keys(m))
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
