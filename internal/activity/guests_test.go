package activity

import (
	"bytes"
	"strings"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
)

// TestGuests: staff record invited leaders and units (a unit by the unit
// list, once); every reader of the activity sees them; a member, a leader
// and another committee's staff cannot change them; a cancelled activity
// takes none.
func TestGuests(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		a := f.create(KindInspection, "2026-06-20")
		unit := f.unit.UnitID
		g, err := f.svc.AddGuest(f.ctx, f.staff, Ref{ID: a.ID}, GuestInput{Kind: GuestLeader, Name: " 李副县长 ", Post: "副县长"})
		f.must(err, "leader")
		if g.Name != "李副县长" || g.Post != "副县长" {
			t.Fatalf("leader %+v", g)
		}
		u, err := f.svc.AddGuest(f.ctx, f.staff, Ref{ID: a.ID}, GuestInput{Kind: GuestUnit, UnitID: unit, Name: "ignored"})
		f.must(err, "unit")
		if u.Name != "县教育体育局" || u.UnitID != unit {
			t.Fatalf("unit %+v", u)
		}
		_, err = f.svc.AddGuest(f.ctx, f.staff, Ref{ID: a.ID}, GuestInput{Kind: GuestUnit, UnitID: unit})
		wantCode(t, err, apperr.Invalid, "err.activity.guest_twice")
		_, err = f.svc.AddGuest(f.ctx, f.staff, Ref{ID: a.ID}, GuestInput{Kind: GuestLeader})
		wantCode(t, err, apperr.Invalid, "err.activity.required")
		_, err = f.svc.AddGuest(f.ctx, f.staff, Ref{ID: a.ID}, GuestInput{Kind: GuestUnit, UnitID: f.w.Unit(f.other, "邻县财政局").ID})
		wantCode(t, err, apperr.Invalid, "err.form.bad_choice")
		for _, c := range []struct {
			who  *auth.Actor
			code apperr.Code
		}{{f.members[0], apperr.Forbidden}, {f.leader, apperr.Forbidden}, {f.unit, apperr.NotFound}, {f.otherStaff, apperr.NotFound}} {
			_, err := f.svc.AddGuest(f.ctx, c.who, Ref{ID: a.ID}, GuestInput{Kind: GuestLeader, Name: "冒名"})
			wantCode(t, err, c.code)
		}
		d, err := f.svc.Get(f.ctx, f.members[1], a.ID)
		f.must(err, "member reads")
		if len(d.Guests) != 2 || d.Guests[0].Kind != GuestLeader || d.Guests[1].Kind != GuestUnit {
			t.Fatalf("guests %+v", d.Guests)
		}
		if slicesContains(d.Can, ActGuests) {
			t.Fatal("a member may change guests")
		}
		sd, _ := f.svc.Get(f.ctx, f.staff, a.ID)
		if !slicesContains(sd.Can, ActGuests) {
			t.Fatal("staff may not change guests")
		}
		err = f.svc.RemoveGuest(f.ctx, f.members[0], Ref{ID: a.ID}, g.ID)
		wantCode(t, err, apperr.Forbidden)
		f.must(f.svc.RemoveGuest(f.ctx, f.staff, Ref{ID: a.ID}, g.ID), "remove")
		wantCode(t, f.svc.RemoveGuest(f.ctx, f.staff, Ref{ID: a.ID}, g.ID), apperr.NotFound)
		_, err = f.svc.Cancel(f.ctx, f.staff, f.ref(a.ID), "下雨")
		f.must(err, "cancel")
		_, err = f.svc.AddGuest(f.ctx, f.staff, Ref{ID: a.ID}, GuestInput{Kind: GuestLeader, Name: "王局长"})
		wantCode(t, err, apperr.Conflict, "err.activity.state.CANCELLED")
	})
}

