package assist

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

var importHead = []string{"户编号*", "乡镇*", "村（社区）*", "贫困户属性*", "主要致贫原因*", "其他致贫原因", "人均纯收入（元）",
	"住房情况", "脱贫状态*", "脱贫年度", "帮扶责任人", "姓名*", "性别", "公民身份号码", "与户主关系*", "健康状况", "劳动技能", "在校生情况", "联系电话"}

// xlsxOf writes a real workbook of the heading and rows.
func xlsxOf(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range append([][]string{importHead}, rows...) {
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

func row(reg, township, village, name, id, relation string) []string {
	return []string{reg, township, village, "低保贫困户", "因病", "缺劳力、缺资金", "3500.50", "砖混", "未脱贫", "", "县扶贫办 李某",
		name, "男", id, relation, "长期慢性病", "弱劳动力或半劳动力", "", ""}
}

func (f *fx) counts() [3]int {
	var c [3]int
	for i, q := range []string{`SELECT COUNT(*) FROM assist_households`, `SELECT COUNT(*) FROM assist_household_members`,
		`SELECT COUNT(*) FROM audit_log`} {
		f.must(f.d.QueryRowContext(f.ctx, q).Scan(&c[i]))
	}
	return c
}

func hasRowErr(err error, row int, col, key string) bool {
	if e := apperr.As(err); e != nil {
		for _, fe := range e.Fields {
			if fe.Row == row && fe.Field == col && fe.Key == key {
				return true
			}
		}
	}
	return false
}

// TestImportHouseholds: the template imports as empty; a valid file creates
// households; a broken real .xlsx reports every problem by row and column and
// changes nothing; a re-import updates only the changed household, audited.
func TestImportHouseholds(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		tpl, err := f.svc.HouseholdTemplate(f.ctx, f.officer, "zh")
		f.must(err)
		if _, err := f.svc.ImportHouseholds(f.ctx, f.officer, bytes.NewReader(tpl)); apperr.As(err) == nil || apperr.As(err).Key != "err.assist.import_empty" {
			t.Fatalf("template: %v", err)
		}
		for _, a := range []*auth.Actor{f.members[0], f.leader, f.office, f.unit} {
			if _, err := f.svc.ImportHouseholds(f.ctx, a, bytes.NewReader(tpl)); apperr.As(err) == nil || apperr.As(err).Code != apperr.Forbidden {
				t.Errorf("%v importing: %v", a.Roles, err)
			}
		}
		idA, idA2 := idNumber("530325", "19700101", 11), idNumber("530325", "20080808", 12)
		idB := idNumber("530325", "19650505", 13)
		good := [][]string{
			row("R001", "中安街道", "西关社区", "王大", idA, "户主"),
			row("R001", "中安街道", "西关社区", "王小", idA2, "之子"),
			row("R002", "墨红镇", "補掌村", "李大", idB, "户主"),
		}
		res, err := f.svc.ImportHouseholds(f.ctx, f.officer, bytes.NewReader(xlsxOf(t, good)))
		f.must(err)
		if res != (ImportResult{Rows: 3, Households: 2, Created: 2}) {
			t.Fatalf("result %+v", res)
		}
		list, _, err := f.svc.ListHouseholds(f.ctx, f.officer, HouseholdFilter{Query: "R001"})
		f.must(err)
		if len(list) != 1 || list[0].HeadName != "王大" || list[0].IncomeFen != 350050 || len(list[0].CauseOthers) != 2 {
			t.Fatalf("imported %+v", list)
		}
		// A broken file: nothing may change.
		before := f.counts()
		badSum := idNumber("530325", "19900101", 21)
		badSum = badSum[:17] + map[bool]string{true: "1", false: "0"}[badSum[17] == '0']
		idNew := idNumber("530325", "19800808", 31)
		broken := [][]string{
			row("R003", "中安街道", "西关社区", "新户", idNew, "户主"),               // 2: valid
			row("R004", "中安街道", "不存在村", "赵一", badSum, "户主"),              // 3: unknown village, checksum
			row("R005", "墨红镇", "", "钱一", idNew, "户主"),                    // 4: empty village, duplicate in file
			row("R006", "墨红镇", "補掌村", "孙一", idB, "户主"),                   // 5: ID registered in R002
			append(row("R007", "墨红镇", "補掌村", "周一", "", "之子")[:3], "贫困户"), // 6: bad attribute, missing cause etc.
		}
		broken = append(broken, func() []string {
			r := row("R003", "中安街道", "西关社区", "新户妻", "", "配偶")
			r[6] = "9999" // 7: household columns differ from row 2
			return r
		}())
		_, err = f.svc.ImportHouseholds(f.ctx, f.officer, bytes.NewReader(xlsxOf(t, broken)))
		for _, w := range []struct {
			row      int
			col, key string
		}{
			{3, "村（社区）", "err.assist.village_unknown"},
			{3, "公民身份号码", "err.org.id_number_checksum"},
			{4, "村（社区）", "err.assist.required"},
			{4, "公民身份号码", "err.assist.id_number_duplicate_file"},
			{5, "公民身份号码", "err.assist.id_number_taken"},
			{6, "贫困户属性", "err.form.bad_choice"},
			{6, "主要致贫原因", "err.assist.required"},
			{6, "姓名", "err.assist.required"},
			{7, "户编号", "err.assist.head_conflict"},
			{6, "与户主关系", "err.assist.head_missing"},
		} {
			if !hasRowErr(err, w.row, w.col, w.key) {
				t.Errorf("no error row %d %s %s in %v", w.row, w.col, w.key, apperr.As(err))
			}
		}
		if after := f.counts(); after != before {
			t.Fatalf("broken import changed the database: %v → %v", before, after)
		}
		// Re-import: R001's income changed, R002 unchanged.
		good[0][6], good[1][6] = "4200", "4200"
		res, err = f.svc.ImportHouseholds(f.ctx, f.officer, bytes.NewReader(xlsxOf(t, good)))
		f.must(err)
		if res != (ImportResult{Rows: 3, Households: 2, Updated: 1, Unchanged: 1}) {
			t.Fatalf("re-import %+v", res)
		}
		list, _, err = f.svc.ListHouseholds(f.ctx, f.officer, HouseholdFilter{Query: "R001"})
		f.must(err)
		d, err := f.svc.GetHousehold(f.ctx, f.officer, list[0].ID)
		f.must(err)
		if d.IncomeFen != 420000 || len(d.Members) != 2 {
			t.Errorf("after re-import %+v", d.Household)
		}
		var updates int
		f.must(f.d.QueryRowContext(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE entity = 'assist_household' AND action = 'update'
			AND entity_id = $1 AND before_json LIKE '%350050%' AND after_json LIKE '%420000%'`, list[0].ID).Scan(&updates))
		if updates != 1 {
			t.Errorf("%d audited updates with the history, want 1", updates)
		}
	})
}
