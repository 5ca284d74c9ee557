package api

import (
	"time"

	"lvzhi/internal/account"
	"lvzhi/internal/org"
)

// ActivationLink is an account opened without a password and the one-time
// link its holder opens to choose one: shown only in the answer that made it
// (only the link's hash is stored).
type ActivationLink struct {
	Kind      string    `json:"kind" enum:"member,unit"`
	Name      string    `json:"name"`
	Username  string    `json:"username"`
	Token     string    `json:"token"` // for POST /activate/{token}
	URL       string    `json:"url"`   // the web page /activate/{token} at the address the request reached
	ExpiresAt time.Time `json:"expires_at"`
}

// ActivationList is the links an import or a reissue made.
type ActivationList struct {
	Items []ActivationLink `json:"items"`
}

// ActivateBody sets an account's first password through its link.
type ActivateBody struct {
	Password string `json:"password"`
}

func activationLinks(r *Request, acts []account.Activation) []ActivationLink {
	base := "http://" + r.Host
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		base = "https://" + r.Host
	}
	out := make([]ActivationLink, len(acts))
	for i, x := range acts {
		out[i] = ActivationLink{Kind: x.Kind, Name: x.Name, Username: x.Username, Token: x.Token, URL: base + x.Path(), ExpiresAt: x.ExpiresAt}
	}
	return out
}

// importOpener is nil unless the import's form asks for accounts
// (accounts=1); asking without the right to manage users refuses the import
// before anything is written.
func (a *API) importOpener(r *Request) (*account.Opener, error) {
	want, err := r.FormInt("accounts")
	if err != nil || want == 0 {
		return nil, err
	}
	return a.deps.Auth.Opener(r.Context(), r.Actor)
}

// importHook opens the accounts of kind's rows with o (nil: none).
func importHook(o *account.Opener, kind string) org.ImportHook {
	switch {
	case o == nil:
		return nil
	case kind == "units":
		return o.Units
	}
	return o.Members
}

// activationRoutes twin the web's /activate/{token} page and the office's
// POST /admin/users/activations.
func (a *API) activationRoutes() []Route {
	s := a.deps.Auth
	return []Route{
		{Method: "POST", Path: "/users/activations", Tag: "users",
			Summary: "Issue a new activation link for every account of the token user's committee not yet activated; the older links stop working, and the new ones are answered only here (admins)",
			Result:  ActivationList{}, Handle: func(r *Request) (any, error) {
				acts, err := s.ReissueActivations(r.Context(), r.Actor)
				return ActivationList{Items: activationLinks(r, acts)}, err
			}},
		{Method: "GET", Path: "/activate/{token}", Tag: "meta", Public: true,
			Summary: "Whose account an activation link opens; an unknown or replaced link is 404, a used or expired one 409 (no token needed)",
			Errors:  []int{409}, Result: account.Pending{}, Handle: func(r *Request) (any, error) {
				return s.CheckActivation(r.Context(), r.PathValue("token"))
			}},
		{Method: "POST", Path: "/activate/{token}", Tag: "meta", Public: true,
			Summary: "Choose an account's first password through its activation link, which is then used up (no token needed)",
			Body:    ActivateBody{}, Result: account.Pending{}, Handle: func(r *Request) (any, error) {
				var b ActivateBody
				if err := r.Decode(&b); err != nil {
					return nil, err
				}
				return s.Activate(r.Context(), r.PathValue("token"), b.Password)
			}},
	}
}