// TestOutputFiles: staff attach the report itself under the proposal
// attachments' rules (type by content, size cap, count cap); readers open it;
// a member, a unit and another committee cannot.
func TestOutputFiles(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		o, err := f.svc.CreateOutput(f.ctx, f.staff, f.county.ID, OutputInput{Kind: OutResearchReport, Title: "关于乡村振兴的调研报告",
			DatedOn: civil.MustParse("2026-06-01")})
		f.must(err, "output")
		pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
		file, err := f.svc.AddOutputFile(f.ctx, f.staff, o.ID, "调研报告.pdf", pdf)
		f.must(err, "attach")
		if file.ContentType != proposal.TypePDF || file.Size != int64(len(pdf)) {
			t.Fatalf("file %+v", file)
		}
		_, err = f.svc.AddOutputFile(f.ctx, f.staff, o.ID, "setup.exe", append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 64)...))
		wantCode(t, err, apperr.Invalid, "err.activity.file_type")
		_, err = f.svc.AddOutputFile(f.ctx, f.staff, o.ID, "big.pdf", append(pdf, make([]byte, proposal.MaxAttachment)...))
		wantCode(t, err, apperr.TooLarge, "err.activity.file_too_large")
		_, err = f.svc.AddOutputFile(f.ctx, f.members[0], o.ID, "m.pdf", pdf)
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.AddOutputFile(f.ctx, f.otherStaff, o.ID, "o.pdf", pdf)
		wantCode(t, err, apperr.NotFound)
		got, err := f.svc.Output(f.ctx, f.leader, o.ID)
		f.must(err, "read")
		if len(got.Files) != 1 || got.Files[0].Name != "调研报告.pdf" {
			t.Fatalf("files %+v", got.Files)
		}
		_, data, err := f.svc.OutputFileContent(f.ctx, f.cityStaff, o.ID, file.ID)
		f.must(err, "the city reads below")
		if !bytes.Equal(data, pdf) {
			t.Fatal("content differs")
		}
		for _, who := range []*auth.Actor{f.members[0], f.unit, f.otherStaff} {
			_, _, err := f.svc.OutputFileContent(f.ctx, who, o.ID, file.ID)
			if code := apperr.CodeOf(err); code != apperr.Forbidden && code != apperr.NotFound {
				t.Fatalf("%s opens the file: %v", who.Name, err)
			}
		}
		for i := 1; i < MaxOutputFiles; i++ {
			_, err := f.svc.AddOutputFile(f.ctx, f.staff, o.ID, "附件.pdf", pdf)
			f.must(err, "attach more")
		}
		_, err = f.svc.AddOutputFile(f.ctx, f.staff, o.ID, "one too many.pdf", pdf)
		wantCode(t, err, apperr.Invalid, "err.activity.too_many_files")
		wantCode(t, f.svc.RemoveOutputFile(f.ctx, f.members[0], o.ID, file.ID), apperr.Forbidden)
		f.must(f.svc.RemoveOutputFile(f.ctx, f.staff, o.ID, file.ID), "remove")
		_, _, err = f.svc.OutputFileContent(f.ctx, f.staff, o.ID, file.ID)
		wantCode(t, err, apperr.NotFound)
	})
}

// TestSqmyMerge: staff merge items into one; the merged ones point to it,
// take no further step and stay counted; the target goes on to adoption. A
// member cannot merge; an adopted item, an item of another committee and the
// target itself cannot be merged.
func TestSqmyMerge(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		var ids []int64
		for i := 0; i < 4; i++ {
			it, err := f.svc.SubmitSqmy(f.ctx, f.members[i], f.county.ID, SqmyInput{Title: "关于饮水安全的社情民意"})
			f.must(err, "submit")
			ids = append(ids, it.ID)
		}
		oi, err := f.svc.SubmitSqmy(f.ctx, f.otherMember, f.other.ID, SqmyInput{Title: "邻县"})
		f.must(err, "other")
		_, err = f.svc.MergeSqmy(f.ctx, f.members[0], Ref{ID: ids[0]}, ids[1:2])
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.MergeSqmy(f.ctx, f.staff, Ref{ID: ids[0]}, []int64{ids[0]})
		wantCode(t, err, apperr.Invalid, "err.activity.merge_self")
		_, err = f.svc.MergeSqmy(f.ctx, f.staff, Ref{ID: ids[0]}, []int64{oi.ID})
		wantCode(t, err, apperr.Invalid, "err.form.bad_choice")
		_, err = f.svc.ChangeSqmy(f.ctx, f.staff, Ref{ID: ids[3]}, SqmyChange{Action: SqmyAdopt, Level: "county", AdoptedOn: f.today})
		f.must(err, "adopt 3")
		_, err = f.svc.MergeSqmy(f.ctx, f.staff, Ref{ID: ids[0]}, []int64{ids[1], ids[3]})
		wantCode(t, err, apperr.Conflict, "err.activity.sqmy_state.adopted")
		if it, _ := f.svc.SqmyItem(f.ctx, f.staff, ids[1]); it.MergedInto != 0 {
			t.Fatal("a refused merge left a mark")
		}
		target, err := f.svc.MergeSqmy(f.ctx, f.staff, Ref{ID: ids[0]}, []int64{ids[1], ids[2]})
		f.must(err, "merge")
		if target.State != SqmyEdited {
			t.Fatalf("target %s", target.State)
		}
		got, err := f.svc.SqmyItem(f.ctx, f.staff, ids[0])
		f.must(err, "target")
		if len(got.Merged) != 2 || got.Merged[0].ID != ids[1] || got.Merged[1].PersonID != f.people[2] {
			t.Fatalf("merged %+v", got.Merged)
		}
		src, err := f.svc.SqmyItem(f.ctx, f.members[1], ids[1])
		f.must(err, "the author still reads their item")
		if src.MergedInto != ids[0] {
			t.Fatalf("source %+v", src)
		}
		_, err = f.svc.ChangeSqmy(f.ctx, f.staff, Ref{ID: ids[1]}, SqmyChange{Action: SqmyAdopt, Level: "county", AdoptedOn: f.today})
		wantCode(t, err, apperr.Conflict, "err.activity.sqmy_merged")
		_, err = f.svc.MergeSqmy(f.ctx, f.staff, Ref{ID: ids[1]}, []int64{ids[0]})
		wantCode(t, err, apperr.Conflict, "err.activity.sqmy_merged")
		_, err = f.svc.ChangeSqmy(f.ctx, f.staff, Ref{ID: ids[0]}, SqmyChange{Action: SqmyAdopt, Level: "city", AdoptedOn: f.today})
		f.must(err, "adopt the merged item")
		_, total, err := f.svc.SqmyList(f.ctx, f.staff, SqmyFilter{CommitteeID: f.county.ID})
		f.must(err, "list")
		if total != 4 {
			t.Fatalf("merged items left the list: %d", total)
		}
	})
}

