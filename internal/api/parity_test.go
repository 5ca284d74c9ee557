package api

import (
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"

	"lvzhi/internal/web"
)

// The API-parity contract: every action the web offers has an API operation.
// TestAPIParity reads the web server's registered patterns and fails on any
// that is in none of the tables below, so a new web route needs an API twin,
// or a reason to stay web-only.
//
// To extend: add the web pattern ("POST /org/sectors", exactly as the web
// registers it) to apiTwins with the API operations ("METHOD /path" under
// /api/v1, exactly as the Route says) that do the same; or to webOnly with the
// reason it has no twin.

// apiTwins maps a web pattern to the API operations doing the same. A web
// pattern that dispatches several actions by a path value
// (POST /proposals/{id}/{action}) lists them in webActionTwins instead.
var apiTwins = map[string][]string{
	// Pages that show data: the API's reads of the same records.
	"GET /org/committee":              {"GET /committees/{id}", "GET /committees/{id}/children", "GET /terms", "GET /sessions"},
	"GET /org/members":                {"GET /members"},
	"GET /org/members/{id}":           {"GET /members/{id}"},
	"GET /org/units":                  {"GET /units"},
	"GET /org/units/{id}":             {"GET /units/{id}"},
	"GET /org/sectors":                {"GET /sectors"},
	"GET /org/groups":                 {"GET /groups"},
	"GET /org/liaison":                {"GET /liaison/links", "GET /liaison/mine"},
	"GET /org/liaison/links/{id}":     {"GET /liaison/links/{id}", "GET /liaison/links/{id}/contacts"},
	"GET /org/liaison/behind":         {"GET /liaison/behind"},
	"GET /org/liaison/campaigns":      {"GET /liaison/campaigns"},
	"GET /org/liaison/campaigns/{id}": {"GET /liaison/campaigns/{id}", "GET /liaison/campaigns/{id}/targets"},
	"GET /org/liaison/targets/{id}":   {"GET /liaison/targets/{id}/contacts"},
	"GET /proposals":                  {"GET /proposals"},
	"GET /proposals/all":              {"GET /proposals"},
	"GET /proposals/{id}":             {"GET /proposals/{id}"},
	"GET /proposals/figures":          {"GET /proposals/figures"},
	"GET /proposals/figures/records":  {"GET /proposals/figures/records"},
	"GET /figures":                    {"GET /figures"},
	"GET /figures/records":            {"GET /figures/records"},
	"GET /units/league":               {"GET /units/league"},
	"GET /units/portal":               {"GET /proposals"},
	"GET /account/tokens":             {"GET /me/tokens"},
	"GET /admin":                      {"GET /users"},
	"GET /admin/users/{id}":           {"GET /users/{id}", "GET /users/{id}/tokens"},
	"GET /admin/tokens":               {"GET /tokens"},
	"GET /notifications":              {"GET /notifications"},
	"GET /notifications/badge":        {"GET /notifications"},
	// Spreadsheet exports: the API answers the same rows as JSON.
	"GET /org/export/members.xlsx":        {"GET /members"},
	"GET /org/export/units.xlsx":          {"GET /units"},
	"GET /proposals/export.xlsx":          {"GET /proposals"},
	"GET /proposals/figures/export.xlsx":  {"GET /proposals/figures"},
	"GET /proposals/figures/records.xlsx": {"GET /proposals/figures/records"},
	"GET /figures/export.xlsx":            {"GET /figures"},
	"GET /figures/records.xlsx":           {"GET /figures/records", "POST /figures/records/exports"},
	"GET /exports/{id}":                   {"GET /exports/{id}"},
	"GET /exports/{id}/file":              {"GET /exports/{id}/file"},
	"GET /units/league.xlsx":              {"GET /units/league"},

	"GET /proposals/search":      {"GET /proposals/search"},
	"POST /proposals/similar":    {"POST /proposals/similar"},
	"GET /proposals/similar":     {"GET /proposals/{id}/similar"},
	"GET /public/proposals":      {"GET /public/proposals"},
	"GET /public/proposals/{id}": {"GET /public/proposals/{id}"},
	// Open data: the same published proposals and report figures, as JSON pages.
	"GET /public/proposals.csv":             {"GET /public/proposals"},
	"GET /public/proposals.json":            {"GET /public/proposals"},
	"GET /public/reports":                   {"GET /public/reports"},
	"GET /public/reports/{id}":              {"GET /public/reports/{id}"},
	"GET /public/reports/{id}/figures.csv":  {"GET /public/reports/{id}"},
	"GET /public/reports/{id}/figures.json": {"GET /public/reports/{id}"},

	// Organisation.
	"POST /org/terms":                  {"POST /terms"},
	"POST /org/sessions":               {"POST /sessions"},
	"POST /org/sessions/{id}":          {"PUT /sessions/{id}"},
	"POST /org/committees":             {"POST /committees"},
	"POST /org/members":                {"POST /members"},
	"POST /org/members/{id}":           {"PUT /members/{id}"},
	"POST /org/members/{id}/id-number": {"POST /members/{id}/id-number"},
	"POST /org/units":                  {"POST /units"},
	"POST /org/units/{id}":             {"PUT /units/{id}"},
	"POST /org/sectors":                {"POST /sectors"},
	"POST /org/sectors/{id}":           {"PUT /sectors/{id}"},
	"POST /org/groups":                 {"POST /groups"},
	"POST /org/groups/{id}":            {"PUT /groups/{id}"},
	"POST /org/import":                 {"POST /members/import", "POST /units/import"},
	"GET /org/templates/members.xlsx":  {"GET /members/import/template"},
	"GET /org/templates/units.xlsx":    {"GET /units/import/template"},

	// Liaison.
	"POST /org/liaison/links":                  {"POST /liaison/links"},
	"POST /org/liaison/links/{id}":             {"PUT /liaison/links/{id}"},
	"POST /org/liaison/links/{id}/delete":      {"DELETE /liaison/links/{id}"},
	"POST /org/liaison/links/{id}/contacts":    {"POST /liaison/contacts"},
	"POST /org/liaison/contacts/{id}/delete":   {"DELETE /liaison/contacts/{id}"},
	"POST /org/liaison/campaigns":              {"POST /liaison/campaigns"},
	"POST /org/liaison/campaigns/{id}":         {"PUT /liaison/campaigns/{id}"},
	"POST /org/liaison/campaigns/{id}/delete":  {"DELETE /liaison/campaigns/{id}"},
	"POST /org/liaison/campaigns/{id}/targets": {"POST /liaison/campaigns/{id}/targets"},
	"POST /org/liaison/targets/{id}/delete":    {"DELETE /liaison/targets/{id}"},
	"POST /org/liaison/targets/{id}/visits":    {"POST /liaison/contacts"},

	// Proposals.
	"POST /proposals":                               {"POST /proposals"},
	"POST /proposals/paper":                         {"POST /proposals/paper"},
	"POST /proposals/{id}/edit":                     {"PUT /proposals/{id}"},
	"POST /proposals/{id}/attachments":              {"POST /proposals/{id}/attachments", "GET /proposals/{id}/attachments"},
	"GET /proposals/{id}/attachments/{aid}":         {"GET /proposals/{id}/attachments/{aid}"},
	"POST /proposals/{id}/attachments/{aid}/delete": {"DELETE /proposals/{id}/attachments/{aid}"},

	"GET /proposals/settings":                 {"GET /proposals/settings", "GET /proposals/settings/reasons", "GET /proposals/settings/classes", "GET /proposals/settings/calendar"},
	"POST /proposals/settings":                {"PUT /proposals/settings"},
	"POST /proposals/settings/reasons":        {"POST /proposals/settings/reasons"},
	"POST /proposals/settings/classes":        {"POST /proposals/settings/classes"},
	"POST /proposals/settings/calendar":       {"POST /proposals/settings/calendar"},
	"POST /proposals/settings/calendar/china": {"POST /proposals/settings/calendar/china"},
	"GET /proposals/assessments":              {"GET /proposals/assessments", "GET /proposals/assessments/items"},
	"POST /proposals/assessments":             {"POST /proposals/assessments"},
	"POST /proposals/assessments/items":       {"POST /proposals/assessments/items", "PUT /proposals/assessments/items/{id}"},
	"POST /proposals/assessments/default":     {"POST /proposals/assessments/default"},

	// Accounts, tokens and the audit log.
	"GET /admin/audit":                 {"GET /audit"},
	"POST /admin/audit/verify":         {"POST /audit/verify"},
	"POST /admin/users":                {"POST /users"},
	"POST /admin/users/provision":      {"POST /users/provision"},
	"POST /admin/users/activations":    {"POST /users/activations"},
	"GET /activate/{token}":            {"GET /activate/{token}"},
	"POST /activate/{token}":           {"POST /activate/{token}"},
	"POST /admin/users/{id}":           {"PUT /users/{id}"},
	"POST /admin/users/{id}/password":  {"POST /users/{id}/password"},
	"POST /admin/users/{id}/disable":   {"POST /users/{id}/disable"},
	"POST /admin/users/{id}/enable":    {"POST /users/{id}/enable"},
	"POST /admin/users/{id}/tokens":    {"POST /users/{id}/tokens"},
	"POST /admin/tokens/{id}/revoke":   {"DELETE /tokens/{id}"},
	"POST /account/tokens/{id}/revoke": {"DELETE /me/tokens/{id}"},
	"POST /account/password":           {"POST /me/password"},
	"POST /notifications/read-all":     {"POST /notifications/read-all"},
	"POST /notifications/{id}/read":    {"POST /notifications/{id}/read"},
	"POST /notifications/{id}/open":    {"POST /notifications/{id}/read"}, // marks read, then follows the link
	// Activities, 社情民意, outputs and appraisals (web under /activities and /consult).
	"GET /activities":                               {"GET /activities"},
	"GET /activities/export.xlsx":                   {"GET /activities"},
	"POST /activities":                              {"POST /activities"},
	"GET /activities/mine":                          {"GET /activities/mine"},
	"POST /activities/mine/feed":                    {"POST /activities/mine/feed"},
	"GET /activities/leaves":                        {"GET /activities/leaves"},
	"POST /activities/import":                       {"POST /activities/past"},
	"GET /activities/{id}":                          {"GET /activities/{id}"},
	"POST /activities/{id}/edit":                    {"PUT /activities/{id}"},
	"POST /activities/{id}/{action}":                {"POST /activities/{id}/open", "POST /activities/{id}/hold", "POST /activities/{id}/cancel", "POST /activities/{id}/invite", "POST /activities/{id}/invite_serving", "POST /activities/{id}/sign_up", "POST /activities/{id}/withdraw", "POST /activities/{id}/request_leave", "POST /activities/{id}/check_in", "POST /activities/{id}/mark", "POST /activities/{id}/guests", "DELETE /activities/{id}/guests/{gid}"},
	"POST /activities/attendance/{id}/{action}":     {"POST /activities/attendance/{id}/approve_leave", "POST /activities/attendance/{id}/refuse_leave", "POST /activities/attendance/{id}/set_role"},
	"GET /consult/sqmy":                             {"GET /sqmy"},
	"POST /consult/sqmy":                            {"POST /sqmy"},
	"GET /consult/sqmy/{id}":                        {"GET /sqmy/{id}"},
	"POST /consult/sqmy/{id}/{action}":              {"POST /sqmy/{id}/{action}"},
	"GET /consult/outputs":                          {"GET /outputs"},
	"POST /consult/outputs":                         {"POST /outputs"},
	"GET /consult/outputs/{id}":                     {"GET /outputs/{id}"},
	"POST /consult/outputs/{id}/{action}":           {"POST /outputs/{id}/instructions", "POST /outputs/{id}/followups"},
	"POST /consult/followups/{id}/close":            {"POST /followups/{id}/close"},
	"POST /consult/outputs/{id}/files":              {"POST /outputs/{id}/files"},
	"GET /consult/outputs/{id}/files/{fid}":         {"GET /outputs/{id}/files/{fid}"},
	"POST /consult/outputs/{id}/files/{fid}/remove": {"DELETE /outputs/{id}/files/{fid}"},
	"GET /consult/plan":                             {"GET /plan"},
	"POST /consult/plan":                            {"POST /plan"},
	"POST /consult/plan/{id}/edit":                  {"PUT /plan/{id}"},
	"POST /consult/plan/{id}/{action}":              {"POST /plan/{id}/{action}"},
	"GET /consult/schedules":                        {"GET /schedules"},
	"GET /consult/figures":                          {"GET /figures"},
	"GET /consult/attendance":                       {"GET /attendance-rates"},
	"GET /consult/attendance.xlsx":                  {"GET /attendance-rates"},
	"POST /consult/schedules":                       {"POST /schedules"},
	"POST /consult/schedules/{id}/stop":             {"POST /schedules/{id}/stop"},
	"GET /consult/appraisals":                       {"GET /appraisals"},
	"POST /consult/appraisals":                      {"POST /appraisals"},
	"GET /consult/appraisals/{id}":                  {"GET /appraisals/{id}"},
	"POST /consult/appraisals/{id}/{action}":        {"POST /appraisals/{id}/{action}"},

	// 三送三帮.
	"GET /assist":                                  {"GET /figures", "GET /assist/campaigns"},
	"POST /assist/offer":                           {"PUT /assist/members/{id}/offer"},
	"POST /assist/pairings/{id}/step":              {"POST /assist/pairings/{id}/step"},
	"GET /assist/households":                       {"GET /assist/households"},
	"GET /assist/households.xlsx":                  {"GET /assist/households"},
	"GET /assist/households/{id}":                  {"GET /assist/households/{id}"},
	"GET /assist/breakdown":                        {"GET /assist/breakdown"},
	"POST /assist/records/{id}/files":              {"POST /assist/records/{id}/files"},
	"GET /assist/records/{id}/files/{fid}":         {"GET /assist/records/{id}/files/{fid}"},
	"POST /assist/records/{id}/files/{fid}/delete": {"DELETE /assist/records/{id}/files/{fid}"},
	"GET /assist/breakdown.xlsx":                   {"GET /assist/breakdown"},
	"POST /assist/households":                      {"POST /assist/households"},
	"POST /assist/households/{id}/edit":            {"PUT /assist/households/{id}"},
	"POST /assist/household-members/{id}/reveal":   {"POST /assist/household-members/{id}/reveal"},
	"POST /assist/households/{id}/needs":           {"POST /assist/needs"},
	"POST /assist/households/{id}/records":         {"POST /assist/records"},
	"GET /assist/needs":                            {"GET /assist/needs"},
	"GET /assist/needs.xlsx":                       {"GET /assist/needs"},
	"GET /assist/needs/{id}":                       {"GET /assist/needs/{id}", "GET /assist/needs/{id}/suggestions"},
	"POST /assist/needs/{id}/confirm":              {"POST /assist/needs/{id}/confirm"},
	"POST /assist/needs/{id}/reject":               {"POST /assist/needs/{id}/reject"},
	"POST /assist/needs/{id}/step":                 {"POST /assist/needs/{id}/step"},
	"GET /assist/match":                            {"GET /assist/match"},
	"GET /assist/records":                          {"GET /assist/records"},
	"GET /assist/records.xlsx":                     {"GET /assist/records"},
	"GET /assist/records/{id}":                     {"GET /assist/records/{id}"},
	"POST /assist/records/{id}/verify":             {"POST /assist/records/{id}/verify"},
	"GET /assist/pledges":                          {"GET /assist/pledges"},
	"POST /assist/pledges":                         {"POST /assist/pledges"},
	"GET /assist/bulletin":                         {"GET /assist/bulletin"},
	"GET /assist/bulletin.xlsx":                    {"GET /assist/bulletin"},
	"GET /assist/campaigns":                        {"GET /assist/campaigns"},
	"POST /assist/villages":                        {"POST /assist/villages"},
	"POST /assist/import":                          {"POST /assist/households/import"},
	"POST /assist/import/ledger":                   {"POST /assist/records/import"},
	"GET /assist/import/template.xlsx":             {"GET /assist/households/import/template"},
	"GET /assist/import/ledger-template.xlsx":      {"GET /assist/records/import/template"},

	// Duty (履职) scores.
	"GET /duty":                          {"GET /duty/scores", "GET /duty/assessments"},
	"GET /duty/scores.xlsx":              {"GET /duty/scores"},
	"POST /duty/recompute":               {"POST /duty/recompute"},
	"POST /duty/confirm":                 {"POST /duty/assessments"},
	"POST /duty/assessments/{id}/decide": {"POST /duty/assessments/{id}/decide"},
	"GET /duty/members/{id}":             {"GET /duty/members/{id}"},
	"POST /duty/members/{id}/report":     {"PUT /duty/members/{id}/report"},
	"POST /duty/adjustments":             {"POST /duty/adjustments"},
	"POST /duty/adjustments/{id}/cancel": {"DELETE /duty/adjustments/{id}"},
	"GET /duty/appeals":                  {"GET /duty/appeals"},
	"POST /duty/appeals":                 {"POST /duty/appeals"},
	"POST /duty/appeals/{id}/decide":     {"POST /duty/appeals/{id}/decide"},
	"GET /duty/rules":                    {"GET /duty/rules", "GET /duty/rules/years"},
	"POST /duty/rules/new":               {"POST /duty/rules"},
	"POST /duty/rules":                   {"PUT /duty/rules"},
	"POST /duty/import":                  {"POST /duty/imports", "GET /duty/imports"},

	// Annual reports.
	"GET /reports":                  {"GET /reports"},
	"POST /reports":                 {"POST /reports"},
	"GET /reports/{id}":             {"GET /reports/{id}"},
	"POST /reports/{id}/edit":       {"PUT /reports/{id}/texts"},
	"POST /reports/{id}/finalise":   {"POST /reports/{id}/finalise"},
	"GET /reports/{id}/records":     {"GET /reports/{id}/records"},
	"GET /reports/{id}/export.xlsx": {"GET /reports/{id}"},
	"GET /reports/dashboard":        {"GET /reports/dashboard"},
	"GET /reports/rollup":           {"GET /reports/rollup"},
	"GET /reports/bulletins":        {"GET /reports/bulletins"},
	"GET /reports/bulletins.docx":   {"GET /reports/bulletins/docx"},
	"GET /reports/goals":            {"GET /reports/goals"},
	"POST /reports/goals":           {"PUT /reports/goals"},

	// The proposal ledger (past years' proposals entered afterwards).
	"POST /proposals/ledger":              {"POST /proposals/ledger"},
	"GET /proposals/ledger/template.xlsx": {"GET /proposals/ledger/template"},
	"GET /proposals/ledger/export.xlsx":   {"GET /proposals/ledger/export"},
	"POST /proposals/{id}/{action}":       {"*"}, // see webActionTwins
}

