package web

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"lvzhi/internal/apperr"
)

// withErrorPages answers the requests no route serves — an unknown address
// (404) or a method the address does not take (405, with its Allow header) —
// with the styled error page in the reader's language and a way back, instead
// of the mux's bare English text. /api/v1/ is one route (the API answers
// JSON for its own unknown paths), so it never gets here.
func (s *Server) withErrorPages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := s.mux.Handler(r); pattern != "" {
			next.ServeHTTP(w, r)
			return
		}
		// Let the mux decide between 404 and 405, and keep its Allow header.
		rec := &headerOnly{h: http.Header{}, status: http.StatusNotFound}
		next.ServeHTTP(rec, r)
		key := "err.page_not_found"
		if rec.status == http.StatusMethodNotAllowed {
			key = "err.method_not_allowed"
			if allow := rec.h.Get("Allow"); allow != "" {
				w.Header().Set("Allow", allow)
			}
		} else {
			rec.status = http.StatusNotFound
		}
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(rec.status)
		msg, _ := Message(langOf(r), apperr.New(apperr.NotFound, key))
		s.renderPage(w, r, "error.html", map[string]any{"Message": msg, "Code": string(apperr.NotFound)})
	})
}

// headerOnly records the status and headers of a response and drops its body.
type headerOnly struct {
	h      http.Header
	status int
}

func (x *headerOnly) Header() http.Header         { return x.h }
func (x *headerOnly) Write(b []byte) (int, error) { return len(b), nil }
func (x *headerOnly) WriteHeader(status int)      { x.status = status }

// staticFiles serves the embedded assets; a missing one gets the error page
// too (http.FileServer would answer Go's bare text).
func (s *Server) staticFiles(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if st, err := fs.Stat(fsys, name); err != nil || st.IsDir() {
			w.Header().Set("Cache-Control", "no-store")
			s.fail(w, r, apperr.New(apperr.NotFound, "err.page_not_found"))
			return
		}
		files.ServeHTTP(w, r)
	})
}
