package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// TestImportExportCLI runs `lvzhi import` with a broken and a good file and
// `lvzhi export` on a SQLite database.
func TestImportExportCLI(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	t.Setenv(secret.EnvKey, secret.NewKey())
	t.Setenv("LVZHI_DB", "")
	t.Setenv("LVZHI_DATA", dir)
	d, err := db.Open(ctx, filepath.Join(dir, "lvzhi.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s := org.NewService(d)
	c, err := s.CreateRootCommittee(ctx, org.CommitteeInput{Level: "county", Name: "富源县政协", Code: "fuyuan"})
	if err != nil {
		t.Fatal(err)
	}
	a := auth.System(c.ID)
	a.CommitteePath = c.Path
	if _, err := s.CreateTerm(ctx, a, c.ID, org.TermInput{Number: 9, StartsOn: "2017-01-01"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSector(ctx, a, c.ID, org.SectorInput{Name: "经济界"}); err != nil {
		t.Fatal(err)
	}
	d.Close()

	id := "53032519800101123" + string(org.IDCheckChar("53032519800101123"))
	head := []string{"姓名*", "性别*", "公民身份号码*", "手机或电话*", "界别*", "政治面貌*"}
	bad := writeBook(t, dir, "bad.xlsx", [][]string{head, {"张三", "男", id, "13812345678", "经济界", "中共党员"}, {"李四", "男", "123", "13812345679", "体育界", "中共党员"}})
	if err := runImport(ctx, []string{"members", "--committee", "fuyuan", bad}); err == nil || !strings.Contains(err.Error(), "导入失败") {
		t.Fatalf("bad file: %v", err)
	}
	good := writeBook(t, dir, "good.xlsx", [][]string{head, {"张三", "男", id, "13812345678", "经济界", "中共党员"}})
	if err := runImport(ctx, []string{"members", "--committee", "nosuch", good}); err == nil {
		t.Fatal("unknown committee accepted")
	}
	if err := runImport(ctx, []string{"members", "--committee", "fuyuan", good}); err != nil {
		t.Fatalf("good file: %v", err)
	}
	out := filepath.Join(dir, "out.xlsx")
	if err := runExport(ctx, []string{"members", "--committee", "fuyuan", out}); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows(x.GetSheetList()[0])
	if len(rows) != 2 || rows[1][0] != "张三" || rows[1][2] != org.MaskIDNumber(id) {
		t.Fatalf("export: %v", rows)
	}
	if err := runExport(ctx, []string{"units", "--committee", "fuyuan", filepath.Join(dir, "u.xlsx")}); err != nil {
		t.Fatal(err)
	}
	if err := runImport(ctx, []string{"people", "x.xlsx"}); err == nil {
		t.Fatal("unknown kind accepted")
	}
}

func writeBook(t *testing.T, dir, name string, rows [][]string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			_ = f.SetCellStr("Sheet1", cell, v)
		}
	}
	p := filepath.Join(dir, name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}
