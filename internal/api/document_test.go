package api

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/org"
)

// TestDocumentStatesTheContract: the document marks required fields and
// parameters, enums, the repeatable state filter, capped limits and each
// error status.
func TestDocumentStatesTheContract(t *testing.T) {
	var doc struct {
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(New(Deps{}).doc, &doc); err != nil {
		t.Fatal(err)
	}
	param := func(path, method, name string) map[string]any {
		t.Helper()
		for _, p := range doc.Paths[path][method]["parameters"].([]any) {
			if m := p.(map[string]any); m["name"] == name {
				return m
			}
		}
		t.Fatalf("%s %s: no parameter %s", method, path, name)
		return nil
	}
	for _, p := range []string{"/liaison/links/{id}", "/liaison/campaigns/{id}"} {
		if param(p, "delete", "version")["required"] != true {
			t.Errorf("DELETE %s: version not required", p)
		}
	}
	for _, p := range []string{"/figures/records", "/proposals/figures/records"} {
		if param(p, "get", "figure")["required"] != true {
			t.Errorf("GET %s: figure not required", p)
		}
	}
	st := param("/proposals", "get", "state")
	if sch := st["schema"].(map[string]any); sch["type"] != "array" || st["explode"] != true ||
		!slices.Contains(sch["items"].(map[string]any)["enum"].([]any), any("SUBMITTED")) {
		t.Errorf("state filter: %v", st)
	}
	if sch := param("/proposals", "get", "limit")["schema"].(map[string]any); sch["maximum"] != float64(500) {
		t.Errorf("limit: %v", sch)
	}
	member := doc.Components.Schemas["org.Member"]
	if req, _ := member["required"].([]any); !slices.Contains(req, any("positions")) || !slices.Contains(req, any("name")) {
		t.Errorf("org.Member required: %v", member["required"])
	}
	theme := doc.Components.Schemas["proposal.Proposal"]["properties"].(map[string]any)["theme"].(map[string]any)
	if !slices.Contains(theme["enum"].([]any), any("ecology")) {
		t.Errorf("theme enum: %v", theme)
	}
	resp := doc.Paths["/proposals/{id}"]["put"]["responses"].(map[string]any)
	for _, code := range []string{"400", "401", "403", "404", "409", "422"} {
		if resp[code] == nil {
			t.Errorf("PUT /proposals/{id}: %s not documented", code)
		}
	}
}

// TestEmptyListsNotNull: nil slices are written as [] (copied, not mutated).
func TestEmptyListsNotNull(t *testing.T) {
	m := org.Member{Name: "张三"}
	b, _ := json.Marshal(emptyLists(MemberList{Items: []org.Member{m}}))
	if s := string(b); !strings.Contains(s, `"positions":[]`) || !strings.Contains(s, `"groups":[]`) || strings.Contains(s, "null") {
		t.Errorf("answer %s", s)
	}
	if m.Positions != nil {
		t.Errorf("the original was changed")
	}
}

// TestLimitCappedAndStateArray: a limit above the maximum is capped to it, and
// state takes several values.
func TestLimitCappedAndStateArray(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		var page struct {
			Limit int `json:"limit"`
		}
		h.want(h.json(h.f.ProposalOffice, "GET", "/proposals?limit=100000&state=SUBMITTED&state=REGISTERED", nil), 200).decode(t, &page)
		if page.Limit != 500 {
			t.Errorf("limit %d, want capped to 500", page.Limit)
		}
	})
}
