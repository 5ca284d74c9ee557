package org

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/i18n"
)

// workbook writes rows (first = headings) into a real .xlsx.
func workbook(t *testing.T, rows [][]string) *bytes.Reader {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			if err := f.SetCellStr("Sheet1", cellName(c, r+1), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(buf.Bytes())
}

func memberHeader() []string {
	h := make([]string, len(memberColumns))
	for i, c := range memberColumns {
		h[i] = c.header("zh")
	}
	return h
}

// mrow builds a member row from a few named values.
func mrow(vals map[string]string) []string {
	row := make([]string, len(memberColumns))
	for i, c := range memberColumns {
		row[i] = vals[c.key]
	}
	return row
}

func goodRow(name, id, phone string) map[string]string {
	g := "男"
	if genderFromID(id) == GenderFemale {
		g = "女"
	}
	return map[string]string{"name": name, "gender": g, "id_number": id, "phone": phone, "sector": "经济界",
		"affiliation": "中共党员", "positions": "副主席、常委", "groups": "第一委员小组（组长）、提案委员会", "employer": "富源县医院"}
}

func fieldErrors(err error) []apperr.FieldError {
	if e := apperr.As(err); e != nil {
		return e.Fields
	}
	return nil
}

func hasRowErr(fs []apperr.FieldError, row int, field, key string) bool {
	for _, f := range fs {
		if f.Row == row && f.Field == field && (key == "" || f.Key == key) {
			return true
		}
	}
	return false
}

func TestImportMembers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := f.actor(auth.RoleStaff)
		// The downloaded template itself imports as "empty": its example row is skipped.
		tpl, err := f.s.MemberTemplate(ctx, staff, f.fuyuan.ID, "zh")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.ImportMembers(ctx, staff, f.fuyuan.ID, 0, bytes.NewReader(tpl)); apperr.As(err) == nil || apperr.As(err).Key != "err.org.empty_file" {
			t.Fatalf("template alone: %v", err)
		}
		rows := [][]string{memberHeader(), mrow(goodRow("张三", idA, "13812345678")), mrow(goodRow("李芳", idB, "0874-4611111")),
			{}, mrow(goodRow("王五", idC, "13900000003"))}
		res, err := f.s.ImportMembers(ctx, staff, f.fuyuan.ID, 0, workbook(t, rows))
		if err != nil {
			t.Fatalf("import: %v %+v", err, fieldErrors(err))
		}
		if res.Created != 3 || res.Rows != 3 {
			t.Fatalf("result %+v", res)
		}
		p := must[MemberPage](t)(f.s.ListMembers(ctx, staff, f.fuyuan.ID, MemberFilter{Q: "张三"}))
		m := p.Members[0]
		if !m.Standing || len(m.Positions) != 1 || m.Positions[0] != "vice_chair" || len(m.Groups) != 2 || m.BirthDate != "1980-01-01" {
			t.Fatalf("imported member %+v", m)
		}
		if got, _ := f.s.RevealIDNumber(ctx, f.actor(auth.RoleAdmin), m.ID); got != idA {
			t.Fatalf("stored ID %q", got)
		}
		// Re-run: same file changes nothing; an edited row updates by ID number.
		res, err = f.s.ImportMembers(ctx, staff, f.fuyuan.ID, 0, workbook(t, rows))
		if err != nil || res.Unchanged != 3 || res.Created != 0 {
			t.Fatalf("re-run: %+v %v", res, err)
		}
		changed := goodRow("张三", idA, "13812345678")
		changed["employer"] = "富源县人民医院"
		res, err = f.s.ImportMembers(ctx, staff, f.fuyuan.ID, 0, workbook(t, [][]string{memberHeader(), mrow(changed)}))
		if err != nil || res.Updated != 1 {
			t.Fatalf("update run: %+v %v", res, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM memberships WHERE committee_id = $1`, f.fuyuan.ID); n != 3 {
			t.Fatalf("memberships after re-runs: %d", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'import'`); n != 3 {
			t.Fatalf("import audit entries: %d", n)
		}
	})
}