// webActionTwins maps each action the proposal page posts to
// POST /proposals/{id}/{action} (the web's propSteps) to its API operation.
// The web's action map is not exported, so a new web action must be added
// here by hand; TestAPIParity checks each named API operation exists.
var webActionTwins = map[string]string{
	"start_sign": "POST /proposals/{id}/start_sign", "cancel_sign": "POST /proposals/{id}/cancel_sign",
	"sign": "POST /proposals/{id}/sign", "decline_sign": "POST /proposals/{id}/decline_sign",
	"submit": "POST /proposals/{id}/submit", "withdraw": "POST /proposals/{id}/withdraw",
	"return": "POST /proposals/{id}/return", "register": "POST /proposals/{id}/register",
	"merge": "POST /proposals/{id}/merge", "decline": "POST /proposals/{id}/decline",
	"convert": "POST /proposals/{id}/convert", "assign": "POST /proposals/{id}/assign",
	"accept": "POST /proposals/{id}/accept", "ask_return": "POST /proposals/{id}/ask_return",
	"confirm": "POST /proposals/{id}/confirm", "reassign": "POST /proposals/{id}/reassign",
	"ask_extend": "POST /proposals/{id}/ask_extension", "extend": "POST /proposals/{id}/extend",
	"contact": "POST /proposals/{id}/contact", "draft_reply": "POST /proposals/{id}/draft_reply",
	"countersign": "POST /proposals/{id}/countersign", "submit_reply": "POST /proposals/{id}/submit_reply",
	"send_back": "POST /proposals/{id}/send_back", "approve": "POST /proposals/{id}/approve",
	"evaluate": "POST /proposals/{id}/evaluate", "close": "POST /proposals/{id}/close",
	"mark_key": "POST /proposals/{id}/mark_key", "supervise": "POST /proposals/{id}/supervise",
	"excellent": "POST /proposals/{id}/excellent", "follow_up": "POST /proposals/{id}/follow_up",
	"publish_consent": "POST /proposals/{id}/publish_consent", "publish": "POST /proposals/{id}/publish",
	"unpublish": "POST /proposals/{id}/unpublish",
}

