package web

import (
	"net/http"
	"strconv"

	"lvzhi/internal/activity"
	"lvzhi/internal/apperr"
)

// Files of an output (the 调研报告 or 协商意见 document): uploaded through the
// same reader as proposal attachments (readUpload), checked by the service
// under the same rules, and sent back by sendFile.

func outputURL(id int64) string { return "/consult/outputs/" + strconv.FormatInt(id, 10) }

// outputAttach stores an uploaded file with an output (staff).
func (s *Server) outputAttach(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, activity.PermManage)
	if err != nil {
		return err
	}
	name, data, err := readUpload(w, r)
	if err == nil {
		_, err = s.Activities.AddOutputFile(r.Context(), a, id, name, data)
	}
	if err == nil {
		http.Redirect(w, r, outputURL(id)+"?done=1", http.StatusSeeOther)
		return nil
	}
	return s.outputFileFailure(w, r, id, err)
}

// outputFileFailure shows the output's page again with the file's error
// (invalid, too large), or hands any other error on.
func (s *Server) outputFileFailure(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	e := apperr.As(err)
	if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.TooLarge) {
		return err
	}
	a, aerr := requireActor(r)
	if aerr != nil {
		return aerr
	}
	msg, fields := Message(langOf(r), e)
	status := http.StatusUnprocessableEntity
	if e.Code == apperr.TooLarge {
		status = http.StatusRequestEntityTooLarge
	}
	return s.renderOutput(w, r, a, id, status, outputsPage{Fields: fields, Error: msg})
}

// outputDetach removes a file of an output (staff).
func (s *Server) outputDetach(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, activity.PermManage)
	if err != nil {
		return err
	}
	fid, err := pathID(r, "fid")
	if err != nil {
		return err
	}
	if err := s.Activities.RemoveOutputFile(r.Context(), a, id, fid); err != nil {
		return err
	}
	http.Redirect(w, r, outputURL(id)+"?done=1", http.StatusSeeOther)
	return nil
}

// outputFile sends a file of an output the reader may see.
func (s *Server) outputFile(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, activity.PermView)
	if err != nil {
		return err
	}
	fid, err := pathID(r, "fid")
	if err != nil {
		return err
	}
	f, data, err := s.Activities.OutputFileContent(r.Context(), a, id, fid)
	if err != nil {
		return err
	}
	return sendFile(w, f.Name, data)
}
