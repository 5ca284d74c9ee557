package proposal

import (
	"strings"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure/figuretest"
	"lvzhi/internal/org"
)

// pastSession adds last year's session (九届一次, 2025; submission window
// 2025-01-01 … 2025-01-20) to the fixture, for past records.
func (f *fx) pastSession() int64 {
	f.t.Helper()
	return f.w.Session(f.committees[f.cid], org.SessionInput{TermID: f.termID, Number: 1, Name: "九届一次全会", Year: 2025,
		OpensOn: "2025-01-18", ClosesOn: "2025-01-20", SubmitFrom: "2025-01-01", SubmitTo: "2025-01-20"}).ID
}

var d = civil.MustParse

// fullHistory is a 2025 proposal from submission to closing: registered as
// number 15, assigned to units[0] on 2025-02-10 (due 2025-05-12, the default
// three months moved to a working day), contacted face to face, replied late
// (handed in 2025-06-02), approved, evaluated satisfied by its only signer.
func (f *fx) fullHistory(session int64) History {
	c := content("关于补录提案的提案")
	c.SessionID = session
	return History{
		Content: c, FirstProposer: f.mids[0], SubmittedOn: d("2025-01-10"),
		Registered: &Registration{On: d("2025-01-24"), Seq: 15},
		Assigned:   &HistoryAssignment{On: d("2025-02-10"), Mode: Single, Units: []int64{f.units[0]}, AcceptedOn: d("2025-02-11")},
		Contacts: []HistoryContact{{Unit: f.units[0], ContactInput: ContactInput{On: d("2025-02-20"), Method: ByFace,
			People: "张三（提案人）、局长"}}},
		Replies: []HistoryReply{{Unit: f.units[0], On: d("2025-06-02"), Class: "B", Letter: "经研究，答复如下：……",
			ApprovedOn: d("2025-06-05")}},
		Evaluations: []HistoryEvaluation{{Signer: f.mids[0], On: d("2025-06-10"), EvaluationInput: EvaluationInput{
			Overall: Satisfied, Contact: Visited, Attitude: Satisfied, Addressed: Targeted}}},
	}
}

// TestBackfillWholeHistory enters a whole past and checks every date it
// leaves, the timeline and audit marks, and that nobody was notified.
func TestBackfillWholeHistory(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		ps := f.pastSession()
		p, err := f.svc.Backfill(f.ctx, f.office, f.fullHistory(ps))
		if err != nil {
			t.Fatal(err)
		}
		if p.State != Closed || p.Number != "九届一次-015" || p.Seq != 15 || p.SessionID != ps || p.Year != 2025 {
			t.Fatalf("got %s %q seq %d session %d year %d", p.State, p.Number, p.Seq, p.SessionID, p.Year)
		}
		for name, got := range map[string]civil.Date{"submitted": p.SubmittedOn, "registered": p.RegisteredOn,
			"assigned": p.AssignedOn, "replied": p.RepliedOn, "closed": p.ClosedOn} {
			want := map[string]string{"submitted": "2025-01-10", "registered": "2025-01-24", "assigned": "2025-02-10",
				"replied": "2025-06-05", "closed": "2025-06-10"}[name]
			if got.String() != want {
				t.Errorf("%s on %s, want %s", name, got, want)
			}
		}
		if p.Category != Plenary {
			t.Errorf("category %s, want plenary (submitted inside the 2025 window)", p.Category)
		}
		dt := f.get(p.ID)
		if a := dt.Assignments[0]; a.AssignedOn.String() != "2025-02-10" || a.DueOn.String() != "2025-05-12" ||
			a.RepliedOn.String() != "2025-06-05" || civil.Of(a.AcceptedAt).String() != "2025-02-11" {
			t.Errorf("assignment %+v", a)
		}
		if r := dt.Replies[0]; r.SubmittedOn.String() != "2025-06-02" || r.DeliveredOn.String() != "2025-06-05" || r.ResultClass != "B" {
			t.Errorf("reply %+v", r)
		}
		if civil.Of(dt.Evaluations[0].CreatedAt).String() != "2025-06-10" {
			t.Errorf("evaluation at %s", dt.Evaluations[0].CreatedAt)
		}
		// Every timeline event is dated on its real day and marked as entered by the office.
		for _, e := range dt.Events {
			if e.EnteredBy != f.office.Name || e.EnteredAt.IsZero() || e.At.Year() != 2025 {
				t.Errorf("event %s at %s entered by %q at %s", e.Action, e.At, e.EnteredBy, e.EnteredAt)
			}
		}
		acts := []string{}
		for _, e := range dt.Events {
			acts = append(acts, e.Action+"@"+civil.Of(e.At).String())
		}
		want := "create@2025-01-10 submit@2025-01-10 register@2025-01-24 assign@2025-02-10 accept@2025-02-11 contact@2025-02-20 " +
			"draft_reply@2025-06-02 submit_reply@2025-06-02 approve@2025-06-05 evaluate@2025-06-10 close@2025-06-10"
		if got := strings.Join(dedupe(acts), " "); got != want {
			t.Errorf("timeline\n got %s\nwant %s", got, want)
		}
		// The audit log: every entry by the office user, each marked with the step's real date.
		n := f.count(`SELECT COUNT(*) FROM audit_log WHERE committee_id = $1 AND action LIKE 'proposal.%'`, f.cid)
		marked := f.count(`SELECT COUNT(*) FROM audit_log WHERE committee_id = $1 AND action LIKE 'proposal.%'
			AND actor_user_id = $2 AND after_json LIKE '%"backfill":{%'`, f.cid, f.office.UserID)
		if n == 0 || marked != n {
			t.Errorf("%d of %d proposal audit entries marked as backfilled by the office", marked, n)
		}
		if got := f.count(`SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%"for":"县教育体育局"%'`); got == 0 {
			t.Error("no audit entry names the unit the office entered a step for")
		}
		if got := f.count(`SELECT COUNT(*) FROM notifications`); got != 0 {
			t.Errorf("%d notifications for steps long past", got)
		}
		// The same number again is refused on the number.
		_, err = f.svc.Backfill(f.ctx, f.office, f.fullHistory(ps))
		wantField(t, err, "registered.seq")
		// Live registrations continue after the highest number entered.
		live := f.seed(Registered, func(s *SeedSpec) { s.Content.SessionID = ps })
		if live.Seq != 16 {
			t.Errorf("live registration after backfill got number %d, want 16", live.Seq)
		}
	})
}

