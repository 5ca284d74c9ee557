package api

import (
	"lvzhi/internal/assist"
	"lvzhi/internal/i18n"
)

// assistImportRoutes are the 三送三帮 file imports and their templates (the
// web's /assist/import pages): the poverty registry's household export and
// the office's ledger of past assistance, each all rows or none.
func (a *API) assistImportRoutes() []Route {
	s := a.deps.Assist
	file := []FormPart{{Name: "file", Type: "file", Required: true, Description: ".xlsx, at most 10 MB"}}
	return []Route{
		{Method: "GET", Path: "/assist/households/import/template", Tag: "assist",
			Summary: "The household workbook to fill in (.xlsx, the registry export's layout; officers)",
			Result:  Download{}, Handle: func(r *Request) (any, error) {
				b, err := s.HouseholdTemplate(r.Context(), r.Actor, r.Lang)
				if err != nil {
					return nil, err
				}
				return &Download{Name: i18n.T(r.Lang, "assist.sheet.households") + ".xlsx", Data: b}, nil
			}},
		{Method: "POST", Path: "/assist/households/import", Tag: "assist",
			Summary: "Import households from the poverty registry's export (.xlsx) into the token user's committee (officers); all rows or none, errors by row",
			Form:    file, Result: assist.ImportResult{}, Handle: func(r *Request) (any, error) {
				book, err := workbook(r)
				if err != nil {
					return nil, err
				}
				return s.ImportHouseholds(r.Context(), r.Actor, book)
			}},
		{Method: "GET", Path: "/assist/records/import/template", Tag: "assist",
			Summary: "The ledger workbook of past assistance to fill in (.xlsx; officers)",
			Result:  Download{}, Handle: func(r *Request) (any, error) {
				b, err := s.LedgerTemplate(r.Context(), r.Actor, r.Lang)
				if err != nil {
					return nil, err
				}
				return &Download{Name: i18n.T(r.Lang, "assist.sheet.ledger") + ".xlsx", Data: b}, nil
			}},
		{Method: "POST", Path: "/assist/records/import", Tag: "assist",
			Summary: "Import the office's ledger of past assistance (.xlsx, the ledger template's layout) as unverified records entered later (officers); all rows or none, errors by row",
			Form:    file, Result: assist.LedgerResult{}, Handle: func(r *Request) (any, error) {
				book, err := workbook(r)
				if err != nil {
					return nil, err
				}
				return s.ImportLedger(r.Context(), r.Actor, book)
			}},
	}
}
