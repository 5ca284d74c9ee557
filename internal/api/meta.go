package api

import (
	"lvzhi/internal/account"
	"lvzhi/internal/auth"
)

// Me is the token's user.
type Me struct {
	UserID        int64       `json:"user_id"`
	Name          string      `json:"name"`
	CommitteeID   int64       `json:"committee_id"`
	CommitteePath string      `json:"committee_path"`
	Roles         []auth.Role `json:"roles"`
	PersonID      int64       `json:"person_id,omitempty"`
	UnitID        int64       `json:"unit_id,omitempty"`
	Lang          string      `json:"lang"`
}

// document is a stand-in type for the OpenAPI document in its own description.
type document struct {
	OpenAPI string         `json:"openapi"`
	Info    map[string]any `json:"info"`
	Paths   map[string]any `json:"paths"`
}

func (a *API) metaRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/openapi.json", Tag: "meta", Summary: "This OpenAPI document", Public: true,
			Result: document{}, Handle: a.serveDocument},
		{Method: "GET", Path: "/me", Tag: "meta", Summary: "The token's user: committee, roles, person or unit", Result: Me{},
			Handle: func(r *Request) (any, error) {
				x := r.Actor
				return Me{UserID: x.UserID, Name: x.Name, CommitteeID: x.CommitteeID, CommitteePath: x.CommitteePath,
					Roles: orEmpty(x.Roles), PersonID: x.PersonID, UnitID: x.UnitID, Lang: x.Lang}, nil
			}},
		{Method: "GET", Path: "/me/tokens", Tag: "meta",
			Summary: "The token user's own API tokens: created, last used, expiry, revoked (never the secrets)",
			Result:  []account.Token{},
			Handle: func(r *Request) (any, error) {
				toks, err := a.deps.Auth.OwnTokens(r.Context(), r.Actor)
				return orEmpty(toks), err
			}},
	}
}

// orEmpty makes a nil slice encode as [] rather than null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// committeeOf is the committee query parameter, defaulting to the actor's own.
func committeeOf(r *Request) (int64, error) {
	id, err := r.QueryInt("committee")
	if err != nil || id != 0 {
		return id, err
	}
	return r.Actor.CommitteeID, nil
}

// committeeParam documents the committee query parameter.
var committeeParam = Param{Name: "committee", Type: "integer", Description: "committee id; default the token user's committee (a higher committee reads its subtree)"}
