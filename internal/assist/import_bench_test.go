package assist

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/auth"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

// benchHouseholds is the size of one benchmark import (two people each):
// 2,000, or LVZHI_BENCH_HOUSEHOLDS (1000000 for the target).
func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("LVZHI_BENCH_HOUSEHOLDS")); err == nil && n > 0 {
		return n
	}
	return 2000
}

// BenchmarkImportHouseholds imports a registry export of benchSize()
// households (a streamed .xlsx, two rows each) into an empty committee, on
// SQLite or, with LVZHI_BENCH_ENGINE=postgres, PostgreSQL; every row checked,
// ID numbers sealed. It reports households/s, the time reading the sheet
// alone, and the process's peak RSS.
func BenchmarkImportHouseholds(b *testing.B) {
	benchHouseholds := benchSize()
	start := time.Now()
	file := benchWorkbook
	if os.Getenv("LVZHI_BENCH_FORMAT") == "csv" {
		file = benchCSV
	}
	data := file(b, benchHouseholds)
	b.Logf("file of %d households: %d bytes in %.1fs", benchHouseholds, len(data), time.Since(start).Seconds())
	start = time.Now()
	if _, err := readRows(bytes.NewReader(data), importColumns, "assist.col.", MaxImportRows); err != nil {
		b.Fatal(err)
	}
	b.Logf("reading the sheet alone: %.1fs", time.Since(start).Seconds())
	box, err := secret.New(fixture.Key)
	if err != nil {
		b.Fatal(err)
	}
	var total, cpu time.Duration
	for range b.N {
		b.StopTimer()
		d := dbtest.SQLite(b)
		if os.Getenv("LVZHI_BENCH_ENGINE") == "postgres" {
			d = dbtest.Postgres(b)
		}
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
		cpu0 := cpuTime()
		start := time.Now()
		res, err := svc.ImportHouseholds(context.Background(), officer, bytes.NewReader(data))
		total += time.Since(start)
		cpu += cpuTime() - cpu0
		if err != nil || res.Created != benchHouseholds {
			b.Fatalf("import: %+v %v", res, err)
		}
	}
	b.ReportMetric(float64(benchHouseholds*b.N)/total.Seconds(), "households/s")
	b.ReportMetric(total.Seconds()/float64(b.N), "s/import")
	// On a shared machine the wall time is mostly waiting for a core; the
	// process's CPU time is what the import costs.
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/import")
	if st, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(st), "\n") {
			if strings.HasPrefix(l, "VmHWM:") {
				b.Logf("peak RSS %s", strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:")))
			}
		}
	}
}

// benchRows are the file's rows: the heading, then two people per household.
func benchRows(n int, fn func(cells []string)) {
	fn(importHead)
	for i := range n {
		town := []string{"中安街道", "墨红镇"}[i%2]
		reg := fmt.Sprintf("R%07d", i)
		fn([]string{reg, town, "一村", "一般贫困户", "因病", "", "3500", "砖混", "未脱贫", "", "", "户主" + reg, "男",
			benchID(2 * i), "户主", "健康", "普通劳动力", "", ""})
		fn([]string{reg, town, "一村", "一般贫困户", "因病", "", "3500", "砖混", "未脱贫", "", "", "子" + reg, "女",
			benchID(2*i + 1), "之女", "健康", "无劳动力", "在校", ""})
	}
}

// benchCSV is the registry export saved as CSV (UTF-8 with a byte order mark).
func benchCSV(b testing.TB, n int) []byte {
	var buf bytes.Buffer
	buf.WriteString("\xef\xbb\xbf")
	w := csv.NewWriter(&buf)
	benchRows(n, func(cells []string) {
		if err := w.Write(cells); err != nil {
			b.Fatal(err)
		}
	})
	w.Flush()
	return buf.Bytes()
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
	r := 1
	benchRows(n, func(cells []string) {
		row(r, cells)
		r++
	})
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

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
