package web

import (
	"bytes"
	"errors"
	"net/http"
	"strings"

	"lvzhi/internal/account"
	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/civil"
	"lvzhi/internal/i18n"
	"lvzhi/internal/org"
	"lvzhi/internal/sheet"
)

// orgXLSXType is the media type of .xlsx workbooks.
const orgXLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// importPage is the data of /org/import: the upload form, then either every
// row error or the summary.
type importPage struct {
	V      orgView
	Kind   string // members or units
	Terms  []org.Term
	TermID int64
	File   string
	Error  string
	Rows   []apperr.FieldError
	Result *org.ImportResult
	// CanAccounts: the importer may open accounts (admins); Accounts: asked to.
	CanAccounts, Accounts bool
	// Activations are the accounts opened with the import, with their links
	// (shown on this page only, to print); Base starts each link.
	Activations []account.Activation
	Base        string
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, a *auth.Actor, status int, p importPage) error {
	var err error
	if p.V, err = s.viewOf(r, a, a.CommitteeID, "import"); err != nil {
		return err
	}
	if p.Terms, err = s.Org.Terms(r.Context(), a, a.CommitteeID); err != nil {
		return err
	}
	if p.Kind == "" {
		p.Kind = "members"
	}
	p.CanAccounts = auth.Can(a, auth.ManageUsers)
	p.Base = requestBase(r, s.SecureCookies)
	w.WriteHeader(status)
	s.render(w, r, "org/import.html", p)
	return nil
}

func (s *Server) orgImportPage(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ImportOrg)
	if err != nil {
		return err
	}
	return s.renderImport(w, r, a, http.StatusOK, importPage{Kind: r.URL.Query().Get("kind")})
}

// orgImport takes an uploaded workbook (at most MaxUpload bytes) and imports
// it whole or not at all, listing every problem.
func (s *Server) orgImport(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ImportOrg)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxUpload)
	p := importPage{}
	fail := func(err error) error {
		e := Normalize(err)
		if e.Code == apperr.Internal || e.Code == apperr.Forbidden || e.Code == apperr.NotFound {
			return err
		}
		msg, fields := Message(langOf(r), e)
		if e.Code == apperr.TooLarge {
			msg = i18n.T(langOf(r), "err.org.upload_too_large", map[string]any{"MB": MaxUpload >> 20})
		}
		p.Error, p.Rows = msg, fields
		return s.renderImport(w, r, a, StatusOf(e.Code), p)
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fail(err)
		}
		return fail(apperr.New(apperr.Invalid, "err.org.upload_missing"))
	}
	defer r.MultipartForm.RemoveAll()
	p.Kind = r.FormValue("kind")
	var fe []apperr.FieldError
	p.TermID = formID(formValues(r), "term_id", &fe)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return fail(apperr.New(apperr.Invalid, "err.org.upload_missing"))
	}
	defer file.Close()
	p.File = hdr.Filename
	p.Accounts = r.FormValue("accounts") != ""
	opener, err := s.importOpener(r, a, p.Accounts)
	if err != nil {
		return err
	}
	var res org.ImportResult
	switch p.Kind {
	case "members":
		res, err = s.Org.ImportMembersWith(r.Context(), a, a.CommitteeID, p.TermID, file, opener.hook(p.Kind))
	case "units":
		res, err = s.Org.ImportUnitsWith(r.Context(), a, a.CommitteeID, file, opener.hook(p.Kind))
	default:
		err = apperr.New(apperr.Invalid, "err.org.import_kind")
	}
	if err != nil {
		return fail(err)
	}
	p.Result = &res
	if opener != nil {
		p.Activations = opener.o.Issued
	}
	return s.renderImport(w, r, a, http.StatusOK, p)
}

// importAccounts opens the accounts of an import's rows, when asked for.
type importAccounts struct{ o *account.Opener }

// importOpener is nil unless accounts are asked for; asking without the
// right to manage users refuses the import before anything is written.
func (s *Server) importOpener(r *http.Request, a *auth.Actor, want bool) (*importAccounts, error) {
	if !want {
		return nil, nil
	}
	o, err := s.Auth.Opener(r.Context(), a)
	if err != nil {
		return nil, err
	}
	return &importAccounts{o}, nil
}

// hook is the import hook opening the accounts of kind's rows (nil: none).
func (x *importAccounts) hook(kind string) org.ImportHook {
	switch {
	case x == nil:
		return nil
	case kind == "units":
		return x.o.Units
	}
	return x.o.Members
}

// orgSendXLSX sends a workbook as a download named name (UTF-8 file names allowed).
func orgSendXLSX(w http.ResponseWriter, name string, b []byte) error {
	w.Header().Set("Content-Type", orgXLSXType)
	w.Header().Set("Content-Disposition", sheet.Disposition(name))
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(b)
	return err
}

// orgExportName is "<committee>-<what>-<today>.xlsx".
func orgExportName(c org.Committee, lang, key string) string {
	return sheet.FileName(civil.Today(), c.Name, i18n.T(lang, key))
}

// orgExportMembers downloads the filtered member list (all pages) as .xlsx.
func (s *Server) orgExportMembers(w http.ResponseWriter, r *http.Request) error {
	a, v, err := s.orgScope(r, "members")
	if err != nil {
		return err
	}
	f := orgMemberFilter(r.URL.Query())
	var buf bytes.Buffer
	if _, err := s.Org.ExportMembers(r.Context(), a, v.C.ID, f, langOf(r), &buf); err != nil {
		return err
	}
	return orgSendXLSX(w, orgExportName(v.C, langOf(r), "org.sheet.members"), buf.Bytes())
}

// orgExportUnits downloads the unit list as .xlsx.
func (s *Server) orgExportUnits(w http.ResponseWriter, r *http.Request) error {
	a, v, err := s.orgScope(r, "units")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := org.UnitFilter{Kind: q.Get("kind"), Q: strings.TrimSpace(q.Get("q")), Active: q.Get("active")}
	var buf bytes.Buffer
	if _, err := s.Org.ExportUnits(r.Context(), a, v.C.ID, f, langOf(r), &buf); err != nil {
		return err
	}
	return orgSendXLSX(w, orgExportName(v.C, langOf(r), "org.sheet.units"), buf.Bytes())
}

func (s *Server) orgMemberTemplate(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ImportOrg)
	if err != nil {
		return err
	}
	b, err := s.Org.MemberTemplate(r.Context(), a, a.CommitteeID, langOf(r))
	if err != nil {
		return err
	}
	return orgSendXLSX(w, i18n.T(langOf(r), "org.template.members_file"), b)
}

func (s *Server) orgUnitTemplate(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ImportOrg)
	if err != nil {
		return err
	}
	b, err := s.Org.UnitTemplate(r.Context(), a, a.CommitteeID, langOf(r))
	if err != nil {
		return err
	}
	return orgSendXLSX(w, i18n.T(langOf(r), "org.template.units_file"), b)
}
