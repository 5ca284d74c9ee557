package web

import (
	"bytes"
	"net/http"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/docx"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// The documents the office prints: a proposal's 提案表 and a session's 提案汇编
// as .docx (proposal.ProposalForm, proposal.Compilation).

func (s *Server) proposalDocumentRoutes() {
	s.handle("GET /proposals/{id}/form.docx", s.proposalFormDocx)
	s.handle("GET /proposals/compilation.docx", s.proposalCompilationDocx)
}

func (s *Server) proposalFormDocx(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b bytes.Buffer // whole first: a refusal is an error page
	if err := s.Proposals.ProposalForm(r.Context(), a, id, langOf(r), &b); err != nil {
		return err
	}
	return sendDocx(w, i18n.T(langOf(r), "doc.form.number")+"-"+itoa(id)+".docx", b.Bytes())
}

func (s *Server) proposalCompilationDocx(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	id := queryID(r.URL.Query(), "session_id")
	if id == 0 {
		return apperr.ErrNotFound
	}
	var b bytes.Buffer
	if err := s.Proposals.Compilation(r.Context(), a, id, langOf(r), &b); err != nil {
		return err
	}
	name := strings.TrimSuffix(s.exportName(r.Context(), a, 0, i18n.T(langOf(r), "doc.download.compilation")), ".xlsx") + ".docx"
	return sendDocx(w, name, b.Bytes())
}

// sendDocx sends a Word document as a download named name.
func sendDocx(w http.ResponseWriter, name string, b []byte) error {
	w.Header().Set("Content-Type", docx.ContentType)
	w.Header().Set("Content-Disposition", sheet.Disposition(name))
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(b)
	return err
}
