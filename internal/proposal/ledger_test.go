package proposal

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/org"
)

// twin is an empty committee laid out like the fixture's: the same term,
// last year's session, members and units of the same names.
type twin struct {
	cid, session int64
	office       *auth.Actor
}

func (f *fx) twin() twin {
	f.t.Helper()
	cid := f.committee("富源县政协", "530399")
	c := f.committees[cid]
	term := f.w.Term(c, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
	ss := f.w.Session(c, org.SessionInput{TermID: term.ID, Number: 1, Name: "九届一次全会", Year: 2025,
		OpensOn: "2025-01-18", ClosesOn: "2025-01-20", SubmitFrom: "2025-01-01", SubmitTo: "2025-01-20"})
	for _, name := range []string{"张三", "李四", "王五", "赵六"} {
		f.w.Member(c, org.MemberInput{Name: name, TermID: term.ID})
	}
	for _, name := range []string{"县教育体育局", "县交通运输局", "县卫生健康局"} {
		f.w.Unit(c, name)
	}
	return twin{cid: cid, session: ss.ID, office: f.userIn(cid, "twin_office", auth.RoleProposalOffice, 0, 0)}
}

// ledgerYear enters a varied year through Backfill: single, 会办 and 分办,
// joint proposals, a late reply, one under review, one never assigned, one
// re-handled after 不满意, one closed by the office without an evaluation.
func (f *fx) ledgerYear(ps int64) {
	f.t.Helper()
	enter := func(mut func(h *History)) {
		f.t.Helper()
		h := f.fullHistory(ps)
		mut(&h)
		if _, err := f.svc.Backfill(f.ctx, f.office, h); err != nil {
			f.t.Fatalf("%s: %v", h.Title, err)
		}
	}
	enter(func(h *History) { h.Title, h.Registered.Seq = "单办逾期", 3 })
	enter(func(h *History) {
		h.Title, h.Registered.Seq, h.Theme = "联名会办", 1, Society
		h.Kind, h.CoSigners, h.CoSignedOn = Joint, []int64{f.mids[1], f.mids[2]}, d("2025-01-06")
		h.Assigned.Mode, h.Assigned.Units = JointMode, []int64{f.units[1], f.units[0]}
		h.Contacts[0].Unit, h.Replies[0].Unit = f.units[1], f.units[1]
		h.Contacts[0].Method, h.Replies[0].On, h.Replies[0].Class = ByMeeting, d("2025-04-30"), "A"
		h.Evaluations, h.ClosedOn = nil, d("2025-07-01")
	})
	enter(func(h *History) {
		h.Title, h.Registered.Seq, h.SubmittedOn = "分办平时", 2, d("2025-03-03")
		h.Registered.On, h.Assigned.On, h.Assigned.AcceptedOn, h.Assigned.DueOn = d("2025-03-10"), d("2025-03-12"), d("2025-03-13"), d("2025-05-30")
		h.Assigned.Mode, h.Assigned.Units = Separate, []int64{f.units[0], f.units[2]}
		h.Contacts = append(h.Contacts, HistoryContact{Unit: f.units[2], ContactInput: h.Contacts[0].ContactInput})
		h.Contacts[0].On, h.Contacts[1].On = d("2025-03-20"), d("2025-03-20")
		h.Replies[0].On, h.Replies[0].ApprovedOn = d("2025-05-20"), d("2025-05-22")
		h.Replies = append(h.Replies, h.Replies[0])
		h.Replies[1].Unit = f.units[2]
		h.Evaluations[0].On, h.Evaluations[0].Overall, h.Evaluations[0].Comment = d("2025-05-28"), Dissatisfied, "仍未解决"
	})
	enter(func(h *History) {
		h.Title, h.Registered.Seq = "答复待审", 4
		h.Replies[0].ApprovedOn, h.Evaluations = civil.Date{}, nil
	})
	enter(func(h *History) {
		h.Title, h.Registered.Seq = "尚未交办", 5
		h.Assigned, h.Contacts, h.Replies, h.Evaluations = nil, nil, nil, nil
	})
	enter(func(h *History) {
		h.Title, h.Registered.Seq = "已签收未面商", 6
		h.Contacts, h.Replies, h.Evaluations = nil, nil, nil
		h.Matter, h.Analysis, h.Suggestions = LedgerNoText, LedgerNoText, LedgerNoText
	})
}

func exportLedger(t *testing.T, f *fx, a *auth.Actor, session int64) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f.svc.ExportLedger(f.ctx, a, session, "zh", &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sheetRows(t *testing.T, b []byte) [][]string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestLedgerRoundTrip: export → import into an empty committee → export gives
// the same cells; importing the same file again changes nothing.
func TestLedgerRoundTrip(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		ps := f.pastSession()
		f.ledgerYear(ps)
		first := exportLedger(t, f, f.office, ps)
		rows := sheetRows(t, first)
		if len(rows) != 7 || rows[1][0] != "九届一次-001" || rows[1][3] != "李四、王五" || rows[1][7] != "县交通运输局、县教育体育局" ||
			rows[1][8] != "会办" || rows[3][17] != "2025-06-02" {
			t.Fatalf("export rows %q", rows)
		}
		tw := f.twin()
		res, err := f.svc.ImportLedger(f.ctx, tw.office, bytes.NewReader(first))
		if err != nil {
			t.Fatalf("import: %v (%+v)", err, apperr.As(err))
		}
		if res.Created != 6 || res.Unchanged != 0 || res.Rows != 6 {
			t.Errorf("result %+v", res)
		}
		second := exportLedger(t, f, tw.office, tw.session)
		a, b := sheetRows(t, first), sheetRows(t, second)
		if len(a) != len(b) {
			t.Fatalf("%d rows, then %d", len(a), len(b))
		}
		for i := range a {
			for j := range max(len(a[i]), len(b[i])) {
				if cell(a[i], j) != cell(b[i], j) {
					t.Errorf("row %d column %d: %q then %q", i+1, j+1, cell(a[i], j), cell(b[i], j))
				}
			}
		}
		// The states came back too.
		st := func(cid int64) string {
			var s []string
			rows, err := f.d.QueryContext(f.ctx, `SELECT state FROM proposals WHERE committee_id = $1 ORDER BY seq`, cid)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var x string
				rows.Scan(&x)
				s = append(s, x)
			}
			return fmt.Sprint(s)
		}
		if st(f.cid) != st(tw.cid) {
			t.Errorf("states %s, then %s", st(f.cid), st(tw.cid))
		}
		// Again: nothing changes, not even the audit log.
		props, audits := f.count(`SELECT COUNT(*) FROM proposals`), f.count(`SELECT COUNT(*) FROM audit_log`)
		res, err = f.svc.ImportLedger(f.ctx, tw.office, bytes.NewReader(first))
		if err != nil || res.Created != 0 || res.Unchanged != 6 {
			t.Errorf("again: %+v %v", res, err)
		}
		if f.count(`SELECT COUNT(*) FROM proposals`) != props || f.count(`SELECT COUNT(*) FROM audit_log`) != audits {
			t.Error("importing the same ledger again wrote something")
		}
	})
}

