package proposal

import (
	"strings"
	"testing"

	"lvzhi/internal/figure/figuretest"
)

// The corrected definitions (issue "Shared parts", item 10), each on records
// built through the use cases, on both engines.

// TestWithdrawnCountsOnlySubmitted: 撤案 is a withdrawal after submission; a
// draft withdrawn before it was ever submitted was never received.
func TestWithdrawnCountsOnlySubmitted(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		after := f.seed(Withdrawn)
		draft := f.seed(Draft)
		f.must(f.svc.Withdraw(f.ctx, f.members[0], Ref{ID: draft.ID}, "不再提交"))
		if got := f.state(draft.ID); got != Withdrawn { // the office cannot read a withdrawn draft
			t.Fatalf("draft state %s", got)
		}
		ff := FigureFilter{CommitteeID: f.cid}
		fs, err := f.svc.Figures(f.ctx, f.office, ff)
		if err != nil {
			t.Fatal(err)
		}
		if v := fs.Get("proposals.withdrawn"); v.Value != 1 || v.DenValue != 1 {
			t.Errorf("withdrawn = %d / %d, want 1 / 1 (only the submitted one)", v.Value, v.DenValue)
		}
		ids := f.recordIDs("proposals.withdrawn", ff)
		if !ids[after.ID] || ids[draft.ID] {
			t.Errorf("withdrawn records %v: want %d and not the draft %d", ids, after.ID, draft.ID)
		}
	})
}

// TestOnTimeIsWhenTheUnitHandsIn: a unit that submitted its reply by the due
// date is on time even when the office approves it after the due date; a unit
// that submits after the due date is late even if approved the same day.
func TestOnTimeIsWhenTheUnitHandsIn(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		start := f.today
		handIn := func(p *Proposal, unit int, submitOffset, approveOffset int) {
			t.Helper()
			a := f.unitActors[unit]
			ref := Ref{ID: p.ID}
			f.today = start
			f.must(f.svc.LogContact(f.ctx, a, ref, ContactInput{On: f.today, Method: ByFace, People: "提案人"}))
			due := f.get(p.ID).Assignments[0].DueOn
			f.today = due.AddDays(submitOffset)
			f.must(f.svc.DraftReply(f.ctx, a, ref, ReplyInput{ResultClass: "A", Body: "已办理。"}))
			f.must(f.svc.SubmitReply(f.ctx, a, ref))
			f.today = due.AddDays(approveOffset)
			f.must(f.svc.Approve(f.ctx, f.office, ref, f.get(p.ID).Assignments[0].ID, "", ""))
		}
		unit0 := func(sp *SeedSpec) { sp.Units = []int64{f.units[0]} }
		onTime, late := f.seed(Accepted, unit0), f.seed(Accepted, unit0)
		handIn(onTime, 0, 0, 10) // handed in on the due date, approved ten days later
		handIn(late, 0, 1, 1)    // handed in a day late, approved the same day
		ff := FigureFilter{CommitteeID: f.cid}
		ids := f.recordIDs("proposals.on_time", ff)
		if !ids[onTime.ID] || ids[late.ID] {
			t.Errorf("on-time records %v: want %d (handed in on the due date) and not %d (handed in late)", ids, onTime.ID, late.ID)
		}
		lg, err := f.svc.League(f.ctx, f.office, ff)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range lg.Rows {
			if row.UnitID == f.units[0] {
				if v := row.Get("assignments.on_time"); v.Value != 1 || v.DenValue != 2 {
					t.Errorf("unit league on time = %d / %d, want 1 / 2", v.Value, v.DenValue)
				}
			}
		}
	})
}

// TestSatisfactionByProposal: 满意率 counts proposals (件) by the latest round
// any signer evaluated, where one 不满意 makes the proposal not satisfied; the
// per-evaluation rate stays beside it under its own name.
func TestSatisfactionByProposal(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		s := f.seedSession()
		ff := FigureFilter{CommitteeID: f.cid, SessionID: f.sessionID}
		fs, err := f.svc.Figures(f.ctx, f.office, ff)
		if err != nil {
			t.Fatal(err)
		}
		// Evaluated: solvedA, jointB, separateC, dissatisfied, late (repliedOnly has no evaluation).
		for id, want := range map[string][2]int64{
			"proposals.evaluated":   {5, 6},
			"proposals.satisfied":   {4, 5},
			"evaluations.returned":  {6, 0},
			"evaluations.satisfied": {4, 6},
		} {
			if v := fs.Get(id); v.Value != want[0] || v.DenValue != want[1] {
				t.Errorf("%s = %d / %d, want %d / %d", id, v.Value, v.DenValue, want[0], want[1])
			}
		}
		ids := f.recordIDs("proposals.satisfied", ff)
		if ids[s.dissatisfied.ID] || ids[s.repliedOnly.ID] || !ids[s.solvedA.ID] || !ids[s.late.ID] {
			t.Errorf("satisfied records %v", ids)
		}
		figuretest.CheckRecords(t, f.ctx, f.svc.Source(), f.office, ff.Neutral())
	})
}

// recordIDs returns the proposals behind a figure.
func (f *fx) recordIDs(figureID string, ff FigureFilter) map[int64]bool {
	f.t.Helper()
	ids := map[int64]bool{}
	if _, err := f.svc.EachRecord(f.ctx, f.office, figureID, ff, func(r Record) error { ids[r.ProposalID] = true; return nil }); err != nil {
		f.t.Fatal(err)
	}
	return ids
}

// TestEveryFigureDefined: every proposal figure, families included, has a name,
// a definition and a unit in both languages (the figure contract's words).
func TestEveryFigureDefined(t *testing.T) {
	var defs []FigureDef
	defs = append(defs, figureDefs...)
	for _, id := range []string{themePrefix + string(Economy), classPrefix + "A", unitClassPrefix + "B"} {
		d, ok := FigureByID(id)
		if !ok {
			t.Fatalf("family figure %s not found", id)
		}
		defs = append(defs, d)
	}
	for _, d := range defs {
		fd := d.Def()
		for _, lang := range []string{"zh", "en"} {
			name, def, unit := fd.Name(lang), fd.Definition(lang), fd.UnitName(lang)
			if name == "" || strings.HasPrefix(name, "figures.") || strings.HasPrefix(def, "figures.") || strings.HasPrefix(unit, "figures.") {
				t.Errorf("%s in %s: name %q, definition %q, unit %q", d.ID, lang, name, def, unit)
			}
		}
	}
}
