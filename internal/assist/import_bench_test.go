package assist

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/auth"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// benchHouseholds is the size of one benchmark import (two people each).
const benchHouseholds = 2000

// BenchmarkImportHouseholds imports a registry export of benchHouseholds
// households (a streamed .xlsx, two rows each) into an empty committee on
// SQLite, every row checked, ID numbers sealed, each household audited.
func BenchmarkImportHouseholds(b *testing.B) {
	file := benchWorkbook(b, benchHouseholds)
	box, err := secret.New(fixture.Key)
	if err != nil {
		b.Fatal(err)
	}
	var total time.Duration
	for range b.N {
		b.StopTimer()
		d := dbtest.SQLite(b)
		w := fixture.New(b, d)
		c := w.Root("county", "滇富县政协", "530325")
		officer := w.User(c, "officer", []auth.Role{auth.RoleAssistance}, 0, 0)
		svc := NewService(d)
		svc.Secret = box
		for _, t := range []string{"中安街道", "墨红镇"} {
			if _, err := svc.CreateVillage(context.Background(), officer, t, "一村", ""); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		start := time.Now()
		res, err := svc.ImportHouseholds(context.Background(), officer, bytes.NewReader(file))
		total += time.Since(start)
		if err != nil || res.Created != benchHouseholds {
			b.Fatalf("import: %+v %v", res, err)
		}
	}
	b.ReportMetric(float64(benchHouseholds*b.N)/total.Seconds(), "households/s")
}

func benchWorkbook(b testing.TB, n int) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	row := func(i int, cells []string) {
		vals := make([]any, len(cells))
		for j, c := range cells {
			vals[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i)
		if err := sw.SetRow(cell, vals); err != nil {
			b.Fatal(err)
		}
	}
	row(1, importHead)
	r := 2
	for i := range n {
		town := []string{"中安街道", "墨红镇"}[i%2]
		reg := fmt.Sprintf("R%07d", i)
		row(r, []string{reg, town, "一村", "一般贫困户", "因病", "", "3500", "砖混", "未脱贫", "", "", "户主" + reg, "男",
			benchID(2 * i), "户主", "健康", "普通劳动力", "", ""})
		row(r+1, []string{reg, town, "一村", "一般贫困户", "因病", "", "3500", "砖混", "未脱贫", "", "", "子" + reg, "女",
			benchID(2*i + 1), "之女", "健康", "无劳动力", "在校", ""})
		r += 2
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// benchID is a distinct valid ID number for each k.
func benchID(k int) string {
	day := 1 + k%28
	month := 1 + (k/28)%12
	seq := (k / 336) % 1000
	year := 1950 + (k/336000)%50
	first := fmt.Sprintf("530325%04d%02d%02d%03d", year, month, day, seq)
	return first + string(org.IDCheckChar(first))
}