// TestConvertMakesSqmy: the proposal office's Convert to 社情民意 creates the
// item itself, on the conversion's date, by the first proposer, linked both
// ways (the item names the proposal; the proposal is found from it); a body's
// proposal is carried by the group of its name; forwarding as 意见建议 makes none.
func TestConvertMakesSqmy(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		term, err := f.w.Org.CurrentTerm(f.ctx, f.staff, f.county.ID)
		f.must(err, "term")
		f.w.Session(f.county, org.SessionInput{TermID: term.ID, Number: 2, Name: "九届二次", Year: 2026,
			OpensOn: "2026-02-26", ClosesOn: "2026-03-01", SubmitFrom: "2026-02-01", SubmitTo: "2026-03-01"})
		psvc := proposal.NewService(f.d)
		psvc.Today = func() civil.Date { return civil.MustParse("2026-03-01") }
		var mid int64
		f.must(f.d.QueryRowContext(f.ctx, `SELECT id FROM memberships WHERE person_id = $1`, f.people[2]).Scan(&mid), "membership")
		sd := proposal.NewSeeder(psvc, f.county.ID)
		drive := func(title string, to proposal.ConvertTarget) *proposal.Proposal {
			c := proposal.Content{Kind: proposal.Individual, Theme: proposal.Society, Title: title, Matter: "案由：" + title, Analysis: "分析", Suggestions: "建议"}
			p, err := sd.Drive(f.ctx, proposal.SeedSpec{Content: c, FirstProposer: mid, Target: proposal.NotRegistered, ConvertTo: to})
			f.must(err, "seed "+title)
			return p
		}
		p := drive("关于农村公路养护的建议", proposal.ToSQMY)
		items, _, err := f.svc.SqmyList(f.ctx, f.staff, SqmyFilter{CommitteeID: f.county.ID})
		f.must(err, "list")
		if len(items) != 1 || items[0].ProposalID != p.ID || items[0].PersonID != f.people[2] ||
			items[0].SubmittedOn != civil.MustParse("2026-03-01") || !strings.HasPrefix(items[0].Content, "案由") {
			t.Fatalf("converted %+v", items)
		}
		_, err = f.svc.ConvertProposal(f.ctx, f.staff, p.ID)
		wantCode(t, err, apperr.Conflict, "err.activity.already_converted")
		drive("关于转交的建议", proposal.ToOpinion)
		// A body's proposal (no first proposer) converted by the office.
		g := drive("关于界别的建议", "")
		_, err = f.d.ExecContext(f.ctx, `UPDATE proposals SET kind = 'body', body_type = 'sector', body_name = '经济委员会', first_proposer_id = NULL WHERE id = $1`, g.ID)
		f.must(err, "make it a body's")
		_, err = psvc.Convert(f.ctx, sd.Office, proposal.Ref{ID: g.ID}, proposal.ToSQMY)
		f.must(err, "convert the body's")
		items, _, err = f.svc.SqmyList(f.ctx, f.staff, SqmyFilter{CommitteeID: f.county.ID})
		f.must(err, "list")
		if len(items) != 2 || items[0].ProposalID != g.ID || items[0].GroupID != f.group || items[0].PersonID != 0 {
			t.Fatalf("after opinion and body: %+v", items)
		}
	})
}
