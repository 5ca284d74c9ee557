// Package api is the JSON API at /api/v1, over the same area services as the web
// interface: handlers only decode, call a service with the actor, and encode.
//
// Authentication is an API token (see account.Service.CreateToken) sent as
// "Authorization: Bearer lvz_…"; session cookies are not accepted here. Errors
// are JSON, in the language of Accept-Language (else the user's setting):
//
//	{"error":{"code":"invalid","message":"…","fields":[{"row":0,"field":"phone","message":"…"}]}}
//
// with the status from httperr.StatusOf (one table for web and API), except that a
// request the API cannot read at all (malformed JSON, unknown or mistyped fields,
// a bad query parameter) is 400.
//
// # Adding an endpoint
//
// Every endpoint is one Route in a table, and the OpenAPI document served at
// GET /api/v1/openapi.json is generated from the same table, so a route cannot
// go undocumented. To add an area's endpoints (e.g. proposals):
//
//  1. Add the service to Deps (and to api.New's defaults if it can be built from the DB).
//
//  2. Write internal/api/<area>.go with a method returning the area's routes:
//
//     func (a *API) proposalRoutes() []Route {
//     return []Route{{
//     Method: "GET", Path: "/proposals/{id}", Tag: "proposals",
//     Summary: "Get one proposal", Result: proposal.Proposal{},
//     Handle: func(r *Request) (any, error) {
//     id, err := r.PathID("id")
//     if err != nil {
//     return nil, err
//     }
//     return a.deps.Proposals.Get(r.Context(), r.Actor, id)
//     },
//     }}
//     }
//
//     Body is a zero value of the request type (decoded strictly with r.Decode),
//     Result of the response type; Query documents query parameters (read them
//     with r.QueryInt / r.Query); Status is the success status (201 for creations).
//     Response and body types are described from their json tags.
//
//  3. Append it in (*API).routes, run `go test ./internal/api -run OpenAPI -update`
//     to refresh testdata/openapi.json, and review the diff.
//
//  4. List the web routes it twins in apiTwins (parity_test.go): TestAPIParity
//     fails on a web route without an API twin or a stated reason.
//
// A route taking a file sets Form (its multipart/form-data parts; read them
// with r.Upload and r.FormInt) instead of Body; one answering a file has
// Result: Download{} and returns a *Download.
package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"

	"lvzhi/internal/account"
	"lvzhi/internal/activity"
	"lvzhi/internal/apperr"
	"lvzhi/internal/assist"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/duty"
	"lvzhi/internal/figure"
	"lvzhi/internal/httperr"
	"lvzhi/internal/i18n"
	"lvzhi/internal/input"
	"lvzhi/internal/liaison"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
	"lvzhi/internal/report"
)

// Prefix is where the API is mounted.
const Prefix = "/api/v1"

// MaxBody caps a request body.
const MaxBody = 256 << 10

// Deps are the services the API serves. Nil services are built from DB.
type Deps struct {
	DB      *db.DB
	Log     *slog.Logger
	Auth    *account.Service
	Org     *org.Service
	Liaison *liaison.Service
	// Proposals is the proposal workflow.
	Proposals *proposal.Service
	// Activities is consultation, supervision and everyday duty.
	Activities *activity.Service
	// Assist is 三送三帮.
	Assist *assist.Service
	// Figures is every area's figures (default: every area's source).
	Figures *figure.Registry
	// Reports is the annual work reports (over Figures, by default).
	Reports *report.Service
}

// API is the JSON API handler.
type API struct {
	deps     Deps
	mux      *http.ServeMux
	routes   []Route
	patterns []string // every pattern registered on mux, for the document test
	doc      []byte   // the OpenAPI document
}

// Route is one endpoint: its method, path (under Prefix, with {name} parameters),
// documentation, and handler.
type Route struct {
	Method  string
	Path    string
	Tag     string
	Summary string
	Query   []Param
	Body    any // zero value of the request body type; nil for none
	Result  any // zero value of the response type; nil for 204 No Content
	Status  int // success status; 0 means 200 (204 when Result is nil)
	Public  bool
	Form    []FormPart // a multipart/form-data body (a file upload) instead of JSON; see upload.go
	Errors  []int      // error statuses beyond those errorStatuses derives (a GET answering 409)
	Handle  func(r *Request) (any, error)
}

