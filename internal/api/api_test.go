package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/liaison"
	"lvzhi/internal/org"
)

func TestAuthAndMe(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		r := h.want(h.do(nil, "GET", "/me", ""), 401)
		if e := r.apiError(t); e.Code != "unauthorized" || !strings.Contains(e.Message, "令牌") {
			t.Fatalf("no token: %+v", e)
		}
		if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Fatalf("WWW-Authenticate: %q", r.Header.Get("WWW-Authenticate"))
		}
		r = h.want(h.do(nil, "GET", "/me", "", "Authorization", "Bearer lvz_nonsense", "Accept-Language", "en-US,en;q=0.9"), 401)
		if e := r.apiError(t); !strings.Contains(e.Message, "unknown or revoked") {
			t.Fatalf("bad token in English: %+v", e)
		}
		// A session cookie is not an API credential.
		h.want(h.do(nil, "GET", "/me", "", "Cookie", account.SessionCookie+"=whatever"), 401)
		var me Me
		h.want(h.do(h.f.MemberParty, "GET", "/me", ""), 200).decode(t, &me)
		if me.UserID != h.f.MemberParty.UserID || me.CommitteeID != h.f.A || me.PersonID != h.f.PersonOf[h.f.Party] ||
			len(me.Roles) != 1 || me.Roles[0] != auth.RoleMember {
			t.Fatalf("me %+v", me)
		}
		// A revoked token stops working.
		toks, err := h.api.deps.Auth.ListTokens(t.Context(), h.f.Admin, h.f.MemberParty.UserID)
		if err != nil || len(toks) != 1 {
			t.Fatalf("tokens %v %v", toks, err)
		}
		if err := h.api.deps.Auth.RevokeToken(t.Context(), h.f.Admin, toks[0].ID); err != nil {
			t.Fatal(err)
		}
		h.want(h.do(h.f.MemberParty, "GET", "/me", ""), 401)
	})
}

func TestRequestErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		f := h.f
		before := h.rows("liaison_links")
		cases := []struct {
			name, body string
			status     int
			field      string
		}{
			{"malformed", `{"level": "party_nonparty",`, 400, ""},
			{"not json", `level=party_nonparty`, 400, ""},
			{"empty", ``, 400, ""},
			{"two objects", `{} {}`, 400, ""},
			{"unknown field", `{"level":"party_nonparty","bogus":1}`, 400, "bogus"},
			{"wrong type", `{"level":"party_nonparty","per_year":"twice"}`, 400, "per_year"},
			{"array", `[]`, 400, "body"},
			{"too large", `{"notes":"` + strings.Repeat("长", MaxBody/3+10) + `"}`, 413, ""},
			{"invalid", `{"level":"party_nonparty","liaison_id":1}`, 422, "member_id"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := h.want(h.do(f.Staff, "POST", "/liaison/links", c.body), c.status)
				e := r.apiError(t)
				if c.field != "" {
					found := false
					for _, fe := range e.Fields {
						found = found || (fe.Field == c.field && fe.Message != "" && !strings.HasPrefix(fe.Message, "err."))
					}
					if !found {
						t.Fatalf("no message for field %s: %s", c.field, r.Body)
					}
				}
				if strings.Contains(e.Message, "err.") {
					t.Fatalf("untranslated: %s", r.Body)
				}
			})
		}
		if h.rows("liaison_links") != before {
			t.Fatal("refused requests wrote links")
		}
		// English messages follow Accept-Language.
		r := h.want(h.do(f.Staff, "POST", "/liaison/links", `{"bogus":1}`, "Accept-Language", "en"), 400)
		if e := r.apiError(t); e.Fields[0].Message != "Unknown field" {
			t.Fatalf("english: %s", r.Body)
		}
		// Routing errors are JSON too.
		h.want(h.do(f.Staff, "GET", "/no/such/thing", ""), 404)
		r = h.want(h.do(f.Staff, "PATCH", "/liaison/links", ""), 405)
		if allow := r.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
			t.Fatalf("Allow %q", allow)
		}
		h.want(h.do(f.Staff, "GET", "/liaison/links/abc", ""), 404)
		r = h.want(h.do(f.Staff, "GET", "/members?page=two", ""), 400)
		if e := r.apiError(t); len(e.Fields) != 1 || e.Fields[0].Field != "page" {
			t.Fatalf("bad query: %s", r.Body)
		}
		h.want(h.do(f.Staff, "DELETE", "/liaison/links/1", ""), 422) // version required
	})
}

