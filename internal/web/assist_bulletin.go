package web

import (
	"net/http"
	"strconv"

	"lvzhi/internal/assist"
	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// assistBulletinPage is the quarterly bulletin.
type assistBulletinPage struct {
	B assist.Bulletin
}

// bulletinOf reads year and quarter (default: the current quarter) and builds the bulletin.
func (s *Server) bulletinOf(r *http.Request) (assist.Bulletin, error) {
	a, err := requireCan(r, assist.PermView)
	if err != nil {
		return assist.Bulletin{}, err
	}
	today := civil.Today()
	year, quarter := queryInt(r.URL.Query(), "year"), queryInt(r.URL.Query(), "quarter")
	if year == 0 {
		year = today.Year
	}
	if quarter == 0 {
		quarter = (int(today.Month)-1)/3 + 1
	}
	return s.Assist.QuarterBulletin(r.Context(), a, a.CommitteeID, year, quarter)
}

func (s *Server) assistBulletin(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bulletinOf(r)
	if err != nil {
		return err
	}
	s.render(w, r, "assist/bulletin.html", assistBulletinPage{B: b})
	return nil
}

func (s *Server) assistBulletinExport(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bulletinOf(r)
	if err != nil {
		return err
	}
	lang := langOf(r)
	sh, err := sheet.New(i18n.T(lang, "assist.bulletin"), []sheet.Column{
		{Head: i18n.T(lang, "figures.col.figure"), Width: 30}, {Head: i18n.T(lang, "assist.bulletin.quarter"), Width: 14, Kind: sheet.Number},
		{Head: i18n.T(lang, "assist.bulletin.ytd"), Width: 14, Kind: sheet.Number}, {Head: i18n.T(lang, "figures.col.unit_of"), Width: 8},
		{Head: i18n.T(lang, "figures.col.share"), Width: 10, Kind: sheet.Percent}})
	if err != nil {
		return err
	}
	for _, row := range b.Rows {
		num := func(v int64) any {
			if row.Quarter.Unit == "fen" {
				return float64(v) / 100
			}
			return v
		}
		var share any
		if rate, ok := row.YTD.Rate(); ok {
			share = rate
		}
		if err := sh.Row(row.Quarter.Name(lang), num(row.Quarter.Value), num(row.YTD.Value), row.Quarter.UnitName(lang), share); err != nil {
			sh.Close()
			return err
		}
	}
	return sh.Send(w, sheet.FileName(civil.Today(), i18n.T(lang, "assist.bulletin"), strconv.Itoa(b.Year)+"Q"+strconv.Itoa(b.Quarter)))
}
