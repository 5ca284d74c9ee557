package web

import (
	"net/http"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/liaison"
)

// campaignsPage is the data of the campaign list (with the new-campaign form)
// and of one campaign's page (with its edit and add-targets forms).
type campaignsPage struct {
	Campaigns  []liaison.Campaign
	Campaign   *liaison.Campaign
	Targets    []liaison.Target
	Terms      []liaison.Term
	Candidates []liaison.Candidate
	In         liaison.CampaignInput
	Version    int
	VisitorID  int64
	TargetIDs  map[int64]bool
	Fields     []apperr.FieldError
	Error      string
	TFields    []apperr.FieldError
	TError     string
	CanEdit    bool
	Opts       liaisonOpts
}

func campaignInputFrom(r *http.Request, fe *[]apperr.FieldError) liaison.CampaignInput {
	return liaison.CampaignInput{
		TermID: formID(formValues(r), "term_id", fe), Kind: liaison.CampaignKind(r.FormValue("kind")), Name: r.FormValue("name"),
		StartsOn: strings.TrimSpace(r.FormValue("starts_on")), EndsOn: strings.TrimSpace(r.FormValue("ends_on")),
		MinVisits: formInt(formValues(r), "min_visits", fe), Notes: r.FormValue("notes"),
	}
}

func (s *Server) liaisonCampaigns(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	return s.renderCampaigns(w, r, a, http.StatusOK, campaignsPage{In: liaison.CampaignInput{MinVisits: 1}})
}

func (s *Server) renderCampaigns(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p campaignsPage) error {
	cs, err := s.Liaison.ListCampaigns(r.Context(), a, 0)
	if err != nil {
		return err
	}
	if p.Terms, err = s.Liaison.Terms(r.Context(), a, 0); err != nil {
		return err
	}
	p.Campaigns, p.CanEdit, p.Opts = cs, auth.Can(a, auth.EditLiaison), newLiaisonOpts()
	w.WriteHeader(status)
	s.render(w, r, "liaison/campaigns.html", p)
	return nil
}

func (s *Server) liaisonCreateCampaign(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.EditLiaison)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := campaignInputFrom(r, &fe)
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else {
		var c *liaison.Campaign
		if c, err = s.Liaison.CreateCampaign(r.Context(), a, in); err == nil {
			http.Redirect(w, r, "/org/liaison/campaigns/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
			return nil
		}
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderCampaigns(w, r, a, http.StatusUnprocessableEntity, campaignsPage{In: in, Fields: fields, Error: msg})
}

func (s *Server) liaisonCampaign(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	return s.renderCampaign(w, r, a, id, http.StatusOK, campaignsPage{})
}

func (s *Server) renderCampaign(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, status int, p campaignsPage) error {
	c, err := s.Liaison.GetCampaign(r.Context(), a, id)
	if err != nil {
		return err
	}
	if p.Targets, err = s.Liaison.ListTargets(r.Context(), a, id); err != nil {
		return err
	}
	p.Campaign, p.Opts = c, newLiaisonOpts()
	p.CanEdit = auth.Can(a, auth.EditLiaison) && c.CommitteeID == a.CommitteeID
	if p.Fields == nil {
		p.In = liaison.CampaignInput{TermID: c.TermID, Kind: c.Kind, Name: c.Name, StartsOn: c.StartsOn, EndsOn: c.EndsOn,
			MinVisits: c.MinVisits, Notes: c.Notes}
		p.Version = c.Version
	}
	if p.CanEdit {
		if p.Candidates, err = s.Liaison.Candidates(r.Context(), a, c.TermID); err != nil {
			return err
		}
	}
	w.WriteHeader(status)
	s.render(w, r, "liaison/campaign.html", p)
	return nil
}

func (s *Server) liaisonUpdateCampaign(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, auth.EditLiaison)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := campaignInputFrom(r, &fe)
	version := formInt(formValues(r), "version", &fe)
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else if _, err = s.Liaison.UpdateCampaign(r.Context(), a, id, version, in); err == nil {
		http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderCampaign(w, r, a, id, http.StatusUnprocessableEntity, campaignsPage{In: in, Version: version, Fields: fields, Error: msg})
}

func (s *Server) liaisonDeleteCampaign(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, auth.EditLiaison)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	if err := s.Liaison.DeleteCampaign(r.Context(), a, id, formInt(formValues(r), "version", &fe)); err != nil {
		return err
	}
	http.Redirect(w, r, "/org/liaison/campaigns", http.StatusSeeOther)
	return nil
}

func (s *Server) liaisonAddTargets(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, auth.EditLiaison)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	var fe []apperr.FieldError
	visitor := formID(r.Form, "visitor_id", &fe)
	targets := formIDs(r.Form, "target_ids", &fe)
	chosen := map[int64]bool{}
	for _, n := range targets {
		chosen[n] = true
	}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else if _, err = s.Liaison.AddTargets(r.Context(), a, id, visitor, targets); err == nil {
		http.Redirect(w, r, "/org/liaison/campaigns/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderCampaign(w, r, a, id, http.StatusUnprocessableEntity,
		campaignsPage{VisitorID: visitor, TargetIDs: chosen, TFields: fields, TError: msg})
}

func (s *Server) liaisonTarget(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	return s.renderTargetPage(w, r, a, id, http.StatusOK, linkPage{})
}

// renderTargetPage shows a campaign target's visits and the visit form.
func (s *Server) renderTargetPage(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, status int, p linkPage) error {
	t, err := s.Liaison.GetTarget(r.Context(), a, id)
	if err != nil {
		return err
	}
	c, err := s.Liaison.GetCampaign(r.Context(), a, t.CampaignID)
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return err
	}
	visits, err := s.Liaison.ListContacts(r.Context(), a, 0, id)
	if err != nil {
		return err
	}
	p.Target, p.Contacts, p.Opts, p.ActorUser, p.TargetPage = t, visits, newLiaisonOpts(), a.UserID, true
	p.CanEdit = auth.Can(a, auth.EditLiaison) && t.CommitteeID == a.CommitteeID
	p.CanLog = p.CanEdit || (auth.Can(a, liaison.LogContact) && a.PersonID == t.Visitor.PersonID && t.CommitteeID == a.CommitteeID)
	if p.Contact.On == "" {
		p.Contact.On = p.Opts.Today
		p.Contact.Method = liaison.MethodVisit
	}
	w.WriteHeader(status)
	s.render(w, r, "liaison/target.html", map[string]any{"P": p, "Campaign": c})
	return nil
}

func (s *Server) liaisonRemoveTarget(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, auth.EditLiaison)
	if err != nil {
		return err
	}
	t, err := s.Liaison.GetTarget(r.Context(), a, id)
	if err != nil {
		return err
	}
	if err := s.Liaison.RemoveTarget(r.Context(), a, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/org/liaison/campaigns/"+strconv.FormatInt(t.CampaignID, 10), http.StatusSeeOther)
	return nil
}
