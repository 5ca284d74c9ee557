package sheet

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/civil"
)

// TestSheetTypes: cells keep their kinds, empty values stay empty, the
// heading is frozen and filtered, and a wrong value is refused.
func TestSheetTypes(t *testing.T) {
	s, err := New("提案/指标[2026]", []Column{{Head: "名称"}, {Head: "数值", Kind: Number}, {Head: "比例", Kind: Percent}, {Head: "日期", Kind: Date}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Row("甲", int64(3), 0.25, civil.MustParse("2026-12-07")); err != nil {
		t.Fatal(err)
	}
	if err := s.Row("乙", 4, nil, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Row("丙", "三", nil, nil); err == nil {
		t.Fatal("text in a number column accepted")
	}
	var buf bytes.Buffer
	if _, err := s.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sh := x.GetSheetList()[0]
	if sh != "提案-指标-2026-" {
		t.Errorf("sheet name %q", sh)
	}
	rows, _ := x.GetRows(sh)
	if got := strings.Join(rows[1], "|"); got != "甲|3|25.0%|2026-12-07" {
		t.Errorf("row %q", got)
	}
	if v, _ := x.GetCellValue(sh, "C3"); v != "" {
		t.Errorf("empty rate is %q", v)
	}
	raw, _ := x.GetCellValue(sh, "D2", excelize.Options{RawCellValue: true})
	if raw != "46363" {
		t.Errorf("date serial %q", raw)
	}
	if ct, _ := x.GetCellType(sh, "B2"); ct == excelize.CellTypeSharedString || ct == excelize.CellTypeInlineString {
		t.Errorf("number stored as text")
	}
	if p, _ := x.GetPanes(sh); !p.Freeze || p.YSplit != 1 {
		t.Errorf("panes %+v", p)
	}
}

func TestFileName(t *testing.T) {
	n := FileName(civil.MustParse("2026-12-07"), "滇富县政协", "提案")
	if n != "滇富县政协-提案-2026-12-07.xlsx" {
		t.Fatalf("name %q", n)
	}
	if d := Disposition(n); !strings.HasPrefix(d, `attachment; filename="export-2026-12-07.xlsx"; filename*=UTF-8''%E6%BB%87`) {
		t.Fatalf("disposition %q", d)
	}
}

// TestNextSheet: a workbook of several sheets, each with its own heading,
// kinds and rows; a sheet name used twice is refused.
func TestNextSheet(t *testing.T) {
	s, err := New("指标", []Column{{Head: "名称"}, {Head: "数值", Kind: Number}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Row("立案", int64(214)); err != nil {
		t.Fatal(err)
	}
	if err := s.Next("01 立案", []Column{{Head: "标题"}, {Head: "日期", Kind: Date}}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"2018-03-01", "2018-03-02"} {
		if err := s.Row("提案", civil.MustParse(d)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Next("指标", nil); err == nil {
		t.Fatal("a second sheet of the same name accepted")
	}
	var buf bytes.Buffer
	if _, err := s.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := strings.Join(x.GetSheetList(), ","); got != "指标,01 立案" {
		t.Fatalf("sheets %s", got)
	}
	first, _ := x.GetRows("指标")
	second, _ := x.GetRows("01 立案")
	if len(first) != 2 || first[1][1] != "214" || len(second) != 3 || second[2][1] != "2018-03-02" || second[0][0] != "标题" {
		t.Errorf("rows %q / %q", first, second)
	}
	if p, _ := x.GetPanes("01 立案"); !p.Freeze {
		t.Error("second sheet's heading not frozen")
	}
}