// webOnly are web routes with no API twin, and why.
var webOnly = map[string]string{
	"GET /{$}":                             "the home page: links to the reader's work, no data of its own (GET /me, GET /notifications)",
	"GET /lang/{lang}":                     "switches the page language cookie; the API follows Accept-Language",
	"GET /login":                           "login form; the API authenticates with tokens",
	"POST /login":                          "starts a browser session; the API authenticates with tokens",
	"POST /logout":                         "ends a browser session; a token is revoked instead (DELETE /me/tokens/{id})",
	"GET /account/password":                "form page",
	"GET /admin/users/new":                 "form page",
	"GET /org":                             "overview page linking the organisation lists",
	"GET /org/members/new":                 "form page",
	"GET /assist/households/new":           "form page",
	"GET /assist/households/{id}/edit":     "form page",
	"GET /org/members/{id}/edit":           "form page",
	"GET /org/units/new":                   "form page",
	"GET /org/import":                      "form page",
	"GET /org/liaison/links/new":           "form page",
	"GET /proposals/new":                   "form page",
	"GET /proposals/paper":                 "form page",
	"GET /proposals/{id}/edit":             "form page",
	"GET /activities/new":                  "form page",
	"GET /activities/{id}/edit":            "form page",
	"GET /consult/plan/{id}/edit":          "form page",
	"GET /activities/import":               "form page (the API takes the past activities as JSON rows: POST /activities/past)",
	"GET /activities/import/template.xlsx": "the spreadsheet template of the web import; the API takes JSON rows (POST /activities/past)",
	"GET /consult/feed/{token}":            "the calendar (iCalendar) feed: a secret URL for calendar apps, minted by POST /activities/mine/feed; the API reads GET /activities/mine",
	"GET /assist/import":                   "form page",
	"GET /proposals/ledger":                "form page (the ledger upload; the API takes it at POST /proposals/ledger)",
	"GET /reports/{id}/edit":               "form page",
	"GET /reports/{id}/print":              "print view of GET /reports/{id}",
	"GET /reports/{id}/export.docx":        "a Word rendering of the report the API answers as data (GET /reports/{id})",
	"GET /proposals/{id}/form.docx":        "a Word rendering (提案表) of the proposal the API answers as data (GET /proposals/{id})",
	"GET /proposals/compilation.docx":      "a Word rendering (提案汇编) of the session's registered proposals the API lists as data (GET /proposals)",
	"GET /consult":                         "the consultation area's home page linking its lists (GET /activities, GET /sqmy, GET /outputs)",
}