// Param documents a query parameter.
type Param struct {
	Name        string
	Type        string // "integer", "string" or "boolean"
	Description string
	Required    bool     // the server refuses the call without it
	Enum        []string // the allowed values
	Array       bool     // may repeat (?state=A&state=B): documented as an array of Type
	Max         int      // the largest value honoured; larger ones are capped to it
}

// Request is what a handler gets: the HTTP request, the actor and the language.
type Request struct {
	*http.Request
	Actor *auth.Actor
	Lang  string
}

// New returns the API handler; mount it at Prefix + "/".
func New(d Deps) *API {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Auth == nil {
		d.Auth = account.NewService(d.DB)
	}
	if d.Org == nil {
		d.Org = org.NewService(d.DB)
	}
	if d.Liaison == nil {
		d.Liaison = liaison.NewService(d.DB)
	}
	if d.Proposals == nil {
		d.Proposals = proposal.NewService(d.DB)
	}
	if d.Activities == nil {
		d.Activities = activity.NewService(d.DB)
	}
	if d.Assist == nil {
		d.Assist = assist.NewService(d.DB)
	}
	if d.Figures == nil {
		d.Figures = figure.NewRegistry(d.Proposals.Source(), d.Activities.Source(), d.Assist.Source(), duty.NewService(d.DB).Source())
	}
	if d.Reports == nil {
		d.Reports = report.NewService(d.DB, d.Figures)
	}
	a := &API{deps: d, mux: http.NewServeMux()}
	a.routes = a.allRoutes()
	for _, rt := range a.routes {
		a.register(rt)
	}
	a.mux.HandleFunc(Prefix+"/", a.noRoute)
	a.patterns = append(a.patterns, Prefix+"/")
	doc, err := buildDocument(a.routes)
	if err != nil {
		panic("api: OpenAPI document: " + err.Error())
	}
	a.doc = doc
	return a
}

// allRoutes is the route table: each area contributes its routes.
func (a *API) allRoutes() []Route {
	var rs []Route
	rs = append(rs, a.metaRoutes()...)
	rs = append(rs, a.orgRoutes()...)
	rs = append(rs, a.liaisonRoutes()...)
	rs = append(rs, a.proposalRoutes()...)
	rs = append(rs, a.activityRoutes()...)
	rs = append(rs, a.proposalBackfillRoutes()...)
	rs = append(rs, a.dutyRoutes()...)
	rs = append(rs, a.figureRoutes()...)
	rs = append(rs, a.neutralFigureRoutes()...)
	rs = append(rs, a.exportRoutes()...)
	rs = append(rs, a.orgStructureRoutes()...)
	rs = append(rs, a.userRoutes()...)
	rs = append(rs, a.notificationRoutes()...)
	rs = append(rs, a.proposalAttachmentRoutes()...)
	rs = append(rs, a.importRoutes()...)
	rs = append(rs, a.proposalSettingsRoutes()...)
	rs = append(rs, a.proposalAssessmentRoutes()...)
	rs = append(rs, a.proposalSearchRoutes()...)
	rs = append(rs, a.memberRevealRoutes()...)
	rs = append(rs, a.auditRoutes()...)
	rs = append(rs, a.assistRoutes()...)
	rs = append(rs, a.reportRoutes()...)
	rs = append(rs, a.reportViewRoutes()...)
	rs = append(rs, a.proposalLedgerFileRoutes()...)
	rs = append(rs, a.userProvisionRoutes()...)
	rs = append(rs, a.activationRoutes()...)
	rs = append(rs, a.assistImportRoutes()...)
	rs = append(rs, a.assistEvidenceRoutes()...)
	rs = append(rs, a.publicReportRoutes()...)
	return rs
}

// ServeHTTP serves the API.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

func (a *API) register(rt Route) {
	pattern := rt.Method + " " + Prefix + rt.Path
	a.patterns = append(a.patterns, pattern)
	a.mux.HandleFunc(pattern, func(w http.ResponseWriter, hr *http.Request) {
		limit := int64(MaxBody)
		if rt.Form != nil {
			limit = MaxUpload
		}
		hr.Body = http.MaxBytesReader(w, hr.Body, limit)
		defer func() { cleanupForm(hr.MultipartForm) }()
		req := &Request{Request: hr, Lang: langOf(hr, nil)}
		if !rt.Public {
			actor, err := a.actor(hr)
			if err != nil {
				a.fail(w, req, err)
				return
			}
			req.Actor, req.Lang = actor, langOf(hr, actor)
			if actor.MustChangePassword && !firstLoginRoutes[rt.Method+" "+rt.Path] {
				a.fail(w, req, apperr.New(apperr.Forbidden, "err.api.must_change_password"))
				return
			}
		}
		if err := gate(hr); err != nil {
			a.fail(w, req, err)
			return
		}
		out, err := rt.Handle(req)
		if err != nil {
			a.fail(w, req, err)
			return
		}
		if d, ok := out.(*Download); ok {
			writeDownload(w, d)
			return
		}
		status := rt.Status
		switch {
		case rt.Result == nil:
			w.WriteHeader(http.StatusNoContent)
			return
		case status == 0:
			status = http.StatusOK
		}
		writeJSON(w, status, out)
	})
}

