package api

// IDNumber is a member's full citizen ID number, shown on request and audited.
type IDNumber struct {
	IDNumber string `json:"id_number"`
}

// memberRevealRoutes: the full ID number of a member (the web's "show" button
// on a member's page). Members' answers carry only the masked number.
func (a *API) memberRevealRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/members/{id}/id-number", Tag: "org",
			Summary: "Reveal a member's full ID number (admins and staff of the member's own committee); every reveal is audited",
			Result:  IDNumber{}, Handle: func(r *Request) (any, error) {
				id, err := r.PathID("id")
				if err != nil {
					return nil, err
				}
				n, err := a.deps.Org.RevealIDNumber(r.Context(), r.Actor, id)
				return IDNumber{n}, err
			}},
	}
}
