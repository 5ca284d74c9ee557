package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"lvzhi/internal/apperr"
)

// MaxBody caps ordinary request bodies; uploads have their own, larger cap.
const (
	MaxBody   = 1 << 20  // 1 MiB
	MaxUpload = 10 << 20 // 10 MiB
)

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) withLogging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: 200}
		next.ServeHTTP(sw, r)
		if r.URL.Path != "/healthz" && r.URL.Path != "/metrics" {
			s.Log.Info("http", "method", r.Method, "path", r.URL.Path, "status", sw.status,
				"ms", time.Since(start).Milliseconds())
		}
	})
}

// withLimits caps request bodies so an oversized post cannot exhaust memory.
// Upload handlers raise the cap with http.MaxBytesReader themselves.
func (s *Server) withLimits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := int64(MaxBody)
		if isUpload(r) {
			limit = MaxUpload
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

func isUpload(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	return len(ct) >= 19 && ct[:19] == "multipart/form-data"
}

// withForm parses every url-encoded POST body before the handler runs.
// Handlers read fields with r.FormValue, which drops parse errors: without
// this, a body over MaxBody or one that is not valid form encoding reached
// them as an empty form and came back as "name is required". Now it is
// refused with what went wrong (413 or 422) and nothing is written.
// The JSON API parses its own bodies; uploads (multipart) parse theirs.
func (s *Server) withForm(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && !isUpload(r) && !strings.HasPrefix(r.URL.Path, "/api/") {
			if err := r.ParseForm(); err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					s.fail(w, r, apperr.New(apperr.TooLarge, "err.form_too_large", map[string]any{"KB": MaxBody >> 10}))
				} else {
					s.fail(w, r, apperr.New(apperr.Invalid, "err.form_malformed"))
				}
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
