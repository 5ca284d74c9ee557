package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"lvzhi/internal/account"
	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

type adminUsersData struct {
	Users    []account.User
	Query    string
	Role     string
	Roles    []auth.Role
	Page     int
	PrevHref template.URL
	NextHref template.URL
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ManageUsers)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	if page < 1 {
		page = 1
	}
	role := auth.Role(q.Get("role"))
	if !role.Valid() {
		role = ""
	}
	users, more, err := s.Auth.ListUsers(r.Context(), a, account.UserFilter{Query: q.Get("q"), Role: role, Page: page})
	if err != nil {
		return err
	}
	d := adminUsersData{Users: users, Query: q.Get("q"), Role: string(role), Roles: auth.AllRoles, Page: page}
	p := newPager("/admin", withParams(nil, "q", d.Query, "role", d.Role), page, more)
	d.PrevHref, d.NextHref = p.Prev, p.Next
	s.render(w, r, "admin/users.html", d)
	return nil
}

// adminUserForm is the data of the new-user form and the user page.
type adminUserForm struct {
	User        account.User
	Roles       []auth.Role
	People      []account.Option
	Units       []account.Option
	Tokens      []account.Token
	Min         int
	Flash       string // i18n key of a done message
	NewPassword string // a generated or reset password, shown once
	NewToken    string // a new API token's secret, shown once
	Error       string
	Fields      []apperr.FieldError
}

func (s *Server) userForm(r *http.Request, a *auth.Actor, u account.User) (adminUserForm, error) {
	people, units, err := s.Auth.LinkOptions(r.Context(), a)
	if err != nil {
		return adminUserForm{}, err
	}
	return adminUserForm{User: u, Roles: auth.AllRoles, People: people, Units: units, Min: account.MinPasswordLen}, nil
}

// renderInvalid renders page with the translated field errors of an Invalid error and status 422;
// other errors are returned for the error page.
func (s *Server) renderInvalid(w http.ResponseWriter, r *http.Request, err error, name string, d *adminUserForm) error {
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid {
		return err
	}
	d.Error, d.Fields = Message(langOf(r), e)
	w.WriteHeader(StatusOf(e.Code))
	s.render(w, r, name, d)
	return nil
}

func (s *Server) adminUserNew(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ManageUsers)
	if err != nil {
		return err
	}
	d, err := s.userForm(r, a, account.User{Lang: "zh"})
	if err != nil {
		return err
	}
	s.render(w, r, "admin/user_new.html", d)
	return nil
}

// formRoles reads the checked roles; unknown values are kept so the service names them.
func formRoles(r *http.Request) []auth.Role {
	var out []auth.Role
	for _, v := range r.Form["roles"] {
		out = append(out, auth.Role(v))
	}
	return out
}

func (s *Server) adminUserCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := requireCan(r, auth.ManageUsers)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	var fields []apperr.FieldError
	in := account.NewUser{
		Username: r.FormValue("username"), DisplayName: r.FormValue("display_name"), Password: r.FormValue("password"),
		Roles: formRoles(r), PersonID: formID(formValues(r), "person_id", &fields), UnitID: formID(formValues(r), "unit_id", &fields), Lang: r.FormValue("lang"),
	}
	generated := ""
	if in.Password == "" {
		generated = account.GeneratePassword()
		in.Password = generated
	}
	d, err := s.userForm(r, a, account.User{Username: in.Username, DisplayName: in.DisplayName, Roles: in.Roles,
		PersonID: in.PersonID, UnitID: in.UnitID, Lang: in.Lang})
	if err != nil {
		return err
	}
	if len(fields) > 0 {
		// Show the form's own errors together with everything else that is wrong.
		fields = append(fields, account.CheckNewUser(in)...)
		return s.renderInvalid(w, r, apperr.Fields(fields...), "admin/user_new.html", &d)
	}
	u, err := s.Auth.CreateUser(r.Context(), a, in)
	if err != nil {
		return s.renderInvalid(w, r, err, "admin/user_new.html", &d)
	}
	if generated == "" {
		http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10)+"?done=created", http.StatusSeeOther)
		return nil
	}
	// A generated password is shown once, so this answer is a page, not a redirect.
	return s.renderUser(w, r, a, u.ID, func(d *adminUserForm) { d.Flash, d.NewPassword = "admin.users.created", generated })
}

