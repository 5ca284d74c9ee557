package web

import (
	"context"
	"net/http"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/i18n"
	"lvzhi/internal/proposal"
	"lvzhi/internal/sheet"
)

// propExportCols are the export's columns: heading key suffix and width.
var propExportCols = []struct {
	key   string
	width float64
	kind  sheet.Kind
}{{"number", 16, sheet.Text}, {"title", 48, sheet.Text}, {"state", 12, sheet.Text}, {"kind", 10, sheet.Text},
	{"category", 10, sheet.Text}, {"theme", 10, sheet.Text}, {"proposer", 20, sheet.Text}, {"submitted_on", 12, sheet.Date},
	{"units", 36, sheet.Text}, {"due_on", 12, sheet.Date}, {"overdue", 8, sheet.Text}, {"key", 8, sheet.Text}, {"excellent", 8, sheet.Text}}

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
	lang := a.Lang
	cols := make([]sheet.Column, len(propExportCols))
	for i, c := range propExportCols {
		cols[i] = sheet.Column{Head: i18n.T(lang, "pw.col."+c.key), Width: c.width, Kind: c.kind}
	}
	title := i18n.T(lang, "pw.sheet")
	sh, err := sheet.New(title, cols)
	if err != nil {
		return err
	}
	defer sh.Close()
	// Fill first: a refusal must be an error page, not half a spreadsheet.
	if err := s.fillPropSheet(r.Context(), a, t, t.apply(pq.Filter), sh); err != nil {
		return err
	}
	return sh.Send(w, s.exportName(r.Context(), a, 0, title))
}

// fillPropSheet writes every page of the list, 500 rows at a time.
func (s *Server) fillPropSheet(ctx context.Context, a *auth.Actor, t propTab, f proposal.Filter, sh *sheet.Sheet) error {
	f.Limit = 500
	for f.Offset = 0; ; {
		page, err := s.propPage(ctx, a, t, f)
		if err != nil {
			return err
		}
		for _, it := range page.Items {
			if err := sh.Row(propRow(a.Lang, it)...); err != nil {
				return err
			}
		}
		f.Offset += len(page.Items)
		if len(page.Items) == 0 || f.Offset >= page.Total {
			return nil
		}
	}
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
		i18n.T(lang, "pw.theme."+string(it.Theme)), who, it.SubmittedOn, it.Units,
		it.DueOn, yes(it.Overdue), yes(it.Key), yes(it.Excellent)}
}