func cell(row []string, j int) string {
	if j < len(row) {
		return row[j]
	}
	return ""
}

// ledgerFile writes rows (cells by column key) under the template's headings.
func ledgerFile(t *testing.T, rows []map[string]any) []byte {
	t.Helper()
	sh, err := newLedgerSheet("zh")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		cells := make([]any, len(ledgerCols))
		for i, c := range ledgerCols {
			cells[i] = r[c.key]
		}
		if err := sh.Row(cells...); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := sh.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// goodRow is a valid closed single-unit proposal of 2025 with number seq.
func goodRow(seq int) map[string]any {
	return map[string]any{"number": fmt.Sprintf("九届一次-%03d", seq), "title": fmt.Sprintf("台账提案%d", seq),
		"first_proposer": "张三", "theme": "经济", "units": "县教育体育局", "mode": "单办",
		"submitted_on": "2025-01-10", "registered_on": "2025-01-24", "assigned_on": "2025-02-10", "contact_on": "2025-02-20",
		"contact_method": "面谈", "replied_on": "2025-04-28", "approved_on": "2025-04-30", "reply_class": "A",
		"evaluation": "满意", "evaluated_on": "2025-05-06"}
}

// TestLedgerErrors: every bad row and cell is reported by row and column
// heading, in Chinese, and nothing is written.
func TestLedgerErrors(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.pastSession()
		with := func(seq int, k string, v any, more ...any) map[string]any {
			r := goodRow(seq)
			r[k] = v
			for i := 0; i+1 < len(more); i += 2 {
				r[more[i].(string)] = more[i+1]
			}
			return r
		}
		rows := []map[string]any{
			goodRow(1),
			with(2, "first_proposer", "钱七"),                               // row 3
			with(3, "units", "县水务局"),                                      // row 4
			with(4, "submitted_on", "2025-02-30"),                         // row 5
			with(5, "registered_on", "2025-01-09"),                        // row 6: before submission
			with(1, "title", "重复编号"),                                      // row 7: number of row 2
			with(7, "number", "十届一次-007"),                                 // row 8: no such session
			with(8, "theme", "科技"),                                        // row 9
			with(9, "replied_on", "2025-02-09"),                           // row 10: before assignment
			with(10, "evaluated_on", "2025-04-29"),                        // row 11: before the reply's approval
			with(11, "category", "平时提案"),                                  // row 12: submitted inside the window
			with(12, "assigned_on", nil, "units", nil, "contact_on", nil), // row 13: a reply without assignment
			with(13, "sector", "经济界"),                                     // row 14
			with(14, "due_on", "2025-12-01"),                              // row 15: past six months
			with(15, "title", nil),                                        // row 16
		}
		_, err := f.svc.ImportLedger(f.ctx, f.office, bytes.NewReader(ledgerFile(t, rows)))
		e := apperr.As(err)
		if e == nil || e.Code != apperr.Invalid || e.Key != "err.proposal.ledger.invalid" {
			t.Fatalf("got %v", err)
		}
		want := []struct {
			row      int
			col, key string
		}{
			{3, "第一提案人", "err.proposal.ledger.unknown_member"},
			{4, "承办单位", "err.proposal.ledger.unknown_unit"},
			{5, "提交日期", "err.form.no_such_date"},
			{6, "立案日期", "err.proposal.backfill.before"},
			{7, "提案编号", "err.proposal.ledger.duplicate_number"},
			{8, "提案编号", "err.proposal.ledger.unknown_session"},
			{9, "类别", "err.form.bad_choice"},
			{10, "答复日期", "err.proposal.backfill.before"},
			{11, "评价日期", "err.proposal.backfill.before"},
			{12, "大会/平时", "err.proposal.ledger.category_differs"},
			{13, "交办日期", "err.proposal.backfill.not_assigned"},
			{14, "界别", "err.proposal.ledger.sector_differs"},
			{15, "办理期限", "err.proposal.due_out_of_range"},
			{16, "案题", "err.required"},
		}
		got := map[string]bool{}
		for _, fe := range e.Fields {
			got[fmt.Sprintf("%d %s %s", fe.Row, fe.Field, fe.Key)] = true
		}
		for _, w := range want {
			if !got[fmt.Sprintf("%d %s %s", w.row, w.col, w.key)] {
				t.Errorf("missing row %d %s %s; got %+v", w.row, w.col, w.key, e.Fields)
			}
		}
		for _, fe := range e.Fields {
			if fe.Row == 2 {
				t.Errorf("the good row got an error: %+v", fe)
			}
		}
		if n := f.count(`SELECT COUNT(*) FROM proposals`); n != 0 {
			t.Errorf("%d proposals written", n)
		}
		// Permissions: only the proposal office imports.
		for _, a := range []*auth.Actor{f.staff, f.admin, f.members[0], f.unitActors[0], f.leader} {
			if _, err := f.svc.ImportLedger(f.ctx, a, bytes.NewReader(ledgerFile(t, rows[:1]))); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("%s imported: %v", a.Name, err)
			}
		}
	})
}

