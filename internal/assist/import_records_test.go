package assist

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/org"
)

var ledgerHead = []string{"帮扶日期*", "帮扶类型*", "户编号", "委员*", "捐款（元）", "捐物件数", "捐物折币（元）", "信息条数", "技术指导次数",
	"科技读物份数", "资助学生数", "就业岗位数", "说明"}

func ledgerXLSX(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range append([][]string{ledgerHead}, rows...) {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellStr("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestImportLedger: a valid ledger becomes imported, unverified records that
// count once verified; a broken real .xlsx reports each bad cell by row and
// column and writes nothing; only importers may import.
func TestImportLedger(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		f.household("H001", 0, 1)
		// A second serving member named like the first makes the name ambiguous.
		dup := f.w.Member(f.c, org.MemberInput{Name: "王五"})
		_ = dup
		tpl, err := f.svc.LedgerTemplate(f.ctx, f.officer, "zh")
		f.must(err)
		if _, err := f.svc.ImportLedger(f.ctx, f.officer, bytes.NewReader(tpl)); apperr.As(err) == nil || apperr.As(err).Key != "err.assist.import_empty" {
			t.Fatalf("template: %v", err)
		}
		if _, err := f.svc.ImportLedger(f.ctx, f.members[0], bytes.NewReader(tpl)); code(err) != apperr.Forbidden {
			t.Errorf("member importing: %v", err)
		}
		good := [][]string{
			{"2018-06-20", "送爱心（捐款）", "H001", "张三、李四", "5000"},
			{"2018/07/02", "送技术", "", "张三", "", "", "", "", "1", "200", "", "", "魔芋种植技术培训"},
		}
		before := f.counts()
		broken := [][]string{
			{"2018-06-20", "送爱心（捐款）", "H001", "张三", "5000"},                        // 2 valid
			{"2099-01-01", "送钱", "H999", "不存在", "abc"},                             // 3 future date, bad kind, unknown household, unknown member, bad money
			{"2018-06-21", "送爱心（捐款）", "H001", "王五", ""},                            // 4 ambiguous member, cash without amount... (ambiguity reported first)
			{"2018-06-22", "帮学", "H001", "赵六", "", "", "", "", "", "", "", "", ""}, // 5 study without students
			{"2018-06-20", "送爱心（捐款）", "H001", "张三", "5000"},                        // 6 duplicate of row 2
		}
		_, err = f.svc.ImportLedger(f.ctx, f.officer, bytes.NewReader(ledgerXLSX(t, broken)))
		for _, w := range []struct {
			row      int
			col, key string
		}{
			{3, "帮扶日期", "err.assist.date"}, {3, "帮扶类型", "err.form.bad_choice"}, {3, "户编号", "err.assist.household_unknown"},
			{3, "委员", "err.assist.member_name_unknown"}, {3, "捐款（元）", "err.assist.money"},
			{4, "委员", "err.assist.member_name_ambiguous"}, {5, "资助学生数", "err.assist.kind_needs_amount"},
			{6, "帮扶日期", "err.assist.record_duplicate_file"},
		} {
			if !hasRowErr(err, w.row, w.col, w.key) {
				t.Errorf("no error row %d %s %s in %+v", w.row, w.col, w.key, apperr.As(err))
			}
		}
		if after := f.counts(); after != before {
			t.Fatalf("broken ledger changed the database: %v → %v", before, after)
		}
		res, err := f.svc.ImportLedger(f.ctx, f.officer, bytes.NewReader(ledgerXLSX(t, good)))
		f.must(err)
		if res.Records != 2 {
			t.Fatalf("imported %+v", res)
		}
		rs, n, err := f.svc.ListRecords(f.ctx, f.officer, RecordFilter{Unverified: true})
		f.must(err)
		if len(rs) != 2 || n != 2 || !rs[0].Imported || rs[0].Verified {
			t.Fatalf("records %+v", rs)
		}
		cash := func(a *auth.Actor) int64 {
			vs, err := f.svc.Source().Figures(f.ctx, a, figure.YearFilter(f.c.ID, 2018))
			f.must(err)
			for _, v := range vs {
				if v.ID == "assist.cash" {
					return v.Value
				}
			}
			return -1
		}
		if got := cash(f.officer); got != 0 {
			t.Errorf("unverified imported cash counted: %d", got)
		}
		for _, r := range rs {
			if r.Kind == "cash" {
				_, err := f.svc.VerifyRecord(f.ctx, f.officer, r.ID, 0)
				f.must(err)
				if len(r.Members) != 2 || r.GivenOn != civil.MustParse("2018-06-20") {
					t.Errorf("cash record %+v", r)
				}
			}
		}
		if got := cash(f.officer); got != 500000 {
			t.Errorf("verified imported cash %d", got)
		}
	})
}