func TestImportMembersReportsEveryError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := f.actor(auth.RoleStaff)
		must[Member](t)(f.s.CreateMember(ctx, staff, f.fuyuan.ID, f.memberInput("已有", idC, "13700000001")))
		auditBefore := count(t, d, `SELECT COUNT(*) FROM audit_log`)
		bad := func(mod func(map[string]string)) []string {
			r := goodRow("某某", withCheck("53032519700707001"), "13600000000")
			mod(r)
			return mrow(r)
		}
		rows := [][]string{memberHeader(),
			mrow(goodRow("正确", idA, "13812345678")),                                                                        // row 2: fine, but nothing may be written
			bad(func(r map[string]string) { r["name"] = ""; r["phone"] = "13600000002" }),                                  // 3: name required
			bad(func(r map[string]string) { r["id_number"] = "530325198001011230"; r["phone"] = "13600000003" }),           // 4: checksum
			bad(func(r map[string]string) { r["id_number"] = withCheck("53032519801301123"); r["phone"] = "13600000004" }), // 5: birth date
			bad(func(r map[string]string) { r["phone"] = "12345"; r["id_number"] = withCheck("53032519700707011") }),       // 6: phone
			bad(func(r map[string]string) {
				r["gender"] = "未知"
				r["phone"] = "13600000006"
				r["id_number"] = withCheck("53032519700707021")
			}), // 7: gender
			bad(func(r map[string]string) {
				r["sector"] = "体育界"
				r["phone"] = "13600000007"
				r["id_number"] = withCheck("53032519700707031")
			}), // 8: sector
			bad(func(r map[string]string) {
				r["groups"] = "第九小组"
				r["phone"] = "13600000008"
				r["id_number"] = withCheck("53032519700707041")
			}), // 9: group
			bad(func(r map[string]string) {
				r["affiliation"] = "共青团员"
				r["phone"] = "13600000009"
				r["id_number"] = withCheck("53032519700707051")
			}), // 10: affiliation
			mrow(goodRow("重复", idA, "13600000010")),                                                       // 11: ID duplicates row 2
			mrow(goodRow("撞号", idB, "13700000001")),                                                       // 12: phone taken in DB
			bad(func(r map[string]string) { r["id_number"] = "5.30325E+17"; r["phone"] = "13600000012" }), // 13: scientific
		}
		_, err := f.s.ImportMembers(ctx, staff, f.fuyuan.ID, 0, workbook(t, rows))
		e := apperr.As(err)
		if e == nil || e.Key != "err.org.import_failed" {
			t.Fatalf("want import_failed, got %v", err)
		}
		fs := e.Fields
		for _, want := range []struct {
			row        int
			field, key string
		}{
			{3, "姓名", "err.required"},
			{4, "公民身份号码", "err.org.id_number_checksum"},
			{5, "公民身份号码", "err.org.id_number_birth"},
			{6, "手机或电话", "err.org.phone_invalid"},
			{7, "性别", "err.org.choice_invalid"},
			{8, "界别", "err.org.sector_unknown_named"},
			{9, "专委会及小组", "err.org.group_unknown"},
			{10, "政治面貌", "err.org.affiliation_unknown"},
			{11, "公民身份号码", "err.org.duplicate_in_file"},
			{12, "手机或电话", "err.org.phone_taken"},
			{13, "公民身份号码", "err.org.id_number_scientific"},
		} {
			if !hasRowErr(fs, want.row, want.field, want.key) {
				t.Errorf("missing row %d %s %s", want.row, want.field, want.key)
			}
		}
		for i := 1; i < len(fs); i++ {
			if fs[i].Row < fs[i-1].Row {
				t.Fatalf("errors out of row order: %d after %d", fs[i].Row, fs[i-1].Row)
			}
		}
		for _, fe := range fs {
			if fe.Row == 2 {
				t.Errorf("valid row 2 reported: %+v", fe)
			}
		}
		// One message per cell.
		seen := map[string]bool{}
		for _, fe := range fs {
			k := string(rune(fe.Row)) + fe.Field
			if seen[k] && fe.Key != "err.org.duplicate_in_file" {
				t.Errorf("row %d %s reported twice", fe.Row, fe.Field)
			}
			seen[k] = true
		}
		// The message translates with its row.
		if msg := i18n.T("zh", "err.org.sector_unknown_named", fs[0].Args); msg == "" {
			t.Fatal("no message")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM memberships`); n != 1 {
			t.Fatalf("database changed: %d memberships", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log`); n != auditBefore {
			t.Fatalf("audit changed: %d → %d", auditBefore, n)
		}
	})
}

func TestImportRefusesWrongFiles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := f.actor(auth.RoleStaff)
		cases := []struct {
			name string
			file *bytes.Reader
			key  string
		}{
			{"not excel", bytes.NewReader([]byte("姓名,性别\n张三,男\n")), "err.org.not_excel"},
			{"broken zip", bytes.NewReader(append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 100)...)), "err.org.not_excel"},
			{"empty", bytes.NewReader(nil), "err.org.not_excel"},
			{"unit template as members", workbook(t, [][]string{{"单位名称*", "单位类别*"}, {"县财政局", "政府"}}), "err.org.unknown_column"},
			{"missing column", workbook(t, [][]string{{"姓名", "性别"}, {"张三", "男"}}), "err.org.wrong_template"},
			{"headings only", workbook(t, [][]string{memberHeader()}), "err.org.empty_file"},
		}
		for _, tc := range cases {
			_, err := f.s.ImportMembers(ctx, staff, f.fuyuan.ID, 0, tc.file)
			if e := apperr.As(err); e == nil || e.Key != tc.key || e.Code != apperr.Invalid {
				t.Errorf("%s: got %v, want %s", tc.name, err, tc.key)
			}
		}
		// English headings are accepted too.
		en := make([]string, len(memberColumns))
		for i, c := range memberColumns {
			en[i] = c.header("en")
		}
		if _, err := f.s.ImportMembers(ctx, staff, f.fuyuan.ID, 0, workbook(t, [][]string{en, mrow(goodRow("张三", idA, "13812345678"))})); err != nil {
			t.Fatalf("english headings: %v", err)
		}
		// Roles that may not import, and the higher committee.
		for _, a := range []*auth.Actor{f.actor(auth.RoleLeader), f.actor(auth.RoleMember), f.actor(auth.RoleUnit), f.actor(auth.RoleProposalOffice), f.prefActor(auth.RoleAdmin)} {
			if _, err := f.s.ImportMembers(ctx, a, f.fuyuan.ID, 0, workbook(t, [][]string{memberHeader(), mrow(goodRow("李四", idB, "13812345670"))})); code(err) != apperr.Forbidden {
				t.Errorf("%v import: %v", a.Roles, err)
			}
		}
		if _, err := f.s.ImportMembers(ctx, f.luoActor(auth.RoleAdmin), f.fuyuan.ID, 0, workbook(t, [][]string{memberHeader()})); code(err) != apperr.NotFound {
			t.Errorf("sibling import: %v", err)
		}
	})
}

func TestImportUnitsAndExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		staff := f.actor(auth.RoleStaff)
		tpl := must[[]byte](t)(f.s.UnitTemplate(ctx, staff, f.fuyuan.ID, "zh"))
		x, err := excelize.OpenReader(bytes.NewReader(tpl))
		if err != nil {
			t.Fatal(err)
		}
		dvs, _ := x.GetDataValidations("承办单位")
		if len(dvs) != 2 || len(x.GetSheetList()) != 3 {
			t.Fatalf("template: %d validations, sheets %v", len(dvs), x.GetSheetList())
		}
		x.Close()
		h := []string{"单位名称*", "单位类别*", "联系人", "联系电话", "是否启用"}
		_, err = f.s.ImportUnits(ctx, staff, f.fuyuan.ID, workbook(t, [][]string{h,
			{"县财政局", "部队", "", "123", "也许"}, {"", "政府"}, {"县卫健局", "政府"}, {"县卫健局", "政府"}}))
		fs := fieldErrors(err)
		for _, w := range []struct {
			row        int
			field, key string
		}{{2, "单位类别", "err.org.choice_invalid"}, {2, "联系电话", "err.org.phone_invalid"}, {2, "是否启用", "err.org.yes_no"},
			{3, "单位名称", "err.required"}, {5, "单位名称", "err.org.duplicate_in_file"}} {
			if !hasRowErr(fs, w.row, w.field, w.key) {
				t.Errorf("missing row %d %s %s in %+v", w.row, w.field, w.key, fs)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM units WHERE committee_id = $1`, f.fuyuan.ID); n != 1 {
			t.Fatalf("units written on error: %d", n)
		}
		res, err := f.s.ImportUnits(ctx, staff, f.fuyuan.ID, workbook(t, [][]string{h,
			{"县财政局", "政府", "王会计", "0874-4610000", "是"}, {"县教育体育局", "政府", "李老师", "0874-4612345", "否"}, {"县法院", "法院"}}))
		if err != nil || res.Created != 2 || res.Updated != 1 {
			t.Fatalf("units: %+v %v", res, err)
		}
		// Export reads back with the same headings.
		must[Member](t)(f.s.CreateMember(ctx, staff, f.fuyuan.ID, f.memberInput("张三", idA, "13812345678")))
		var buf bytes.Buffer
		n, err := f.s.ExportMembers(ctx, f.prefActor(auth.RoleLeader), f.fuyuan.ID, MemberFilter{}, "zh", &buf)
		if err != nil || n != 1 {
			t.Fatalf("export: %d %v", n, err)
		}
		rows, err := readSheet(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if rows[0][0] != "姓名" || rows[1][0] != "张三" || rows[1][2] != MaskIDNumber(idA) || !strings.Contains(rows[1][13], "第一委员小组（组长）") {
			t.Fatalf("export rows %v", rows)
		}
		buf.Reset()
		if n, err := f.s.ExportUnits(ctx, staff, f.fuyuan.ID, UnitFilter{}, "en", &buf); err != nil || n != 3 {
			t.Fatalf("unit export %d %v", n, err)
		}
		rows, _ = readSheet(bytes.NewReader(buf.Bytes()))
		if rows[0][0] != "Unit name" || len(rows) != 4 {
			t.Fatalf("unit export rows %v", rows)
		}
		if _, err := f.s.ExportMembers(ctx, f.actor(auth.RoleMember), f.fuyuan.ID, MemberFilter{}, "zh", &buf); code(err) != apperr.Forbidden {
			t.Fatalf("member role export: %v", err)
		}
		if _, err := f.s.ExportMembers(ctx, f.luoActor(auth.RoleAdmin), f.fuyuan.ID, MemberFilter{}, "zh", &buf); code(err) != apperr.NotFound {
			t.Fatalf("sibling export: %v", err)
		}
	})
}
