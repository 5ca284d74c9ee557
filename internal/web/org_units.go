package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/org"
)

// unitListPage is the data of /org/units.
type unitListPage struct {
	V     orgView
	Units []org.Unit
	F     org.UnitFilter
	Kinds []orgOpt
	// Export is the export of the filtered list.
	Export template.URL
}

func (s *Server) orgUnits(w http.ResponseWriter, r *http.Request) error {
	a, v, err := s.orgScope(r, "units")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := org.UnitFilter{Kind: q.Get("kind"), Q: strings.TrimSpace(q.Get("q")), Active: q.Get("active")}
	units, err := s.Org.Units(r.Context(), a, v.C.ID, f)
	if err != nil {
		return err
	}
	s.render(w, r, "org/units.html", unitListPage{V: v, Units: units, F: f, Kinds: orgCodeOpts(langOf(r), "unit_kind", org.UnitKinds, f.Kind), Export: link("/org/export/units.xlsx", q)})
	return nil
}

// unitFormPage is the data of the unit page (a form for editors, details for readers).
type unitFormPage struct {
	V      orgView
	U      *org.Unit
	In     org.UnitInput
	Kinds  []orgOpt
	Fields []apperr.FieldError
	Error  string
}

func (s *Server) renderUnitForm(w http.ResponseWriter, r *http.Request, a *auth.Actor, committeeID int64, status int, p unitFormPage) error {
	var err error
	if p.V, err = s.viewOf(r, a, committeeID, "units"); err != nil {
		return err
	}
	p.Kinds = orgCodeOpts(langOf(r), "unit_kind", org.UnitKinds, p.In.Kind)
	w.WriteHeader(status)
	s.render(w, r, "org/unit.html", p)
	return nil
}

func orgUnitInput(r *http.Request, fe *[]apperr.FieldError) org.UnitInput {
	return org.UnitInput{Name: r.FormValue("name"), Kind: r.FormValue("kind"), ContactName: r.FormValue("contact_name"),
		ContactPhone: r.FormValue("contact_phone"), Active: r.FormValue("active") != "", Version: formInt(formValues(r), "version", fe)}
}

func (s *Server) orgNewUnit(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.EditOrg)
	if err != nil {
		return err
	}
	return s.renderUnitForm(w, r, a, a.CommitteeID, http.StatusOK, unitFormPage{In: org.UnitInput{Active: true}})
}

func (s *Server) orgCreateUnit(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.EditOrg)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := orgUnitInput(r, &fe)
	if len(fe) == 0 {
		if _, err = s.Org.CreateUnit(r.Context(), a, a.CommitteeID, in); err == nil {
			return orgRedirect(w, r, "/org/units")
		}
	} else {
		err = apperr.Fields(fe...)
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderUnitForm(w, r, a, a.CommitteeID, http.StatusUnprocessableEntity, unitFormPage{In: in, Fields: fields, Error: msg})
}

// orgUnit shows a unit: editable for its own committee's editors, read-only otherwise.
func (s *Server) orgUnit(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, auth.ViewOrg)
	if err != nil {
		return err
	}
	u, err := s.Org.Unit(r.Context(), a, id)
	if err != nil {
		return err
	}
	in := org.UnitInput{Name: u.Name, Kind: u.Kind, ContactName: u.ContactName, ContactPhone: u.ContactPhone, Active: u.Active, Version: u.Version}
	return s.renderUnitForm(w, r, a, u.CommitteeID, http.StatusOK, unitFormPage{U: &u, In: in})
}

func (s *Server) orgUpdateUnit(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, auth.EditOrg)
	if err != nil {
		return err
	}
	u, err := s.Org.Unit(r.Context(), a, id)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := orgUnitInput(r, &fe)
	if len(fe) == 0 {
		if _, err = s.Org.UpdateUnit(r.Context(), a, id, in); err == nil {
			return orgRedirect(w, r, "/org/units/"+strconv.FormatInt(id, 10))
		}
	} else {
		err = apperr.Fields(fe...)
	}
	if c := apperr.CodeOf(err); c == apperr.Conflict || c == apperr.Forbidden || c == apperr.NotFound {
		return err
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderUnitForm(w, r, a, u.CommitteeID, http.StatusUnprocessableEntity, unitFormPage{U: &u, In: in, Fields: fields, Error: msg})
}
