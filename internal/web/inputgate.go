package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"lvzhi/internal/input"
)

// withInputGate refuses, before any handler, a query string, url-encoded form,
// multipart field or file name holding text no engine should store (invalid
// UTF-8, NUL, control characters) or an integer beyond its column (see package
// input), and clamps page numbers. The refusal is a 422 page in the user's
// language, the same on SQLite and PostgreSQL, and is not logged as an error.
// It runs after withForm (which parsed url-encoded bodies) and withActor (the
// language); the JSON API has its own gate with the same rules.
func (s *Server) withInputGate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		if err := s.gate(r); err != nil {
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// gate checks r's path, query and form, clamping pages in place.
func (s *Server) gate(r *http.Request) error {
	if e := input.Path(r.URL.Path); e != nil {
		return e
	}
	q := r.URL.Query()
	if input.ClampPages(q) {
		r.URL.RawQuery = q.Encode()
		if r.Form != nil {
			for k, v := range q {
				r.Form[k] = v
			}
		}
	}
	if e := input.Values(q); e != nil {
		return e
	}
	if r.Method != http.MethodPost {
		return nil
	}
	if isUpload(r) {
		return s.gateMultipart(r)
	}
	if e := input.Values(r.PostForm); e != nil {
		return e
	}
	return nil
}

// gateMultipart parses an upload (the handler's own ParseMultipartForm then
// finds it parsed) and checks its fields and file names.
func (s *Server) gateMultipart(r *http.Request) error {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return nil // the handler reports an unreadable upload in its own words
	}
	if e := input.Values(r.MultipartForm.Value); e != nil {
		return e
	}
	for field, files := range r.MultipartForm.File {
		for _, f := range files {
			if e := input.Text(field, f.Filename); e != nil {
				return e
			}
		}
	}
	return nil
}

// userAgent is the request's User-Agent made storable: HTTP lets a client send
// any bytes above 0x7f there, which PostgreSQL refuses as text (a login with
// such a header was a 500), so invalid UTF-8 and control characters are
// dropped and the length capped.
func userAgent(r *http.Request) string {
	ua := strings.Map(func(c rune) rune {
		if c < 0x20 || c == 0x7f || c == utf8.RuneError {
			return -1
		}
		return c
	}, strings.ToValidUTF8(r.UserAgent(), ""))
	if len(ua) > 300 {
		ua = strings.ToValidUTF8(ua[:300], "")
	}
	return ua
}
