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

// readUpload reads the one file of an upload form (field "file") for any
// area's attachments (proposals, activity outputs): the body is capped a
// little above the attachment limit so that the service's own check decides,
// and anything larger is refused before it is read. The form's other fields
// are parsed too.
func readUpload(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, proposal.MaxAttachment+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", nil, errAttachmentTooLarge()
		}
		return "", nil, apperr.Fields(apperr.Field("file", "err.required"))
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return "", nil, apperr.Fields(apperr.Field("file", "err.required"))
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, proposal.MaxAttachment+1))
	if err != nil {
		return "", nil, err
	}
	if len(data) > proposal.MaxAttachment {
		return "", nil, errAttachmentTooLarge()
	}
	return hdr.Filename, data, nil
}

// proposalAttach stores an uploaded file with a draft or returned proposal.
func (s *Server) proposalAttach(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	name, data, err := readUpload(w, r)
	if err != nil {
		if apperr.As(err) == nil {
			return err
		}
		return s.renderPropFailure(w, r, a, id, "attach", err)
	}
	var fe []apperr.FieldError
	ref := propRef(r, id, &fe)
	if len(fe) > 0 {
		return s.renderPropFailure(w, r, a, id, "attach", apperr.Fields(fe...))
	}
	// The service decides the type by the bytes; the browser's claim is ignored.
	if _, err := s.Proposals.AddAttachment(r.Context(), a, ref, name, "", data); err != nil {
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

// proposalAttachment sends a file of a proposal the reader may see (sendFile).
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
	return sendFile(w, att.Name, data)
}

// sendFile sends a stored attachment of any area. PDFs and images (by their
// bytes, whatever type was stored) are shown inline with their own type;
// everything else is a download. nosniff and a sandboxing CSP keep the
// browser from running anything in it.
func sendFile(w http.ResponseWriter, name string, data []byte) error {
	ctype, _ := proposal.SniffType(data)
	disposition := "attachment"
	if proposal.Inline(ctype) {
		disposition = "inline"
		// A PDF or an image needs nothing from the page around it (and
		// Chrome's PDF viewer does not open in a sandboxed document).
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

// readLetter parses the reply form (multipart) and returns its reply letter
// (答复函), or nil when none was chosen. The body is capped a little above
// the attachment limit; the service decides the type by the bytes.
func readLetter(w http.ResponseWriter, r *http.Request) (*proposal.LetterFile, error) {
	r.Body = http.MaxBytesReader(w, r.Body, proposal.MaxAttachment+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errLetterTooLarge()
		}
		return nil, err
	}
	file, hdr, err := r.FormFile("letter")
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, proposal.MaxAttachment+1))
	if err != nil {
		return nil, err
	}
	if len(data) > proposal.MaxAttachment {
		return nil, errLetterTooLarge()
	}
	if len(data) == 0 && hdr.Filename == "" {
		return nil, nil // the browser sends an empty part when no file was chosen
	}
	return &proposal.LetterFile{Name: hdr.Filename, Data: data}, nil
}

// errLetterTooLarge names the letter field when the upload exceeds the cap.
func errLetterTooLarge() error {
	args := map[string]any{"MaxMiB": proposal.MaxAttachment >> 20}
	e := apperr.New(apperr.TooLarge, "err.pw.attachment_too_large", args)
	e.Fields = []apperr.FieldError{apperr.Field("letter", "err.pw.attachment_too_large", args)}
	return e
}
