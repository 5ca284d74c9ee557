package web

import (
	"bytes"
	"context"
	"net/http"
	"strings"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/i18n"
	"lvzhi/internal/proposal"
)

// propExportCols are the export's columns: heading key suffix and width.
var propExportCols = []struct {
	key   string
	width float64
}{{"number", 16}, {"title", 48}, {"state", 12}, {"kind", 10}, {"category", 10}, {"theme", 10},
	{"proposer", 20}, {"submitted_on", 12}, {"units", 36}, {"due_on", 12}, {"overdue", 8}, {"key", 8}, {"excellent", 8}}

// proposalExport writes the list the reader is looking at (same tab and
// filters, every page) as .xlsx, streaming 500 rows at a time.
func (s *Server) proposalExport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	if !auth.Can(a, proposal.PermView) && !auth.Can(a, proposal.PermHandle) && !auth.Can(a, proposal.PermSubmit) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	pq := parsePropQuery(r.URL.Query())
	t := propTab{Name: "all"}
	if pq.Tab != "" && (auth.Can(a, proposal.PermView) || auth.Can(a, proposal.PermHandle)) {
		for _, x := range propTabs(a) {
			if x.Name == pq.Tab {
				t = x
			}
		}
	}
	var buf bytes.Buffer
	if err := s.writePropXLSX(r.Context(), a, t, t.apply(pq.Filter), &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="proposals.xlsx"`)
	_, err = buf.WriteTo(w)
	return err
}

func (s *Server) writePropXLSX(ctx context.Context, a *auth.Actor, t propTab, f proposal.Filter, w *bytes.Buffer) error {
	lang := a.Lang
	x := excelize.NewFile()
	defer x.Close()
	sheet := i18n.T(lang, "pw.sheet")
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	head := make([]any, len(propExportCols))
	for i, c := range propExportCols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
		head[i] = i18n.T(lang, "pw.col."+c.key)
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	row := 1
	f.Limit = 500
	for f.Offset = 0; ; {
		page, err := s.propPage(ctx, a, t, f)
		if err != nil {
			return err
		}
		for _, it := range page.Items {
			row++
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(cell, propRow(lang, it)); err != nil {
				return err
			}
		}
		f.Offset += len(page.Items)
		if len(page.Items) == 0 || f.Offset >= page.Total {
			break
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return x.Write(w)
}

func propRow(lang string, it proposal.Item) []any {
	yes := func(b bool) string {
		if b {
			return i18n.T(lang, "pw.yes")
		}
		return ""
	}
	who := it.FirstProposerName
	if it.BodyName != "" {
		who = it.BodyName
	}
	cat := ""
	if it.Category != "" {
		cat = i18n.T(lang, "pw.category."+string(it.Category))
	}
	return []any{it.Number, it.Title, it.State.Label(lang), i18n.T(lang, "pw.kind."+string(it.Kind)), cat,
		i18n.T(lang, "pw.theme."+string(it.Theme)), who, it.SubmittedOn.String(), strings.Join(it.Units, "、"),
		it.DueOn.String(), yes(it.Overdue), yes(it.Key), yes(it.Excellent)}
}
