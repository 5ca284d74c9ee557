package web

// The shared web test harness. Every web test that needs logged-in users uses it:
//
//	func TestSomething(t *testing.T) {
//		dbtest.Each(t, func(t *testing.T, d *db.DB) {
//			h := newHarness(t, d)
//			resp := h.get("staff", "/org/members")
//			if resp.StatusCode != 200 { ... }
//			body := h.text(resp)
//			resp = h.post("member", "/proposals", url.Values{"title": {"…"}})
//		})
//	}
//
// Seeded data (all ids on the harness):
//
//	h.Pref  prefecture committee "P1", parent of both counties
//	h.A     county committee "C1": term, plenary session, sector, group,
//	        person+membership (the member user), handling unit (the unit user)
//	h.B     county committee "C2": the same records, a foreign county
//
// All of it is built through the services (package fixture), so it is
// audited and validated as in production.
//
// Logins (the role argument of client/get/post/actor):
//
//	"anon"            no login
//	"admin", "staff", "proposal_office", "member", "unit", "leader", "assistance"
//	                  one user per role in county A; member is linked to h.A.PersonID
//	                  (membership h.A.MembershipID), unit to h.A.UnitID
//	"other_admin"     county B: admin, staff, proposal_office, leader, assistance at once
//	                  (the strongest foreign user: everything it tries in A must be refused)
//	"other_member"    county B member linked to h.B.PersonID
//	"prefecture"      prefecture staff: reads its subtree, never edits it
//
// Every seeded user's password is harnessPassword. Clients do not follow
// redirects (a 303 is returned as is) and send "Sec-Fetch-Site: same-origin"
// unless the request sets it, so POSTs pass http.NewCrossOriginProtection.
//
// Permission tables: each area appends rows in its own *_test.go and runs them:
//
//	runPermCases(t, h, []permCase{
//		{"member", "GET", "/admin", nil, 403},
//		{"other_admin", "GET", fmt.Sprintf("/org/units/%d", h.A.UnitID), nil, 404},
//	})

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"lvzhi/internal/account"
	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/fixture"
	"lvzhi/internal/org"
)

// harnessPassword is the password of every seeded user.
const harnessPassword = "harness-pass-123"

// harnessRoles lists every login the harness offers, "anon" first.
var harnessRoles = []string{"anon", "admin", "staff", "proposal_office", "member", "unit", "leader", "assistance",
	"other_admin", "other_member", "prefecture"}

// seededCommittee is one seeded committee and its records. For the prefecture
// only ID, Code, Name and Path are set.
type seededCommittee struct {
	ID           int64
	Code, Name   string
	Path         string
	TermID       int64 // term 1 (e.g. 第九届)
	SessionID    int64 // plenary session 1 of that term, current year
	SectorID     int64
	GroupID      int64 // a working group
	PersonID     int64 // the member user's person
	MembershipID int64 // that person's membership in TermID
	UnitID       int64 // the unit user's handling unit
	PersonName   string
	UnitName     string
}

// harness is a running web server over a seeded database.
type harness struct {
	t      *testing.T
	DB     *db.DB
	Server *Server
	TS     *httptest.Server
	URL    string // base URL, e.g. http://127.0.0.1:1234

	Pref, A, B seededCommittee
	// W builds more records through the services; Committees holds the seeded ones by id.
	W          *fixture.World
	Committees map[int64]org.Committee
	// Users maps each login (see harnessRoles, except anon) to its user id.
	Users map[string]int64
	// Usernames maps each login to its username (for login tests).
	Usernames map[string]string

	mu      sync.Mutex
	clients map[string]*http.Client
}

