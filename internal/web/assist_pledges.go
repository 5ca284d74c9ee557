package web

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"lvzhi/internal/apperr"
	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
	"lvzhi/internal/sheet"
)

// assistPledgesPage lists pledges with their reconciliation and, for officers, the new-pledge form.
type assistPledgesPage struct {
	List    []assist.Pledge
	Members []assist.Offer
	In      assist.PledgeInput
	Officer bool
	Fields  []apperr.FieldError
	Error   string
	Opts    assistOpts
}

func (s *Server) assistPledges(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, assist.PermView)
	if err != nil {
		return err
	}
	return s.renderPledges(w, r, a, http.StatusOK, assistPledgesPage{})
}

func (s *Server) renderPledges(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p assistPledgesPage) error {
	var err error
	if p.List, err = s.Assist.ListPledges(r.Context(), a, a.CommitteeID); err != nil {
		return err
	}
	p.Officer, p.Opts = canManage(a), newAssistOpts()
	if p.Officer {
		if p.Members, err = s.Assist.Members(r.Context(), a); err != nil {
			return err
		}
	}
	w.WriteHeader(status)
	s.render(w, r, "assist/pledges.html", p)
	return nil
}

func (s *Server) assistCreatePledge(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, assist.PermManage)
	if err != nil {
		return err
	}
	v := formValues(r)
	var fe []apperr.FieldError
	in := assist.PledgeInput{Meeting: v.Get("meeting"), PledgedOn: formDate(v, "pledged_on", &fe),
		AmountFen: yuanField(v.Get("amount"), "amount", &fe), Households: optInt(v.Get("households"), "households", &fe),
		Jobs: optInt(v.Get("jobs"), "jobs", &fe), IndustryHouseholds: optInt(v.Get("industry_households"), "industry_households", &fe),
		Notes: v.Get("notes")}
	if v.Get("due_on") != "" {
		in.DueOn = formDate(v, "due_on", &fe)
	}
	if len(v["members"]) > 0 {
		in.MembershipIDs = formIDs(v, "members", &fe)
	}
	if len(fe) > 0 {
		err = apperr.Fields(fe...)
	} else if _, err = s.Assist.CreatePledge(r.Context(), a, in); err == nil {
		http.Redirect(w, r, "/assist/pledges", http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderPledges(w, r, a, http.StatusUnprocessableEntity, assistPledgesPage{In: in, Fields: fields, Error: msg})
}

// assistImportPage is the household import form and its outcome.
type assistImportPage struct {
	Result   *assist.ImportResult
	Ledger   *assist.LedgerResult
	Villages []assist.Village
	VFields  []apperr.FieldError
	VError   string
	Fields   []apperr.FieldError
	Error    string
}

func (s *Server) assistImportPage(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, assist.PermImport)
	if err != nil {
		return err
	}
	return s.renderAssistImport(w, r, a, http.StatusOK, assistImportPage{})
}

// renderAssistImport shows the import forms with the committee's villages.
func (s *Server) renderAssistImport(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p assistImportPage) error {
	var err error
	if p.Villages, err = s.Assist.Villages(r.Context(), a, a.CommitteeID); err != nil {
		return err
	}
	w.WriteHeader(status)
	s.render(w, r, "assist/import.html", p)
	return nil
}

// assistCreateVillage adds a village to the list the import checks against (officers).
func (s *Server) assistCreateVillage(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, assist.PermManage)
	if err != nil {
		return err
	}
	if _, err = s.Assist.CreateVillage(r.Context(), a, r.FormValue("township"), r.FormValue("name"), r.FormValue("code")); err == nil {
		http.Redirect(w, r, "/assist/import", http.StatusSeeOther)
		return nil
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderAssistImport(w, r, a, http.StatusUnprocessableEntity, assistImportPage{VFields: fields, VError: msg})
}

func (s *Server) assistImport(w http.ResponseWriter, r *http.Request) error {
	return s.assistUpload(w, r, func(a *authActor, data []byte) (assistImportPage, error) {
		res, err := s.Assist.ImportHouseholds(r.Context(), a, bytes.NewReader(data))
		return assistImportPage{Result: &res}, err
	})
}

func (s *Server) assistImportLedger(w http.ResponseWriter, r *http.Request) error {
	return s.assistUpload(w, r, func(a *authActor, data []byte) (assistImportPage, error) {
		res, err := s.Assist.ImportLedger(r.Context(), a, bytes.NewReader(data))
		return assistImportPage{Ledger: &res}, err
	})
}

// assistUpload reads an import form's workbook, runs the import and shows
// its result, or the form again with every row's error (nothing written).
func (s *Server) assistUpload(w http.ResponseWriter, r *http.Request, run func(a *authActor, data []byte) (assistImportPage, error)) error {
	a, err := requireCan(r, assist.PermImport)
	if err != nil {
		return err
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return apperr.Fields(apperr.Field("file", "err.assist.import_file"))
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	done, err := run(a, data)
	if err == nil {
		return s.renderAssistImport(w, r, a, http.StatusOK, done)
	}
	fields, msg, err := formError(r, err)
	if err != nil {
		return err
	}
	return s.renderAssistImport(w, r, a, http.StatusUnprocessableEntity, assistImportPage{Fields: fields, Error: msg})
}

func (s *Server) assistTemplate(w http.ResponseWriter, r *http.Request) error {
	return s.assistSendTemplate(w, r, "assist.sheet.households", s.Assist.HouseholdTemplate)
}

func (s *Server) assistLedgerTemplate(w http.ResponseWriter, r *http.Request) error {
	return s.assistSendTemplate(w, r, "assist.sheet.ledger", s.Assist.LedgerTemplate)
}

// assistSendTemplate downloads an import template, named after its sheet.
func (s *Server) assistSendTemplate(w http.ResponseWriter, r *http.Request, sheetKey string,
	build func(ctx context.Context, a *authActor, lang string) ([]byte, error)) error {
	a, err := requireCan(r, assist.PermImport)
	if err != nil {
		return err
	}
	lang := langOf(r)
	b, err := build(r.Context(), a, lang)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", sheet.ContentType)
	w.Header().Set("Content-Disposition", sheet.Disposition(sheet.FileName(civil.Today(), i18n.T(lang, sheetKey))))
	_, err = w.Write(b)
	return err
}
