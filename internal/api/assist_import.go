package api

import (
	"lvzhi/internal/apperr"
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

// EvidenceList is a record's evidence files (without their content).
type EvidenceList struct {
	Items []assist.EvidenceFile `json:"items"`
}

// assistEvidenceRoutes are an assistance record's evidence files: the web
// record page's upload, download and removal.
func (a *API) assistEvidenceRoutes() []Route {
	s := a.deps.Assist
	ids := func(r *Request) (id, fid int64, err error) {
		if id, err = r.PathID("id"); err != nil {
			return 0, 0, err
		}
		fid, err = r.PathID("fid")
		return id, fid, err
	}
	return []Route{
		{Method: "GET", Path: "/assist/records/{id}/files", Tag: "assist", Summary: "An assistance record's evidence files (readers of the record)",
			Result: EvidenceList{}, Handle: byPathID(func(r *Request, id int64) (any, error) {
				fs, _, err := s.Evidence(r.Context(), r.Actor, id)
				return EvidenceList{orEmpty(fs)}, err
			})},
		{Method: "POST", Path: "/assist/records/{id}/files", Tag: "assist",
			Summary: "Add a photo or document to a record's evidence (officers; a member named on it until it is verified); typed by its bytes, at most 10 files of 10 MB",
			Form:    []FormPart{{Name: "file", Type: "file", Required: true, Description: "the file; its name is kept"}},
			Result:  assist.EvidenceFile{}, Status: 201, Handle: byPathID(func(r *Request, id int64) (any, error) {
				data, name, _, err := r.Upload("file", assist.MaxEvidence)
				if err != nil {
					return nil, err
				}
				if data == nil {
					return nil, apperr.Fields(apperr.Field("file", "err.api.file_required"))
				}
				return s.AddEvidence(r.Context(), r.Actor, id, name, data)
			})},
		{Method: "GET", Path: "/assist/records/{id}/files/{fid}", Tag: "assist", Summary: "Download an evidence file (readers of the record)",
			Result: Download{}, Handle: func(r *Request) (any, error) {
				id, fid, err := ids(r)
				if err != nil {
					return nil, err
				}
				f, data, err := s.EvidenceContent(r.Context(), r.Actor, id, fid)
				if err != nil {
					return nil, err
				}
				return &Download{Name: f.Name, Data: data}, nil
			}},
		{Method: "DELETE", Path: "/assist/records/{id}/files/{fid}", Tag: "assist", Summary: "Remove an evidence file (as adding)",
			Handle: func(r *Request) (any, error) {
				id, fid, err := ids(r)
				if err != nil {
					return nil, err
				}
				return nil, s.RemoveEvidence(r.Context(), r.Actor, id, fid)
			}},
	}
}

// byPathID passes a handler the path's id.
func byPathID(h func(r *Request, id int64) (any, error)) func(r *Request) (any, error) {
	return func(r *Request) (any, error) {
		id, err := r.PathID("id")
		if err != nil {
			return nil, err
		}
		return h(r, id)
	}
}