// newHarness seeds d and starts the server; it stops when the test ends.
func newHarness(t *testing.T, d *db.DB) *harness {
	t.Helper()
	s := New(d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Auth.Passwords = account.FastPasswordParams
	h := &harness{t: t, DB: d, Server: s, Users: map[string]int64{}, Usernames: map[string]string{}, clients: map[string]*http.Client{}}
	h.seed()
	h.TS = httptest.NewServer(s.Handler())
	t.Cleanup(h.TS.Close)
	h.URL = h.TS.URL
	return h
}

func (h *harness) must(err error) {
	h.t.Helper()
	if err != nil {
		h.t.Fatalf("harness seed: %v", err)
	}
}

func (h *harness) exec(q string, args ...any) int64 {
	h.t.Helper()
	var id int64
	h.must(h.DB.QueryRowContext(context.Background(), q+" RETURNING id", args...).Scan(&id))
	return id
}

// seed builds the harness's world through the org and account services (package fixture).
func (h *harness) seed() {
	w := fixture.New(h.t, h.DB)
	year := db.Now().Year()
	committees := map[int64]org.Committee{}
	h.W, h.Committees = w, committees
	seeded := func(c org.Committee) seededCommittee {
		committees[c.ID] = c
		return seededCommittee{ID: c.ID, Code: c.Code, Name: c.Name, Path: c.Path}
	}
	county := func(code, name, prefix string) seededCommittee {
		oc := w.Child(committees[h.Pref.ID], "county", name, code)
		c := seeded(oc)
		c.TermID = w.Term(oc, org.TermInput{Number: 9, Name: prefix + "第九届", StartsOn: fmt.Sprintf("%d-01-01", year-1)}).ID
		c.SessionID = w.Session(oc, org.SessionInput{TermID: c.TermID, Number: 2, Name: prefix + "九届二次", Year: year,
			OpensOn: fmt.Sprintf("%d-01-10", year), ClosesOn: fmt.Sprintf("%d-01-13", year),
			SubmitFrom: fmt.Sprintf("%d-01-01", year), SubmitTo: fmt.Sprintf("%d-01-12", year)}).ID
		c.SectorID = w.Sector(oc, prefix+"经济界", 1).ID
		c.GroupID = w.Group(oc, "working_group", prefix+"经济工作组").ID
		c.PersonName, c.UnitName = prefix+"委员王芳", prefix+"县教育局"
		m := w.Member(oc, org.MemberInput{Name: c.PersonName, Gender: "female", Phone: "13800000000", TermID: c.TermID,
			SectorID: c.SectorID, Affiliation: "nonparty", Groups: []org.GroupRole{{GroupID: c.GroupID, Role: "member"}}})
		c.PersonID, c.MembershipID = m.PersonID, m.ID
		c.UnitID = w.Unit(oc, c.UnitName).ID
		return c
	}
	h.Pref = seeded(w.Root("prefecture", "曲靖市政协", "P1"))
	h.A = county("C1", "富源县政协", "甲")
	h.B = county("C2", "罗平县政协", "乙")

	user := func(login string, c seededCommittee, roles []auth.Role, personID, unitID int64) {
		u := w.Account(committees[c.ID], account.NewUser{
			Username: "h_" + login, DisplayName: "测试" + login, Password: harnessPassword,
			Roles: roles, PersonID: personID, UnitID: unitID,
		})
		h.Users[login], h.Usernames[login] = u.ID, u.Username
	}
	for _, r := range auth.AllRoles {
		var person, unit int64
		switch r {
		case auth.RoleMember:
			person = h.A.PersonID
		case auth.RoleUnit:
			unit = h.A.UnitID
		}
		user(string(r), h.A, []auth.Role{r}, person, unit)
	}
	user("other_admin", h.B, []auth.Role{auth.RoleAdmin, auth.RoleStaff, auth.RoleProposalOffice, auth.RoleLeader, auth.RoleAssistance}, 0, 0)
	user("other_member", h.B, []auth.Role{auth.RoleMember}, h.B.PersonID, 0)
	user("prefecture", h.Pref, []auth.Role{auth.RoleStaff}, 0, 0)
}

// foreignMarkers are texts of county B's records: a refusal shown to a user of
// county A must never contain them.
func (h *harness) foreignMarkers() []string { return []string{h.B.PersonName, h.B.UnitName} }

// sameOrigin marks requests as same-origin so CSRF protection lets POSTs through.
type sameOrigin struct{ base http.RoundTripper }

func (s sameOrigin) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("Sec-Fetch-Site") == "" && r.Header.Get("Origin") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	return s.base.RoundTrip(r)
}

// newClient returns a client with a cookie jar that does not follow redirects.
func (h *harness) newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar:           jar,
		Transport:     sameOrigin{h.TS.Client().Transport},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// client returns the (cached) client logged in as role, or an anonymous one for "anon".
// Logging it out ends that cached session; use login for a fresh one.
func (h *harness) client(role string) *http.Client {
	h.t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if c, ok := h.clients[role]; ok {
		return c
	}
	c := h.newClient()
	if role != "anon" {
		c = h.login(role)
	}
	h.clients[role] = c
	return c
}

// login returns a new client with a fresh session of role (no password hashing).
func (h *harness) login(role string) *http.Client {
	h.t.Helper()
	id, ok := h.Users[role]
	if !ok {
		h.t.Fatalf("harness: unknown role %q (have %v)", role, harnessRoles)
	}
	secret, err := h.Server.Auth.CreateSession(context.Background(), id, "127.0.0.1", "harness")
	h.must(err)
	c := h.newClient()
	u, _ := url.Parse(h.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: account.SessionCookie, Value: secret, Path: "/"}})
	return c
}

// actor returns the *auth.Actor of a seeded login, as the web layer would load
// it, for calling services directly; nil for "anon".
func (h *harness) actor(role string) *auth.Actor {
	h.t.Helper()
	if role == "anon" {
		return nil
	}
	id, ok := h.Users[role]
	if !ok {
		h.t.Fatalf("harness: unknown role %q", role)
	}
	secret, err := h.Server.Auth.CreateSession(context.Background(), id, "", "harness")
	h.must(err)
	a, err := h.Server.Auth.ActorFromSession(context.Background(), secret)
	h.must(err)
	if a == nil {
		h.t.Fatalf("harness: no actor for %s", role)
	}
	return a
}

