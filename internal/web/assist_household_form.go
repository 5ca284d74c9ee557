package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
)

// The household form (officers): register a household with its members, or
// change one. ID numbers and phones are never echoed back into the page: an
// existing member's row shows the masked number as a hint, and a blank field
// keeps the sealed one. The service checks every ID number (GB 11643), seals
// it and audits the change.

// blankMemberRows is how many empty member rows the form offers.
const blankMemberRows = 3

// householdFormPage is the form's data.
type householdFormPage struct {
	H        *assist.Household // the household being changed; nil for a new one
	In       assist.HouseholdInput
	Rows     []hhMemberRow
	Villages []assist.Village
	Opts     householdOpts
	Fields   []apperr.FieldError
	Error    string
}

// hhMemberRow is one member row of the form: its index, input and the stored
// member's masked ID number (a hint only).
type hhMemberRow struct {
	I        int
	In       assist.MemberInput
	IDMasked string
	HasPhone bool
}

// householdOpts are the form's choice lists.
type householdOpts struct {
	Attributes, Causes, Statuses, Genders, Healths, Labours []string
}

func newHouseholdOpts() householdOpts {
	return householdOpts{assist.Attributes, assist.Causes, assist.Statuses, assist.Genders, assist.Healths, assist.Labours}
}

func (s *Server) assistNewHousehold(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, assist.PermManage)
	if err != nil {
		return err
	}
	return s.renderHouseholdForm(w, r, a, http.StatusOK, householdFormPage{In: assist.HouseholdInput{Status: "poor"}})
}

func (s *Server) assistCreateHousehold(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, assist.PermManage)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := householdInput(formValues(r), &fe)
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else {
		var h assist.Household
		if h, err = s.Assist.CreateHousehold(r.Context(), a, in); err == nil {
			http.Redirect(w, r, idPath("/assist/households/", h.ID), http.StatusSeeOther)
			return nil
		}
	}
	return s.householdFormFailed(w, r, a, householdFormPage{In: in}, err)
}

func (s *Server) assistEditHousehold(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, assist.PermManage)
	if err != nil {
		return err
	}
	d, err := s.Assist.GetHousehold(r.Context(), a, id)
	if err != nil {
		return err
	}
	if !d.Can["edit"] {
		return apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return s.renderHouseholdForm(w, r, a, http.StatusOK, householdFormPage{H: &d.Household, In: householdInputOf(d.Household)})
}

func (s *Server) assistUpdateHousehold(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, assist.PermManage)
	if err != nil {
		return err
	}
	d, err := s.Assist.GetHousehold(r.Context(), a, id)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	in := householdInput(formValues(r), &fe)
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else if _, err = s.Assist.UpdateHousehold(r.Context(), a, id, in); err == nil {
		http.Redirect(w, r, idPath("/assist/households/", id), http.StatusSeeOther)
		return nil
	}
	return s.householdFormFailed(w, r, a, householdFormPage{H: &d.Household, In: in}, err)
}

// householdFormFailed shows the form again with the problems (422), or the
// newer version's message (409); ID numbers and phones are not echoed.
func (s *Server) householdFormFailed(w http.ResponseWriter, r *http.Request, a *auth.Actor, p householdFormPage, err error) error {
	for i := range p.In.Members {
		p.In.Members[i].IDNumber, p.In.Members[i].Phone = "", ""
	}
	if apperr.CodeOf(err) == apperr.Conflict {
		p.Error, _ = Message(langOf(r), apperr.As(err))
		return s.renderHouseholdForm(w, r, a, http.StatusConflict, p)
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	p.Fields, p.Error = fields, msg
	return s.renderHouseholdForm(w, r, a, http.StatusUnprocessableEntity, p)
}

func (s *Server) renderHouseholdForm(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p householdFormPage) error {
	var err error
	if p.Villages, err = s.Assist.Villages(r.Context(), a, a.CommitteeID); err != nil {
		return err
	}
	p.Opts = newHouseholdOpts()
	for i, m := range p.In.Members {
		row := hhMemberRow{I: i, In: m}
		if p.H != nil {
			for _, st := range p.H.Members {
				if st.ID == m.ID && m.ID != 0 {
					row.IDMasked, row.HasPhone = st.IDMasked, st.HasPhone
				}
			}
		}
		p.Rows = append(p.Rows, row)
	}
	for range blankMemberRows {
		p.Rows = append(p.Rows, hhMemberRow{I: len(p.Rows)})
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	s.render(w, r, "assist/household_form.html", p)
	return nil
}

// householdInputOf is a stored household as form input (no ID numbers, no phones).
func householdInputOf(h assist.Household) assist.HouseholdInput {
	in := assist.HouseholdInput{RegistryID: h.RegistryID, VillageID: h.VillageID, HeadName: h.HeadName, Attribute: h.Attribute,
		CauseMain: h.CauseMain, CauseOthers: h.CauseOthers, IncomeFen: h.IncomeFen, Housing: h.Housing, Status: h.Status,
		LiftedYear: h.LiftedYear, GovHelper: h.GovHelper, Version: h.Version}
	for _, m := range h.Members {
		in.Members = append(in.Members, assist.MemberInput{ID: m.ID, Name: m.Name, Gender: m.Gender, Relation: m.Relation,
			Health: m.Health, Labour: m.Labour, Schooling: m.Schooling})
	}
	return in
}

// householdInput reads the form: the household's fields, then the member
// rows members.N.* in order; a row with neither a name nor an ID number is
// left out (clearing a member's name and ID number removes the member).
func householdInput(v url.Values, fe *[]apperr.FieldError) assist.HouseholdInput {
	in := assist.HouseholdInput{RegistryID: v.Get("registry_id"), VillageID: formID(v, "village_id", fe), HeadName: v.Get("head_name"),
		Attribute: v.Get("attribute"), CauseMain: v.Get("cause_main"), IncomeFen: yuanField(v.Get("income"), "income", fe),
		Housing: v.Get("housing"), Status: v.Get("status"), LiftedYear: int(formRange(v, "lifted_year", 0, 2100, fe)),
		GovHelper: v.Get("gov_helper"), Version: formInt(v, "version", fe)}
	for _, c := range v["cause_others"] {
		if c != "" {
			in.CauseOthers = append(in.CauseOthers, c)
		}
	}
	for i := 0; ; i++ {
		p := "members." + strconv.Itoa(i) + "."
		if _, ok := v[p+"name"]; !ok {
			break
		}
		m := assist.MemberInput{ID: formID(v, p+"id", fe), Name: v.Get(p + "name"), Gender: v.Get(p + "gender"),
			IDNumber: v.Get(p + "id_number"), Relation: v.Get(p + "relation"), Health: v.Get(p + "health"),
			Labour: v.Get(p + "labour"), Schooling: v.Get(p + "schooling"), Phone: v.Get(p + "phone")}
		if strings.TrimSpace(m.Name) == "" && strings.TrimSpace(m.IDNumber) == "" {
			continue
		}
		in.Members = append(in.Members, m)
	}
	return in
}
