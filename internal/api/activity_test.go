package api

import (
	"context"
	"fmt"
	"testing"

	"lvzhi/internal/activity"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/org"
)

// TestActivityAPI runs what the web pages offer through the API: staff
// announce an activity, a member signs up and asks for leave, the leader
// approves, staff open, mark attendance and hold it; a past record; 社情民意
// and an output with an instruction and a follow-up. Every answer is checked
// against the OpenAPI document by the harness.
func TestActivityAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		f := h.f
		day := civil.Today().AddDays(5).String()
		e := h.want(h.json(f.Staff, "POST", "/activities", ActivityBody{Kind: "research", Title: "调研", StartsOn: "2026-02-30"}), 422).apiError(t)
		if len(e.Fields) == 0 || e.Fields[0].Field != "starts_on" {
			t.Fatalf("fields %+v", e.Fields)
		}
		h.want(h.json(f.MemberParty, "POST", "/activities", ActivityBody{Kind: "research", Title: "调研", StartsOn: day}), 403)
		var a activity.Activity
		h.want(h.json(f.Staff, "POST", "/activities", ActivityBody{Kind: "research", Title: "产业发展调研", StartsOn: day, StartsAt: "09:00"}), 201).decode(t, &a)
		path := fmt.Sprintf("/activities/%d", a.ID)
		var row activity.Attendance
		h.want(h.json(f.MemberParty, "POST", path+"/sign_up", ActivityActionBody{}), 200).decode(t, &row)
		h.want(h.json(f.MemberParty, "POST", path+"/request_leave", ActivityActionBody{Reason: "出差"}), 200).decode(t, &row)
		h.want(h.json(f.MemberNonParty, "POST", fmt.Sprintf("/activities/attendance/%d/approve_leave", row.ID), ActivityActionBody{}), 403)
		h.want(h.json(f.StaffB, "POST", fmt.Sprintf("/activities/attendance/%d/approve_leave", row.ID), ActivityActionBody{}), 404)
		var leaves []activity.Leave
		h.want(h.json(f.LeaderRole, "GET", "/activities/leaves", nil), 200).decode(t, &leaves)
		if len(leaves) != 1 || leaves[0].ID != row.ID {
			t.Fatalf("leaves %+v", leaves)
		}
		h.want(h.json(f.LeaderRole, "POST", fmt.Sprintf("/activities/attendance/%d/approve_leave", row.ID), ActivityActionBody{Version: row.Version}), 200).decode(t, &row)
		if row.Status != activity.LeaveApproved {
			t.Fatalf("row %+v", row)
		}
		h.want(h.json(f.Staff, "POST", path+"/open", ActivityActionBody{Version: a.Version}), 200).decode(t, &a)
		var done Done
		h.want(h.json(f.Staff, "POST", path+"/mark", ActivityActionBody{Marks: []activity.Mark{
			{PersonID: f.PersonOf[f.NonParty], Status: activity.Attended, Role: activity.RoleSpeaker}}}), 200).decode(t, &done)
		if done.Changed != 1 {
			t.Fatalf("marked %d", done.Changed)
		}
		h.want(h.json(f.Staff, "POST", path+"/hold", ActivityActionBody{Version: a.Version}), 200).decode(t, &a)
		var det activity.Detail
		h.want(h.json(f.Staff, "GET", path, nil), 200).decode(t, &det)
		if det.State != activity.Held || det.Count("attended") != 1 || det.Count("leave_approved") != 1 {
			t.Fatalf("detail %+v", det)
		}
		h.want(h.json(f.StaffB, "GET", path, nil), 404)
		// A past record with its roll.
		var past activity.Activity
		h.want(h.json(f.Staff, "POST", "/activities/past", ActivityBody{Kind: "inspection", Title: "视察", StartsOn: "2025-05-06",
			Roll: []activity.PastRow{{PersonID: f.PersonOf[f.Party], Status: activity.Attended}}}), 201).decode(t, &past)
		if !past.EnteredLater || past.State != activity.Held {
			t.Fatalf("past %+v", past)
		}
		var list ActivityList
		h.want(h.json(f.LeaderRole, "GET", "/activities?year=2025", nil), 200).decode(t, &list)
		if list.Total != 1 || list.Items[0].ID != past.ID {
			t.Fatalf("list %+v", list)
		}
		var mine []activity.Entry
		h.want(h.json(f.MemberParty, "GET", "/activities/mine?from=2025-01-01&to=2027-12-31", nil), 200).decode(t, &mine)
		if len(mine) != 2 {
			t.Fatalf("calendar %+v", mine)
		}
		// 社情民意 and outputs.
		var sq activity.Sqmy
		h.want(h.json(f.MemberParty, "POST", "/sqmy", SqmyBody{Title: "关于饮水安全", Content: "群众反映"}), 201).decode(t, &sq)
		h.want(h.json(f.MemberParty, "POST", fmt.Sprintf("/sqmy/%d/sqmy_adopt", sq.ID), SqmyActionBody{Level: "city", AdoptedOn: "2026-01-02"}), 403)
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/sqmy/%d/sqmy_adopt", sq.ID), SqmyActionBody{Level: "city", AdoptedOn: "2026-01-02"}), 200).decode(t, &sq)
		h.want(h.json(f.MemberNonParty, "GET", fmt.Sprintf("/sqmy/%d", sq.ID), nil), 404)
		var out activity.Output
		h.want(h.json(f.Staff, "POST", "/outputs", OutputBody{Kind: "research_report", Title: "调研报告", DatedOn: "2026-01-05", ActivityID: a.ID, ToParty: true}), 201).decode(t, &out)
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/outputs/%d/instructions", out.ID), InstructionBody{Leader: "县委书记", GivenOn: "2026-01-06"}), 201)
		var fu activity.Followup
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/outputs/%d/followups", out.ID), FollowupBody{Matter: "落实", DueOn: "2026-03-01"}), 201).decode(t, &fu)
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/followups/%d/close", fu.ID), FollowupBody{Version: fu.Version, Feedback: "已落实"}), 200).decode(t, &fu)
		h.want(h.json(f.Staff, "GET", fmt.Sprintf("/outputs/%d", out.ID), nil), 200).decode(t, &out)
		if len(out.Instructions) != 1 || len(out.Followups) != 1 || out.Followups[0].Status != "closed" {
			t.Fatalf("output %+v", out)
		}
		h.want(h.json(f.MemberParty, "GET", "/outputs", nil), 403)
		// The plan, the ledgers and an appraisal's anonymous ballot.
		var item activity.PlanItem
		h.want(h.json(f.Staff, "POST", "/plan", PlanBody{Year: 2026, Month: 3, Topic: "城乡公交发展", Form: "bimonthly"}), 201).decode(t, &item)
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/plan/%d/plan_approve", item.ID), PlanBody{}), 409)
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/plan/%d/plan_review", item.ID), PlanBody{Version: item.Version}), 200).decode(t, &item)
		var plan []activity.PlanItem
		h.want(h.json(f.LeaderRole, "GET", "/plan?year=2026", nil), 200).decode(t, &plan)
		if len(plan) != 1 || plan[0].State != activity.PlanReviewed {
			t.Fatalf("plan %+v", plan)
		}
		h.want(h.json(f.Staff, "POST", "/speeches", LedgerBody{Speaker: "张三", Title: "发言", Mode: "oral", On: "2026-02-27"}), 201)
		h.want(h.json(f.Staff, "POST", "/articles", LedgerBody{Author: "张三", Title: "体会", On: "2026-02-27"}), 201)
		h.want(h.json(f.Staff, "POST", "/publicity", LedgerBody{Kind: "tv", Title: "政协之声", On: "2026-02-27"}), 201)
		h.want(h.json(f.Staff, "POST", "/culture-volumes", LedgerBody{Title: "文史资料", VolumeNo: 3, On: "2026-02-27"}), 201)
		h.want(h.json(f.MemberParty, "POST", "/publicity", LedgerBody{Kind: "tv", Title: "x", On: "2026-02-27"}), 403)
		unit, err := h.api.deps.Org.CreateUnit(context.Background(), auth.System(f.A), f.A, org.UnitInput{Name: "县交通运输局", Kind: "government", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		var ap activity.Appraisal
		h.want(h.json(f.Staff, "POST", "/appraisals", AppraisalBody{UnitID: unit.ID, Year: 2026, Dimensions: []string{"作风"}}), 201).decode(t, &ap)
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/appraisals/%d/open", ap.ID), AppraisalBody{}), 200)
		h.want(h.json(f.MemberParty, "POST", fmt.Sprintf("/appraisals/%d/vote", ap.ID), AppraisalBody{Ratings: map[string]string{"作风": "basic"}}), 200).decode(t, &ap)
		if ap.CanVote || ap.Results != nil {
			t.Fatalf("after voting %+v", ap)
		}
		h.want(h.json(f.MemberParty, "POST", fmt.Sprintf("/appraisals/%d/vote", ap.ID), AppraisalBody{Ratings: map[string]string{"作风": "basic"}}), 409)
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/appraisals/%d/close", ap.ID), AppraisalBody{}), 200)
		h.want(h.json(f.LeaderRole, "GET", fmt.Sprintf("/appraisals/%d", ap.ID), nil), 200).decode(t, &ap)
		if ap.Results["作风"]["basic"] != 1 || ap.Voters != 1 {
			t.Fatalf("results %+v", ap)
		}
		var sc activity.Schedule
		h.want(h.json(f.Staff, "POST", "/schedules", ScheduleBody{Kind: "study", Title: "双周学习", EveryN: 2, Unit: "week", FirstOn: "2026-13-01"}), 422)
		h.want(h.json(f.Staff, "POST", "/schedules", ScheduleBody{Kind: "study", Title: "双周学习", EveryN: 2, Unit: "week", FirstOn: "2026-06-01"}), 201).decode(t, &sc)
		h.want(h.json(f.MemberParty, "POST", fmt.Sprintf("/schedules/%d/stop", sc.ID), ScheduleBody{}), 403)
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/schedules/%d/stop", sc.ID), ScheduleBody{}), 204)
		h.want(h.json(f.Staff, "POST", fmt.Sprintf("/schedules/%d/stop", sc.ID), ScheduleBody{}), 409)
	})
}
