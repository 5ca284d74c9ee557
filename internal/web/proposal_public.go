package web

import (
	"net/http"

	"lvzhi/internal/apperr"
	"lvzhi/internal/proposal"
)

// publicList is the public list of published proposals (no login), searchable
// by committee, theme, unit, year and text.
func (s *Server) publicList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	const per = 20
	page := max(int(queryID(q, "page")), 1)
	in := proposal.PublicQuery{CommitteeID: queryID(q, "committee"), Q: q.Get("q"), Theme: proposal.Theme(q.Get("theme")),
		UnitID: queryID(q, "unit"), Year: int(queryID(q, "year")), Offset: (page - 1) * per, Limit: per}
	d := map[string]any{"In": in, "Themes": proposal.Themes, "PageNo": page}
	res, err := s.Proposals.PublicList(r.Context(), in)
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
		msg, fields := Message(langOf(r), e)
		d["Error"], d["Fields"] = msg, fields
		w.WriteHeader(http.StatusUnprocessableEntity)
	} else if err != nil {
		return err
	}
	if res != nil {
		d["Res"], d["Pager"] = res, newPager(r.URL.Path, q, page, res.Offset+len(res.Items) < res.Total)
	}
	choices, err := s.Proposals.PublicChoices(r.Context(), in.CommitteeID)
	if err != nil {
		return err
	}
	d["Choices"] = choices
	s.render(w, r, "proposal/public_list.html", d)
	return nil
}

// publicDetail shows one published proposal and its replies, contact details
// redacted; an unpublished (or unknown) id is not found.
func (s *Server) publicDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.Proposals.PublicGet(r.Context(), id)
	if err != nil {
		return err
	}
	s.render(w, r, "proposal/public_detail.html", p)
	return nil
}
