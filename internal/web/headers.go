package web

import "net/http"

// ContentSecurityPolicy is sent with every response. No inline script, style
// or handler runs (the pages' scripts are embedded files under /static, their
// data in JSON blocks), nothing is loaded from elsewhere (deployments are
// often on closed networks anyway), forms post only here, and no other site
// may frame a page (clickjacking).
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders are the headers every response carries.
var securityHeaders = map[string]string{
	"Content-Security-Policy":    ContentSecurityPolicy,
	"X-Frame-Options":            "DENY", // for browsers that predate frame-ancestors
	"X-Content-Type-Options":     "nosniff",
	"Referrer-Policy":            "same-origin", // full Referer only within the site (the language switch returns by it)
	"Cross-Origin-Opener-Policy": "same-origin",
}

// withSecurityHeaders sets securityHeaders on every response, pages, API,
// assets and errors alike, before anything else can write.
func withSecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for k, v := range securityHeaders {
			h.Set(k, v)
		}
		next.ServeHTTP(w, r)
	})
}
