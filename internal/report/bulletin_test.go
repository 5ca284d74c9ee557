package report

import (
	"strings"
	"testing"

	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
)

// TestBulletins: the proposal summary of a year and the quarterly 三送三帮
// bulletin, generated for their periods, left out and named while their
// figures are not registered; who must not read them.
func TestBulletins(t *testing.T) {
	each(t, func(t *testing.T, f *rfx) {
		f.seedYear()
		pf, err := BulletinPeriod(BulletinProposal, f.c.ID, Year, 0)
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.svc.Bulletin(f.ctx, f.staff, BulletinProposal, pf, "zh")
		if err != nil {
			t.Fatal(err)
		}
		text := d.Text()
		for _, want := range []string{"2026年度提案办理情况汇报", "提案所提事项已解决和正在解决的达3件", "全年共有3个单位承办提案"} {
			if !strings.Contains(text, want) {
				t.Errorf("proposal summary lacks %q:\n%s", want, text)
			}
		}
		qf, err := BulletinPeriod(BulletinAssist, f.c.ID, Year, 3)
		if err != nil || qf.From != civil.MustParse("2026-07-01") || qf.To != civil.MustParse("2026-09-30") {
			t.Fatalf("Q3: %+v %v", qf, err)
		}
		f.reg = figure.NewRegistry(f.props.Source()) // the assist area not built
		f.svc.Figures = f.reg
		d, err = f.svc.Bulletin(f.ctx, f.staff, BulletinAssist, qf, "zh")
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Sections) != 0 || len(d.Missing) != 1 || !strings.Contains(d.Text(), "2026年第3季度") {
			t.Errorf("the assist bulletin without assist figures:\n%s", d.Text())
		}
		f.svc.Figures = figure.NewRegistry(append(f.reg.Sources(), stubSource{values: map[string]int64{
			"assist.cash": 0, "assist.goods": 16, "assist.goods_value": 0, "assist.industry_households": 56,
			"assist.students": 5, "assist.jobs": 13, "assist.info": 140, "assist.readings": 1000, "assist.members_participating": 9}})...)
		d, err = f.svc.Bulletin(f.ctx, f.staff, BulletinAssist, qf, "zh")
		if err != nil {
			t.Fatal(err)
		}
		// No cash, no value of goods: neither is written as a zero (and a share without its base is not written).
		if !strings.Contains(d.Text(), "本季度，委员们通过“三送三帮”捐物16件（次），帮扶带动56户") || strings.Contains(d.Text(), "0万元") ||
			!strings.Contains(d.Text(), "9名委员参与。") {
			t.Errorf("assist bulletin:\n%s", d.Text())
		}
		for _, bad := range [][2]int{{Year, 0}, {Year, 5}, {1900, 1}} {
			_, err := BulletinPeriod(BulletinAssist, f.c.ID, bad[0], bad[1])
			wantCode(t, err, "invalid")
		}
		_, err = f.svc.Bulletin(f.ctx, f.member, BulletinProposal, pf, "zh")
		wantCode(t, err, "forbidden")
		_, err = f.svc.Bulletin(f.ctx, f.foreignStaff, BulletinProposal, pf, "zh")
		wantCode(t, err, "not_found")
		_, err = f.svc.Bulletin(f.ctx, f.staff, "nosuch", pf, "zh")
		wantCode(t, err, "not_found")
	})
}
