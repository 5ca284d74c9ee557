package web

import (
	"net/http"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

// Evidence files of an assistance record: uploaded on the record's page
// through the shared upload reader (readUpload), checked and stored by the
// service under the proposal attachments' rules, and served as proposal
// attachments are (sendFile).

func (s *Server) assistAttach(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	name, data, err := readUpload(w, r)
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
	return sendFile(w, f.Name, data)
}