// firstLoginRoutes are all a token of an account that still has the first
// password handed out to it may call, as the web's firstLogin allows only the
// password form: who it is, and changing that password. A token must not be
// a way around the forced change.
var firstLoginRoutes = map[string]bool{"GET /me": true, "POST /me/password": true}

// actor resolves the bearer token; anything else is Unauthorized.
func (a *API) actor(r *http.Request) (*auth.Actor, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return nil, apperr.New(apperr.Unauthorized, "err.api.token_required")
	}
	actor, err := a.deps.Auth.ActorFromToken(r.Context(), strings.TrimSpace(tok))
	if err != nil {
		return nil, err
	}
	if actor == nil {
		return nil, apperr.New(apperr.Unauthorized, "err.api.token_invalid")
	}
	return actor, nil
}

// langOf is Accept-Language when given, else the user's setting, else Chinese.
func langOf(r *http.Request, actor *auth.Actor) string {
	if h := r.Header.Get("Accept-Language"); h != "" {
		return i18n.FromAcceptLanguage(h)
	}
	if actor != nil && actor.Lang != "" {
		return i18n.Norm(actor.Lang)
	}
	return "zh"
}

// noRoute answers paths under the prefix that no route serves: 405 when the path
// exists with another method, else 404.
func (a *API) noRoute(w http.ResponseWriter, r *http.Request) {
	req := &Request{Request: r, Lang: langOf(r, nil)}
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := a.mux.Handler(probe); p != Prefix+"/" && p != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, req.Lang, http.StatusMethodNotAllowed, apperr.New(apperr.Invalid, "err.api.method_not_allowed"))
		return
	}
	writeError(w, req.Lang, http.StatusNotFound, apperr.New(apperr.NotFound, "err.api.no_route"))
}

// badRequestKeys are errors meaning the request could not be read at all: 400, not 422.
var badRequestKeys = map[string]bool{
	"err.api.malformed_json": true, "err.api.body_required": true, "err.api.unknown_field": true,
	"err.api.wrong_type": true, "err.api.bad_query": true, "err.api.multipart_required": true, "err.api.malformed_multipart": true,
	input.KeyText: true, input.KeyNumber: true,
}

// fail writes err as a JSON error; internal errors are logged, never shown.
func (a *API) fail(w http.ResponseWriter, r *Request, err error) {
	e := httperr.Normalize(err)
	if e.Code == apperr.Internal {
		a.deps.Log.Error("api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	status := httperr.StatusOf(e.Code)
	if e.Code == apperr.Invalid && isBadRequest(e) {
		status = http.StatusBadRequest
	}
	if e.Code == apperr.Unauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="lvzhi"`)
	}
	writeError(w, r.Lang, status, e)
}

func isBadRequest(e *apperr.Error) bool {
	if badRequestKeys[e.Key] {
		return true
	}
	for _, f := range e.Fields {
		if badRequestKeys[f.Key] {
			return true
		}
	}
	return false
}

// ErrorBody is the JSON shape of every error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is an error's code, translated message and field errors.
type ErrorDetail struct {
	Code    string       `json:"code"`
	Message string       `json:"message"`
	Fields  []FieldError `json:"fields,omitempty"`
}

// FieldError names one bad field (and spreadsheet row, 0 for none) and why.
type FieldError struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, lang string, status int, e *apperr.Error) {
	msg, fields := httperr.Message(lang, e)
	body := ErrorBody{Error: ErrorDetail{Code: string(e.Code), Message: msg}}
	for _, f := range fields {
		body.Error.Fields = append(body.Error.Fields, FieldError{Row: f.Row, Field: f.Field, Message: f.Text})
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(emptyLists(v))
}