// dedupe drops consecutive repeats (settle records the proposal's move beside the assignment's).
func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if len(out) == 0 || out[len(out)-1] != x {
			out = append(out, x)
		}
	}
	return out
}

// TestBackfillJointHistory enters a joint proposal handled by two units (会办):
// co-signing, countersign, and closing once both signers evaluated.
func TestBackfillJointHistory(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		ps := f.pastSession()
		h := f.fullHistory(ps)
		h.Kind, h.CoSigners, h.CoSignedOn = Joint, []int64{f.mids[1]}, d("2025-01-08")
		h.Assigned = &HistoryAssignment{On: d("2025-02-10"), Mode: JointMode, Units: []int64{f.units[0], f.units[1]}}
		h.Replies[0].On = d("2025-04-30")
		h.Evaluations = append(h.Evaluations, HistoryEvaluation{Signer: f.mids[1], On: d("2025-06-12"),
			EvaluationInput: EvaluationInput{Overall: Basic, Contact: Visited, Attitude: Basic, Addressed: BasicTargeted}})
		p, err := f.svc.Backfill(f.ctx, f.office, h)
		if err != nil {
			t.Fatal(err)
		}
		dt := f.get(p.ID)
		if p.State != Closed || p.ClosedOn.String() != "2025-06-12" || len(dt.Signers) != 2 || dt.Signers[1].Status != Signed {
			t.Fatalf("state %s closed %s signers %+v", p.State, p.ClosedOn, dt.Signers)
		}
		if len(dt.Replies) != 1 || len(dt.Replies[0].Countersigns) != 1 || civil.Of(dt.Replies[0].Countersigns[0].At).String() != "2025-04-30" {
			t.Errorf("replies %+v", dt.Replies)
		}
		if civil.Of(dt.Signers[1].RespondedAt).String() != "2025-01-08" {
			t.Errorf("co-signed at %s", dt.Signers[1].RespondedAt)
		}
	})
}

