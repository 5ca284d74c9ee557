package report

import (
	"context"
	"database/sql"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
	"lvzhi/internal/i18n"
)

// Bulletins are documents generated for a period and never stored: the
// quarterly 三送三帮 bulletin (通报) and the proposal-handling summary for the
// standing committee. They follow the report's rules: sentences citing
// registered figures, a section left out and named when its figures are not
// registered, every figure live and opening its records.

// The bulletin kinds.
const (
	BulletinAssist   = "assist_quarter"   // a quarter of 三送三帮
	BulletinProposal = "proposal_summary" // a year of proposal handling (proposals count by session year)
)

// bulletinSections are each kind's sections.
var bulletinSections = map[string][]SectionDef{
	BulletinAssist: {
		{ID: "assist_quarter", Sentences: []SentenceDef{
			sentence("bulletin.assist", clause("bulletin.cash", "assist.cash"),
				clause("assist.goods", "assist.goods", "assist.goods_value").when("assist.goods"),
				clause("bulletin.industry", "assist.industry_households"), clause("assist.students", "assist.students"),
				clause("assist.jobs", "assist.jobs"), clause("assist.info", "assist.info"), clause("assist.readings", "assist.readings"),
				clause("bulletin.participation", "assist.members_participating").after("report.join.semicolon")),
		}},
	},
	BulletinProposal: {
		{ID: "proposal", Sentences: sentencesOf("proposal")},
		{ID: "proposal_units", Sentences: []SentenceDef{
			sentence("bulletin.units", clause("bulletin.assigned", "units.assigned", "units.lead").when("units.assigned"),
				ClauseDef{Key: "bulletin.overdue", Cites: []string{"proposals.overdue"}, Keep: true, Sep: "report.join.semicolon"}),
		}},
	},
}

// BulletinPeriod is the filter of a kind's period: a quarter (1–4) of a
// year for the 三送三帮 bulletin, the year for the proposal summary.
func BulletinPeriod(kind string, committeeID int64, year, quarter int) (figure.Filter, error) {
	if year < 1949 || year > 9999 {
		return figure.Filter{}, apperr.Fields(apperr.Field("year", "err.report.year_range", map[string]any{"Max": 9999}))
	}
	switch kind {
	case BulletinAssist:
		if quarter < 1 || quarter > 4 {
			return figure.Filter{}, apperr.Fields(apperr.Field("quarter", "err.report.bad_quarter"))
		}
		from := civil.Date{Year: year, Month: time.Month(3*quarter - 2), Day: 1}
		return figure.Filter{CommitteeID: committeeID, From: from, To: from.AddMonths(3).AddDays(-1)}, nil
	case BulletinProposal:
		return figure.YearFilter(committeeID, year), nil
	}
	return figure.Filter{}, apperr.ErrNotFound
}

// Bulletin renders a bulletin of kind for the filter's committee and period,
// as a reader of its figures (auth.ViewReports; a higher committee reads down).
func (s *Service) Bulletin(ctx context.Context, actor *auth.Actor, kind string, f figure.Filter, lang string) (*Document, error) {
	defs, ok := bulletinSections[kind]
	if !ok {
		return nil, apperr.ErrNotFound
	}
	if err := s.DB.ReadTx(ctx, func(tx *sql.Tx) error {
		_, err := auth.CheckScope(ctx, tx, actor, auth.ViewReports, f.CommitteeID)
		return err
	}); err != nil {
		return nil, err
	}
	title := i18n.T(lang, "report.bulletin."+kind, map[string]any{"Year": f.From.Year, "Quarter": (int(f.From.Month)-1)/3 + 1})
	r := &Report{CommitteeID: f.CommitteeID, Kind: kind, Year: f.From.Year, Title: title, State: Draft, Texts: map[string]string{}}
	return s.buildWith(ctx, actor, r, lang, defs, f)
}

// sentencesOf is the sentences of an annual report's section.
func sentencesOf(id string) []SentenceDef {
	sd, _ := SectionByID(id)
	return sd.Sentences
}
