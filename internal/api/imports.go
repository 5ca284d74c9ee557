package api

import (
	"bytes"

	"lvzhi/internal/account"
	"lvzhi/internal/apperr"
	"lvzhi/internal/i18n"
	"lvzhi/internal/org"
)

// Spreadsheet imports of members and units (the web's /org/import): the same
// .xlsx layout as the templates and exports, the same checks, and the same
// errors: every bad cell is a field error with its row (the spreadsheet's row
// number) and the column's heading, and nothing is written unless every row
// is valid.

// ImportAnswer counts what an import did.
type ImportAnswer struct {
	Rows      int `json:"rows"` // data rows read
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// Activations are the accounts opened with the import (accounts=1), each
	// with its one-time link, answered only here.
	Activations []ActivationLink `json:"activations,omitempty"`
}

func importAnswer(r *Request, o *account.Opener, res org.ImportResult, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	out := ImportAnswer{Rows: res.Rows, Created: res.Created, Updated: res.Updated, Unchanged: res.Unchanged}
	if o != nil {
		out.Activations = activationLinks(r, o.Issued)
	}
	return out, nil
}

// workbook reads the uploaded .xlsx of an import.
func workbook(r *Request) (*bytes.Reader, error) {
	data, _, _, err := r.Upload("file", MaxUpload-64<<10)
	if err != nil {
		return nil, err
	}
	if data == nil {
		return nil, apperr.Fields(apperr.Field("file", "err.api.file_required"))
	}
	return bytes.NewReader(data), nil
}

// accountsPart asks an import to open accounts for its rows.
var accountsPart = FormPart{Name: "accounts", Type: "integer",
	Description: "1: also open an account, with a one-time activation link, for every imported serving member or active unit without one, written with the rows (admins only)"}

func (a *API) importRoutes() []Route {
	o := a.deps.Org
	template := func(make func(r *Request) ([]byte, error), fileKey string) func(r *Request) (any, error) {
		return func(r *Request) (any, error) {
			b, err := make(r)
			if err != nil {
				return nil, err
			}
			return &Download{Name: i18n.T(r.Lang, fileKey), Data: b}, nil
		}
	}
	return []Route{
		{Method: "GET", Path: "/members/import/template", Tag: "org", Summary: "The member workbook to fill in (.xlsx; headings in the request's language; staff, admins)",
			Result: Download{}, Handle: template(func(r *Request) ([]byte, error) {
				return o.MemberTemplate(r.Context(), r.Actor, r.Actor.CommitteeID, r.Lang)
			}, "org.template.members_file")},
		{Method: "GET", Path: "/units/import/template", Tag: "org", Summary: "The unit workbook to fill in (.xlsx; staff, admins)",
			Result: Download{}, Handle: template(func(r *Request) ([]byte, error) {
				return o.UnitTemplate(r.Context(), r.Actor, r.Actor.CommitteeID, r.Lang)
			}, "org.template.units_file")},
		{Method: "POST", Path: "/members/import", Tag: "org",
			Summary: "Import members from an .xlsx workbook (the member template's layout) into the token user's committee (staff, admins); all rows or none",
			Form: []FormPart{{Name: "file", Type: "file", Required: true, Description: ".xlsx, at most 10 MB"},
				{Name: "term_id", Type: "integer", Description: "term id; default the current term"}, accountsPart},
			Result: ImportAnswer{}, Handle: func(r *Request) (any, error) {
				book, err := workbook(r)
				if err != nil {
					return nil, err
				}
				term, err := r.FormInt("term_id")
				if err != nil {
					return nil, err
				}
				op, err := a.importOpener(r)
				if err != nil {
					return nil, err
				}
				res, err := o.ImportMembersWith(r.Context(), r.Actor, r.Actor.CommitteeID, term, book, importHook(op, "members"))
				return importAnswer(r, op, res, err)
			}},
		{Method: "POST", Path: "/units/import", Tag: "org",
			Summary: "Import handling units from an .xlsx workbook (the unit template's layout) into the token user's committee (staff, admins); all rows or none",
			Form:    []FormPart{{Name: "file", Type: "file", Required: true, Description: ".xlsx, at most 10 MB"}, accountsPart},
			Result:  ImportAnswer{}, Handle: func(r *Request) (any, error) {
				book, err := workbook(r)
				if err != nil {
					return nil, err
				}
				op, err := a.importOpener(r)
				if err != nil {
					return nil, err
				}
				res, err := o.ImportUnitsWith(r.Context(), r.Actor, r.Actor.CommitteeID, book, importHook(op, "units"))
				return importAnswer(r, op, res, err)
			}},
	}
}