// TestBackfillRefused tries every impossible order or date, and each refusal
// of the live rules, and checks that each is refused naming the step's field
// and that nothing at all was written.
func TestBackfillRefused(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		ps := f.pastSession()
		cases := []struct {
			name       string
			mut        func(h *History)
			field, key string
		}{
			{"no submission date", func(h *History) { h.SubmittedOn = civil.Date{} }, "submitted_on", "err.required"},
			{"in the future", func(h *History) { h.ClosedOn = f.today.AddDays(1) }, "closed_on", "err.proposal.backfill.future"},
			{"co-signed after submission", func(h *History) {
				h.Kind, h.CoSigners, h.CoSignedOn = Joint, []int64{f.mids[1]}, d("2025-01-11")
			}, "submitted_on", "err.proposal.backfill.before"},
			{"registered before submission", func(h *History) { h.Registered.On = d("2025-01-09") }, "registered.on", "err.proposal.backfill.before"},
			{"declined before submission", func(h *History) {
				h.Registered, h.Assigned, h.Contacts, h.Replies, h.Evaluations = nil, nil, nil, nil, nil
				h.Declined = &Declination{On: d("2025-01-09"), Reason: "vague"}
			}, "declined.on", "err.proposal.backfill.before"},
			{"assigned before registration", func(h *History) { h.Assigned.On = d("2025-01-23") }, "assigned.on", "err.proposal.backfill.before"},
			{"assigned without registration", func(h *History) { h.Registered = nil }, "assigned.on", "err.proposal.state.SUBMITTED"},
			{"accepted before assignment", func(h *History) { h.Assigned.AcceptedOn = d("2025-02-07") }, "assigned.accepted_on", "err.proposal.backfill.before"},
			{"contact before acceptance", func(h *History) { h.Contacts[0].On = d("2025-02-10") }, "contacts[0].on", "err.proposal.backfill.before"},
			{"reply before acceptance", func(h *History) { h.Replies[0].On = d("2025-02-10") }, "replies[0].on", "err.proposal.backfill.before"},
			{"approved before handed in", func(h *History) { h.Replies[0].ApprovedOn = d("2025-06-01") }, "replies[0].approved_on", "err.proposal.backfill.before"},
			{"evaluated before the reply", func(h *History) { h.Evaluations[0].On = d("2025-06-04") }, "evaluations[0].on", "err.proposal.backfill.before"},
			{"closed before the reply", func(h *History) { h.Evaluations = nil; h.ClosedOn = d("2025-06-04") }, "closed_on", "err.proposal.backfill.before"},
			{"reply without assignment", func(h *History) { h.Assigned = nil }, "assigned.on", "err.proposal.backfill.not_assigned"},
			{"evaluation without reply", func(h *History) { h.Replies = nil }, "replies", "err.proposal.backfill.no_reply"},
			{"evaluation of a reply not approved", func(h *History) { h.Replies[0].ApprovedOn = civil.Date{} }, "evaluations[0].on", "err.proposal.state.REPLY_REVIEW"},
			{"reply by a unit not assigned", func(h *History) { h.Replies[0].Unit = f.units[1] }, "replies[0].unit", "err.proposal.backfill.unit_not_assigned"},
			{"contact by an unknown unit", func(h *History) { h.Contacts[0].Unit = f.foreignUnit }, "contacts[0].unit", "err.proposal.unit_unknown"},
			{"unknown first proposer", func(h *History) { h.FirstProposer = 999999 }, "first_proposer", "err.proposal.backfill.unknown_member"},
			{"evaluation by a non-signer", func(h *History) { h.Evaluations[0].Signer = f.mids[2] }, "evaluations[0].signer", "err.proposal.only_signers_evaluate"},
			{"due date past six months", func(h *History) { h.Assigned.DueOn = d("2025-08-11") }, "assigned.on", "err.proposal.due_out_of_range"},
			{"due date before assignment", func(h *History) { h.Assigned.DueOn = d("2025-02-09") }, "assigned.on", "err.proposal.due_out_of_range"},
			{"evaluation after its window", func(h *History) { h.Evaluations[0].On = d("2025-06-27") }, "evaluations[0].on", "err.proposal.evaluation_closed"},
			{"closed inside the evaluation period", func(h *History) { h.Evaluations = nil; h.ClosedOn = d("2025-06-20") }, "closed_on", "err.proposal.evaluation_open"},
			{"closed on another day than it closed by itself", func(h *History) { h.ClosedOn = d("2025-06-30") }, "closed_on", "err.proposal.backfill.closed_on_differs"},
			{"closed on the day it closed by itself", func(h *History) { h.ClosedOn = d("2025-06-10") }, "", ""}, // allowed: the same history
			{"unknown result class", func(h *History) { h.Replies[0].Class = "Z" }, "replies[0].on", "err.proposal.bad_choice"},
			{"reply without a contact before it", func(h *History) { h.Contacts[0].On = d("2025-06-03") }, "replies[0].on", "err.proposal.state.ACCEPTED"},
			{"contact after the reply was handed in", func(h *History) {
				h.Contacts = append(h.Contacts, HistoryContact{Unit: f.units[0], ContactInput: ContactInput{On: d("2025-06-03"), Method: ByPhone, People: "张三"}})
			}, "contacts[1].on", "err.proposal.state.REPLY_REVIEW"},
			{"follow-up in the proposal's year", func(h *History) {
				h.Replies[0].Class, h.Evaluations, h.ClosedOn = "C", nil, d("2025-07-01")
				h.FollowUps = []HistoryFollowUp{{Unit: f.units[0], On: d("2025-12-01"), ResultClass: "B", Note: "已列入计划"}}
			}, "follow_ups[0].on", "err.proposal.bad_year"},
			{"follow-up before closing", func(h *History) {
				h.Replies[0].Class, h.Evaluations = "C", nil
				h.FollowUps = []HistoryFollowUp{{Unit: f.units[0], On: d("2026-01-15"), ResultClass: "B", Note: "已列入计划"}}
			}, "follow_ups[0].on", "err.proposal.state.REPLIED"},
			{"follow-up the next year, after closing", func(h *History) {
				h.Replies[0].Class, h.Evaluations, h.ClosedOn = "C", nil, d("2025-07-01")
				h.FollowUps = []HistoryFollowUp{{Unit: f.units[0], On: d("2026-01-15"), ResultClass: "B", Note: "已列入计划"}}
			}, "", ""}, // allowed
			{"a 会办 co-unit replying", func(h *History) {
				h.Assigned.Mode, h.Assigned.Units = JointMode, []int64{f.units[0], f.units[1]}
				h.Replies[0].Unit = f.units[1]
			}, "replies[0].on", "err.forbidden"},
			{"single mode with two units", func(h *History) { h.Assigned.Units = []int64{f.units[0], f.units[1]} }, "assigned.on", "err.proposal.units_single"},
			{"co-signed a week before submission", func(h *History) {
				h.Kind, h.CoSigners, h.CoSignedOn = Joint, []int64{f.mids[1]}, d("2025-01-02")
			}, "", ""}, // allowed: co-signers sign on the day signing starts
		}
		for _, c := range cases {
			h := f.fullHistory(ps)
			c.mut(&h)
			p, err := f.svc.Backfill(f.ctx, f.office, h)
			if c.field == "" {
				if err != nil {
					t.Errorf("%s: %v", c.name, err)
				} else {
					f.exec(`DELETE FROM proposals WHERE id = $1`, p.ID)
				}
				continue
			}
			e := apperr.As(err)
			if e == nil || e.Code != apperr.Invalid {
				t.Errorf("%s: got %v, want invalid %s %s", c.name, err, c.field, c.key)
				continue
			}
			found := false
			for _, fe := range e.Fields {
				found = found || fe.Field == c.field && fe.Key == c.key
			}
			if !found {
				t.Errorf("%s: got fields %+v, want %s %s", c.name, e.Fields, c.field, c.key)
			}
		}
		if after := f.count(`SELECT COUNT(*) FROM proposals`); after != 0 {
			t.Errorf("%d proposals written by refused histories", after)
		}
	})
}