// missingTwins are web actions that have no API operation yet (issue 8 item 4
// is not finished). Each is a known gap, not a decision: the test fails when
// an entry also has a twin (so the list only shrinks) and when a route here
// disappears from the web.
var missingTwins = map[string]bool{}

func TestAPIParity(t *testing.T) {
	webPatterns, apiOps := parityRoutes(t)
	if len(webPatterns) < 50 || len(apiOps) < 50 {
		t.Fatalf("suspiciously few routes: web %d, api %d", len(webPatterns), len(apiOps))
	}
	for _, p := range parityProblems(webPatterns, apiOps) {
		t.Error(p)
	}
	if len(missingTwins) > 0 {
		gaps := slices.Sorted(maps.Keys(missingTwins))
		t.Logf("web routes still without an API twin (%d):\n\t%s", len(gaps), strings.Join(gaps, "\n\t"))
	}
}

// TestAPIParityCatches: the parity check fails on a new web route without a
// twin (in any area), on a twin that is not an API operation, and on a listed
// route the web no longer has.
func TestAPIParityCatches(t *testing.T) {
	webPatterns, apiOps := parityRoutes(t)
	webPatterns = slices.DeleteFunc(webPatterns, func(p string) bool { return p == "GET /proposals/search" })
	webPatterns = append(webPatterns, "POST /org/brand-new", "POST /activities/{id}/sign-in")
	delete(apiOps, "POST /me/password")
	got := strings.Join(parityProblems(webPatterns, apiOps), "\n")
	for _, want := range []string{`web route "POST /org/brand-new" has no API twin`, `its twin "POST /me/password" is not an API operation`,
		"GET /proposals/search is listed but the web has no such route"} {
		if !strings.Contains(got, want) {
			t.Errorf("not caught: %s\ngot:\n%s", want, got)
		}
	}
	if !strings.Contains(got, `web route "POST /activities/{id}/sign-in" has no API twin`) {
		t.Errorf("an untwinned route of a newer area was let through:\n%s", got)
	}
}

