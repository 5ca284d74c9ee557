package scenario

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lvzhi/internal/activity"
	"lvzhi/internal/assist"
	"lvzhi/internal/civil"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/duty"
	"lvzhi/internal/figure"
	"lvzhi/internal/figure/figuretest"
	"lvzhi/internal/proposal"
	"lvzhi/internal/report"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// want is a figure's expected value and, for a rate, its denominator.
type want struct{ value, den int64 }

// fuyuanFigures is the scenario table of ../shared/scenarios/fuyuan-2018.md
// as registered figures.
var fuyuanFigures = map[string]want{
	"study.articles_collected": {73, 0}, "study.articles_published": {12, 0},
	"activities.research": {10, 0}, "activities.inspection": {4, 0}, "activities.consultation": {6, 0},
	"activities.followup": {3, 0}, "activities.appraisal": {2, 0},
	"units.assessed": {7, 0}, "outputs.to_party": {8, 0},
	"proposals.registered": {214, 0}, "proposals.solved": {203, 214},
	"proposals.face_to_face": {214, 214}, "proposals.satisfied": {214, 214}, "proposals.key": {4, 214},
	"culture.volumes": {1, 0}, "publicity.tv": {17, 0}, "publicity.articles": {57, 0},
	"pledges.members": {27, 0}, "pledges.amount": {110_000_000, 0}, "pledges.households": {50, 0},
	"pledges.jobs": {7, 0}, "pledges.industry_households": {286, 0},
	"sites.count": {2, 0}, "sites.donors": {15, 0}, "sites.amount": {105_000_000, 0},
	"assist.cash": {248_550_000, 0}, "assist.goods": {163, 0}, "assist.goods_value": {214_000_000, 0},
	"assist.industry_households": {563, 0}, "assist.students": {56, 0}, "assist.jobs": {132, 0},
	"assist.info": {1426, 0}, "assist.readings": {10_200, 0}, "assist.members_participating": {98, 100},
}

// fuyuanStated is what the report must say, figure by figure.
var fuyuanStated = []string{"调研10次、视察4次、协商6次", "对3项工作进行跟踪问效", "对2个单位进行民主评议",
	"对7个单位的提案办理工作进行测评", "向县委提交调研协商报告8篇", "已解决和正在解决的达203件，占总数的94.9%",
	"面商率、满意率均达100%", "确定重点提案4件", "27名委员出资110万元帮扶50个贫困家庭", "提供就业岗位7个", "帮扶286户贫困户发展产业",
	"在2个助推示范点，15名委员和爱心人士捐资105万元",
	"共捐资248.55万元", "捐物163件（次）、折币约214万元", "帮扶带动563户贫困户", "资助贫困学生56名", "协调就业岗位132个",
	"送信息1426条", "送科技读物10200份", "委员参与率达98%", "征集理论研讨文章73篇，刊发12篇", "播出节目17期", "刊发宣传稿件57篇",
	"整理编辑文史资料1辑"}

// TestFuyuan2018 builds the scenario, asks every figure of its table through
// the registry the server registers, and compares the generated annual
// report with its golden file and the figures it must state.
func TestFuyuan2018(t *testing.T) {
	testScenario(t, Fuyuan2018, "fuyuan-2018.golden", fuyuanFigures, fuyuanStated)
}

// testScenario builds a scenario on both engines, checks its figures for
// the year and, for 三送三帮, up to its AssistTo, then its report.
func testScenario(t *testing.T, build func(context.Context, *db.DB, Options) (*Result, error), name string,
	figures map[string]want, stated []string) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		res, err := build(ctx, d, Options{})
		if err != nil {
			t.Fatal(err)
		}
		reg := registry(d)
		check(t, ctx, reg, res, figure.YearFilter(res.CommitteeID, res.Year), figures)
		check(t, ctx, reg, res, figure.Filter{CommitteeID: res.CommitteeID, From: day(res.Year, 1, 1), To: res.AssistTo}, figures, assist.Area)
		// Every figure opens the records behind it, as many as it counts.
		for _, src := range reg.Sources() {
			figuretest.CheckRecords(t, ctx, src, res.Staff, figure.YearFilter(res.CommitteeID, res.Year))
		}
		keyPerLeader(t, ctx, d, reg, res)
		text := annualReport(t, ctx, d, reg, res)
		golden(t, name, text)
		for _, s := range stated {
			if !strings.Contains(text, s) {
				t.Errorf("the report does not state %q", s)
			}
		}
		// Built once: a second call writes nothing.
		again, err := build(ctx, d, Options{})
		if err != nil || again.Seeded || again.CommitteeID != res.CommitteeID || len(again.Logins) != len(res.Logins) {
			t.Fatalf("second build: %+v, %v", again, err)
		}
	})
}

// keyPerLeader: the key proposals (the records behind proposals.key) are
// supervised one per leader.
func keyPerLeader(t *testing.T, ctx context.Context, d *db.DB, reg *figure.Registry, res *Result) {
	t.Helper()
	src, _, _ := reg.Lookup("proposals.key")
	page, err := src.Records(ctx, res.Office, figure.YearFilter(res.CommitteeID, res.Year), "proposals.key", 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	svc := proposal.NewService(d)
	per := map[int64]int{}
	for _, r := range page.Records {
		dt, err := svc.Get(ctx, res.Office, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range dt.Supervisors {
			per[s.UserID]++
		}
	}
	for _, l := range res.Leaders {
		if per[l.UserID] != 1 {
			t.Errorf("leader %s supervises %d key proposals, want 1", l.Name, per[l.UserID])
		}
	}
	if len(page.Records) != len(res.Leaders) {
		t.Errorf("%d key proposals for %d leaders", len(page.Records), len(res.Leaders))
	}
}

// registry is the registry web.New registers.
func registry(d *db.DB) *figure.Registry {
	return figure.NewRegistry(proposal.NewService(d).Source(), activity.NewService(d).Source(), assist.NewService(d).Source(),
		duty.NewService(d).Source())
}

// check asks the figures of the areas (none: all) for f and compares those
// of wants they hold.
func check(t *testing.T, ctx context.Context, reg *figure.Registry, res *Result, f figure.Filter, wants map[string]want, areas ...string) {
	t.Helper()
	set, err := reg.Figures(ctx, res.Staff, f, areas...)
	if err != nil {
		t.Fatal(err)
	}
	for id, w := range wants {
		src, _, _ := reg.Lookup(id)
		if len(areas) > 0 && (src == nil || src.Area() != areas[0]) {
			continue
		}
		v := set.Get(id)
		if v.ID == "" {
			t.Errorf("%s is not registered", id)
			continue
		}
		if v.Value != w.value || (w.den != 0 && v.DenValue != w.den) {
			t.Errorf("%s %s..%s = %d / %d, want %d / %d", id, f.From, f.To, v.Value, v.DenValue, w.value, w.den)
		}
	}
}

// annualReport generates the year's annual report as the scenario's staff.
func annualReport(t *testing.T, ctx context.Context, d *db.DB, reg *figure.Registry, res *Result) string {
	t.Helper()
	svc := report.NewService(d, reg)
	svc.Today = func() civil.Date { return day(res.Year+1, 1, 15) }
	r, err := svc.Create(ctx, res.Staff, report.CreateInput{Year: res.Year})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := svc.Document(ctx, res.Staff, r.ID, "zh")
	if err != nil {
		t.Fatal(err)
	}
	return doc.Text()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(w) != got {
		t.Fatalf("%s differs (run with -update after checking):\n--- got\n%s\n--- want\n%s", name, got, w)
	}
}
