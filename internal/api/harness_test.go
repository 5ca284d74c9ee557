package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"lvzhi/internal/auth"
	"lvzhi/internal/db"
	"lvzhi/internal/liaison/liaisontest"
	"lvzhi/internal/org"
)

// harness is the API over a seeded database (liaisontest.Fixture plus a sector),
// with one API token per fixture account.
type harness struct {
	t      *testing.T
	d      *db.DB
	f      *liaisontest.Fixture
	api    *API
	srv    *httptest.Server
	tokens map[*auth.Actor]string
	sector int64
	conf   *conformance // every answer is validated against the OpenAPI document
}

func newHarness(t *testing.T, d *db.DB) *harness {
	t.Helper()
	f := liaisontest.Seed(t, d)
	a := New(Deps{DB: d, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	h := &harness{t: t, d: d, f: f, api: a, tokens: map[*auth.Actor]string{}}
	mux := http.NewServeMux()
	mux.Handle(Prefix+"/", a)
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	conf, err := newConformance(a.doc)
	if err != nil {
		t.Fatal(err)
	}
	h.conf = conf
	ctx := context.Background()
	for _, x := range []*auth.Actor{f.Admin, f.Staff, f.LeaderRole, f.ProposalOffice, f.Unit, f.Assistance,
		f.MemberParty, f.MemberNonParty, f.MemberLeader, f.MemberSecretary, f.PrefLeader, f.StaffB} {
		_, secret, err := a.deps.Auth.CreateToken(ctx, auth.System(x.CommitteeID), x.UserID, "test")
		if err != nil {
			t.Fatalf("token for %s: %v", x.Name, err)
		}
		h.tokens[x] = secret
	}
	s, err := a.deps.Org.CreateSector(ctx, f.Staff, f.A, org.SectorInput{Name: "经济界"})
	if err != nil {
		t.Fatal(err)
	}
	h.sector = s.ID
	return h
}

// response is a decoded API answer.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// decode unmarshals the body into v.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// apiError is the error body.
func (r response) apiError(t *testing.T) ErrorDetail {
	t.Helper()
	var e ErrorBody
	r.decode(t, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("not an error body: %s", r.Body)
	}
	return e.Error
}

// do sends a request as actor (nil: no token) with a raw body ("" for none) and headers (k, v pairs).
func (h *harness) do(actor *auth.Actor, method, path, body string, headers ...string) response {
	h.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, h.srv.URL+Prefix+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if actor != nil {
		req.Header.Set("Authorization", "Bearer "+h.tokens[actor])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if msg := h.conf.check(method, path, resp.StatusCode, resp.Header, b); msg != "" {
		h.t.Errorf("answer drifts from the OpenAPI document: %s", msg)
	}
	if msg := h.conf.checkRequest(method, path, resp.StatusCode, []byte(body)); msg != "" {
		h.t.Errorf("request drifts from the OpenAPI document: %s", msg)
	}
	return response{resp.StatusCode, resp.Header, b}
}

// json sends v as the JSON body.
func (h *harness) json(actor *auth.Actor, method, path string, v any, headers ...string) response {
	h.t.Helper()
	if v == nil { // no body, as a client sends a GET
		return h.do(actor, method, path, "", headers...)
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		h.t.Fatal(err)
	}
	return h.do(actor, method, path, buf.String(), headers...)
}

// want fails unless the response has status.
func (h *harness) want(r response, status int) response {
	h.t.Helper()
	if r.Status != status {
		h.t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); r.Status != http.StatusNoContent && !strings.HasPrefix(ct, "application/json") {
		h.t.Fatalf("content type %q", ct)
	}
	return r
}

// rows counts a table's rows.
func (h *harness) rows(table string) int {
	h.t.Helper()
	var n int
	if err := h.d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

// upload sends a multipart/form-data body as actor: the text fields and, when
// fileName is not "", a file part named "file". Answers are validated against
// the document as every other; an accepted upload must be one the document
// describes (multipart, with the parts sent).
func (h *harness) upload(actor *auth.Actor, method, path string, fields map[string]string, fileName string, data []byte) response {
	h.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	sent := []string{}
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			h.t.Fatal(err)
		}
		sent = append(sent, k)
	}
	if fileName != "" {
		fw, err := mw.CreateFormFile("file", fileName)
		if err != nil {
			h.t.Fatal(err)
		}
		if _, err := fw.Write(data); err != nil {
			h.t.Fatal(err)
		}
		sent = append(sent, "file")
	}
	if err := mw.Close(); err != nil {
		h.t.Fatal(err)
	}
	req, err := http.NewRequest(method, h.srv.URL+Prefix+path, &buf)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if actor != nil {
		req.Header.Set("Authorization", "Bearer "+h.tokens[actor])
	}
	resp, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if msg := h.conf.check(method, path, resp.StatusCode, resp.Header, b); msg != "" {
		h.t.Errorf("answer drifts from the OpenAPI document: %s", msg)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		tmpl, op := h.conf.operation(method, path)
		rb, _ := op["requestBody"].(map[string]any)
		form, _ := rb["content"].(map[string]any)["multipart/form-data"].(map[string]any)
		if form == nil {
			h.t.Errorf("%s %s accepted a multipart body the document does not describe", method, tmpl)
		} else {
			props := form["schema"].(map[string]any)["properties"].(map[string]any)
			for _, k := range sent {
				if props[k] == nil {
					h.t.Errorf("%s %s accepted the part %q the document does not describe", method, tmpl, k)
				}
			}
		}
	}
	return response{resp.StatusCode, resp.Header, b}
}
