package api

import (
	"context"
	"fmt"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/org"
)

// TestOrgStructureAPI: the committee's structure through the API. Admins add
// terms, sessions and child committees; staff add sectors and groups; updates
// check the version. Every other role is refused, another county's records are
// not found, a higher committee reads but never edits, and a refused or
// invalid request writes nothing.
func TestOrgStructureAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		f := h.f

		// Terms: admins only.
		term := TermBody{Number: 10, StartsOn: "2026-01-01"}
		for _, who := range []string{"staff", "member", "unit", "proposal_office", "leader"} {
			h.want(h.json(h.actor(who), "POST", "/terms", term), 403)
		}
		h.want(h.json(nil, "POST", "/terms", term), 401)
		terms := h.rows("terms")
		e := h.want(h.json(f.Admin, "POST", "/terms", TermBody{Number: 0, StartsOn: "2026-02-30"}), 422).apiError(t)
		if !hasField(e, "number") || !hasField(e, "starts_on") {
			t.Fatalf("term fields %+v", e.Fields)
		}
		if h.rows("terms") != terms {
			t.Fatal("refused terms stored")
		}
		var tm org.Term
		h.want(h.json(f.Admin, "POST", "/terms", term), 201).decode(t, &tm)
		if tm.Name != "第十届" || tm.CommitteeID != f.A || tm.Version != 1 {
			t.Fatalf("term %+v", tm)
		}
		h.want(h.json(f.Admin, "POST", "/terms", term), 422) // the number exists
		h.want(h.json(f.Admin, "PUT", fmt.Sprintf("/terms/%d", tm.ID), TermBody{Number: 10, StartsOn: "2026-01-02", Version: 9}), 409)
		h.want(h.json(f.Admin, "PUT", fmt.Sprintf("/terms/%d", tm.ID), TermBody{Number: 10, StartsOn: "2026-01-02", Version: 1}), 200).decode(t, &tm)
		if tm.StartsOn != "2026-01-02" || tm.Version != 2 {
			t.Fatalf("updated term %+v", tm)
		}
		h.want(h.json(f.Admin, "PUT", fmt.Sprintf("/terms/%d", f.TermB), TermBody{Number: 9, StartsOn: "2021-01-01", Version: 1}), 404)

		// Sessions of a term.
		sess := SessionBody{TermID: tm.ID, Number: 1, OpensOn: "2026-01-10", ClosesOn: "2026-01-13", SubmitFrom: "2026-01-01", SubmitTo: "2026-01-12"}
		h.want(h.json(f.Staff, "POST", "/sessions", sess), 403)
		h.want(h.json(f.StaffB, "POST", "/sessions", sess), 403)
		bad := sess
		bad.TermID, bad.SubmitTo = f.TermB, "2025-12-31"
		e = h.want(h.json(f.Admin, "POST", "/sessions", bad), 422).apiError(t)
		if !hasField(e, "term_id") {
			t.Fatalf("session of another county's term: %+v", e.Fields)
		}
		var s org.Session
		h.want(h.json(f.Admin, "POST", "/sessions", sess), 201).decode(t, &s)
		if s.Name != "十届一次" || s.TermID != tm.ID {
			t.Fatalf("session %+v", s)
		}
		sess.ClosesOn, sess.Version = "2026-01-14", s.Version
		h.want(h.json(f.Admin, "PUT", fmt.Sprintf("/sessions/%d", s.ID), sess), 200).decode(t, &s)
		if s.ClosesOn != "2026-01-14" {
			t.Fatalf("updated session %+v", s)
		}
		var sl SessionList
		h.want(h.json(f.MemberParty, "GET", "/sessions", nil), 403) // members do not read the organisation's records
		h.want(h.json(f.Staff, "GET", fmt.Sprintf("/sessions?term=%d", tm.ID), nil), 200).decode(t, &sl)
		if len(sl.Items) != 1 || sl.Items[0].ID != s.ID {
			t.Fatalf("sessions %+v", sl)
		}
		h.want(h.json(f.PrefLeader, "GET", fmt.Sprintf("/sessions?committee=%d", f.A), nil), 200).decode(t, &sl)
		if len(sl.Items) != 1 {
			t.Fatalf("the prefecture reads A's sessions: %+v", sl)
		}
		h.want(h.json(f.StaffB, "GET", fmt.Sprintf("/sessions?committee=%d", f.A), nil), 404)
		h.want(h.json(f.StaffB, "PUT", fmt.Sprintf("/sessions/%d", s.ID), sess), 403) // B's staff may not manage at all

		// Sectors and groups: staff and admins.
		for _, who := range []string{"member", "unit", "proposal_office", "leader"} {
			h.want(h.json(h.actor(who), "POST", "/sectors", SectorBody{Name: "农业界"}), 403)
			h.want(h.json(h.actor(who), "POST", "/groups", GroupBody{Kind: "working_group", Name: "第二工作组"}), 403)
		}
		var sec org.Sector
		h.want(h.json(f.Staff, "POST", "/sectors", SectorBody{Name: "农业界", Sort: 3}), 201).decode(t, &sec)
		h.want(h.json(f.StaffB, "PUT", fmt.Sprintf("/sectors/%d", sec.ID), SectorBody{Name: "x", Version: 1}), 404)
		h.want(h.json(f.Staff, "PUT", fmt.Sprintf("/sectors/%d", sec.ID), SectorBody{Name: "农业和农村界", Version: 1}), 200).decode(t, &sec)
		if sec.Name != "农业和农村界" || sec.Version != 2 {
			t.Fatalf("sector %+v", sec)
		}
		h.want(h.json(f.Staff, "PUT", fmt.Sprintf("/sectors/%d", sec.ID), SectorBody{Name: "y", Version: 1}), 409)

		groups := h.rows("org_groups")
		e = h.want(h.json(f.Staff, "POST", "/groups", map[string]any{"kind": "club", "name": "x"}), 422).apiError(t)
		if !hasField(e, "kind") || h.rows("org_groups") != groups {
			t.Fatalf("bad kind: %+v", e.Fields)
		}
		var g org.Group
		h.want(h.json(f.Admin, "POST", "/groups", GroupBody{Kind: "special_committee", Name: "提案委员会"}), 201).decode(t, &g)
		h.want(h.json(f.StaffB, "PUT", fmt.Sprintf("/groups/%d", g.ID), GroupBody{Kind: "working_group", Name: "x", Version: 1}), 404)
		h.want(h.json(f.Staff, "PUT", fmt.Sprintf("/groups/%d", g.ID), GroupBody{Kind: "special_committee", Name: "提案委", Version: 1}), 200).decode(t, &g)
		if g.Name != "提案委" {
			t.Fatalf("group %+v", g)
		}

		// Child committees: admins, below their own committee.
		child := CommitteeBody{Level: "county", Name: "新县政协", Code: "XX"}
		h.want(h.json(f.Staff, "POST", "/committees", child), 403)
		h.want(h.json(f.PrefLeader, "POST", "/committees", child), 403)
		e = h.want(h.json(f.Admin, "POST", "/committees", CommitteeBody{Level: "town", Name: "x", Code: "a b"}), 422).apiError(t)
		if !hasField(e, "level") || !hasField(e, "code") {
			t.Fatalf("committee fields %+v", e.Fields)
		}
		h.want(h.json(f.Admin, "POST", "/committees", CommitteeBody{Level: "county", Name: "x", Code: "XY"}), 422) // not below a county
		prefAdmin := h.newActor(f.P, "市管理员", auth.RoleAdmin)
		var c org.Committee
		h.want(h.json(prefAdmin, "POST", "/committees", child), 201).decode(t, &c)
		if c.ParentID != f.P || c.Level != "county" {
			t.Fatalf("child %+v", c)
		}
		h.want(h.json(prefAdmin, "POST", "/committees", CommitteeBody{Level: "county", Name: "y", Code: "XX"}), 422) // the code is taken
		var cl CommitteeList
		h.want(h.json(f.PrefLeader, "GET", fmt.Sprintf("/committees/%d/children", f.P), nil), 200).decode(t, &cl)
		if len(cl.Items) != 3 {
			t.Fatalf("children %+v", cl)
		}
	})
}

