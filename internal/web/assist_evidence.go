package web

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"lvzhi/internal/apperr"
	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
	"lvzhi/internal/proposal"
)

// Evidence files of an assistance record: uploaded on the record's page,
// checked and stored by the service under the proposal attachments' rules,
// and served as proposal attachments are (inline only for PDFs and images,
// by their bytes; nosniff and a sandboxing CSP).

// readUpload reads the file part field of a multipart form, its body capped a
// little above max so that the cap's own message names the field.
func readUpload(w http.ResponseWriter, r *http.Request, field string, max int) ([]byte, string, error) {
	tooLarge := func() error {
		args := map[string]any{"MaxMiB": max >> 20}
		e := apperr.New(apperr.TooLarge, "err.proposal.attachment_too_large", args)
		e.Fields = []apperr.FieldError{apperr.Field(field, "err.proposal.attachment_too_large", args)}
		return e
	}
	r.Body = http.MaxBytesReader(w, r.Body, int64(max)+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var big *http.MaxBytesError
		if errors.As(err, &big) {
			return nil, "", tooLarge()
		}
		return nil, "", apperr.Fields(apperr.Field(field, "err.required"))
	}
	file, hdr, err := r.FormFile(field)
	if err != nil {
		return nil, "", apperr.Fields(apperr.Field(field, "err.required"))
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, int64(max)+1))
	if err != nil {
		return nil, "", err
	}
	if len(data) > max {
		return nil, "", tooLarge()
	}
	return data, hdr.Filename, nil
}

// sendStoredFile sends a stored file: PDFs and images (by their bytes) inline
// with their own type, anything else as a download.
func sendStoredFile(w http.ResponseWriter, name string, data []byte) error {
	ctype, _ := proposal.SniffType(data)
	disposition := "attachment"
	if proposal.Inline(ctype) {
		disposition = "inline"
		w.Header().Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'self'")
	} else {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "private, no-store")
	_, err := w.Write(data)
	return err
}

func (s *Server) assistAttach(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	data, name, err := readUpload(w, r, "file", assist.MaxEvidence)
	if err == nil {
		if _, err = s.Assist.AddEvidence(r.Context(), a, id, name, data); err == nil {
			http.Redirect(w, r, idPath("/assist/records/", id), http.StatusSeeOther)
			return nil
		}
	}
	return s.evidenceFailed(w, r, a, id, err)
}

func (s *Server) assistDetach(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	fid, err := pathID(r, "fid")
	if err != nil {
		return err
	}
	if err := s.Assist.RemoveEvidence(r.Context(), a, id, fid); err != nil {
		return s.evidenceFailed(w, r, a, id, err)
	}
	http.Redirect(w, r, idPath("/assist/records/", id), http.StatusSeeOther)
	return nil
}

// evidenceFailed shows the record again with the upload's problem (422, or
// 413 for a file over the cap); other errors (not found, forbidden) as such.
func (s *Server) evidenceFailed(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, err error) error {
	status := http.StatusUnprocessableEntity
	if apperr.CodeOf(err) == apperr.TooLarge {
		status = http.StatusRequestEntityTooLarge
		if e := apperr.As(err); e != nil {
			c := *e
			c.Code = apperr.Invalid // shown as a form error
			err = &c
		}
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderRecord(w, r, a, id, status, assistRecordPage{Fields: fields, Error: msg})
}

func (s *Server) assistEvidenceFile(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	fid, err := pathID(r, "fid")
	if err != nil {
		return err
	}
	f, data, err := s.Assist.EvidenceContent(r.Context(), a, id, fid)
	if err != nil {
		return err
	}
	return sendStoredFile(w, f.Name, data)
}
