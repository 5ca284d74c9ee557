package bench

// TestExportMillionRows streams a 1,000,000-row export through internal/sheet
// (the writer of every .xlsx export) to a file and asserts the targets of
// issue 15: under 60 s and under 200 MB of memory.
//
//	LVZHI_BENCH=1 go test ./bench -run TestExportMillionRows -v
//	LVZHI_BENCH_EXPORT_ROWS=N   rows (default 1,000,000)

import (
	"archive/zip"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"lvzhi/internal/civil"
	"lvzhi/internal/sheet"
)

func TestExportMillionRows(t *testing.T) {
	if os.Getenv("LVZHI_BENCH") == "" {
		t.Skip("benchmarks and load tests run with LVZHI_BENCH=1 (see docs/BENCHMARKS.md)")
	}
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("LVZHI_BENCH_EXPORT_ROWS")); err == nil && v > 0 {
		n = v
	}
	// The columns of the proposal figure records export: text, numbers,
	// dates, a rate, empty cells and joined lists.
	cols := []sheet.Column{{Head: "案号", Width: 12}, {Head: "标题", Width: 40}, {Head: "政协", Width: 16},
		{Head: "提出日期", Kind: sheet.Date, Width: 12}, {Head: "状态", Width: 10}, {Head: "附议人数", Kind: sheet.Number},
		{Head: "办理单位", Width: 24}, {Head: "答复日期", Kind: sheet.Date, Width: 12}, {Head: "满意率", Kind: sheet.Percent},
		{Head: "经费（分）", Kind: sheet.Number}}
	states := []string{"立案", "交办", "办理中", "已答复", "不予立案"}
	units := [][]string{{"县教育局"}, {"县交通运输局", "县财政局"}, nil, {"县农业农村局"}}
	day0 := civil.MustParse("2018-01-01")

	var peakHeap atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() { // HeapInuse sampled every 50 ms
		defer close(sampled)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peakHeap.Load() {
				peakHeap.Store(m.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()

	path := filepath.Join(t.TempDir(), "export.xlsx")
	start := time.Now()
	sh, err := sheet.New("提案记录", cols)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		filed := day0.AddDays(i % 2000)
		var answered any
		var rate any
		if i%5 == 3 {
			answered, rate = filed.AddDays(30+i%60), float64(i%100)/100
		}
		if err := sh.Row(fmt.Sprintf("2018-%07d", i+1), "关于加强农村饮用水安全保障的建议（第"+strconv.Itoa(i)+"号）",
			"滇富县政协", filed, states[i%len(states)], i%12, units[i%len(units)], answered, rate, int64(i)*137); err != nil {
			t.Fatal(err)
		}
	}
	rowsDone := time.Since(start)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	size, err := sh.WriteTo(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	close(stop)
	<-sampled
	hwm := vmHWM(t)

	// The file is a whole workbook: its sheet part is there, and ends with the last row.
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var part *zip.File
	for _, zf := range z.File {
		if zf.Name == "xl/worksheets/sheet1.xml" {
			part = zf
		}
	}
	if part == nil {
		t.Fatal("no sheet part")
	}
	t.Logf("%d rows: rows written in %v, file of %.1f MB (sheet part %.0f MB unzipped) in %v; peak HeapInuse %.1f MB, VmHWM %.1f MB",
		n, rowsDone.Round(time.Millisecond), float64(size)/1e6, float64(part.UncompressedSize64)/1e6, elapsed.Round(time.Millisecond),
		float64(peakHeap.Load())/(1<<20), float64(hwm)/(1<<20))
	if elapsed > 60*time.Second {
		t.Errorf("export took %v (target < 60 s)", elapsed)
	}
	if hwm > 200<<20 {
		t.Errorf("peak resident memory %.1f MB (target < 200 MB)", float64(hwm)/(1<<20))
	}
}

// vmHWM is the process's peak resident set size (bytes) from /proc/self/status.
func vmHWM(t *testing.T) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}
