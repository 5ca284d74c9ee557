package api

import (
	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
	"lvzhi/internal/export"
	"lvzhi/internal/sheet"
)

// Background exports (package export), the twins of the web's
// /figures/records.xlsx?async=1, /exports/{id} and /exports/{id}/file: start
// one, follow its progress, download its workbook. Only the user who started
// an export sees it; anyone else gets 404.

func (a *API) exportRoutes() []Route {
	params := append([]Param{recordsParams[0]}, neutralFilterParams...)
	return []Route{
		{Method: "POST", Path: "/figures/records/exports", Tag: "figures",
			Summary: "Start a background .xlsx export of the records a figure counts (the same workbook as the web's records export); follow it with GET /exports/{id}",
			Query:   params, Result: export.Export{}, Status: 201, Handle: a.startRecordsExport},
		{Method: "GET", Path: "/exports/{id}", Tag: "figures", Summary: "A background export of yours: its status (queued, running, done, failed) and records written of the total",
			Result: export.Export{}, Handle: withExportID(func(r *Request, id int64) (any, error) {
				return a.exports().Get(r.Context(), r.Actor, id)
			})},
		{Method: "GET", Path: "/exports/{id}/file", Tag: "figures", Summary: "The workbook of a finished background export of yours (404 until it is done)",
			Result: Download{}, Handle: withExportID(func(r *Request, id int64) (any, error) {
				e, b, err := a.exports().File(r.Context(), r.Actor, id)
				if err != nil {
					return nil, err
				}
				return &Download{Name: e.FileName, Data: b}, nil
			})},
	}
}

func (a *API) exports() *export.Service { return export.NewService(a.deps.DB, a.deps.Figures) }

// startRecordsExport checks the reader on the first records, as the web does,
// then queues the export.
func (a *API) startRecordsExport(r *Request) (any, error) {
	f, err := a.neutralFilter(r)
	if err != nil {
		return nil, err
	}
	id := r.Query("figure")
	src, _, ok := a.deps.Figures.Lookup(id)
	if !ok {
		return nil, apperr.ErrNotFound
	}
	first, err := export.First(r.Context(), src, r.Actor, f, id)
	if err != nil {
		return nil, err
	}
	title := first.Figure.Name(r.Lang)
	parts := []string{title}
	if c, err := a.deps.Org.Committee(r.Context(), r.Actor, f.CommitteeID); err == nil {
		parts = []string{c.Name, title}
	}
	xid, err := a.exports().StartRecords(r.Context(), r.Actor, export.RecordsRequest{Figure: id, Filter: f, Lang: r.Lang,
		FileName: sheet.FileName(civil.Today(), parts...), Total: first.Total})
	if err != nil {
		return nil, err
	}
	return a.exports().Get(r.Context(), r.Actor, xid)
}

// withExportID reads the path's export id before h.
func withExportID(h func(r *Request, id int64) (any, error)) func(r *Request) (any, error) {
	return func(r *Request) (any, error) {
		id, err := r.PathID("id")
		if err != nil {
			return nil, err
		}
		return h(r, id)
	}
}
