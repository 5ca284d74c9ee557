package web

import (
	"net/http"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/proposal"
)

// proposalSearch is the full-text search over proposals and replies, scoped
// by what the reader may see.
func (s *Server) proposalSearch(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	const per = 20
	page := max(int(queryID(q, "page")), 1)
	in := proposal.SearchQuery{Q: q.Get("q"), SessionID: queryID(q, "session"), Year: int(queryID(q, "year")),
		Theme: proposal.Theme(q.Get("theme")), Offset: (page - 1) * per, Limit: per}
	d := map[string]any{"In": in, "Themes": proposal.Themes, "PageNo": page,
		"Reader": auth.Can(a, proposal.PermView) || auth.Can(a, proposal.PermFigures)}
	res, err := s.Proposals.Search(r.Context(), a, in)
	if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
		msg, fields := Message(langOf(r), e)
		d["Error"], d["Fields"] = msg, fields
		w.WriteHeader(http.StatusUnprocessableEntity)
	} else if err != nil {
		return err
	}
	if res != nil {
		d["Res"], d["Pager"] = res, newPager(r.URL.Path, q, page, res.Offset+len(res.Hits) < res.Total)
	}
	s.render(w, r, "proposal/search.html", d)
	return nil
}

// proposalSimilar is the htmx endpoint of the draft form: proposals like what
// the member is writing (title, matter, suggestions), as a fragment.
func (s *Server) proposalSimilar(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.New(apperr.Invalid, "err.invalid")
	}
	title := strings.TrimSpace(r.PostForm.Get("title"))
	text := r.PostForm.Get("matter") + "\n" + r.PostForm.Get("suggestions")
	exclude := queryID(r.PostForm, "id")
	list, err := s.Proposals.SimilarDraft(r.Context(), a, title, text, exclude, 5)
	if err != nil {
		return err
	}
	s.renderPartial(w, r, "proposal/search_similar.html", map[string]any{"List": list, "Reader": auth.Can(a, proposal.PermView)})
	return nil
}

// proposalSimilarTo lists proposals similar to an existing one (reviewing), as a fragment.
func (s *Server) proposalSimilarTo(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	id := queryID(r.URL.Query(), "id")
	if id == 0 {
		return apperr.ErrNotFound
	}
	list, err := s.Proposals.SimilarToProposal(r.Context(), a, id, 5)
	if err != nil {
		return err
	}
	s.renderPartial(w, r, "proposal/search_similar.html", map[string]any{"List": list, "Reader": auth.Can(a, proposal.PermView)})
	return nil
}
