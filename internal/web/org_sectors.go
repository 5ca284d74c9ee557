package web

import (
	"net/http"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/org"
)

// orgListPage is the data of the sectors and groups pages: the list, and the
// errors of the form that failed (FormID 0: the "add" form).
type orgListPage struct {
	V       orgView
	Sectors []org.Sector
	Groups  []org.Group
	Kinds   []orgOpt
	FormID  int64
	In      map[string]string
	Fields  []apperr.FieldError
	Error   string
}

func (s *Server) orgSectors(w http.ResponseWriter, r *http.Request) error {
	return s.renderSectors(w, r, http.StatusOK, orgListPage{})
}

func (s *Server) renderSectors(w http.ResponseWriter, r *http.Request, status int, p orgListPage) error {
	a, v, err := s.orgScope(r, "sectors")
	if err != nil {
		return err
	}
	p.V = v
	if p.Sectors, err = s.Org.Sectors(r.Context(), a, v.C.ID); err != nil {
		return err
	}
	w.WriteHeader(status)
	s.render(w, r, "org/sectors.html", p)
	return nil
}

func (s *Server) orgCreateSector(w http.ResponseWriter, r *http.Request) error {
	return s.saveSector(w, r, 0)
}

func (s *Server) orgUpdateSector(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.saveSector(w, r, id)
}

func (s *Server) saveSector(w http.ResponseWriter, r *http.Request, id int64) error {
	a, err := requireCan(r, auth.EditOrg)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := org.SectorInput{Name: r.FormValue("name"), Sort: formInt(formValues(r), "sort", &fe), Version: formInt(formValues(r), "version", &fe)}
	if len(fe) == 0 {
		if id == 0 {
			_, err = s.Org.CreateSector(r.Context(), a, a.CommitteeID, in)
		} else {
			_, err = s.Org.UpdateSector(r.Context(), a, a.CommitteeID, id, in)
		}
		if err == nil {
			return orgRedirect(w, r, "/org/sectors")
		}
	} else {
		err = apperr.Fields(fe...)
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderSectors(w, r, http.StatusUnprocessableEntity, orgListPage{FormID: id, Fields: fields, Error: msg, In: orgFormValues(r, "name", "sort")})
}

func (s *Server) orgGroups(w http.ResponseWriter, r *http.Request) error {
	return s.renderGroups(w, r, http.StatusOK, orgListPage{})
}

func (s *Server) renderGroups(w http.ResponseWriter, r *http.Request, status int, p orgListPage) error {
	a, v, err := s.orgScope(r, "groups")
	if err != nil {
		return err
	}
	p.V = v
	if p.Groups, err = s.Org.Groups(r.Context(), a, v.C.ID); err != nil {
		return err
	}
	kind := ""
	if p.In != nil {
		kind = p.In["kind"]
	}
	p.Kinds = orgCodeOpts(langOf(r), "group_kind", org.GroupKinds, kind)
	w.WriteHeader(status)
	s.render(w, r, "org/groups.html", p)
	return nil
}

func (s *Server) orgCreateGroup(w http.ResponseWriter, r *http.Request) error {
	return s.saveGroup(w, r, 0)
}

func (s *Server) orgUpdateGroup(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.saveGroup(w, r, id)
}

func (s *Server) saveGroup(w http.ResponseWriter, r *http.Request, id int64) error {
	a, err := requireCan(r, auth.EditOrg)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := org.GroupInput{Kind: r.FormValue("kind"), Name: r.FormValue("name"), Sort: formInt(formValues(r), "sort", &fe), Version: formInt(formValues(r), "version", &fe)}
	if len(fe) == 0 {
		if id == 0 {
			_, err = s.Org.CreateGroup(r.Context(), a, a.CommitteeID, in)
		} else {
			_, err = s.Org.UpdateGroup(r.Context(), a, a.CommitteeID, id, in)
		}
		if err == nil {
			return orgRedirect(w, r, "/org/groups")
		}
	} else {
		err = apperr.Fields(fe...)
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderGroups(w, r, http.StatusUnprocessableEntity, orgListPage{FormID: id, Fields: fields, Error: msg, In: orgFormValues(r, "name", "sort", "kind")})
}
