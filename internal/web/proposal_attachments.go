package web

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"lvzhi/internal/apperr"
	"lvzhi/internal/proposal"
)

// errAttachmentTooLarge names the file field when an upload exceeds the cap.
func errAttachmentTooLarge() error {
	args := map[string]any{"MaxMiB": proposal.MaxAttachment >> 20}
	e := apperr.New(apperr.TooLarge, "err.pw.attachment_too_large", args)
	e.Fields = []apperr.FieldError{apperr.Field("file", "err.pw.attachment_too_large", args)}
	return e
}

// proposalAttach stores an uploaded file with a draft or returned proposal.
// The body is capped a little above the attachment limit so that the service's
// own check decides, and anything larger is refused before it is read.
func (s *Server) proposalAttach(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, proposal.MaxAttachment+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return s.renderPropFailure(w, r, a, id, "attach", errAttachmentTooLarge())
		}
		return s.renderPropFailure(w, r, a, id, "attach", apperr.Fields(apperr.Field("file", "err.required")))
	}
	var fe []apperr.FieldError
	ref := propRef(r, id, &fe)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return s.renderPropFailure(w, r, a, id, "attach", apperr.Fields(apperr.Field("file", "err.required")))
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, proposal.MaxAttachment+1))
	if err != nil {
		return err
	}
	if len(data) > proposal.MaxAttachment {
		return s.renderPropFailure(w, r, a, id, "attach", errAttachmentTooLarge())
	}
	if len(fe) > 0 {
		return s.renderPropFailure(w, r, a, id, "attach", apperr.Fields(fe...))
	}
	ctype := hdr.Header.Get("Content-Type")
	if _, err := s.Proposals.AddAttachment(r.Context(), a, ref, hdr.Filename, ctype, data); err != nil {
		return s.renderPropFailure(w, r, a, id, "attach", err)
	}
	http.Redirect(w, r, propURL(id)+"?done=attach", http.StatusSeeOther)
	return nil
}

// proposalDetach removes an attachment of a draft or returned proposal.
func (s *Server) proposalDetach(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	aid, err := pathID(r, "aid")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	var fe []apperr.FieldError
	ref := propRef(r, id, &fe)
	if len(fe) == 0 {
		err = s.Proposals.RemoveAttachment(r.Context(), a, ref, aid)
	} else {
		err = apperr.Fields(fe...)
	}
	if err != nil {
		return s.renderPropFailure(w, r, a, id, "detach", err)
	}
	http.Redirect(w, r, propURL(id)+"?done=detach", http.StatusSeeOther)
	return nil
}

// proposalAttachment sends a file of a proposal the reader may see, as a
// download (never rendered inline, so an uploaded page cannot run here).
func (s *Server) proposalAttachment(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	aid, err := pathID(r, "aid")
	if err != nil {
		return err
	}
	att, data, err := s.Proposals.AttachmentContent(r.Context(), a, id, aid)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, err = w.Write(data)
	return err
}
