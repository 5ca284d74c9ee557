package web

import (
	"html/template"
	"net/http"
	"strconv"

	"lvzhi/internal/civil"
	"lvzhi/internal/report"
)

// rollCell is one cell of the roll-up table.
type rollCell struct {
	Value, Share string
	Link         template.URL
}

// rollRow is one figure across the committees.
type rollRow struct {
	Name, Definition, Unit string
	Cells                  []rollCell
}

// reportRollUp shows the report's figures of a year for the committee, each
// committee below it and the total (or, with level, every committee of that
// level below it side by side), each cell opening its records.
func (s *Server) reportRollUp(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	lang := langOf(r)
	committee, year, level := report.RollUpQuery(r.URL.Query(), a.CommitteeID, civil.Today())
	ru, err := s.Reports.RollUp(r.Context(), a, committee, year, level)
	if err != nil {
		return err
	}
	var rows []rollRow
	for _, row := range ru.Rows {
		out := rollRow{Name: row.Def.Name(lang), Definition: row.Def.Definition(lang), Unit: row.Def.UnitName(lang)}
		for i, v := range row.Values {
			c := rollCell{Value: v.Amount(), Link: template.URL(recordsLink(ru.Cols[i].Filter, row.Def.ID))}
			if v.HasRate() {
				c.Share = v.Pct()
			}
			out.Cells = append(out.Cells, c)
		}
		rows = append(rows, out)
	}
	s.render(w, r, "report/rollup.html", map[string]any{"RollUp": ru, "Rows": rows, "Year": strconv.Itoa(year),
		"Committee": committee, "Levels": []string{"province", "prefecture", "county"}})
	return nil
}
