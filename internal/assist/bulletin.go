package assist

import (
	"context"
	"time"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/figure"
)

// Bulletin is the quarterly bulletin (季度通报): every programme figure for
// the quarter and for the year to the quarter's end, from the one figure
// source, so it says what the dashboard and the records say.
type Bulletin struct {
	CommitteeID int64         `json:"committee_id"`
	Year        int           `json:"year"`
	Quarter     int           `json:"quarter"`
	From        civil.Date    `json:"from"`
	To          civil.Date    `json:"to"`
	Rows        []BulletinRow `json:"rows"`
}

// BulletinRow is one figure in the quarter and the year to date.
type BulletinRow struct {
	Quarter figure.Value `json:"quarter"`
	YTD     figure.Value `json:"year_to_date"`
}

// QuarterBulletin builds the bulletin of a committee's quarter (1–4).
func (s *Service) QuarterBulletin(ctx context.Context, actor *auth.Actor, committeeID int64, year, quarter int) (Bulletin, error) {
	b := Bulletin{CommitteeID: committeeID, Year: year, Quarter: quarter}
	if quarter < 1 || quarter > 4 {
		return b, apperr.Fields(apperr.Field("quarter", "err.form.bad_choice"))
	}
	if year < 2000 || year > 2100 {
		return b, apperr.Fields(apperr.Field("year", "err.form.out_of_range"))
	}
	if !auth.Can(actor, PermView) {
		return b, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	b.From = civil.Date{Year: year, Month: time.Month(3*quarter - 2), Day: 1}
	b.To = b.From.AddMonths(3).AddDays(-1)
	src := s.Source()
	q, err := src.Figures(ctx, actor, figure.Filter{CommitteeID: committeeID, From: b.From, To: b.To})
	if err != nil {
		return b, err
	}
	ytd, err := src.Figures(ctx, actor, figure.Filter{CommitteeID: committeeID, From: civil.Date{Year: year, Month: 1, Day: 1}, To: b.To})
	if err != nil {
		return b, err
	}
	for i := range q {
		b.Rows = append(b.Rows, BulletinRow{Quarter: q[i], YTD: ytd[i]})
	}
	return b, nil
}
