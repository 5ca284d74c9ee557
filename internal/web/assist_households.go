package web

import (
	"html/template"
	"net/http"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// assistHouseholdsPage is the household list.
type assistHouseholdsPage struct {
	F         assist.HouseholdFilter
	List      []assist.Household
	Total     int
	Townships []string
	Pager     pager
	Export    template.URL // the export of the filtered list
	Opts      assistOpts
}

// assistPerPage is the page size of the households, needs and records lists.
const assistPerPage = 100

// exportBatch is how many rows an assist export reads at a time: it reads
// every filtered row, batch after batch, up to the list's total.
const exportBatch = 500

// householdFilter is the list's filter from its query (?page=, and ?per= for
// the page size).
func householdFilter(r *http.Request) assist.HouseholdFilter {
	q := r.URL.Query()
	per := perPage(q, assistPerPage)
	return assist.HouseholdFilter{Township: strings.TrimSpace(q.Get("township")), Status: q.Get("status"),
		Query: strings.TrimSpace(q.Get("q")), Offset: (max(queryInt(q, "page"), 1) - 1) * per, Limit: per}
}

func (s *Server) assistHouseholds(w http.ResponseWriter, r *http.Request) error {
	a, err := requireActor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := assistHouseholdsPage{F: householdFilter(r), Opts: newAssistOpts(), Export: link("/assist/households.xlsx", q)}
	if p.List, p.Total, err = s.Assist.ListHouseholds(r.Context(), a, p.F); err != nil {
		return err
	}
	p.Pager = newPager(r.URL.Path, q, max(queryInt(q, "page"), 1), p.F.Offset+len(p.List) < p.Total)
	if auth.Can(a, assist.PermView) {
		vs, err := s.Assist.Villages(r.Context(), a, a.CommitteeID)
		if err != nil {
			return err
		}
		for _, v := range vs {
			if len(p.Townships) == 0 || p.Townships[len(p.Townships)-1] != v.Township {
				p.Townships = append(p.Townships, v.Township)
			}
		}
	}
	s.render(w, r, "assist/households.html", p)
	return nil
}

// assistHouseholdsExport exports the listed households without personal data
// (no ID numbers, no phones): registry id, head, place, attribute, causes, status.
func (s *Server) assistHouseholdsExport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, assist.PermView)
	if err != nil {
		return err
	}
	f := householdFilter(r)
	f.Limit, f.Offset = exportBatch, 0
	lang := langOf(r)
	cols := []sheet.Column{{Head: i18n.T(lang, "assist.col.registry_id"), Width: 18}, {Head: i18n.T(lang, "assist.f.head"), Width: 10},
		{Head: i18n.T(lang, "assist.col.township"), Width: 12}, {Head: i18n.T(lang, "assist.col.village"), Width: 12},
		{Head: i18n.T(lang, "assist.col.attribute"), Width: 16}, {Head: i18n.T(lang, "assist.col.cause_main"), Width: 12},
		{Head: i18n.T(lang, "assist.col.income"), Width: 14, Kind: sheet.Number}, {Head: i18n.T(lang, "assist.col.status"), Width: 10},
		{Head: i18n.T(lang, "assist.col.lifted_year"), Width: 10, Kind: sheet.Number}}
	title := i18n.T(lang, "assist.households")
	sh, err := sheet.New(title, cols)
	if err != nil {
		return err
	}
	for {
		list, total, err := s.Assist.ListHouseholds(r.Context(), a, f)
		if err != nil {
			sh.Close()
			return err
		}
		for _, h := range list {
			var lifted any
			if h.LiftedYear != 0 {
				lifted = h.LiftedYear
			}
			if err := sh.Row(h.RegistryID, h.HeadName, h.Township, h.Village, i18n.T(lang, "assist.attribute."+h.Attribute),
				i18n.T(lang, "assist.cause."+h.CauseMain), float64(h.IncomeFen)/100, i18n.T(lang, "assist.status."+h.Status), lifted); err != nil {
				sh.Close()
				return err
			}
		}
		f.Offset += len(list)
		if len(list) == 0 || f.Offset >= total {
			break
		}
	}
	if err := s.Assist.RecordExport(r.Context(), a, "assist_household", sh.Rows(), r.URL.RawQuery); err != nil {
		sh.Close()
		return err
	}
	return sh.Send(w, s.exportName(r.Context(), a, 0, title))
}

// assistHouseholdPage is one household with its needs, pairings and records.
type assistHouseholdPage struct {
	D        assist.HouseholdDetail
	Needs    []assist.Need
	Pairings []assist.Pairing
	Records  []assist.Record
	Members  []assist.Offer // serving members, for an officer's record form
	Revealed map[int64]assist.Revealed
	// PairSteps are the pairing actions the reader may take, by pairing.
	PairSteps map[int64][]assist.PairingAction
	NeedIn    assist.NeedInput
	RecIn     assist.RecordInput
	Fields    []apperr.FieldError
	Error     string
	Form      string // which form the errors belong to: "need" or "record"
	Opts      assistOpts
}

func (s *Server) assistHousehold(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	return s.renderHousehold(w, r, a, id, http.StatusOK, assistHouseholdPage{})
}