// doneKeys whitelists the ?done= messages of the user page.
var doneKeys = map[string]string{
	"created": "admin.users.created", "saved": "admin.users.saved", "reset": "admin.users.reset_done",
	"disabled": "admin.users.disabled_done", "enabled": "admin.users.enabled_done",
}

func (s *Server) adminUser(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, auth.ManageUsers)
	if err != nil {
		return err
	}
	return s.renderUser(w, r, a, id, func(d *adminUserForm) { d.Flash = doneKeys[r.URL.Query().Get("done")] })
}

// renderUser renders the user page for id, after edit adjusts its data.
func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, edit func(*adminUserForm)) error {
	// Pages may carry a password or token shown once: never cache them.
	w.Header().Set("Cache-Control", "no-store")
	u, err := s.Auth.GetUser(r.Context(), a, id)
	if err != nil {
		return err
	}
	d, err := s.userForm(r, a, u)
	if err != nil {
		return err
	}
	if d.Tokens, err = s.Auth.ListTokens(r.Context(), a, u.ID); err != nil {
		return err
	}
	if edit != nil {
		edit(&d)
	}
	s.render(w, r, "admin/user.html", d)
	return nil
}

func (s *Server) adminUserUpdate(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, auth.ManageUsers)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	var fields []apperr.FieldError
	in := account.UserChange{DisplayName: r.FormValue("display_name"), Roles: formRoles(r),
		PersonID: formID(formValues(r), "person_id", &fields), UnitID: formID(formValues(r), "unit_id", &fields), Lang: r.FormValue("lang")}
	version := formInt(r.Form, "version", &fields)
	if len(fields) == 0 {
		_, err = s.Auth.UpdateUser(r.Context(), a, id, version, in)
	} else {
		err = apperr.Fields(fields...)
	}
	if err == nil {
		http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=saved", http.StatusSeeOther)
		return nil
	}
	if e := apperr.As(err); e == nil || e.Code != apperr.Invalid {
		return err
	}
	// Show the form again with what was typed and the errors next to the fields.
	return s.renderUserInvalid(w, r, a, id, err, func(u *account.User) {
		u.DisplayName, u.Roles, u.PersonID, u.UnitID, u.Lang = in.DisplayName, in.Roles, in.PersonID, in.UnitID, in.Lang
	})
}

func (s *Server) renderUserInvalid(w http.ResponseWriter, r *http.Request, a *auth.Actor, id int64, err error, typed func(*account.User)) error {
	u, gerr := s.Auth.GetUser(r.Context(), a, id)
	if gerr != nil {
		return gerr
	}
	if typed != nil {
		typed(&u)
	}
	d, gerr := s.userForm(r, a, u)
	if gerr != nil {
		return gerr
	}
	if d.Tokens, gerr = s.Auth.ListTokens(r.Context(), a, id); gerr != nil {
		return gerr
	}
	return s.renderInvalid(w, r, err, "admin/user.html", &d)
}

func (s *Server) adminUserReset(w http.ResponseWriter, r *http.Request) error {
	a, id, err := actorAndID(r, auth.ManageUsers)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	pw := r.FormValue("password")
	generated := ""
	if strings.TrimSpace(pw) == "" {
		generated = account.GeneratePassword()
		pw = generated
	}
	if err := s.Auth.ResetPassword(r.Context(), a, id, pw); err != nil {
		if e := apperr.As(err); e != nil && e.Code == apperr.Invalid {
			return s.renderUserInvalid(w, r, a, id, err, nil)
		}
		return err
	}
	if generated == "" {
		http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done=reset", http.StatusSeeOther)
		return nil
	}
	return s.renderUser(w, r, a, id, func(d *adminUserForm) { d.Flash, d.NewPassword = "admin.users.reset_done", generated })
}

func (s *Server) adminUserDisable(w http.ResponseWriter, r *http.Request) error {
	return s.setDisabled(w, r, true)
}

func (s *Server) adminUserEnable(w http.ResponseWriter, r *http.Request) error {
	return s.setDisabled(w, r, false)
}

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	a, id, err := actorAndID(r, auth.ManageUsers)
	if err != nil {
		return err
	}
	if err := s.Auth.SetDisabled(r.Context(), a, id, disabled); err != nil {
		return err
	}
	done := "enabled"
	if disabled {
		done = "disabled"
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
	return nil
}
