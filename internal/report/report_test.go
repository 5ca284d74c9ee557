package report

import (
	"strings"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/figure"
	"lvzhi/internal/proposal"
)

// TestLiveDocument: a draft's sentences carry the registry's live values; the
// sections whose figures are not registered are left out and named.
func TestLiveDocument(t *testing.T) {
	each(t, func(t *testing.T, f *rfx) {
		f.seedYear()
		r := f.create()
		d := f.doc(f.staff, r.ID, "zh")
		set, err := f.reg.Figures(f.ctx, f.staff, figure.YearFilter(f.c.ID, Year))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range d.Values {
			if got := set.Get(v.ID); got.Value != v.Value || got.DenValue != v.DenValue {
				t.Errorf("%s: report %d/%d, registry %d/%d", v.ID, v.Value, v.DenValue, got.Value, got.DenValue)
			}
		}
		if d.Frozen {
			t.Error("a draft is live")
		}
		solved, _ := d.Value("proposals.solved")
		if solved.Value != 3 || solved.DenValue != 6 { // A, B and the replied A; not C
			t.Errorf("proposals.solved = %d / %d, want 3 / 6", solved.Value, solved.DenValue)
		}
		if !strings.Contains(d.Text(), "提案所提事项已解决和正在解决的达3件，占总数的50%，面商率、满意率均达100%。") {
			t.Errorf("results sentence missing:\n%s", d.Text())
		}
	})
}

// TestSectionLeftOutUntilRegistered: a section citing a figure no source
// registers is left out and named in the notice, never shown with a number;
// once a source registers every figure it cites, it is shown.
func TestSectionLeftOutUntilRegistered(t *testing.T) {
	each(t, func(t *testing.T, f *rfx) {
		// Only the proposal area's figures registered: the other areas not built.
		f.reg = figure.NewRegistry(f.props.Source())
		f.svc.Figures = f.reg
		r := f.create()
		d := f.doc(f.staff, r.ID, "zh")
		study, _ := SectionByID("study")
		shown := d.SectionIDs()
		for _, sd := range Sections {
			miss := sd.Unregistered(f.reg)
			inShown := strings.Contains(strings.Join(shown, ","), sd.ID)
			if (len(miss) > 0) == inShown {
				t.Errorf("section %s: unregistered %v but shown %v", sd.ID, miss, inShown)
			}
		}
		if strings.Contains(strings.Join(shown, ","), "study") {
			t.Fatal("the study section cites figures no source registers; it must be left out")
		}
		text := d.Text()
		if strings.Contains(text, "征集理论研讨文章") || !strings.Contains(d.MissingNotice(), study.Title("zh")) {
			t.Errorf("study section shown or not named:\n%s", text)
		}
		// A source of those figures makes the section appear, with its numbers.
		f.svc.Figures = figure.NewRegistry(append(f.reg.Sources(), stubSource{values: map[string]int64{
			"study.articles_collected": 73, "study.articles_published": 12, "activities.study": 5,
			"publicity.tv": 17, "publicity.articles": 57, "culture.volumes": 1}})...)
		d = f.doc(f.staff, r.ID, "zh")
		if !strings.Contains(d.Text(), "征集理论研讨文章73篇，刊发12篇，组织学习培训5次。") ||
			!strings.Contains(d.Text(), "播出节目17期；刊发宣传稿件57篇。") || !strings.Contains(d.Text(), "整理编辑文史资料1辑。") {
			t.Errorf("study section with registered figures:\n%s", d.Text())
		}
		for _, m := range d.Missing {
			if m.ID == "study" {
				t.Error("study still missing")
			}
		}
	})
}

