package proposal

import (
	"bytes"
	"context"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
)

// BenchmarkLedgerImport300 imports a county's ledger of 300 closed proposals
// (every step replayed through the workflow) per iteration, on SQLite and,
// with LVZHI_TEST_PG, PostgreSQL. The budget is under 5 s a ledger.
//
//	go test ./internal/proposal -run '^$' -bench LedgerImport300 -benchtime 3x
func BenchmarkLedgerImport300(b *testing.B) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(engine.name, func(b *testing.B) {
			d := engine.open(b)
			ctx := context.Background()
			w := fixture.New(b, d)
			c := w.Root("county", "滇富县政协", "530325")
			term := w.Term(c, org.TermInput{Number: 9, Name: "第九届", StartsOn: "2021-12-01"})
			w.Session(c, org.SessionInput{TermID: term.ID, Number: 1, Name: "九届一次全会", Year: 2025,
				OpensOn: "2025-01-18", ClosesOn: "2025-01-20", SubmitFrom: "2025-01-01", SubmitTo: "2025-01-20"})
			w.Member(c, org.MemberInput{Name: "张三", TermID: term.ID})
			w.Unit(c, "县教育体育局")
			office := w.User(c, "office", []auth.Role{auth.RoleProposalOffice}, 0, 0)
			svc := NewService(d)
			svc.Today = func() civil.Date { return civil.MustParse("2026-03-02") }
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				rows := make([]map[string]any, 300)
				for k := range rows {
					rows[k] = goodRow(i*300 + k + 1)
				}
				file := ledgerFile(b, rows)
				b.StartTimer()
				res, err := svc.ImportLedger(ctx, office, bytes.NewReader(file))
				if err != nil || res.Created != 300 {
					b.Fatalf("%+v %v", res, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/ledger")
			if st := d.StatementStats(); st != nil { // SQLite: statements run per ledger row (setup included)
				n := st.Prepared.Load() + st.Reused.Load() + st.Uncached.Load()
				b.ReportMetric(float64(n)/float64(300*b.N), "stmts/row")
			}
		})
	}
}
