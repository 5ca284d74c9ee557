package api

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// book writes rows into a real .xlsx workbook.
func book(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
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

// TestImportsAPI: members and units imported from real workbooks through the
// API. A workbook with bad rows is refused with every error by row and
// column, writing nothing; a good one is imported once (again changes
// nothing); only staff and admins import.
func TestImportsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		f := h.f
		box, err := secret.New(fixture.Key) // imports read ID numbers, which need the key
		if err != nil {
			t.Fatal(err)
		}
		h.api.deps.Org.Secret = box
		id := func(first17 string) string { return first17 + string(org.IDCheckChar(first17)) }
		head := []string{"姓名*", "性别*", "公民身份号码*", "手机或电话*", "界别*", "政治面貌*"}
		good := book(t, [][]string{head, {"李一", "男", id("53032519700101111"), "13700000001", "经济界", "中共党员"},
			{"李四", "女", id("53032519800101122"), "13700000004", "经济界", "无党派人士"}})
		broken := book(t, [][]string{head,
			{"李一", "男", id("53032519700101111"), "13700000001", "经济界", "中共党员"},
			{"李二", "男", "123", "13700000002", "体育界", "中共党员"},
			{"李三", "男", id("53032519700101131"), "abc", "经济界", "共青团"}})
		units := book(t, [][]string{{"单位名称*", "单位类别*"}, {"县财政局", "政府"}, {"县人民法院", "法院"}})

		// The templates: real workbooks with the headings the import reads.
		for _, x := range []struct{ path, heading string }{{"/members/import/template", "姓名*"}, {"/units/import/template", "单位名称*"}} {
			r := h.do(f.Staff, "GET", x.path, "")
			if r.Status != 200 || r.Header.Get("Content-Type") != "application/octet-stream" || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("%s: %d %v", x.path, r.Status, r.Header)
			}
			wb, err := excelize.OpenReader(bytes.NewReader(r.Body))
			if err != nil {
				t.Fatalf("%s is not a workbook: %v", x.path, err)
			}
			rows, err := wb.GetRows(wb.GetSheetList()[0])
			if err != nil || len(rows) == 0 || !slices.Contains(rows[0], x.heading) {
				t.Fatalf("%s headings %v %v", x.path, rows, err)
			}
			h.want(h.do(f.MemberParty, "GET", x.path, ""), 403)
		}
		for _, who := range []string{"member", "unit", "proposal_office", "leader", "assistance", "prefecture"} {
			h.want(h.upload(h.actor(who), "POST", "/members/import", nil, "委员.xlsx", good), 403)
			h.want(h.upload(h.actor(who), "POST", "/units/import", nil, "单位.xlsx", units), 403)
		}
		h.want(h.upload(nil, "POST", "/members/import", nil, "委员.xlsx", good), 401)
		members, audited := h.rows("memberships"), h.rows("audit_log")

		e := h.want(h.upload(f.Staff, "POST", "/members/import", nil, "委员.xlsx", broken), 422).apiError(t)
		byRow := map[int][]string{}
		for _, fe := range e.Fields {
			byRow[fe.Row] = append(byRow[fe.Row], fe.Field+": "+fe.Message)
		}
		want := map[int][]string{3: {"公民身份号码", "界别"}, 4: {"手机或电话", "政治面貌"}}
		if len(byRow) != len(want) {
			t.Fatalf("row errors %+v", e.Fields)
		}
		for row, cols := range want {
			if len(byRow[row]) != len(cols) {
				t.Fatalf("row %d errors %v, want columns %v", row, byRow[row], cols)
			}
			for i, col := range cols {
				if !strings.HasPrefix(byRow[row][i], col+": ") {
					t.Errorf("row %d error %q does not name column %s", row, byRow[row][i], col)
				}
			}
		}
		e = h.want(h.upload(f.Staff, "POST", "/members/import", nil, "x.xlsx", []byte("not a spreadsheet")), 422).apiError(t)
		h.want(h.upload(f.Staff, "POST", "/members/import", nil, "", nil), 422)
		h.want(h.upload(f.Staff, "POST", "/members/import", map[string]string{"term_id": "x"}, "委员.xlsx", good), 422)
		h.want(h.json(f.Staff, "POST", "/members/import", map[string]any{"file": "x"}), 400)
		h.want(h.upload(f.Staff, "POST", "/members/import", nil, "big.xlsx", make([]byte, MaxUpload)), 413)
		if h.rows("memberships") != members || h.rows("audit_log") != audited {
			t.Fatal("a refused import wrote something")
		}

		var res ImportAnswer
		h.want(h.upload(f.Staff, "POST", "/members/import", nil, "委员.xlsx", good), 200).decode(t, &res)
		if res.Rows != 2 || res.Created != 2 {
			t.Fatalf("import %+v", res)
		}
		h.want(h.upload(f.Admin, "POST", "/members/import", nil, "委员.xlsx", good), 200).decode(t, &res)
		if res.Created != 0 || res.Unchanged != 2 || h.rows("memberships") != members+2 {
			t.Fatalf("again %+v (%d memberships)", res, h.rows("memberships"))
		}
		var ml MemberList
		h.want(h.json(f.Staff, "GET", "/members?q=李四", nil), 200).decode(t, &ml)
		if len(ml.Items) != 1 || ml.Items[0].TermID != f.TermA {
			t.Fatalf("imported member %+v", ml.Items)
		}

		h.want(h.upload(f.Staff, "POST", "/units/import", nil, "单位.xlsx", book(t, [][]string{{"单位名称*", "单位类别*"}, {"县财政局", "银行"}})), 422)
		h.want(h.upload(f.Staff, "POST", "/units/import", nil, "单位.xlsx", units), 200).decode(t, &res)
		if res.Created != 2 {
			t.Fatalf("units %+v", res)
		}
		// Another county imports into its own committee only.
		h.want(h.upload(f.StaffB, "POST", "/units/import", nil, "单位.xlsx", units), 200).decode(t, &res)
		var ul UnitList
		h.want(h.json(f.Staff, "GET", "/units", nil), 200).decode(t, &ul)
		if len(ul.Items) != 2 {
			t.Fatalf("A's units %+v", ul.Items)
		}
	})
}