// do sends a request as role. The response body is read into memory, so
// callers need not close it; read it with h.text.
func (h *harness) do(role string, req *http.Request) *http.Response {
	h.t.Helper()
	resp, err := h.client(role).Do(req)
	if err != nil {
		h.t.Fatalf("%s %s as %s: %v", req.Method, req.URL, role, err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		h.t.Fatalf("%s %s as %s: read body: %v", req.Method, req.URL, role, err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp
}

// request builds a request to path (relative to the server) with an optional form body.
func (h *harness) request(method, path string, form url.Values) *http.Request {
	h.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, h.URL+path, body)
	if err != nil {
		h.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}

// get fetches path as role.
func (h *harness) get(role, path string) *http.Response {
	h.t.Helper()
	return h.do(role, h.request(http.MethodGet, path, nil))
}

// post submits form to path as role, same-origin.
func (h *harness) post(role, path string, form url.Values) *http.Response {
	h.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	return h.do(role, h.request(http.MethodPost, path, form))
}

// text returns a response's body (as buffered by do).
func (h *harness) text(resp *http.Response) string {
	b, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return string(b)
}

// permCase is one row of a permission table: role does method path (with form
// for POSTs) and must get status want.
type permCase struct {
	role, method, path string
	form               url.Values
	want               int
}

// runPermCases runs each case as a subtest. A refusal (status >= 400) must
// leave the audit log (and so every record) unchanged, and a 403/404 must not
// show any of county B's record names to anyone but county B's own users.
// Cases run in order on one harness, so put allowed writes after the refusals
// that depend on the state before them.
func runPermCases(t *testing.T, h *harness, cases []permCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.role+" "+c.method+" "+c.path, func(t *testing.T) {
			audited := h.auditCount()
			var resp *http.Response
			if c.method == http.MethodGet {
				resp = h.get(c.role, c.path)
			} else {
				resp = h.do(c.role, h.request(c.method, c.path, orEmpty(c.form)))
			}
			body := h.text(resp)
			if resp.StatusCode != c.want {
				t.Fatalf("%s %s as %s: status %d, want %d\n%s", c.method, c.path, c.role, resp.StatusCode, c.want, snippet(body))
			}
			// Every change is audited, so a refusal that left the audit log alone changed nothing.
			if c.want >= 400 && h.auditCount() != audited {
				t.Fatalf("%s %s as %s: refused (%d) but the audit log grew", c.method, c.path, c.role, c.want)
			}
			if (c.want == http.StatusNotFound || c.want == http.StatusForbidden) && !strings.HasPrefix(c.role, "other_") {
				for _, m := range h.foreignMarkers() {
					if strings.Contains(body, m) {
						t.Fatalf("%s %s as %s: refusal leaks %q", c.method, c.path, c.role, m)
					}
				}
			}
		})
	}
}

// auditCount is the number of audit entries of all committees.
func (h *harness) auditCount() int {
	h.t.Helper()
	var n int
	h.must(h.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log`).Scan(&n))
	return n
}

func orEmpty(v url.Values) url.Values {
	if v == nil {
		return url.Values{}
	}
	return v
}

func snippet(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// TestHarnessLogins checks the harness itself: every login resolves to the
// right user, committee and roles, and anon has no session.
func TestHarnessLogins(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		wantCommittee := map[string]int64{"other_admin": h.B.ID, "other_member": h.B.ID, "prefecture": h.Pref.ID}
		for _, role := range harnessRoles[1:] {
			a := h.actor(role)
			want := h.A.ID
			if c, ok := wantCommittee[role]; ok {
				want = c
			}
			if a.CommitteeID != want || a.UserID != h.Users[role] || len(a.Roles) == 0 {
				t.Errorf("%s: actor %+v, want committee %d", role, a, want)
			}
			if auth.Role(role).Valid() && (len(a.Roles) != 1 || a.Roles[0] != auth.Role(role)) {
				t.Errorf("%s: roles %v", role, a.Roles)
			}
		}
		if a := h.actor("member"); a.PersonID != h.A.PersonID {
			t.Errorf("member person %d want %d", a.PersonID, h.A.PersonID)
		}
		if a := h.actor("unit"); a.UnitID != h.A.UnitID {
			t.Errorf("unit %d want %d", a.UnitID, h.A.UnitID)
		}
		if a := h.actor("other_member"); a.CommitteePath != h.B.Path || !strings.HasPrefix(h.B.Path, h.Pref.Path) {
			t.Errorf("paths %q %q", a.CommitteePath, h.Pref.Path)
		}
		if resp := h.get("anon", "/consult"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("anon /consult: %d", resp.StatusCode)
		}
		if resp := h.get("member", "/consult"); resp.StatusCode != http.StatusOK {
			t.Errorf("member /consult: %d", resp.StatusCode)
		}
	})
}
