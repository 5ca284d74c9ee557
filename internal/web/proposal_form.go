package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/proposal"
)

// propForm is the data of the draft form (new and edit) and of the paper form.
type propForm struct {
	In         proposal.Content
	Chosen     map[int64]bool // invited co-signers
	Candidates []proposal.Candidate
	ID         int64 // 0 for a new proposal
	Version    int
	Returned   bool   // a returned proposal: co-signers and kind are fixed
	ReviewNote string // why it was returned
	Paper      bool
	FirstID    int64  // paper: the first proposer's membership
	Submitted  string // paper: the date on the paper
	Today      string
	Fields     []apperr.FieldError
	Error      string
	Themes     []proposal.Theme
	Kinds      []proposal.Kind
	BodyTypes  []proposal.BodyType
}

func newPropForm() propForm {
	return propForm{Chosen: map[int64]bool{}, Themes: proposal.Themes, Today: civil.Today().String(),
		Kinds: []proposal.Kind{proposal.Individual, proposal.Joint, proposal.Body}, BodyTypes: proposal.BodyTypes,
		In: proposal.Content{Kind: proposal.Individual}}
}

// contentFrom reads the proposal's content from a submitted form.
func contentFrom(v url.Values, fe *[]apperr.FieldError) proposal.Content {
	c := proposal.Content{Kind: proposal.Kind(v.Get("kind")), Theme: proposal.Theme(v.Get("theme")),
		Title: v.Get("title"), Matter: v.Get("matter"), Analysis: v.Get("analysis"), Suggestions: v.Get("suggestions"),
		PublishConsent: v.Get("publish_consent") == "1", CoSigners: formIDs(v, "co_signers", fe)}
	if c.Kind == proposal.Body {
		c.BodyType, c.BodyName = proposal.BodyType(v.Get("body_type")), v.Get("body_name")
	}
	if c.Kind != proposal.Joint {
		c.CoSigners = nil // the choice stays on the form but is not sent
	}
	return c
}

// fill sets the form's values from content and loads the candidates of the session.
func (s *Server) fillPropForm(ctx context.Context, a *auth.Actor, f *propForm, sessionID int64) error {
	for _, id := range f.In.CoSigners {
		f.Chosen[id] = true
	}
	if sessionID == 0 {
		id, err := s.Proposals.SessionNow(ctx, a)
		if err != nil {
			return err
		}
		sessionID = id
	}
	cands, err := s.Proposals.Candidates(ctx, a, sessionID)
	if err != nil {
		return err
	}
	for _, c := range cands {
		if c.PersonID != a.PersonID || f.Paper {
			f.Candidates = append(f.Candidates, c)
		}
	}
	return nil
}

func (s *Server) renderPropForm(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, f propForm, sessionID int64) error {
	if err := s.fillPropForm(r.Context(), a, &f, sessionID); err != nil {
		return err
	}
	w.WriteHeader(status)
	s.render(w, r, "proposal/form.html", f)
	return nil
}

// formFailure turns an invalid-input or conflict error into a message and field
// errors to show on the form again; other errors go to the error page.
func formFailure(r *http.Request, err error) (status int, msg string, fields []apperr.FieldError, _ error) {
	e := apperr.As(err)
	if e == nil || (e.Code != apperr.Invalid && e.Code != apperr.Conflict && e.Code != apperr.TooLarge) {
		return 0, "", nil, err
	}
	msg, fields = Message(langOf(r), e)
	return StatusOf(e.Code), msg, fields, nil
}

func (s *Server) proposalNew(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermSubmit)
	if err != nil {
		return err
	}
	return s.renderPropForm(w, r, a, http.StatusOK, newPropForm(), 0)
}