func (s *Server) renderHousehold(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, status int, p assistHouseholdPage) error {
	var err error
	if p.D, err = s.Assist.GetHousehold(r.Context(), a, id); err != nil {
		return err
	}
	if p.Needs, _, err = s.Assist.ListNeeds(r.Context(), a, assist.NeedFilter{HouseholdID: id}); err != nil {
		return err
	}
	if p.Pairings, err = s.Assist.ListPairings(r.Context(), a, id); err != nil {
		return err
	}
	if p.Records, _, err = s.Assist.ListRecords(r.Context(), a, assist.RecordFilter{HouseholdID: id}); err != nil {
		return err
	}
	p.PairSteps = map[int64][]assist.PairingAction{}
	if p.D.CommitteeID == a.CommitteeID {
		var rels []assist.Relation
		for _, role := range a.Roles {
			rels = append(rels, assist.Relation(role))
		}
		for _, pr := range p.Pairings {
			for _, act := range assist.AllPairingActions {
				if _, ok := assist.NextPairing(pr.State, act, rels); ok {
					p.PairSteps[pr.ID] = append(p.PairSteps[pr.ID], act)
				}
			}
		}
	}
	if p.D.Can["record"] && canManage(a) {
		if p.Members, err = s.Assist.Members(r.Context(), a); err != nil {
			return err
		}
	}
	p.Opts = newAssistOpts()
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	s.render(w, r, "assist/household.html", p)
	return nil
}

// assistReveal shows one household member's full ID number and phone once;
// the service checks the permission and audits the view.
func (s *Server) assistReveal(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, assist.PermRevealID)
	if err != nil {
		return err
	}
	rv, err := s.Assist.RevealIDNumber(r.Context(), a, id)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	hid := formID(formValues(r), "household_id", &fe)
	if len(fe) > 0 {
		return apperr.ErrNotFound
	}
	return s.renderHousehold(w, r, a, hid, http.StatusOK, assistHouseholdPage{Revealed: map[int64]assist.Revealed{id: rv}})
}

func (s *Server) assistCreateNeed(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, "")
	if err != nil {
		return err
	}
	v := formValues(r)
	var fe []apperr.FieldError
	in := assist.NeedInput{HouseholdID: id, Kind: v.Get("kind"), Description: v.Get("description"),
		AmountFen: yuanField(v.Get("amount"), "amount", &fe), Urgency: int(formRange(v, "urgency", 1, 3, &fe))}
	if v.Get("collected_on") != "" {
		in.CollectedOn = formDate(v, "collected_on", &fe)
	}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else if _, err = s.Assist.CreateNeed(r.Context(), a, in); err == nil {
		http.Redirect(w, r, idPath("/assist/households/", id), http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderHousehold(w, r, a, id, http.StatusUnprocessableEntity, assistHouseholdPage{NeedIn: in, Fields: fields, Error: msg, Form: "need"})
}

func (s *Server) assistCreateRecord(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, assist.PermRecord)
	if err != nil {
		return err
	}
	v := formValues(r)
	var fe []apperr.FieldError
	in := assist.RecordInput{HouseholdID: id, Kind: v.Get("kind"), GivenOn: formDate(v, "given_on", &fe),
		AmountFen: yuanField(v.Get("amount"), "amount", &fe), GoodsItems: optInt(v.Get("goods_items"), "goods_items", &fe),
		GoodsValueFen: yuanField(v.Get("goods_value"), "goods_value", &fe), InfoCount: optInt(v.Get("info_count"), "info_count", &fe),
		Sessions: optInt(v.Get("sessions"), "sessions", &fe), Readings: optInt(v.Get("readings"), "readings", &fe),
		Students: optInt(v.Get("students"), "students", &fe), Jobs: optInt(v.Get("jobs"), "jobs", &fe),
		Description: v.Get("description"), Evidence: v.Get("evidence")}
	if v.Get("need_id") != "" {
		in.NeedID = formID(v, "need_id", &fe)
	}
	if len(v["members"]) > 0 {
		in.MembershipIDs = formIDs(v, "members", &fe)
	}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else if _, err = s.Assist.RecordAssistance(r.Context(), a, in); err == nil {
		http.Redirect(w, r, idPath("/assist/households/", id), http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderHousehold(w, r, a, id, http.StatusUnprocessableEntity, assistHouseholdPage{RecIn: in, Fields: fields, Error: msg, Form: "record"})
}

// yuanField reads an optional amount in yuan as fen.
func yuanField(s, name string, fe *[]apperr.FieldError) int64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	fen, ok := assist.ParseYuan(s)
	if !ok {
		*fe = append(*fe, apperr.Field(name, "err.assist.money"))
	}
	return fen
}

// optInt reads an optional non-negative count.
func optInt(s, name string, fe *[]apperr.FieldError) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	v := map[string][]string{name: {s}}
	return int(formRange(v, name, 0, 1<<31-1, fe))
}

// assistPairingStep suspends, resumes or ends a pairing (officers), back to the household.
func (s *Server) assistPairingStep(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, assist.PermManage)
	if err != nil {
		return err
	}
	var fe []apperr.FieldError
	version := formInt(formValues(r), "version", &fe)
	if len(fe) > 0 {
		return apperr.Fields(fe...)
	}
	p, err := s.Assist.PairingStep(r.Context(), a, id, version, assist.PairingAction(r.FormValue("action")))
	if err != nil {
		return err
	}
	http.Redirect(w, r, idPath("/assist/households/", p.HouseholdID), http.StatusSeeOther)
	return nil
}
