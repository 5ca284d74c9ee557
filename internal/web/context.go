package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"lvzhi/internal/auth"
	"lvzhi/internal/i18n"
)

type ctxKey int

const (
	actorKey ctxKey = iota
	langKey
)

// actorOf returns the logged-in actor, or nil for anonymous visitors.
func actorOf(r *http.Request) *auth.Actor {
	a, _ := r.Context().Value(actorKey).(*auth.Actor)
	return a
}

// langOf returns the request's language: cookie, then user setting, then Accept-Language.
func langOf(r *http.Request) string {
	if l, ok := r.Context().Value(langKey).(string); ok {
		return l
	}
	return "zh"
}

// withActor loads the actor from the session (or API token) and the language.
func (s *Server) withActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if strings.HasPrefix(r.URL.Path, "/static/") {
			// Assets need no session: skip the lookup on the hottest path.
			next.ServeHTTP(w, r)
			return
		}
		actor, err := s.Auth.ActorFromRequest(ctx, r)
		if err != nil {
			s.Log.Warn("load session", "err", err)
		}
		lang := i18n.FromAcceptLanguage(r.Header.Get("Accept-Language"))
		if actor != nil && actor.Lang != "" {
			lang = actor.Lang
		}
		if c, err := r.Cookie("lang"); err == nil {
			lang = i18n.Norm(c.Value)
		}
		if actor != nil {
			actor.Lang = lang
			ctx = context.WithValue(ctx, actorKey, actor)
		}
		ctx = context.WithValue(ctx, langKey, lang)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// setLang switches the interface language and returns to the previous page.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) error {
	lang := i18n.Norm(r.PathValue("lang"))
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: lang, Path: "/", MaxAge: 365 * 86400, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.SecureCookies})
	http.Redirect(w, r, sameSiteReturn(r), http.StatusSeeOther)
	return nil
}

// sameSiteReturn is the path to return to after switching the language: the
// Referer's path and query when it is a page of this site, else the home page.
// Another site's address (or a scheme-relative "//evil" trick) never becomes
// the redirect, so /lang/… cannot be used as an open redirect.
func sameSiteReturn(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || u.Host == "" || !strings.EqualFold(u.Host, r.Host) || (u.Scheme != "http" && u.Scheme != "https") {
		return "/"
	}
	return safeNext(u.RequestURI())
}
