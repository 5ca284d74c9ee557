package web

import (
	"errors"
	"net/http"

	"lvzhi/internal/activity"
	"lvzhi/internal/apperr"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// Importing past activities from the office's Excel ledger (staff): the
// upload form with the template, and the result or every row's problem.

type actImportPage struct {
	File   string
	Result *activity.ImportResult
	Rows   []apperr.FieldError
	Error  string
}

func (s *Server) renderActImport(w http.ResponseWriter, r *http.Request, status int, p actImportPage) error {
	w.WriteHeader(status)
	s.render(w, r, "activity/import.html", p)
	return nil
}

func (s *Server) activityImportPage(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireCan(r, activity.PermManage); err != nil {
		return err
	}
	return s.renderActImport(w, r, http.StatusOK, actImportPage{})
}

func (s *Server) activityImport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermManage)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, activity.MaxImportBytes)
	var p actImportPage
	fail := func(err error) error {
		e := Normalize(err)
		if e.Code == apperr.Internal || e.Code == apperr.Forbidden || e.Code == apperr.NotFound {
			return err
		}
		p.Error, p.Rows = Message(langOf(r), e)
		return s.renderActImport(w, r, StatusOf(e.Code), p)
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fail(apperr.New(apperr.TooLarge, "err.too_large"))
		}
		return fail(apperr.New(apperr.Invalid, "err.activity.not_excel"))
	}
	defer r.MultipartForm.RemoveAll()
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return fail(apperr.New(apperr.Invalid, "err.activity.not_excel"))
	}
	defer file.Close()
	p.File = hdr.Filename
	res, err := s.Activities.ImportPast(r.Context(), a, a.CommitteeID, file)
	if err != nil {
		return fail(err)
	}
	p.Result = &res
	return s.renderActImport(w, r, http.StatusOK, p)
}

func (s *Server) activityImportTemplate(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermManage)
	if err != nil {
		return err
	}
	lang := langOf(r)
	b, err := activity.ImportTemplate(lang)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", sheet.ContentType)
	w.Header().Set("Content-Disposition", sheet.Disposition(s.exportName(r.Context(), a, 0, i18n.T(lang, "activity.import.sheet"))))
	_, err = w.Write(b)
	return err
}
