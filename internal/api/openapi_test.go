package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/liaison"
	"lvzhi/internal/org"
)

var update = flag.Bool("update", false, "rewrite testdata/openapi.json")

// openAPIDoc is the part of the document the checks read.
type openAPIDoc struct {
	OpenAPI string `json:"openapi"`
	Info    struct {
		Title, Version string
	} `json:"info"`
	Paths      map[string]map[string]operation `json:"paths"`
	Components struct {
		Schemas map[string]any `json:"schemas"`
	} `json:"components"`
}

type operation struct {
	OperationID string           `json:"operationId"`
	Summary     string           `json:"summary"`
	Tags        []string         `json:"tags"`
	Parameters  []map[string]any `json:"parameters"`
	Responses   map[string]any   `json:"responses"`
}

// checkDocument holds a document against the patterns registered on mux: every
// route documented, every documented operation routed to exactly its pattern,
// every path parameter declared, every $ref resolvable.
func checkDocument(raw []byte, patterns []string, mux *http.ServeMux) []string {
	var doc openAPIDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if !strings.HasPrefix(doc.OpenAPI, "3.") || doc.Info.Title == "" || doc.Info.Version == "" {
		bad("header: openapi %q title %q version %q", doc.OpenAPI, doc.Info.Title, doc.Info.Version)
	}
	documented := map[string]bool{}
	ids := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			pattern := strings.ToUpper(method) + " " + Prefix + path
			documented[pattern] = true
			req := httptest.NewRequest(strings.ToUpper(method), Prefix+pathParam.ReplaceAllString(path, "1"), nil)
			if _, got := mux.Handler(req); got != pattern {
				bad("%s is documented but routed to %q", pattern, got)
			}
			if op.Summary == "" || len(op.Tags) != 1 || op.OperationID == "" || ids[op.OperationID] {
				bad("%s: summary %q tags %v operationId %q (unique?)", pattern, op.Summary, op.Tags, op.OperationID)
			}
			ids[op.OperationID] = true
			ok2xx := false
			for code := range op.Responses {
				ok2xx = ok2xx || strings.HasPrefix(code, "2")
			}
			if !ok2xx || op.Responses["default"] == nil {
				bad("%s: responses %v lack a 2xx or the default error", pattern, op.Responses)
			}
			for _, m := range pathParam.FindAllStringSubmatch(path, -1) {
				found := false
				for _, p := range op.Parameters {
					found = found || (p["name"] == m[1] && p["in"] == "path" && p["required"] == true)
				}
				if !found {
					bad("%s: path parameter %s not declared", pattern, m[1])
				}
			}
		}
	}
	for _, p := range patterns {
		if p != Prefix+"/" && !documented[p] {
			bad("route %s is not documented", p)
		}
	}
	for _, ref := range refs(raw) {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		if _, ok := doc.Components.Schemas[name]; !ok || name == ref {
			bad("$ref %s does not resolve", ref)
		}
	}
	sort.Strings(problems)
	return problems
}

// refs lists every "$ref" value in a JSON document.
func refs(raw []byte) []string {
	var v any
	_ = json.Unmarshal(raw, &v)
	var out []string
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, y := range x {
				if s, ok := y.(string); ok && k == "$ref" {
					out = append(out, s)
				}
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(v)
	return out
}

func TestOpenAPIDocument(t *testing.T) {
	a := New(Deps{DB: dbtest.SQLite(t)})
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, httptest.NewRequest("GET", Prefix+"/openapi.json", nil)) // no token: public
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("served: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	served := rec.Body.Bytes()
	if problems := checkDocument(served, a.patterns, a.mux); len(problems) > 0 {
		t.Fatalf("document and routes disagree:\n%s", strings.Join(problems, "\n"))
	}
	if len(a.patterns) < 30 {
		t.Fatalf("suspiciously few routes: %d", len(a.patterns))
	}
	// The golden copy (indented) makes every change to the API visible in review.
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, served, "", "  "); err != nil {
		t.Fatal(err)
	}
	served = pretty.Bytes()
	golden := "testdata/openapi.json"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, served, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/api -run OpenAPI -update)", err)
	}
	if !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(served)) {
		t.Fatalf("the API changed: review and run go test ./internal/api -run OpenAPI -update")
	}
}

// TestOpenAPICheckCatches shows the check fails for an undocumented route and
// for a documented path that no route serves.
func TestOpenAPICheckCatches(t *testing.T) {
	a := New(Deps{DB: dbtest.SQLite(t)})
	mux := http.NewServeMux()
	patterns := append([]string{}, a.patterns...)
	for _, p := range a.patterns {
		if p != Prefix+"/" {
			mux.HandleFunc(p, func(http.ResponseWriter, *http.Request) {})
		}
	}
	mux.HandleFunc(Prefix+"/", func(http.ResponseWriter, *http.Request) {})
	mux.HandleFunc("GET "+Prefix+"/secret", func(http.ResponseWriter, *http.Request) {})
	patterns = append(patterns, "GET "+Prefix+"/secret")
	var doc map[string]any
	_ = json.Unmarshal(a.doc, &doc)
	doc["paths"].(map[string]any)["/ghost/{id}"] = map[string]any{"get": map[string]any{
		"operationId": "ghost", "summary": "x", "tags": []string{"x"},
		"responses": map[string]any{"200": map[string]any{"$ref": "#/components/schemas/nope"}, "default": map[string]any{}}}}
	raw, _ := json.Marshal(doc)
	got := strings.Join(checkDocument(raw, patterns, mux), "\n")
	for _, want := range []string{"route GET /api/v1/secret is not documented", "GET /api/v1/ghost/{id} is documented but routed",
		"path parameter id not declared", "$ref #/components/schemas/nope does not resolve"} {
		if !strings.Contains(got, want) {
			t.Errorf("check missed %q; got:\n%s", want, got)
		}
	}
}

// TestDocumentStatesCodeLists: fields holding one of org's or liaison's codes
// carry the code list as their enum (a request must send a code; a stored
// record may hold none, "").
func TestDocumentStatesCodeLists(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Enum  []string `json:"enum"`
					Items struct {
						Enum []string `json:"enum"`
					} `json:"items"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(New(Deps{}).doc, &doc); err != nil {
		t.Fatal(err)
	}
	enum := func(schema, prop string) []string {
		p := doc.Components.Schemas[schema].Properties[prop]
		if p.Enum == nil {
			return p.Items.Enum
		}
		return p.Enum
	}
	for _, c := range []struct {
		schema, prop string
		want         []string
	}{
		{"api.MemberBody", "gender", org.Genders},
		{"api.MemberBody", "affiliation", org.Affiliations},
		{"api.MemberBody", "positions", org.Positions},
		{"org.Member", "gender", append([]string{""}, org.Genders...)},
		{"org.Member", "status", org.Statuses},
		{"api.UnitBody", "kind", org.UnitKinds},
		{"org.Unit", "kind", org.UnitKinds},
		{"liaison.LinkInput", "level", liaison.LevelLeaderHead.EnumValues()},
		{"liaison.ContactInput", "method", liaison.MethodMeeting.EnumValues()},
		{"liaison.CampaignInput", "kind", liaison.KindOther.EnumValues()},
	} {
		if got := enum(c.schema, c.prop); !slices.Equal(got, c.want) {
			t.Errorf("%s.%s enum %q, want %q", c.schema, c.prop, got, c.want)
		}
	}
}
