package activity

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/apperr"
)

// ledger builds a workbook of rows (the first is the heading).
func ledger(t *testing.T, rows [][]string) *bytes.Reader {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		vals := make([]any, len(r))
		for j, v := range r {
			vals[j] = v
		}
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b.Bytes())
}

var ledgerHead = []string{"日期", "类别", "活动名称", "地点", "出席委员", "请假委员", "缺席委员"}

// TestImportPast: a valid ledger enters every activity later with its roll; a
// ledger with mistakes reports each with its row and column and writes nothing.
func TestImportPast(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		tpl, err := ImportTemplate("zh")
		f.must(err, "template")
		if _, err := excelize.OpenReader(bytes.NewReader(tpl)); err != nil {
			t.Fatalf("template: %v", err)
		}
		bad := ledger(t, [][]string{ledgerHead,
			{"2026-02-30", "调研", "调研一", "", "张三", "", ""},
			{"2026-03-01", "开会", "", "", "外人、张三、张三", "", ""},
			{"2027-01-01", "视察", "视察一", "", "", "", ""},
		})
		_, err = f.svc.ImportPast(f.ctx, f.members[0], f.county.ID, bad)
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.ImportPast(f.ctx, f.staff, f.county.ID, bad)
		e := apperr.As(err)
		if e == nil || e.Code != apperr.Invalid {
			t.Fatalf("bad ledger: %v", err)
		}
		want := map[[2]any]string{
			{2, "日期"}: "err.form.bad_date", {3, "类别"}: "err.activity.import_kind", {3, "活动名称"}: "err.activity.required",
			{3, "出席委员"}: "err.activity.import_no_member", {4, "日期"}: "err.activity.past_in_future",
		}
		got := map[[2]any]string{}
		for _, fe := range e.Fields {
			if _, ok := got[[2]any{fe.Row, fe.Field}]; !ok {
				got[[2]any{fe.Row, fe.Field}] = fe.Key
			}
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("row %v: %q, want %q (all: %v)", k, got[k], w, got)
			}
		}
		twice := false
		for _, fe := range e.Fields {
			twice = twice || fe.Key == "err.activity.import_twice"
		}
		if !twice {
			t.Errorf("a member listed twice in a row is not reported: %v", got)
		}
		var n int
		f.must(f.d.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM activities`).Scan(&n), "count")
		if n != 0 {
			t.Fatalf("a refused ledger wrote %d activities", n)
		}
		good := ledger(t, [][]string{ledgerHead,
			{"2026/3/5", "调研", "产业调研", "各乡镇", "张三、李四", "王五", "赵六"},
			{"2026年4月1日", "study", "学习会", "", "张三", "", ""},
			{"", "", "", "", "", "", ""},
		})
		res, err := f.svc.ImportPast(f.ctx, f.staff, f.county.ID, good)
		f.must(err, "import")
		if res.Activities != 2 || res.Rows != 5 {
			t.Fatalf("imported %+v", res)
		}
		items, _, err := f.svc.List(f.ctx, f.staff, Filter{CommitteeID: f.county.ID})
		f.must(err, "list")
		if len(items) != 2 || !items[1].EnteredLater || items[1].State != Held || items[1].Invited != 4 || items[1].Attended != 2 || items[1].Leave != 1 {
			t.Fatalf("imported activities %+v", items)
		}
	})
}