// actor is the fixture's account named as in the web harness.
func (h *harness) actor(who string) *auth.Actor {
	return map[string]*auth.Actor{"admin": h.f.Admin, "staff": h.f.Staff, "member": h.f.MemberParty, "unit": h.f.Unit,
		"proposal_office": h.f.ProposalOffice, "leader": h.f.LeaderRole, "assistance": h.f.Assistance,
		"other_staff": h.f.StaffB, "prefecture": h.f.PrefLeader}[who]
}

// newActor adds an account with roles to committee cid, with an API token.
func (h *harness) newActor(cid int64, name string, roles ...auth.Role) *auth.Actor {
	h.t.Helper()
	ctx := context.Background()
	var path string
	if err := h.d.QueryRowContext(ctx, `SELECT path FROM committees WHERE id = $1`, cid).Scan(&path); err != nil {
		h.t.Fatal(err)
	}
	var id int64
	if err := h.d.QueryRowContext(ctx, `INSERT INTO users (committee_id, username, display_name, password_hash, created_at, updated_at)
		VALUES ($1, $2, $3, 'x', $4, $4) RETURNING id`, cid, fmt.Sprintf("n%d-%s", cid, name), name, db.Now()).Scan(&id); err != nil {
		h.t.Fatal(err)
	}
	for _, r := range roles {
		if _, err := h.d.ExecContext(ctx, `INSERT INTO user_roles (user_id, committee_id, role) VALUES ($1, $2, $3)`, id, cid, string(r)); err != nil {
			h.t.Fatal(err)
		}
	}
	x := &auth.Actor{UserID: id, Name: name, CommitteeID: cid, CommitteePath: path, Roles: roles, Lang: "zh"}
	_, secret, err := h.api.deps.Auth.CreateToken(ctx, auth.System(cid), id, "test")
	if err != nil {
		h.t.Fatal(err)
	}
	h.tokens[x] = secret
	return x
}

// hasField reports whether the error names field.
func hasField(e ErrorDetail, field string) bool {
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