func TestOrgEndpoints(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		f := h.f
		// Committees: own, below (for the prefecture), foreign.
		var c org.Committee
		h.want(h.do(f.Staff, "GET", fmt.Sprintf("/committees/%d", f.A), ""), 200).decode(t, &c)
		if c.ID != f.A || c.Name != "富源县政协" {
			t.Fatalf("committee %+v", c)
		}
		h.want(h.do(f.Staff, "GET", fmt.Sprintf("/committees/%d", f.B), ""), 404)
		var kids CommitteeList
		h.want(h.do(f.PrefLeader, "GET", fmt.Sprintf("/committees/%d/children", f.P), ""), 200).decode(t, &kids)
		if len(kids.Items) != 2 {
			t.Fatalf("children %+v", kids)
		}
		var terms TermList
		h.want(h.do(f.Staff, "GET", "/terms", ""), 200).decode(t, &terms)
		if len(terms.Items) != 2 || terms.Items[0].ID != f.TermA {
			t.Fatalf("terms %+v", terms)
		}
		var sectors SectorList
		h.want(h.do(f.LeaderRole, "GET", "/sectors", ""), 200).decode(t, &sectors)
		if len(sectors.Items) != 1 {
			t.Fatalf("sectors %+v", sectors)
		}
		var groups GroupList
		h.want(h.do(f.Staff, "GET", "/groups", ""), 200).decode(t, &groups)
		if len(groups.Items) != 1 {
			t.Fatalf("groups %+v", groups)
		}
		h.want(h.do(f.StaffB, "GET", fmt.Sprintf("/sectors?committee=%d", f.A), ""), 404)
		h.want(h.do(f.PrefLeader, "GET", fmt.Sprintf("/sectors?committee=%d", f.A), ""), 200)
		h.want(h.do(f.MemberParty, "GET", "/sectors", ""), 403)

		// Members: list with paging and filters.
		var page MemberList
		h.want(h.do(f.Staff, "GET", "/members?per_page=3", ""), 200).decode(t, &page)
		if page.Total != 8 || len(page.Items) != 3 || !page.HasNext || page.TermID != f.TermA {
			t.Fatalf("page 1: total %d items %d next %v term %d", page.Total, len(page.Items), page.HasNext, page.TermID)
		}
		h.want(h.do(f.Staff, "GET", "/members?per_page=3&page=3", ""), 200).decode(t, &page)
		if len(page.Items) != 2 || page.HasNext {
			t.Fatalf("page 3: %d %v", len(page.Items), page.HasNext)
		}
		h.want(h.do(f.Staff, "GET", "/members?q=党外", ""), 200).decode(t, &page)
		if page.Total != 2 {
			t.Fatalf("q: %d", page.Total)
		}
		h.want(h.do(f.Unit, "GET", "/members", ""), 403)
		h.want(h.do(f.StaffB, "GET", fmt.Sprintf("/members/%d", f.Party), ""), 404)
		var m org.Member
		h.want(h.do(f.PrefLeader, "GET", fmt.Sprintf("/members/%d", f.Party), ""), 200).decode(t, &m)
		if m.Name != "孙党员" {
			t.Fatalf("member %+v", m)
		}

		// Create and update with optimistic locking.
		body := MemberBody{Name: "新委员", Gender: "female", Phone: "13800138000", Affiliation: "nonparty", SectorID: h.sector}
		h.want(h.json(f.LeaderRole, "POST", "/members", body), 403)
		h.want(h.json(f.MemberParty, "POST", "/members", body), 403)
		bad := body
		bad.Phone = "123"
		r := h.want(h.json(f.Staff, "POST", "/members", bad), 422)
		if e := r.apiError(t); len(e.Fields) != 1 || e.Fields[0].Field != "phone" || e.Fields[0].Row != 0 {
			t.Fatalf("bad phone: %s", r.Body)
		}
		foreign := body
		foreign.SectorID = 999999
		h.want(h.json(f.StaffB, "POST", "/members", foreign), 422)
		h.want(h.json(f.Staff, "POST", "/members", body), 201).decode(t, &m)
		if m.ID == 0 || m.Version != 1 || m.CommitteeID != f.A {
			t.Fatalf("created %+v", m)
		}
		body.Version, body.Employer = m.Version, "县一中"
		var m2 org.Member
		h.want(h.json(f.Staff, "PUT", fmt.Sprintf("/members/%d", m.ID), body), 200).decode(t, &m2)
		if m2.Version != 2 || m2.Employer != "县一中" {
			t.Fatalf("updated %+v", m2)
		}
		r = h.want(h.json(f.Staff, "PUT", fmt.Sprintf("/members/%d", m.ID), body), 409)
		if e := r.apiError(t); e.Code != "conflict" {
			t.Fatalf("stale: %s", r.Body)
		}
		h.want(h.json(f.StaffB, "PUT", fmt.Sprintf("/members/%d", m.ID), body), 404)
		h.want(h.json(f.PrefLeader, "PUT", fmt.Sprintf("/members/%d", m.ID), body), 403)

		// Units.
		var u org.Unit
		h.want(h.json(f.Staff, "POST", "/units", UnitBody{Name: "县教育局", Kind: "government"}), 201).decode(t, &u)
		if !u.Active || u.Version != 1 {
			t.Fatalf("unit %+v", u)
		}
		h.want(h.json(f.Staff, "POST", "/units", UnitBody{Name: "县教育局", Kind: "ministry"}), 422)
		h.want(h.json(f.LeaderRole, "POST", "/units", UnitBody{Name: "x", Kind: "government"}), 403)
		var us UnitList
		h.want(h.do(f.Staff, "GET", "/units?kind=government", ""), 200).decode(t, &us)
		if len(us.Items) != 1 {
			t.Fatalf("units %+v", us)
		}
		off := false
		h.want(h.json(f.Staff, "PUT", fmt.Sprintf("/units/%d", u.ID), UnitBody{Name: "县教育体育局", Kind: "government", Active: &off, Version: 1}), 200).decode(t, &u)
		if u.Active || u.Name != "县教育体育局" {
			t.Fatalf("unit update %+v", u)
		}
		h.want(h.do(f.StaffB, "GET", fmt.Sprintf("/units/%d", u.ID), ""), 404)
	})
}

