package web

import (
	"net/http"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

// requireCan returns the actor if it may perform action in its own committee.
// Anonymous visitors get Unauthorized (GET requests are sent to /login),
// logged-in users without a granting role get Forbidden. Records of other
// committees are still the service's to refuse, as not found.
func requireCan(r *http.Request, action auth.Action) (*auth.Actor, error) {
	a := actorOf(r)
	if a == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.unauthorized")
	}
	if !auth.Can(a, action) {
		return nil, apperr.New(apperr.Forbidden, "err.forbidden")
	}
	return a, nil
}

// clientIP is the address login throttling counts by: the TCP peer. Headers
// such as X-Forwarded-For are ignored because any client can set them; behind
// a reverse proxy all users share the proxy's address and only the per-user
// limit is effective.
func clientIP(r *http.Request) string {
	host := r.RemoteAddr
	for i := len(host) - 1; i >= 0; i-- {
		if host[i] == ':' {
			return trimBrackets(host[:i])
		}
	}
	return host
}

func trimBrackets(s string) string {
	if len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' {
		return s[1 : len(s)-1]
	}
	return s
}
