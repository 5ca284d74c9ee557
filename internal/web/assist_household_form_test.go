package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lvzhi/internal/assist"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
)

// TestAssistHouseholdForm registers a household through the officer's form
// (a bad ID check digit is refused with the form again and nothing written),
// edits it keeping the sealed ID number of a member whose field is left
// blank, checks nothing echoes a full ID number, that both writes are
// audited, and that other roles and committees are refused.
func TestAssistHouseholdForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		w := seedAssist(t, h)
		ctx := context.Background()
		vs, err := h.Server.Assist.Villages(ctx, h.actor("assistance"), h.actor("assistance").CommitteeID)
		h.must(err)
		good := assistID("530325", "19800202", 41)
		bad := good[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", good[17])+1)%11])
		form := url.Values{"registry_id": {"F001"}, "village_id": {fmt.Sprint(vs[0].ID)}, "head_name": {"张三"},
			"attribute": {"general"}, "cause_main": {"illness"}, "cause_others": {"schooling"}, "income": {"3500.50"},
			"status": {"poor"}, "version": {"0"},
			"members.0.id": {""}, "members.0.name": {"张三"}, "members.0.relation": {"户主"}, "members.0.gender": {"male"},
			"members.0.id_number": {bad}, "members.0.health": {"healthy"}, "members.0.labour": {"ordinary"},
			"members.1.id": {""}, "members.1.name": {""}, "members.1.id_number": {""}}
		count := func() int {
			var n int
			h.must(d.QueryRowContext(ctx, `SELECT COUNT(*) FROM assist_households WHERE registry_id = 'F001'`).Scan(&n))
			return n
		}
		resp := h.post("assistance", "/assist/households", form)
		body := h.text(resp)
		if resp.StatusCode != http.StatusUnprocessableEntity || count() != 0 {
			t.Fatalf("bad check digit: status %d, %d households", resp.StatusCode, count())
		}
		if strings.Contains(body, bad) || !strings.Contains(body, `id="members.0.id_number"`) || !strings.Contains(body, "ferr") {
			t.Error("the refused form echoes the ID number or names no field")
		}
		for _, role := range []string{"member", "leader", "unit"} {
			if r := h.post(role, "/assist/households", form); r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusNotFound {
				t.Errorf("%s creates: %d", role, r.StatusCode)
			}
			if r := h.get(role, "/assist/households/new"); r.StatusCode != http.StatusForbidden {
				t.Errorf("%s opens the form: %d", role, r.StatusCode)
			}
		}
		form.Set("members.0.id_number", good)
		form.Set("members.0.phone", "13912345678")
		before := h.auditCount()
		if r := h.post("assistance", "/assist/households", form); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d %s", r.StatusCode, h.text(r))
		}
		list, _, err := h.Server.Assist.ListHouseholds(ctx, h.actor("assistance"), assist.HouseholdFilter{Query: "F001"})
		h.must(err)
		if len(list) != 1 {
			t.Fatalf("%d households F001", len(list))
		}
		hid := list[0].ID
		det, err := h.Server.Assist.GetHousehold(ctx, h.actor("assistance"), hid)
		h.must(err)
		if len(det.Members) != 1 || det.IncomeFen != 350050 || len(det.CauseOthers) != 1 || !det.Members[0].HasPhone {
			t.Fatalf("stored %+v", det)
		}
		var enc []byte
		h.must(d.QueryRowContext(ctx, `SELECT id_number_enc FROM assist_household_members WHERE id = $1`, det.Members[0].ID).Scan(&enc))
		if len(enc) == 0 || strings.Contains(string(enc), good) {
			t.Error("the ID number is not sealed")
		}
		edit := fmt.Sprintf("/assist/households/%d/edit", hid)
		page := h.text(h.get("assistance", edit))
		if strings.Contains(page, good) || strings.Contains(page, "13912345678") || !strings.Contains(page, det.Members[0].IDMasked) {
			t.Error("the edit form shows the full ID number or phone, or not the masked one")
		}
		// Edit: rename the head, leave the ID number and phone blank (kept), add a child.
		child := assistID("530325", "20100303", 42)
		up := url.Values{"registry_id": {"F001"}, "village_id": {fmt.Sprint(vs[0].ID)}, "head_name": {"张三丰"},
			"attribute": {"dibao"}, "cause_main": {"illness"}, "status": {"lifted"}, "lifted_year": {"2019"},
			"version":      {fmt.Sprint(det.Version)},
			"members.0.id": {fmt.Sprint(det.Members[0].ID)}, "members.0.name": {"张三丰"}, "members.0.relation": {"户主"},
			"members.0.id_number": {""}, "members.0.phone": {""}, "members.0.health": {"chronic"}, "members.0.labour": {"ordinary"},
			"members.1.id": {""}, "members.1.name": {"张小"}, "members.1.relation": {"之子"}, "members.1.id_number": {child},
			"members.1.health": {"healthy"}, "members.1.labour": {"none"}, "members.1.schooling": {"小学"}}
		if r := h.post("assistance", edit, up); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("update: %d %s", r.StatusCode, h.text(r))
		}
		rv, err := h.Server.Assist.RevealIDNumber(ctx, h.actor("assistance"), det.Members[0].ID)
		h.must(err)
		if rv.IDNumber != good || rv.Phone != "13912345678" {
			t.Errorf("the blank fields did not keep the sealed number and phone: %+v", rv)
		}
		det2, err := h.Server.Assist.GetHousehold(ctx, h.actor("assistance"), hid)
		h.must(err)
		if det2.HeadName != "张三丰" || det2.Status != "lifted" || len(det2.Members) != 2 || det2.Members[0].Health != "chronic" {
			t.Errorf("after edit %+v", det2.Household)
		}
		// A stale version: 409 and the form again.
		if r := h.post("assistance", edit, up); r.StatusCode != http.StatusConflict {
			t.Errorf("stale version: %d", r.StatusCode)
		}
		// The other child's number on a second row of the same household: refused.
		up.Set("version", fmt.Sprint(det2.Version))
		up.Set("members.1.id", fmt.Sprint(det2.Members[1].ID))
		up.Set("members.1.id_number", "")
		up["members.2.name"], up["members.2.id_number"] = []string{"李四"}, []string{good}
		if r := h.post("assistance", edit, up); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a kept and a typed ID number the same: %d", r.StatusCode)
		}
		if got := h.auditCount() - before; got < 2 {
			t.Errorf("%d audit entries for a create and an update", got)
		}
		// Another committee's household: not found; members: refused.
		foreign := fmt.Sprintf("/assist/households/%d/edit", w.foreign.ID)
		if r := h.get("assistance", foreign); r.StatusCode != http.StatusNotFound {
			t.Errorf("foreign edit form: %d", r.StatusCode)
		}
		if r := h.post("assistance", foreign, up); r.StatusCode != http.StatusNotFound {
			t.Errorf("foreign update: %d", r.StatusCode)
		}
		for _, role := range []string{"member", "prefecture"} {
			if r := h.get(role, edit); r.StatusCode != http.StatusForbidden {
				t.Errorf("%s edit form: %d", role, r.StatusCode)
			}
			if r := h.post(role, edit, up); r.StatusCode != http.StatusForbidden {
				t.Errorf("%s update: %d", role, r.StatusCode)
			}
		}
	})
}
