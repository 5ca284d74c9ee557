package web

import (
	"bytes"
	"errors"
	"net/http"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/i18n"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
	"lvzhi/internal/sheet"
)

// The proposal ledger (提案办理台账) page: the template to download, the
// upload (every row entered with its whole history, or nothing and every
// error by row and column), and the export of a session's ledger in the same
// layout. Registered by proposalLedgerRoutes.

func (s *Server) proposalLedgerRoutes() {
	s.handle("GET /proposals/ledger", s.proposalLedgerPage)
	s.handle("POST /proposals/ledger", s.proposalLedgerImport)
	s.handle("GET /proposals/ledger/template.xlsx", s.proposalLedgerTemplate)
	s.handle("GET /proposals/ledger/export.xlsx", s.proposalLedgerExport)
}

// ledgerPage is the data of /proposals/ledger.
type ledgerPage struct {
	Sessions []org.Session
	File     string
	Error    string
	Rows     []apperr.FieldError
	Result   *proposal.LedgerResult
}

func (s *Server) renderLedger(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p ledgerPage) error {
	var err error
	if p.Sessions, err = s.Org.Sessions(r.Context(), a, a.CommitteeID, 0); err != nil {
		return err
	}
	w.WriteHeader(status)
	s.render(w, r, "proposal/ledger.html", p)
	return nil
}

func (s *Server) proposalLedgerPage(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermBackfill)
	if err != nil {
		return err
	}
	return s.renderLedger(w, r, a, http.StatusOK, ledgerPage{})
}

// proposalLedgerImport takes an uploaded ledger (at most MaxUpload bytes).
func (s *Server) proposalLedgerImport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermBackfill)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxUpload)
	var p ledgerPage
	fail := func(err error) error {
		e := Normalize(err)
		if e.Code == apperr.Internal || e.Code == apperr.Forbidden || e.Code == apperr.NotFound {
			return err
		}
		msg, fields := Message(langOf(r), e)
		if e.Code == apperr.TooLarge {
			msg = i18n.T(langOf(r), "err.org.upload_too_large", map[string]any{"MB": MaxUpload >> 20})
		}
		p.Error, p.Rows = msg, fields
		return s.renderLedger(w, r, a, StatusOf(e.Code), p)
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fail(err)
		}
		return fail(apperr.New(apperr.Invalid, "err.org.upload_missing"))
	}
	defer r.MultipartForm.RemoveAll()
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return fail(apperr.New(apperr.Invalid, "err.org.upload_missing"))
	}
	defer file.Close()
	p.File = hdr.Filename
	res, err := s.Proposals.ImportLedger(r.Context(), a, file)
	if err != nil {
		return fail(err)
	}
	p.Result = &res
	return s.renderLedger(w, r, a, http.StatusOK, p)
}

func (s *Server) proposalLedgerTemplate(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireCan(r, proposal.PermBackfill); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := proposal.LedgerTemplate(langOf(r), &b); err != nil {
		return err
	}
	return orgSendXLSX(w, i18n.T(langOf(r), "ledger.sheet")+".xlsx", b.Bytes())
}

// proposalLedgerExport sends a session's ledger (?session_id=).
func (s *Server) proposalLedgerExport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermView)
	if err != nil {
		return err
	}
	id := queryID(r.URL.Query(), "session_id")
	if id == 0 {
		return apperr.ErrNotFound
	}
	var b bytes.Buffer // built whole first: a refusal is an error page, not half a file
	if err := s.Proposals.ExportLedger(r.Context(), a, id, langOf(r), &b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", sheet.ContentType)
	w.Header().Set("Content-Disposition", sheet.Disposition(s.exportName(r.Context(), a, 0, i18n.T(langOf(r), "ledger.sheet"))))
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(b.Bytes())
	return err
}
