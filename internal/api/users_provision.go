package api

// ProvisionedAccount is an account opened by provisioning, with its first
// password (shown this once; only its hash is stored), or one it disabled
// (kind "disabled", no password).
type ProvisionedAccount struct {
	Kind     string `json:"kind" enum:"member,unit,disabled"`
	Name     string `json:"name"`
	Username string `json:"username"`
	Password string `json:"password,omitempty"`
}

// ProvisionAnswer lists what one provisioning run did.
type ProvisionAnswer struct {
	Items []ProvisionedAccount `json:"items"`
}

// userProvisionRoutes twin the web's POST /admin/users/provision (which
// answers the same list as a spreadsheet).
func (a *API) userProvisionRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/users/provision", Tag: "users",
			Summary: "Open an account for every serving member and active handling unit of the token user's committee that has none, each with a first password returned only in this answer and to be changed at first login; accounts of members no longer serving are disabled (admins)",
			Result:  ProvisionAnswer{}, Handle: func(r *Request) (any, error) {
				issued, err := a.deps.Auth.ProvisionAll(r.Context(), r.Actor)
				if err != nil {
					return nil, err
				}
				out := ProvisionAnswer{Items: make([]ProvisionedAccount, len(issued))}
				for i, x := range issued {
					out.Items[i] = ProvisionedAccount(x) // account.Issued with json names
				}
				return out, nil
			}},
	}
}
