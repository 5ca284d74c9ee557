package report

import (
	"testing"

	"lvzhi/internal/auth"
)

// scenario is a year of records a golden report is generated over: seed
// builds it through the services on the fixture and returns the staff user
// who writes the report and the year. A scenario of its own committee (the
// Fuyuan 2018 year, once past records can be entered) builds it with f.w and
// the area services and returns its own staff user.
type scenario struct {
	name string // testdata/<name>.<lang>.golden
	seed func(f *rfx) (*auth.Actor, int)
}

var scenarios = []scenario{
	{name: "county", seed: func(f *rfx) (*auth.Actor, int) { f.seedYear(); return f.staff, Year }},
}

// TestGoldenReports: the report generated over each scenario reads as its
// golden file, live and, identically but for the date line, once finalised.
func TestGoldenReports(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			each(t, func(t *testing.T, f *rfx) {
				staff, year := sc.seed(f)
				r, err := f.svc.Create(f.ctx, staff, CreateInput{Year: year})
				if err != nil {
					t.Fatal(err)
				}
				for _, lang := range []string{"zh", "en"} {
					golden(t, sc.name+"."+lang+".golden", f.doc(staff, r.ID, lang).Text())
				}
				if _, err := f.svc.Finalise(f.ctx, staff, r.ID, 0); err != nil {
					t.Fatal(err)
				}
				golden(t, sc.name+".final.zh.golden", f.doc(staff, r.ID, "zh").Text())
			})
		})
	}
}
