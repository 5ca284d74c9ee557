package api

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/assist"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/secret"
)

// TestAssistImportAPI: the household and ledger templates are real workbooks;
// a registry export and then a ledger naming its household import through
// multipart uploads; a broken workbook is refused by row and writes nothing;
// roles that may not import are refused.
func TestAssistImportAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		box, err := secret.New(fixture.Key) // households carry ID numbers and phones, sealed
		if err != nil {
			t.Fatal(err)
		}
		h.api.deps.Assist.Secret = box
		f := h.f
		heads := func(path string) []string {
			t.Helper()
			r := h.do(f.Assistance, "GET", path, "")
			if r.Status != 200 || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("%s: %v", path, r.Header)
			}
			wb, err := excelize.OpenReader(bytes.NewReader(r.Body))
			if err != nil {
				t.Fatalf("%s is not a workbook: %v", path, err)
			}
			rows, err := wb.GetRows(wb.GetSheetList()[0])
			if err != nil || len(rows) == 0 {
				t.Fatalf("%s rows %v %v", path, rows, err)
			}
			return rows[0]
		}
		if hd := heads("/assist/households/import/template"); !slices.Contains(hd, "户编号*") {
			t.Fatalf("household template %v", hd)
		}
		if hd := heads("/assist/records/import/template"); !slices.Contains(hd, "帮扶日期*") {
			t.Fatalf("ledger template %v", hd)
		}

		var v assist.Village
		h.want(h.json(f.Assistance, "POST", "/assist/villages", VillageBody{Township: "中安街道", Name: "西关社区"}), 201).decode(t, &v)
		hhHead := []string{"户编号*", "乡镇*", "村（社区）*", "贫困户属性*", "主要致贫原因*", "其他致贫原因", "人均纯收入（元）",
			"住房情况", "脱贫状态*", "脱贫年度", "帮扶责任人", "姓名*", "性别", "公民身份号码", "与户主关系*", "健康状况", "劳动技能", "在校生情况", "联系电话"}
		person := func(name, rel string) []string {
			return []string{"R001", "中安街道", "西关社区", "低保贫困户", "因病", "", "3500", "砖混", "未脱贫", "", "", name, "男", "", rel, "", "", "", ""}
		}
		households := book(t, [][]string{hhHead, person("王大", "户主"), person("王小", "之子")})
		ledgerHead := []string{"帮扶日期*", "帮扶类型*", "户编号", "委员*", "捐款（元）", "捐物件数", "捐物折币（元）", "信息条数", "技术指导次数",
			"科技读物份数", "资助学生数", "就业岗位数", "说明"}
		ledger := book(t, [][]string{ledgerHead, {"2018-06-20", "送爱心（捐款）", "R001", "孙党员", "5000"}})

		for _, who := range []string{"member", "unit", "proposal_office", "leader", "prefecture"} {
			h.want(h.upload(h.actor(who), "POST", "/assist/households/import", nil, "户.xlsx", households), 403)
			h.want(h.upload(h.actor(who), "POST", "/assist/records/import", nil, "台账.xlsx", ledger), 403)
			h.want(h.do(h.actor(who), "GET", "/assist/households/import/template", ""), 403)
			h.want(h.do(h.actor(who), "GET", "/assist/records/import/template", ""), 403)
		}
		h.want(h.upload(nil, "POST", "/assist/households/import", nil, "户.xlsx", households), 401)

		// A broken row: the error names it, and nothing is written.
		broken := book(t, [][]string{hhHead, person("王大", "户主"), {"R002", "中安街道", "不存在村", "低保贫困户", "因病", "", "", "", "未脱贫", "", "", "李大", "", "", "户主"}})
		e := h.want(h.upload(f.Assistance, "POST", "/assist/households/import", nil, "户.xlsx", broken), 422).apiError(t)
		if len(e.Fields) == 0 || e.Fields[0].Row != 3 {
			t.Fatalf("broken households: %+v", e)
		}
		if n := h.rows("assist_households"); n != 0 {
			t.Fatalf("a refused import wrote %d households", n)
		}
		h.want(h.upload(f.Assistance, "POST", "/assist/households/import", nil, "x.xlsx", []byte("not a workbook")), 422)

		var hr assist.ImportResult
		h.want(h.upload(f.Assistance, "POST", "/assist/households/import", nil, "户.xlsx", households), 200).decode(t, &hr)
		if hr != (assist.ImportResult{Rows: 2, Households: 1, Created: 1}) {
			t.Fatalf("households %+v", hr)
		}
		var lr assist.LedgerResult
		h.want(h.upload(f.Staff, "POST", "/assist/records/import", nil, "台账.xlsx", ledger), 200).decode(t, &lr)
		if lr.Rows != 1 || lr.Records != 1 {
			t.Fatalf("ledger %+v", lr)
		}
		h.want(h.do(f.Staff, "GET", "/assist/records", ""), 200)
	})
}