// TestBackfillPermission: only the proposal office enters past records; a
// foreign committee's office cannot use this committee's members.
func TestBackfillPermission(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		ps := f.pastSession()
		for _, a := range []*auth.Actor{f.staff, f.admin, f.leader, f.members[0], f.unitActors[0], f.assistance, nil} {
			_, err := f.svc.Backfill(f.ctx, a, f.fullHistory(ps))
			if c := apperr.CodeOf(err); c != apperr.Forbidden && c != apperr.Unauthorized {
				t.Errorf("%v: got %v", a, err)
			}
		}
		_, err := f.svc.Backfill(f.ctx, f.foreignOffice, f.fullHistory(ps))
		wantField(t, err, "first_proposer")
		if n := f.count(`SELECT COUNT(*) FROM proposals`); n != 0 {
			t.Errorf("%d proposals written", n)
		}
	})
}

// TestBackfillFiguresCountRealDates enters last year's ledger entered today:
// replies on time and late (by the day the unit handed them in, not the day
// they were entered), a proposal overdue since last year, one never assigned,
// and checks the figures against a hand count, and their records, on both engines.
func TestBackfillFiguresCountRealDates(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		ps := f.pastSession()
		enter := func(title string, mut func(h *History)) *Proposal {
			t.Helper()
			h := f.fullHistory(ps)
			h.Title, h.Registered.Seq = title, 0
			mut(&h)
			p, err := f.svc.Backfill(f.ctx, f.office, h)
			if err != nil {
				t.Fatalf("%s: %v", title, err)
			}
			return p
		}
		// Due 2025-05-12 in every case (assigned 2025-02-10).
		onTime := enter("按时答复", func(h *History) {
			h.Replies[0].On, h.Replies[0].ApprovedOn, h.Replies[0].Class = d("2025-04-28"), d("2025-04-30"), "A"
			h.Evaluations[0].On = d("2025-05-06")
		})
		late := enter("逾期答复", func(h *History) {}) // handed in 2025-06-02, class B
		handedInTime := enter("按时交审、逾期送达", func(h *History) {
			h.Replies[0].On, h.Replies[0].ApprovedOn = d("2025-05-12"), d("2025-05-20") // the office's review is not the unit's
			h.Evaluations[0].On = d("2025-05-26")
		})
		overdue := enter("至今未复", func(h *History) { h.Replies, h.Evaluations = nil, nil })
		phoneOnly := enter("电话面商", func(h *History) {
			h.Contacts[0].Method = ByPhone
			h.Replies[0].On, h.Replies[0].ApprovedOn, h.Replies[0].Class = d("2025-05-09"), d("2025-05-09"), "C"
			h.Evaluations[0].On, h.Evaluations[0].Overall, h.Evaluations[0].Comment = d("2025-05-15"), Dissatisfied, "未解决"
		})
		notAssigned := enter("尚未交办", func(h *History) {
			h.Assigned, h.Contacts, h.Replies, h.Evaluations = nil, nil, nil, nil
		})
		ff := FigureFilter{CommitteeID: f.cid, SessionID: ps}
		fs, err := f.svc.Figures(f.ctx, f.office, ff)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][2]int64{ // hand count: value, denominator
			"proposals.received":     {6, 0},
			"proposals.registered":   {6, 6},
			"proposals.assigned":     {5, 6},
			"proposals.replied":      {4, 6},
			"proposals.on_time":      {3, 4}, // onTime, handedInTime, phoneOnly; not late
			"proposals.overdue":      {2, 6}, // overdue (due 2025-05-12) and phoneOnly (再办理 after 不满意 on 2025-05-15, due a month later), on 2026-03-02
			"proposals.face_to_face": {3, 4}, // all but phoneOnly
			"proposals.class.A":      {1, 6},
			"proposals.class.B":      {2, 6},
			"proposals.class.C":      {1, 6},
			"proposals.solved":       {3, 6},
			"proposals.evaluated":    {4, 4},
			"proposals.satisfied":    {3, 4},
		}
		for id, w := range want {
			if v := fs.Get(id); v.Value != w[0] || v.DenValue != w[1] {
				t.Errorf("%s = %d / %d, want %d / %d", id, v.Value, v.DenValue, w[0], w[1])
			}
		}
		ids := f.recordIDs("proposals.on_time", ff)
		if !ids[onTime.ID] || !ids[handedInTime.ID] || !ids[phoneOnly.ID] || ids[late.ID] || len(ids) != 3 {
			t.Errorf("on-time records %v", ids)
		}
		if ids := f.recordIDs("proposals.overdue", ff); !ids[overdue.ID] || !ids[phoneOnly.ID] || len(ids) != 2 {
			t.Errorf("overdue records %v", ids)
		}
		if ids := f.recordIDs("proposals.registered", ff); !ids[notAssigned.ID] {
			t.Errorf("registered records %v", ids)
		}
		// This year's session holds none of it: the figures go by the real dates.
		now, err := f.svc.Figures(f.ctx, f.office, FigureFilter{CommitteeID: f.cid, SessionID: f.sessionID})
		if err != nil {
			t.Fatal(err)
		}
		if v := now.Get("proposals.received"); v.Value != 0 {
			t.Errorf("this session received %d", v.Value)
		}
		figuretest.CheckRecords(t, f.ctx, f.svc.Source(), f.office, ff.Neutral())
	})
}
