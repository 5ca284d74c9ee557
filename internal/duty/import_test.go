package duty_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/apperr"
	"lvzhi/internal/duty"
)

// workbook writes rows to a real .xlsx.
func workbook(t *testing.T, rows [][]any) *bytes.Reader {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(buf.Bytes())
}

// TestImportPastYear: a bad file is refused row by row with nothing written;
// a good one is kept as imported, shows in the history, and its 不称职 counts
// towards the term's exit rule; a year scored on the platform cannot be imported.
func TestImportPastYear(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		bad := workbook(t, [][]any{{"姓名", "得分", "等次"}, {"张三", "91", "优秀"}, {"无名氏", "80", "良好"},
			{"李四", "abc", "中等"}, {"张三", 70, "称职"}})
		_, err := f.svc.ImportYear(f.ctx, f.staff, f.c.ID, 2025, "2025年考核.xlsx", bad)
		e := apperr.As(err)
		if e == nil || len(e.Fields) != 4 {
			t.Fatalf("bad file: %v", err)
		}
		rows := map[int]int{}
		for _, fe := range e.Fields {
			rows[fe.Row]++
		}
		if rows[3] != 1 || rows[4] != 2 || rows[5] != 1 {
			t.Errorf("row errors %+v", e.Fields)
		}
		var n int
		f.d.QueryRow(`SELECT COUNT(*) FROM duty_imports`).Scan(&n)
		if n != 0 {
			t.Fatalf("a refused file wrote %d imports", n)
		}
		_, err = f.svc.ImportYear(f.ctx, f.members[0], f.c.ID, 2025, "x.xlsx", workbook(t, [][]any{{"姓名", "得分", "等次"}}))
		wantCode(t, err, apperr.Forbidden)

		good := workbook(t, [][]any{{"姓名", "得分", "等次"}, {"张三", "91.5", "优秀"}, {"李四", 55, "不称职"}, {"王五", "58", "不称职"}})
		imp, err := f.svc.ImportYear(f.ctx, f.staff, f.c.ID, 2025, "2025年考核.xlsx", good)
		if err != nil || imp.Rows != 3 {
			t.Fatalf("import: %v %+v", err, imp)
		}
		f.rules(2026, duty.PresetTongcheng)
		sc := f.scores(2026)
		if s := sc[f.mids[1]]; s.Incompetent != 2 || s.Action != duty.ActionResign {
			t.Errorf("李四 in 2026 after an imported 不称职: %+v", s)
		}
		if s := sc[f.mids[3]]; s.Incompetent != 1 || s.Action != duty.ActionRemind {
			t.Errorf("赵六 in 2026: %+v", s)
		}
		rec, err := f.svc.Record(f.ctx, f.members[0], f.c.ID, f.mids[0], 2026)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.History) == 0 || !rec.History[0].Imported || rec.History[0].Total != 9150 || rec.History[0].Grade != duty.Excellent {
			t.Errorf("history %+v", rec.History)
		}
		_, err = f.svc.ImportYear(f.ctx, f.staff, f.c.ID, 2026, "2026.xlsx", workbook(t, [][]any{{"姓名", "得分", "等次"}, {"张三", 90, "优秀"}}))
		wantCode(t, err, apperr.Invalid)
		_, err = f.svc.ImportYear(f.ctx, f.staff, f.c.ID, 2025, "x.xlsx", bytes.NewReader([]byte("not a workbook")))
		wantCode(t, err, apperr.Invalid)
	})
}
