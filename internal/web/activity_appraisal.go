package web

import (
	"net/http"
	"strconv"
	"strings"

	"lvzhi/internal/activity"
	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/org"
)

// The democratic appraisal pages (民主评议): staff draft an appraisal of a
// unit, open and close its anonymous ballot and record the rectification;
// members vote once; committee readers see the results once it is closed.

// appraisalPage is the data of the appraisal list and of one appraisal's page.
type appraisalPage struct {
	Items   []activity.Appraisal
	Item    *activity.Appraisal
	Units   []org.Unit
	Staff   bool
	Ratings []string
	Year    int
	Fields  []apperr.FieldError
	Error   string
	Done    bool
}

func (s *Server) renderAppraisals(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p appraisalPage) error {
	var err error
	if p.Items, err = s.Activities.Appraisals(r.Context(), a, a.CommitteeID); err != nil {
		return err
	}
	p.Staff = auth.Can(a, activity.PermManage)
	if p.Staff {
		if p.Units, err = s.Org.Units(r.Context(), a, a.CommitteeID, org.UnitFilter{}); err != nil {
			return err
		}
	}
	if p.Year == 0 {
		p.Year = civil.Today().Year
	}
	w.WriteHeader(status)
	s.render(w, r, "activity/appraisals.html", p)
	return nil
}

func (s *Server) appraisalList(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	if !auth.Can(a, activity.PermView) && !auth.Can(a, activity.PermJoin) {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return s.renderAppraisals(w, r, a, http.StatusOK, appraisalPage{})
}

func (s *Server) appraisalCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, activity.PermManage)
	if err != nil {
		return err
	}
	v := formValues(r)
	var fe []apperr.FieldError
	in := activity.AppraisalInput{UnitID: formID(v, "unit_id", &fe), Year: int(formRange(v, "year", 1900, 9999, &fe))}
	for _, d := range strings.FieldsFunc(v.Get("dimensions"), func(c rune) bool { return c == ',' || c == '，' || c == '、' }) {
		in.Dimensions = append(in.Dimensions, strings.TrimSpace(d))
	}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else {
		var ap *activity.Appraisal
		if ap, err = s.Activities.AddAppraisal(r.Context(), a, a.CommitteeID, in); err == nil {
			http.Redirect(w, r, "/consult/appraisals/"+strconv.FormatInt(ap.ID, 10)+"?done=1", http.StatusSeeOther)
			return nil
		}
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderAppraisals(w, r, a, http.StatusUnprocessableEntity, appraisalPage{Fields: fields, Error: msg, Year: in.Year})
}

func (s *Server) renderAppraisal(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, status int, p appraisalPage) error {
	it, err := s.Activities.Appraisal(r.Context(), a, id)
	if err != nil {
		return err
	}
	p.Item, p.Ratings = it, activity.Ratings
	p.Staff = auth.Can(a, activity.PermManage) && it.CommitteeID == a.CommitteeID
	w.WriteHeader(status)
	s.render(w, r, "activity/appraisal.html", p)
	return nil
}

func (s *Server) appraisalDetail(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	return s.renderAppraisal(w, r, a, id, http.StatusOK, appraisalPage{Done: r.URL.Query().Get("done") != ""})
}

// appraisalAct is a step: open, close, rectify (staff) or vote (a member).
func (s *Server) appraisalAct(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	ctx, v := r.Context(), formValues(r)
	var fe []apperr.FieldError
	ref := activity.Ref{ID: id, Version: formInt(v, "version", &fe)}
	if len(fe) > 0 {
		return apperr.Fields(fe...)
	}
	switch r.PathValue("action") {
	case "open":
		_, err = s.Activities.OpenVoting(ctx, a, ref)
	case "close":
		_, err = s.Activities.CloseVoting(ctx, a, ref)
	case "rectify":
		_, err = s.Activities.Rectify(ctx, a, ref, v.Get("rectification"), v.Get("reinspected_on"))
	case "vote":
		ratings := map[string]string{}
		for k, vals := range v {
			if d, ok := strings.CutPrefix(k, "r_"); ok && len(vals) > 0 {
				ratings[d] = vals[0]
			}
		}
		err = s.Activities.Vote(ctx, a, id, ratings)
	default:
		return apperr.ErrNotFound
	}
	if err == nil {
		http.Redirect(w, r, "/consult/appraisals/"+strconv.FormatInt(id, 10)+"?done=1", http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderAppraisal(w, r, a, id, http.StatusUnprocessableEntity, appraisalPage{Fields: fields, Error: msg})
}
