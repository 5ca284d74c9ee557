package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lvzhi/internal/assist"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// assistWorld is county A's households (one paired with the member user, one
// not) and county B's household, each with a member's full ID number.
type assistWorld struct {
	paired, unpaired, foreign assist.Household
	need, foreignNeed         assist.Need
	record, foreignRecord     assist.Record
	ids                       []string // the full ID numbers, which no page may show unasked
}

func assistID(region, birth string, seq int) string {
	first := fmt.Sprintf("%s%s%03d", region, birth, seq)
	return first + string(org.IDCheckChar(first))
}

func seedAssist(t *testing.T, h *harness) assistWorld {
	t.Helper()
	box, err := secret.New(fixture.Key)
	if err != nil {
		t.Fatal(err)
	}
	svc := h.Server.Assist
	svc.Secret = box
	ctx := context.Background()
	var w assistWorld
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	house := func(role, reg string, seq int) assist.Household {
		a := h.actor(role)
		vs, err := svc.Villages(ctx, a, a.CommitteeID)
		must(err)
		if len(vs) == 0 {
			v, err := svc.CreateVillage(ctx, a, "中安街道", "西关社区", "")
			must(err)
			vs = append(vs, v)
		}
		id := assistID("530325", "19700101", seq)
		w.ids = append(w.ids, id)
		hh, err := svc.CreateHousehold(ctx, a, assist.HouseholdInput{RegistryID: reg, VillageID: vs[0].ID, HeadName: "户主" + reg,
			Attribute: "general", CauseMain: "illness", Status: "poor",
			Members: []assist.MemberInput{{Name: "户主" + reg, Gender: "male", IDNumber: id, Relation: "户主", Phone: "1390000000" + fmt.Sprint(seq)}}})
		must(err)
		return hh
	}
	w.paired, w.unpaired, w.foreign = house("assistance", "A001", 1), house("assistance", "A002", 2), house("other_admin", "B001", 3)
	officer := h.actor("assistance")
	_, err = svc.Pair(ctx, officer, w.paired.ID, h.A.MembershipID)
	must(err)
	w.need, err = svc.CreateNeed(ctx, officer, assist.NeedInput{HouseholdID: w.paired.ID, Kind: "study", Description: "学费"})
	must(err)
	w.foreignNeed, err = svc.CreateNeed(ctx, h.actor("other_admin"), assist.NeedInput{HouseholdID: w.foreign.ID, Kind: "job", Description: "务工"})
	must(err)
	w.record, err = svc.RecordAssistance(ctx, h.actor("member"), assist.RecordInput{HouseholdID: w.paired.ID, Kind: "info", InfoCount: 2,
		GivenOn: civil.Today()})
	must(err)
	w.foreignRecord, err = svc.RecordAssistance(ctx, h.actor("other_admin"), assist.RecordInput{HouseholdID: w.foreign.ID, Kind: "info",
		InfoCount: 1, GivenOn: civil.Today(), MembershipIDs: []int64{h.B.MembershipID}})
	must(err)
	return w
}

// TestPermissionsAssist tries every household route as every login: readers,
// the paired member, roles that must be refused (403), another county's
// users and records (404), the prefecture reading but never acting, and the
// full ID number shown only after an audited reveal by an officer or admin.
func TestPermissionsAssist(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		w := seedAssist(t, h)
		hh := func(x assist.Household) string { return fmt.Sprintf("/assist/households/%d", x.ID) }
		mem := func(x assist.Household) string {
			return fmt.Sprintf("/assist/household-members/%d/reveal", x.Members[0].ID)
		}
		reveal := func(x assist.Household) url.Values { return url.Values{"household_id": {fmt.Sprint(x.ID)}} }
		needForm := url.Values{"kind": {"job"}, "description": {"务工"}, "urgency": {"2"}}
		recForm := url.Values{"kind": {"info"}, "info_count": {"1"}, "given_on": {civil.Today().String()}, "members": {fmt.Sprint(h.A.MembershipID)}}
		need, fneed := fmt.Sprintf("/assist/needs/%d", w.need.ID), fmt.Sprintf("/assist/needs/%d", w.foreignNeed.ID)
		rec, frec := fmt.Sprintf("/assist/records/%d", w.record.ID), fmt.Sprintf("/assist/records/%d", w.foreignRecord.ID)
		readers := []string{"admin", "staff", "leader", "assistance"}
		var cases []permCase
		add := func(role, method, path string, form url.Values, want int) {
			cases = append(cases, permCase{role, method, path, form, want})
		}
		// Reading households.
		for _, role := range readers {
			for _, p := range []string{"/assist", "/assist/households", "/assist/households.xlsx", hh(w.paired), hh(w.unpaired), need, rec} {
				add(role, "GET", p, nil, 200)
			}
			for _, p := range []string{hh(w.foreign), fneed, frec} {
				add(role, "GET", p, nil, 404)
			}
		}
		add("member", "GET", hh(w.paired), nil, 200)
		add("member", "GET", need, nil, 200)
		add("member", "GET", rec, nil, 200)
		add("member", "GET", "/assist", nil, 200)
		add("member", "GET", "/assist/households.xlsx", nil, 403)
		for _, p := range []string{hh(w.unpaired), hh(w.foreign), fneed, frec} {
			add("member", "GET", p, nil, 404)
		}
		for _, role := range []string{"proposal_office", "unit"} {
			add(role, "GET", "/assist/households.xlsx", nil, 403)
			for _, p := range []string{hh(w.paired), hh(w.unpaired), hh(w.foreign), need, rec} {
				add(role, "GET", p, nil, 404)
			}
		}
		for _, role := range []string{"other_admin", "other_member"} {
			for _, p := range []string{hh(w.paired), hh(w.unpaired), need, rec} {
				add(role, "GET", p, nil, 404)
			}
		}
		add("other_admin", "GET", hh(w.foreign), nil, 200)
		add("prefecture", "GET", hh(w.paired), nil, 200)
		add("prefecture", "GET", hh(w.foreign), nil, 200)
		for _, p := range []string{"/assist", hh(w.paired), "/assist/households.xlsx", "/assist/match", "/assist/import"} {
			add("anon", "GET", p, nil, http.StatusSeeOther)
		}
		// Revealing ID numbers: officers and admins of the household's own committee only.
		for _, role := range []string{"staff", "leader", "proposal_office", "unit", "member", "other_member", "prefecture"} {
			add(role, "POST", mem(w.paired), reveal(w.paired), 403)
		}
		add("other_admin", "POST", mem(w.paired), reveal(w.paired), 404)
		add("assistance", "POST", mem(w.foreign), reveal(w.foreign), 404)
		add("anon", "POST", mem(w.paired), reveal(w.paired), 401)
		// Needs: officers (staff, assistance) of the committee only.
		for _, role := range []string{"admin", "leader", "member", "prefecture"} {
			add(role, "POST", hh(w.paired)+"/needs", needForm, 403)
		}
		for _, role := range []string{"proposal_office", "unit", "other_admin", "other_member"} {
			add(role, "POST", hh(w.paired)+"/needs", needForm, 404)
		}
		add("assistance", "POST", hh(w.foreign)+"/needs", needForm, 404)
		add("anon", "POST", hh(w.paired)+"/needs", needForm, 401)
		// Matching and verifying: officers.
		confirm := url.Values{"membership_id": {fmt.Sprint(h.A.MembershipID)}, "version": {"0"}}
		for _, role := range []string{"admin", "leader", "member", "proposal_office", "unit", "other_member"} {
			add(role, "POST", need+"/confirm", confirm, 403)
			add(role, "POST", rec+"/verify", url.Values{"version": {"0"}}, 403)
			add(role, "GET", "/assist/match", nil, 403)
		}
		add("other_admin", "POST", need+"/confirm", confirm, 404)
		add("other_admin", "POST", rec+"/verify", url.Values{"version": {"0"}}, 404)
		add("prefecture", "POST", rec+"/verify", url.Values{"version": {"0"}}, 403)
		// Recording assistance: the paired member and officers; not for others' households.
		for _, role := range []string{"admin", "leader", "proposal_office", "unit"} {
			add(role, "POST", hh(w.paired)+"/records", recForm, 403)
		}
		add("prefecture", "POST", hh(w.paired)+"/records", recForm, 403)
		add("member", "POST", hh(w.unpaired)+"/records", recForm, 404)
		add("other_admin", "POST", hh(w.paired)+"/records", recForm, 404)
		add("other_member", "POST", hh(w.paired)+"/records", recForm, 404)
		// Allowed writes last.
		add("member", "POST", hh(w.paired)+"/records", url.Values{"kind": {"info"}, "info_count": {"1"}, "given_on": {civil.Today().String()}}, 303)
		add("assistance", "POST", hh(w.unpaired)+"/records", recForm, 303)
		add("staff", "POST", hh(w.unpaired)+"/needs", needForm, 303)
		add("assistance", "POST", rec+"/verify", url.Values{"version": {"0"}}, 303)
		add("assistance", "POST", mem(w.paired), reveal(w.paired), 200)
		add("admin", "POST", mem(w.paired), reveal(w.paired), 200)
		runPermCases(t, h, cases)

		// No page shows a full ID number unasked; the reveal shows it to its reader, audited.
		for _, role := range []string{"admin", "staff", "leader", "assistance", "member", "prefecture"} {
			for _, p := range []string{hh(w.paired), "/assist/households", "/assist/households.xlsx"} {
				body := h.text(h.get(role, p))
				for _, id := range w.ids {
					if strings.Contains(body, id) || strings.Contains(body, id[6:14]) {
						t.Errorf("%s %s shows an ID number", role, p)
					}
				}
			}
		}
		body := h.text(h.post("assistance", mem(w.paired), reveal(w.paired)))
		if !strings.Contains(body, w.ids[0]) {
			t.Error("reveal does not show the number")
		}
		var views int
		if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'view_id_number'
			AND entity = 'assist_household_member' AND entity_id = $1`, w.paired.Members[0].ID).Scan(&views); err != nil {
			t.Fatal(err)
		}
		if views != 3 {
			t.Errorf("%d audited views, want 3", views)
		}
		var exports int
		if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND entity = 'assist_household'`).Scan(&exports); err != nil {
			t.Fatal(err)
		}
		if exports == 0 {
			t.Error("household exports are not audited")
		}
	})
}