func (s *Server) proposalCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermSubmit)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	var fe []apperr.FieldError
	f := newPropForm()
	f.In = contentFrom(r.PostForm, &fe)
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else {
		var p *proposal.Proposal
		if p, err = s.Proposals.Create(r.Context(), a, f.In); err == nil {
			http.Redirect(w, r, propURL(p.ID)+"?done=create", http.StatusSeeOther)
			return nil
		}
	}
	status, msg, fields, err := formFailure(r, err)
	if err != nil {
		return err
	}
	f.Error, f.Fields = msg, fields
	return s.renderPropForm(w, r, a, status, f, 0)
}

func (s *Server) proposalEdit(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	d, err := s.Proposals.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	if !hasAction(d.Can, proposal.ActEdit) {
		if me := mySignerIn(d, a); me != nil && me.Role == "first" {
			return apperr.New(apperr.Conflict, "err.proposal.state."+string(d.State))
		}
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	f := newPropForm()
	f.ID, f.Version, f.Returned, f.ReviewNote = d.ID, d.Version, d.State == proposal.Returned, d.ReviewNote
	f.In = proposal.Content{Kind: d.Kind, BodyType: d.BodyType, BodyName: d.BodyName, Theme: d.Theme, Title: d.Title,
		Matter: d.Matter, Analysis: d.Analysis, Suggestions: d.Suggestions, PublishConsent: d.PublishConsent}
	for _, sg := range d.Signers {
		if sg.Role == "co" && (!f.Returned || sg.Status == proposal.Signed) {
			f.In.CoSigners = append(f.In.CoSigners, sg.MembershipID)
		}
	}
	return s.renderPropForm(w, r, a, http.StatusOK, f, d.SessionID)
}

func (s *Server) proposalUpdate(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	var fe []apperr.FieldError
	ref := propRef(r, id, &fe)
	f := newPropForm()
	f.ID, f.Version = id, ref.Version
	f.In = contentFrom(r.PostForm, &fe)
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else if _, err = s.Proposals.Update(r.Context(), a, ref, f.In); err == nil {
		http.Redirect(w, r, propURL(id)+"?done=edit", http.StatusSeeOther)
		return nil
	}
	status, msg, fields, err := formFailure(r, err)
	if err != nil {
		return err
	}
	// Show the current record's version and state, with what the user typed kept.
	d, gerr := s.Proposals.Get(r.Context(), a, id)
	if gerr != nil {
		return gerr
	}
	f.Error, f.Fields = msg, fields
	f.Returned, f.ReviewNote = d.State == proposal.Returned, d.ReviewNote
	if status == http.StatusConflict {
		f.Version = d.Version
	}
	return s.renderPropForm(w, r, a, status, f, d.SessionID)
}

// proposalPaperNew is the form staff use to enter a paper proposal for a member.
func (s *Server) proposalPaperNew(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermEnter)
	if err != nil {
		return err
	}
	f := newPropForm()
	f.Paper, f.Submitted = true, civil.Today().String()
	return s.renderPropForm(w, r, a, http.StatusOK, f, 0)
}

func (s *Server) proposalPaperCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, proposal.PermEnter)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	var fe []apperr.FieldError
	f := newPropForm()
	f.Paper = true
	f.In = contentFrom(r.PostForm, &fe)
	f.FirstID = formID(r.PostForm, "first_proposer_id", &fe)
	f.Submitted = r.PostForm.Get("submitted_on")
	on := formDate(r.PostForm, "submitted_on", &fe)
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else {
		var p *proposal.Proposal
		in := proposal.Paper{Content: f.In, FirstProposerID: f.FirstID, SubmittedOn: on}
		if p, err = s.Proposals.EnterPaper(r.Context(), a, in); err == nil {
			http.Redirect(w, r, propURL(p.ID)+"?done=enter_paper", http.StatusSeeOther)
			return nil
		}
	}
	status, msg, fields, err := formFailure(r, err)
	if err != nil {
		return err
	}
	f.Error, f.Fields = msg, fields
	return s.renderPropForm(w, r, a, status, f, 0)
}

// hasAction reports whether list holds a.
func hasAction(list []proposal.Action, a proposal.Action) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// itoa formats an id for URLs.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }
