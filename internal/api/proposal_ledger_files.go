package api

import (
	"bytes"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/i18n"
	"lvzhi/internal/proposal"
)

// proposalLedgerFileRoutes are the ledger's files: the template the ledger
// import reads and a session's ledger exported in that layout (the web's
// /proposals/ledger/template.xlsx and /proposals/ledger/export.xlsx).
func (a *API) proposalLedgerFileRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/proposals/ledger/template", Tag: "proposals",
			Summary: "The proposal ledger workbook to fill in (.xlsx; headings in the request's language; proposal office)",
			Result:  Download{}, Handle: func(r *Request) (any, error) {
				if !auth.Can(r.Actor, proposal.PermBackfill) {
					return nil, apperr.New(apperr.Forbidden, "err.forbidden")
				}
				var b bytes.Buffer
				if err := proposal.LedgerTemplate(r.Lang, &b); err != nil {
					return nil, err
				}
				return &Download{Name: i18n.T(r.Lang, "ledger.sheet") + ".xlsx", Data: b.Bytes()}, nil
			}},
		{Method: "GET", Path: "/proposals/ledger/export", Tag: "proposals",
			Summary: "A session's proposal ledger (.xlsx in the template's layout: registered proposals by number, merged ones left out; readers of proposals)",
			Query:   []Param{{Name: "session_id", Type: "integer", Required: true, Description: "the session"}},
			Result:  Download{}, Handle: func(r *Request) (any, error) {
				id, err := r.QueryInt("session_id")
				if err != nil {
					return nil, err
				}
				if id == 0 {
					return nil, apperr.ErrNotFound // as the web: no session, no ledger
				}
				var b bytes.Buffer // built whole first: a refusal is an error, not half a file
				if err := a.deps.Proposals.ExportLedger(r.Context(), r.Actor, id, r.Lang, &b); err != nil {
					return nil, err
				}
				return &Download{Name: i18n.T(r.Lang, "ledger.sheet") + ".xlsx", Data: b.Bytes()}, nil
			}},
	}
}