func TestLiaisonEndpoints(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		f := h.f
		in := liaison.LinkInput{Level: liaison.LevelPartyNonparty, LiaisonID: f.Party, MemberID: f.NonParty, StartsOn: "2025-01-01"}
		h.want(h.json(f.LeaderRole, "POST", "/liaison/links", in), 403)
		h.want(h.json(f.MemberParty, "POST", "/liaison/links", in), 403)
		r := h.want(h.json(f.StaffB, "POST", "/liaison/links", in), 422)
		if e := r.apiError(t); len(e.Fields) != 2 || e.Fields[0].Field != "liaison_id" || e.Fields[1].Field != "member_id" {
			t.Fatalf("foreign memberships: %s", r.Body)
		}
		wrong := in
		wrong.MemberID = f.Head
		r = h.want(h.json(f.Staff, "POST", "/liaison/links", wrong, "Accept-Language", "en"), 422)
		if e := r.apiError(t); e.Fields[0].Message != "赵组长 is a CPC member; CPC members keep in touch with non-CPC members" {
			t.Fatalf("chain rule in English: %s", r.Body)
		}
		var l liaison.Link
		h.want(h.json(f.Staff, "POST", "/liaison/links", in), 201).decode(t, &l)
		if l.Liaison.Name != "孙党员" || l.Member.Name != "周党外" || l.PerYear != 2 {
			t.Fatalf("link %+v", l)
		}
		link := fmt.Sprintf("/liaison/links/%d", l.ID)
		h.want(h.do(f.StaffB, "GET", link, ""), 404)
		h.want(h.do(f.MemberNonParty, "GET", link, ""), 404)
		h.want(h.do(f.MemberParty, "GET", link, ""), 200)
		var ll LinkList
		h.want(h.do(f.PrefLeader, "GET", fmt.Sprintf("/liaison/links?committee=%d", f.A), ""), 200).decode(t, &ll)
		if ll.Total != 1 || len(ll.Items) != 1 {
			t.Fatalf("list %+v", ll)
		}
		h.want(h.do(f.MemberParty, "GET", "/liaison/links", ""), 403)

		// Contacts: the liaising member logs; others cannot.
		c := liaison.ContactInput{LinkID: l.ID, On: "2025-03-01", Method: liaison.MethodPhone, Notes: "问候"}
		h.want(h.json(f.MemberNonParty, "POST", "/liaison/contacts", c), 404)
		h.want(h.json(f.LeaderRole, "POST", "/liaison/contacts", c), 403)
		h.want(h.json(f.StaffB, "POST", "/liaison/contacts", c), 404)
		var got liaison.Contact
		h.want(h.json(f.MemberParty, "POST", "/liaison/contacts", c), 201).decode(t, &got)
		if got.RecordedBy != "孙党员" || got.LinkID != l.ID {
			t.Fatalf("contact %+v", got)
		}
		var cl ContactList
		h.want(h.do(f.LeaderRole, "GET", link+"/contacts", ""), 200).decode(t, &cl)
		if len(cl.Items) != 1 || cl.Items[0].Notes != "问候" {
			t.Fatalf("contacts %+v", cl)
		}
		var mine Mine
		h.want(h.do(f.MemberParty, "GET", "/liaison/mine", ""), 200).decode(t, &mine)
		if len(mine.Links) != 1 || mine.Links[0].Contacts != 1 || mine.Targets == nil {
			t.Fatalf("mine %+v", mine)
		}

		// Behind: one contact of two.
		var rep liaison.BehindReport
		h.want(h.do(f.LeaderRole, "GET", "/liaison/behind?from=2025-01-01&to=2025-12-31", ""), 200).decode(t, &rep)
		if len(rep.Rows) != 1 || rep.Rows[0].Count != 1 || rep.Rows[0].Expected != 2 {
			t.Fatalf("behind %+v", rep)
		}
		h.want(h.do(f.Staff, "GET", "/liaison/behind?from=2025-12-31&to=2025-01-01", ""), 422)
		h.want(h.do(f.Staff, "GET", "/liaison/behind?only_behind=maybe", ""), 400)
		h.want(h.do(f.Unit, "GET", "/liaison/behind", ""), 403)

		// Update and delete with versions.
		upd := LinkUpdate{LinkInput: in, Version: 1}
		upd.PerYear = 4
		h.want(h.json(f.Staff, "PUT", link, upd), 200).decode(t, &l)
		if l.Version != 2 || l.PerYear != 4 {
			t.Fatalf("update %+v", l)
		}
		h.want(h.json(f.Staff, "PUT", link, upd), 409)
		h.want(h.do(f.Staff, "DELETE", link+"?version=2", ""), 409) // has contacts
		h.want(h.do(f.MemberParty, "DELETE", fmt.Sprintf("/liaison/contacts/%d", got.ID), ""), http.StatusNoContent)
		h.want(h.do(f.StaffB, "DELETE", link+"?version=2", ""), 404)
		h.want(h.do(f.Staff, "DELETE", link+"?version=2", ""), http.StatusNoContent)
		h.want(h.do(f.Staff, "GET", link, ""), 404)

		// Campaigns and targets.
		var camp liaison.Campaign
		ci := liaison.CampaignInput{Kind: liaison.KindSecretaryStanding, Name: "书记走访常委", StartsOn: "2025-03-01", EndsOn: "2025-10-31"}
		h.want(h.json(f.LeaderRole, "POST", "/liaison/campaigns", ci), 403)
		h.want(h.json(f.Staff, "POST", "/liaison/campaigns", ci), 201).decode(t, &camp)
		cp := fmt.Sprintf("/liaison/campaigns/%d", camp.ID)
		r = h.want(h.json(f.Staff, "POST", cp+"/targets", TargetsBody{VisitorID: f.Secretary, TargetIDs: []int64{f.NonParty2}}), 422)
		if e := r.apiError(t); e.Fields[0].Field != "target_ids" || !strings.Contains(e.Fields[0].Message, "吴党外") {
			t.Fatalf("not standing: %s", r.Body)
		}
		var tl TargetList
		h.want(h.json(f.Staff, "POST", cp+"/targets", TargetsBody{VisitorID: f.Secretary, TargetIDs: []int64{f.NonParty, f.Leader}}), 201).decode(t, &tl)
		if len(tl.Items) != 2 {
			t.Fatalf("targets %+v", tl)
		}
		h.want(h.json(f.MemberSecretary, "POST", "/liaison/contacts",
			liaison.ContactInput{TargetID: tl.Items[0].ID, On: "2025-04-01", Method: liaison.MethodVisit}), 201)
		h.want(h.do(f.LeaderRole, "GET", cp, ""), 200).decode(t, &camp)
		if camp.Targets != 2 || camp.Done != 1 {
			t.Fatalf("campaign %+v", camp)
		}
		h.want(h.do(f.StaffB, "GET", cp+"/targets", ""), 404)
		h.want(h.do(f.Staff, "DELETE", fmt.Sprintf("/liaison/targets/%d", tl.Items[0].ID), ""), 409)
		h.want(h.do(f.Staff, "DELETE", fmt.Sprintf("/liaison/targets/%d", tl.Items[1].ID), ""), 204)
		h.want(h.do(f.Staff, "DELETE", cp+"?version=1", ""), 409)
		var cands CandidateList
		h.want(h.do(f.Staff, "GET", "/liaison/candidates", ""), 200).decode(t, &cands)
		if len(cands.Items) != 7 { // active memberships of the newest term
			t.Fatalf("candidates %d", len(cands.Items))
		}
	})
}