// parityRoutes are the web's registered patterns and the API's operations.
func parityRoutes(t *testing.T) ([]string, map[string]bool) {
	t.Helper()
	discard := slog.New(slog.NewTextHandler(io.Discard, nil))
	ws := web.New(nil, discard)
	ws.Handler()
	a := New(Deps{Log: discard})
	apiOps := map[string]bool{}
	for _, rt := range a.routes {
		apiOps[rt.Method+" "+rt.Path] = true
	}
	return ws.Patterns(), apiOps
}

// parityProblems holds the web's patterns against the tables and the API's operations.
func parityProblems(webPatterns []string, apiOps map[string]bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range webPatterns {
		seen[p] = true
		twins, mapped := apiTwins[p]
		_, only := webOnly[p]
		switch {
		case mapped && only:
			out = append(out, fmt.Sprintf("%s is both twinned and web-only", p))
		case mapped && missingTwins[p]:
			out = append(out, fmt.Sprintf("%s has a twin now: take it off missingTwins", p))
		case only && missingTwins[p]:
			out = append(out, fmt.Sprintf("%s is web-only: take it off missingTwins", p))
		case !mapped && !only && !missingTwins[p]:
			out = append(out, fmt.Sprintf("web route %q has no API twin: add the API operation and list it in apiTwins, or say in webOnly why it has none", p))
		}
		for _, op := range twins {
			if op != "*" && !apiOps[op] {
				out = append(out, fmt.Sprintf("%s: its twin %q is not an API operation", p, op))
			}
		}
		if strings.HasSuffix(p, "/{action}") {
			for name, op := range webActionTwins {
				if !apiOps[op] {
					out = append(out, fmt.Sprintf("web action %q: its twin %q is not an API operation", name, op))
				}
			}
		}
	}
	// Stale entries: every table names routes the web still has.
	for _, table := range []map[string]bool{keys(apiTwins), keys(webOnly), missingTwins} {
		for p := range table {
			if !seen[p] {
				out = append(out, fmt.Sprintf("%s is listed but the web has no such route: remove it", p))
			}
		}
	}
	slices.Sort(out)
	return out
}

func keys[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}
