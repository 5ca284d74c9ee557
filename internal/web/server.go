// Package web serves the HTML interface. Handlers only translate: parse the
// request, call an area service with the actor, render the result.
package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"

	"lvzhi/internal/account"
	"lvzhi/internal/activity"
	"lvzhi/internal/assist"
	"lvzhi/internal/db"
	"lvzhi/internal/duty"
	"lvzhi/internal/figure"
	"lvzhi/internal/liaison"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
	"lvzhi/internal/report"
)

//go:embed static
var staticFS embed.FS

// Server is the web interface over the area services.
type Server struct {
	DB        *db.DB
	Log       *slog.Logger
	Auth      *account.Service
	Org       *org.Service
	Proposals *proposal.Service
	// Activities is consultation, supervision and everyday duty.
	Activities *activity.Service
	// Assist is 三送三帮 (households, needs, matching, assistance).
	Assist *assist.Service
	// Duty is the duty records and scoring area.
	Duty *duty.Service
	// Figures is every area's figures; figureRoutes builds it if unset.
	Figures *figure.Registry
	// Reports is the annual work reports; reportRoutes creates it over Figures if unset.
	Reports *report.Service
	// Liaison is the liaison chain; liaisonRoutes creates it if unset.
	Liaison *liaison.Service
	// API serves /api/v1/ (the api package); nil leaves it unmounted.
	API http.Handler
	// Extra mounts further handlers (metrics) at exact patterns.
	Extra map[string]http.Handler
	// SecureCookies marks cookies Secure (behind HTTPS).
	SecureCookies bool
	// Wrap, if set, wraps the whole handler (metrics; see Route).
	Wrap func(http.Handler) http.Handler

	mux      *http.ServeMux
	tpl      *templates
	patterns []string // every pattern registered with handle, for route-wide tests
}

// New wires the server; call Handler to serve it.
func New(d *db.DB, log *slog.Logger) *Server {
	s := &Server{
		DB: d, Log: log,
		Auth:      account.NewService(d),
		Org:       org.NewService(d),
		Proposals: proposal.NewService(d),
		Assist:    assist.NewService(d),
		Duty:      duty.NewService(d),
	}
	s.Activities = activity.NewService(d)
	s.Figures = figure.NewRegistry(s.Proposals.Source(), s.Activities.Source(), s.Assist.Source(), s.Duty.Source())
	return s
}

// Handler returns the full HTTP handler: routes, actor loading, CSRF protection, logging.
func (s *Server) Handler() http.Handler {
	s.tpl = mustParseTemplates()
	s.mux = http.NewServeMux()
	s.routes()
	var h http.Handler = s.mux
	h = s.withErrorPages(h)
	h = s.withInputGate(h)
	h = s.withForm(h)
	h = s.firstLogin(h)
	h = s.withActor(h)
	h = http.NewCrossOriginProtection().Handler(h)
	h = s.withLimits(h)
	h = s.withLogging(h)
	h = withSecurityHeaders(h)
	if s.Wrap != nil {
		h = s.Wrap(h)
	}
	return h
}

// Route returns the pattern that serves r ("GET /proposals/{id}"), or "" when
// none does; metrics label requests with it. Valid once Handler has run.
func (s *Server) Route(r *http.Request) string {
	_, p := s.mux.Handler(r)
	return p
}

// Patterns lists every pattern registered with handle (the web's pages and
// actions, not static files or mounted handlers); valid once Handler has run.
// The API's parity test reads it.
func (s *Server) Patterns() []string { return append([]string(nil), s.patterns...) }

func (s *Server) routes() {
	static, _ := fs.Sub(staticFS, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheForever(s.staticFiles(static))))
	s.mux.HandleFunc("GET /healthz", s.healthz)
	if s.API != nil {
		s.mux.Handle("/api/v1/", s.API)
	}
	for p, h := range s.Extra {
		s.mux.Handle(p, h)
	}
	s.handle("GET /{$}", s.home)
	s.handle("GET /lang/{lang}", s.setLang)
	s.authRoutes()
	s.orgRoutes()
	s.adminRoutes()
	s.activateRoutes()
	s.proposalRoutes()
	s.proposalFiguresRoutes()
	s.figureRoutes()
	s.exportRoutes()
	s.reportRoutes()
	s.liaisonRoutes()
	s.notifyRoutes()
	s.activityRoutes()
	s.assistRoutes()
	s.dutyRoutes()
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2e9)
	defer cancel()
	if err := s.DB.PingContext(ctx); err != nil {
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		h.ServeHTTP(w, r)
	})
}