// TestFinaliseFreezes: finalising freezes values, date and the records each
// figure counted; later changes to records leave the report as it was, and
// edits are refused.
func TestFinaliseFreezes(t *testing.T) {
	each(t, func(t *testing.T, f *rfx) {
		f.seedYear()
		r := f.create()
		r, err := f.svc.SaveTexts(f.ctx, f.staff, r.ID, TextsInput{Version: r.Version, Texts: map[string]string{
			TextKey(Preamble, Before): "2026年，县政协坚持围绕中心、服务大局。", TextKey("proposal", Before): "坚持把提案工作作为履职的重要载体。"}})
		if err != nil {
			t.Fatal(err)
		}
		live := f.doc(f.staff, r.ID, "zh").Text()
		fin, err := f.svc.Finalise(f.ctx, f.leader, r.ID, r.Version)
		if err != nil {
			t.Fatal(err)
		}
		if !fin.IsFinal() || fin.FinalOn != f.svc.Today() || len(fin.Sections) == 0 {
			t.Fatalf("finalised report %+v", fin)
		}
		frozen := f.doc(f.member, r.ID, "zh")
		if !frozen.Frozen {
			t.Fatal("not frozen")
		}
		// The same text but the date line and the notice's wording.
		strip := func(s string) string {
			var keep []string
			for _, l := range strings.Split(s, "\n") {
				if !strings.Contains(l, "数据截至") && !strings.Contains(l, "定稿") && !strings.Contains(l, "尚未纳入平台") {
					keep = append(keep, l)
				}
			}
			return strings.Join(keep, "\n")
		}
		if strip(frozen.Text()) != strip(live) {
			t.Errorf("frozen text differs from the live one:\n%s\n---\n%s", frozen.Text(), live)
		}
		// Each frozen figure's records are exactly its value.
		for _, v := range frozen.Values {
			_, _, recs, err := f.svc.FrozenRecords(f.ctx, f.member, r.ID, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			var m int64
			for _, x := range recs {
				if v.Measure == figure.Sum {
					m += x.Amount
				} else {
					m++
				}
			}
			if m != v.Value {
				t.Errorf("%s = %d but %d frozen records", v.ID, v.Value, m)
			}
		}
		// Records change: two more registered and solved proposals.
		before := frozen.Text()
		f.seed(proposal.Closed, "关于新增城区停车位的建议")
		f.seed(proposal.Closed, "关于加强食品安全监管的建议")
		set, err := f.reg.Figures(f.ctx, f.staff, figure.YearFilter(f.c.ID, Year), proposal.Area)
		if err != nil {
			t.Fatal(err)
		}
		if was, _ := frozen.Value("proposals.solved"); set.Get("proposals.solved").Value != was.Value+2 {
			t.Fatalf("the live figure did not change: %d", set.Get("proposals.solved").Value)
		}
		if after := f.doc(f.staff, r.ID, "zh").Text(); after != before {
			t.Errorf("the frozen report changed with the records:\n%s\n---\n%s", after, before)
		}
		// Edits and a second finalisation are refused.
		_, err = f.svc.SaveTexts(f.ctx, f.staff, r.ID, TextsInput{Texts: map[string]string{TextKey("proposal", After): "补充"}})
		wantCode(t, err, "conflict", "err.report.final")
		_, err = f.svc.Finalise(f.ctx, f.staff, r.ID, 0)
		wantCode(t, err, "conflict", "err.report.final")
		// Every change was audited.
		var actions []string
		rows, err := f.d.QueryContext(f.ctx, `SELECT action FROM audit_log WHERE committee_id = $1 AND entity = 'report' AND entity_id = $2 ORDER BY seq`, f.c.ID, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var a string
			if err := rows.Scan(&a); err != nil {
				t.Fatal(err)
			}
			actions = append(actions, a)
		}
		if strings.Join(actions, ",") != "create,update_texts,finalise" {
			t.Errorf("audited %v", actions)
		}
	})
}

// TestFrozenRecordsOfADraft: a draft has no frozen records; a figure the
// report does not cite is not found.
func TestFrozenRecordsOfADraft(t *testing.T) {
	each(t, func(t *testing.T, f *rfx) {
		r := f.create()
		_, _, _, err := f.svc.FrozenRecords(f.ctx, f.staff, r.ID, "proposals.solved")
		wantCode(t, err, "not_found")
		if _, err := f.svc.Finalise(f.ctx, f.staff, r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
		_, _, _, err = f.svc.FrozenRecords(f.ctx, f.staff, r.ID, "proposals.theme.economy")
		wantCode(t, err, "not_found")
	})
}

// TestCreateRefuses: bad years, a second report of a year, a stale version.
func TestCreateRefuses(t *testing.T) {
	each(t, func(t *testing.T, f *rfx) {
		for _, y := range []int{0, 1948, 2028} {
			_, err := f.svc.Create(f.ctx, f.staff, CreateInput{Year: y})
			wantCode(t, err, "invalid")
		}
		r := f.create()
		_, err := f.svc.Create(f.ctx, f.leader, CreateInput{Year: Year})
		wantCode(t, err, "invalid")
		if e := apperr.As(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "year" || e.Fields[0].Key != "err.report.year_exists" {
			t.Errorf("duplicate year: %v", err)
		}
		_, err = f.svc.SaveTexts(f.ctx, f.staff, r.ID, TextsInput{Version: r.Version + 5, Texts: map[string]string{TextKey("proposal", After): "x"}})
		wantCode(t, err, "conflict", "err.conflict")
		_, err = f.svc.SaveTexts(f.ctx, f.staff, r.ID, TextsInput{Texts: map[string]string{"nosuch/before": "x", "preamble/after": "y"}})
		wantCode(t, err, "invalid")
		_, err = f.svc.SaveTexts(f.ctx, f.staff, r.ID, TextsInput{Texts: map[string]string{"proposal/after": strings.Repeat("字", MaxText+1)}})
		wantCode(t, err, "invalid")
	})
}

// stubSource is a figure source of fixed values, each counting that many
// records, for the sections whose areas this test does not build.
type stubSource struct{ values map[string]int64 }
