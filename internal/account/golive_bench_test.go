package account_test

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	world "lvzhi/internal/fixture"
	"lvzhi/internal/org"
)

// The going-live imports' speed (issue 8; docs/BENCHMARKS.md, "Going live").
// A county's roster of 300 members, and a province's 40,000 (four files of
// 10,000, org.MaxImportRows), imported with an account and an activation link
// for every member, as an administrator does on the first afternoon:
//
//	go test ./internal/account -run '^$' -bench GoLive -benchtime 1x
//	LVZHI_TEST_PG=… go test ./internal/account -run '^$' -bench GoLive -benchtime 1x -timeout 60m
//
// Each reports the wall time of the whole import (s/import: all four files
// for the province), the CPU time this process spent on it (cpu-s: on SQLite
// that is the database's work too, on PostgreSQL not the server's), the peak
// Go heap sampled every 20 ms during it (peak-heap-MB) and the accounts opened.

// rosterFile is a member workbook of n distinct serving members, numbered from start.
func rosterFile(tb testing.TB, start, n int) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		tb.Fatal(err)
	}
	row := func(r int, cells ...string) {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, vals); err != nil {
			tb.Fatal(err)
		}
	}
	row(1, "姓名*", "性别*", "公民身份号码*", "手机或电话*", "界别*", "政治面貌*")
	born := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		k := start + i
		first17 := fmt.Sprintf("530325%s%03d", born.AddDate(0, 0, k/900).Format("20060102"), k%900+100)
		gender := "女"
		if (first17[16]-'0')%2 == 1 {
			gender = "男"
		}
		row(i+2, fmt.Sprintf("委员%06d", k), gender, first17+string(org.IDCheckChar(first17)), fmt.Sprintf("13%09d", k), "经济界", "无党派人士")
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// peakHeap samples the Go heap until stop is called, which returns the peak in MB.
func peakHeap() (stop func() float64) {
	var (
		mu   sync.Mutex
		peak uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			mu.Lock()
			peak = max(peak, m.HeapAlloc)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() float64 {
		close(done)
		wg.Wait()
		return float64(peak) / (1 << 20)
	}
}

// importRoster imports files, one after another, into a fresh committee with
// accounts, and reports the time per file, the peak heap and the accounts.
func importRoster(b *testing.B, d *db.DB, files [][]byte) {
	ctx := context.Background()
	w := world.New(b, d)
	c := w.Root("province", "云南省政协", fmt.Sprintf("yn%d", time.Now().UnixNano()%1e6))
	w.Term(c, org.TermInput{Number: 12, Name: "十二届", StartsOn: "2023-01-01"})
	w.Sector(c, "经济界", 1)
	admin := world.Admin(c)
	opened := 0
	stop := peakHeap()
	cpu := cpuTime()
	b.StartTimer()
	for _, f := range files {
		o, err := w.Accounts.Opener(ctx, admin)
		if err != nil {
			b.Fatal(err)
		}
		res, err := w.Org.ImportMembersWith(ctx, admin, c.ID, 0, bytes.NewReader(f), o.Members)
		if err != nil || res.Created != res.Rows {
			b.Fatalf("%+v %v", res, err)
		}
		opened += len(o.Issued)
	}
	b.StopTimer()
	b.ReportMetric((cpuTime() - cpu).Seconds(), "cpu-s")
	b.ReportMetric(stop(), "peak-heap-MB")
	b.ReportMetric(float64(opened), "accounts")
	if opened != len(files)*rowsOf(b, files[0]) {
		b.Fatalf("opened %d accounts", opened)
	}
}

// rowsOf counts a workbook's data rows.
func rowsOf(b *testing.B, file []byte) int {
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	return len(rows) - 1
}

// BenchmarkGoLive imports a county's 300-member roster and a province's
// 40,000 (4 × 10,000) with accounts, on SQLite and on PostgreSQL.
func BenchmarkGoLive(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		for _, size := range []struct {
			name        string
			files, rows int
		}{{"county300", 1, 300}, {"province40k", 4, 10000}} {
			b.Run(engine.name+"/"+size.name, func(b *testing.B) {
				b.StopTimer()
				files := make([][]byte, size.files)
				for i := range files {
					files[i] = rosterFile(b, i*size.rows, size.rows)
				}
				for range b.N {
					d := engine.open(b)
					importRoster(b, d, files)
				}
				b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/import")
			})
		}
	}
}
