package api

import (
	"strings"

	"lvzhi/internal/account"
	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

// Accounts and API tokens: what the web's /admin pages do for the committee's
// administrators, and /account/tokens for every user's own tokens.

// UserList is one page of the committee's accounts, by username.
type UserList struct {
	Items   []account.User `json:"items"`
	Page    int            `json:"page"`
	HasNext bool           `json:"has_next"`
}

// TokenList is a list of API tokens (never their secrets), newest first.
type TokenList struct {
	Items []account.Token `json:"items"`
}

// NewUserBody creates an account: person_id is required with the member role,
// unit_id with the unit role.
type NewUserBody struct {
	Username    string   `json:"username"`
	DisplayName string   `json:"display_name"`
	Password    string   `json:"password"`
	Roles       []string `json:"roles" codes:"role"`
	PersonID    int64    `json:"person_id,omitempty"`
	UnitID      int64    `json:"unit_id,omitempty"`
	Lang        string   `json:"lang,omitempty" enum:"zh,en"`
}

// UserBody changes an account's profile, roles and links (send its version).
type UserBody struct {
	DisplayName string   `json:"display_name"`
	Roles       []string `json:"roles" codes:"role"`
	PersonID    int64    `json:"person_id,omitempty"`
	UnitID      int64    `json:"unit_id,omitempty"`
	Lang        string   `json:"lang,omitempty" enum:"zh,en"`
	Version     int      `json:"version"`
}

// PasswordBody sets a password; an empty password asks the server for a
// generated one, returned once in the answer.
type PasswordBody struct {
	Password string `json:"password,omitempty"`
}

// PasswordResult is a password reset: the generated password, shown once
// ("" when the request chose it).
type PasswordResult struct {
	Generated string `json:"generated"`
}

// TokenBody creates an API token; days defaults to 90 (at most 365).
type TokenBody struct {
	Name string `json:"name"`
	Days int    `json:"days,omitempty"`
}

// NewToken is a created token with its secret, shown this once.
type NewToken struct {
	Token  account.Token `json:"token"`
	Secret string        `json:"secret"`
}

func roles(rs []string) []auth.Role {
	out := make([]auth.Role, len(rs))
	for i, r := range rs {
		out[i] = auth.Role(r)
	}
	return out
}

func (a *API) userRoutes() []Route {
	s := a.deps.Auth
	withID := func(h func(r *Request, id int64) (any, error)) func(r *Request) (any, error) {
		return func(r *Request) (any, error) {
			id, err := r.PathID("id")
			if err != nil {
				return nil, err
			}
			return h(r, id)
		}
	}
	return []Route{
		{Method: "GET", Path: "/users", Tag: "users", Summary: "The accounts of the token user's committee, by username (admins)",
			Query: []Param{{Name: "q", Type: "string", Description: "username or display name contains"},
				{Name: "role", Type: "string", Description: "holding this role", Enum: enumStrings(auth.AllRoles)},
				{Name: "page", Type: "integer", Description: "1-based; 50 a page"}},
			Result: UserList{}, Handle: func(r *Request) (any, error) {
				page, err := r.QueryInt("page")
				if err != nil {
					return nil, err
				}
				role := auth.Role(r.Query("role"))
				if role != "" && !role.Valid() {
					return nil, badQuery("role", "role")
				}
				if page < 1 {
					page = 1
				}
				us, more, err := s.ListUsers(r.Context(), r.Actor, account.UserFilter{Query: r.Query("q"), Role: role, Page: int(page)})
				return UserList{Items: orEmpty(us), Page: int(page), HasNext: more}, err
			}},
		{Method: "POST", Path: "/users", Tag: "users", Summary: "Create an account in the token user's committee (admins)",
			Body: NewUserBody{}, Result: account.User{}, Status: 201, Handle: func(r *Request) (any, error) {
				var b NewUserBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return s.CreateUser(r.Context(), r.Actor, account.NewUser{Username: b.Username, DisplayName: b.DisplayName,
					Password: b.Password, Roles: roles(b.Roles), PersonID: b.PersonID, UnitID: b.UnitID, Lang: b.Lang})
			}},
		{Method: "GET", Path: "/users/{id}", Tag: "users", Summary: "One account (admins)", Result: account.User{},
			Handle: withID(func(r *Request, id int64) (any, error) { return s.GetUser(r.Context(), r.Actor, id) })},
		{Method: "PUT", Path: "/users/{id}", Tag: "users", Summary: "Change an account's name, roles, links and language (admins; send its version)",
			Body: UserBody{}, Result: account.User{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var b UserBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return s.UpdateUser(r.Context(), r.Actor, id, b.Version, account.UserChange{DisplayName: b.DisplayName,
					Roles: roles(b.Roles), PersonID: b.PersonID, UnitID: b.UnitID, Lang: b.Lang})
			})},
		{Method: "POST", Path: "/users/{id}/password", Tag: "users", Summary: "Reset an account's password (admins); an empty password generates one, answered once",
			Body: PasswordBody{}, Result: PasswordResult{}, Handle: withID(func(r *Request, id int64) (any, error) {
				var b PasswordBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				var res PasswordResult
				if strings.TrimSpace(b.Password) == "" {
					res.Generated = account.GeneratePassword()
					b.Password = res.Generated
				}
				return res, s.ResetPassword(r.Context(), r.Actor, id, b.Password)
			})},
		{Method: "POST", Path: "/users/{id}/disable", Tag: "users", Summary: "Disable an account: its sessions and tokens stop working (admins)",
			Handle: withID(func(r *Request, id int64) (any, error) { return nil, s.SetDisabled(r.Context(), r.Actor, id, true) })},
		{Method: "POST", Path: "/users/{id}/enable", Tag: "users", Summary: "Enable a disabled account (admins)",
			Handle: withID(func(r *Request, id int64) (any, error) { return nil, s.SetDisabled(r.Context(), r.Actor, id, false) })},
		{Method: "GET", Path: "/users/{id}/tokens", Tag: "users", Summary: "An account's API tokens (admins)", Result: TokenList{},
			Handle: withID(func(r *Request, id int64) (any, error) {
				if _, err := s.GetUser(r.Context(), r.Actor, id); err != nil {
					return nil, err
				}
				ts, err := s.ListTokens(r.Context(), r.Actor, id)
				return TokenList{orEmpty(ts)}, err
			})},
		{Method: "POST", Path: "/users/{id}/tokens", Tag: "users", Summary: "Create an API token for an account (admins); the secret is answered once",
			Body: TokenBody{}, Result: NewToken{}, Status: 201, Handle: withID(func(r *Request, id int64) (any, error) {
				var b TokenBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				if b.Days == 0 {
					b.Days = account.DefaultTokenDays
				}
				tok, secret, err := s.CreateTokenFor(r.Context(), r.Actor, id, b.Name, b.Days)
				return NewToken{Token: tok, Secret: secret}, err
			})},
		{Method: "GET", Path: "/tokens", Tag: "users", Summary: "Every API token of the token user's committee (admins)", Result: TokenList{},
			Handle: func(r *Request) (any, error) {
				ts, err := s.ListTokens(r.Context(), r.Actor, 0)
				return TokenList{orEmpty(ts)}, err
			}},
		{Method: "DELETE", Path: "/tokens/{id}", Tag: "users", Summary: "Revoke any API token of the committee (admins); revoking twice changes nothing",
			Handle: withID(func(r *Request, id int64) (any, error) { return nil, s.RevokeToken(r.Context(), r.Actor, id) })},
		{Method: "DELETE", Path: "/me/tokens/{id}", Tag: "meta", Summary: "Revoke one of the token user's own API tokens (another user's is 404)",
			Handle: withID(func(r *Request, id int64) (any, error) { return nil, s.RevokeOwnToken(r.Context(), r.Actor, id) })},
		{Method: "POST", Path: "/me/password", Tag: "meta", Summary: "Change the token user's own password (current and new)",
			Body: OwnPasswordBody{}, Handle: func(r *Request) (any, error) {
				var b OwnPasswordBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return nil, s.ChangeOwnPassword(r.Context(), r.Actor, b.Current, b.Password)
			}},
	}
}

// OwnPasswordBody changes the caller's own password.
type OwnPasswordBody struct {
	Current  string `json:"current"`
	Password string `json:"password"`
}

// badQuery is the 400 error of a query parameter outside its values.
func badQuery(name, typ string) error {
	return apperr.Fields(apperr.Field(name, "err.api.bad_query", map[string]any{"Type": typ}))
}