// TestLedger300OneBadCell: a county's 300-row ledger with one bad cell writes
// nothing and names the cell; without it, it imports (time logged).
func TestLedger300OneBadCell(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.pastSession()
		rows := make([]map[string]any, 300)
		for i := range rows {
			rows[i] = goodRow(i + 1)
		}
		rows[149]["units"] = "县水务局"
		_, err := f.svc.ImportLedger(f.ctx, f.office, bytes.NewReader(ledgerFile(t, rows)))
		e := apperr.As(err)
		if e == nil || len(e.Fields) != 1 || e.Fields[0].Row != 151 || e.Fields[0].Field != "承办单位" {
			t.Fatalf("got %v %+v", err, e)
		}
		if n := f.count(`SELECT COUNT(*) FROM proposals`); n != 0 {
			t.Fatalf("%d proposals written", n)
		}
		rows[149]["units"] = "县教育体育局"
		start := time.Now()
		res, err := f.svc.ImportLedger(f.ctx, f.office, bytes.NewReader(ledgerFile(t, rows)))
		if err != nil || res.Created != 300 {
			t.Fatalf("%+v %v", res, err)
		}
		t.Logf("300 rows imported in %s", time.Since(start))
		if n := f.count(`SELECT COUNT(*) FROM proposals WHERE state = 'CLOSED'`); n != 300 {
			t.Errorf("%d closed", n)
		}
	})
}
