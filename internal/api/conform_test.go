package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// conformance validates API answers against the OpenAPI document's response
// schemas with a JSON Schema validator (santhosh-tekuri/jsonschema), so the
// document cannot drift from the server: the harness checks every answer
// any API test receives.
type conformance struct {
	doc    map[string]any
	c      *jsonschema.Compiler
	paths  []docPath
	mu     sync.Mutex
	cached map[string]*jsonschema.Schema
}

type docPath struct {
	template string
	re       *regexp.Regexp
}

func newConformance(doc []byte) (*conformance, error) {
	var d map[string]any
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	res, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("openapi.json", res); err != nil {
		return nil, err
	}
	k := &conformance{doc: d, c: c, cached: map[string]*jsonschema.Schema{}}
	for p := range d["paths"].(map[string]any) {
		quoted := strings.NewReplacer(`\{`, "{", `\}`, "}").Replace(regexp.QuoteMeta(p))
		k.paths = append(k.paths, docPath{p, regexp.MustCompile("^" + pathParam.ReplaceAllString(quoted, `[^/]+`) + "$")})
	}
	// Literal paths before templated ones (/proposals/figures before /proposals/{id}).
	sort.Slice(k.paths, func(i, j int) bool {
		return strings.Count(k.paths[i].template, "{") < strings.Count(k.paths[j].template, "{")
	})
	return k, nil
}

func pointerEscape(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// operation finds the document's operation for a request; "" when none.
func (k *conformance) operation(method, path string) (string, map[string]any) {
	path, _, _ = strings.Cut(path, "?")
	for _, p := range k.paths {
		if !p.re.MatchString(path) {
			continue
		}
		if op, _ := k.doc["paths"].(map[string]any)[p.template].(map[string]any)[strings.ToLower(method)].(map[string]any); op != nil {
			return p.template, op
		}
	}
	return "", nil
}

// validate checks a JSON body against the schema at loc (a JSON pointer into the document).
func (k *conformance) validate(loc string, body []byte) error {
	k.mu.Lock()
	sch, ok := k.cached[loc]
	if !ok {
		var err error
		if sch, err = k.c.Compile(loc); err != nil {
			k.mu.Unlock()
			return fmt.Errorf("%s: %v", loc, err)
		}
		k.cached[loc] = sch
	}
	k.mu.Unlock()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	return sch.Validate(v)
}

func opLocation(tmpl, method string) string {
	return "openapi.json#/paths/" + pointerEscape(tmpl) + "/" + strings.ToLower(method)
}

func clip(b []byte) []byte {
	if len(b) > 600 {
		return b[:600]
	}
	return b
}

// checkRequest validates a request body the server accepted (a 2xx answer)
// against the operation's request schema: a request the document calls
// invalid must not succeed, and one that succeeds must be describable by it.
// Requests answered 4xx are the tests' deliberate mistakes and are not checked.
func (k *conformance) checkRequest(method, path string, status int, body []byte) string {
	if status < 200 || status > 299 || len(bytes.TrimSpace(body)) == 0 {
		return ""
	}
	tmpl, op := k.operation(method, path)
	if tmpl == "" {
		return ""
	}
	rb, _ := op["requestBody"].(map[string]any)
	if rb == nil {
		return fmt.Sprintf("%s %s: accepted a request body the document does not describe", method, tmpl)
	}
	if err := k.validate(opLocation(tmpl, method)+"/requestBody/content/application~1json/schema", body); err != nil {
		return fmt.Sprintf("%s %s accepted a request the document's schema refuses: %v\n%s", method, tmpl, err, clip(body))
	}
	return ""
}

// check validates one answer; "" when it matches the document.
func (k *conformance) check(method, path string, status int, header http.Header, body []byte) string {
	tmpl, op := k.operation(method, path)
	if tmpl == "" {
		if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
			return ""
		}
		return fmt.Sprintf("%s %s: no operation in the document", method, path)
	}
	resps := op["responses"].(map[string]any)
	code := fmt.Sprint(status)
	r, ok := resps[code].(map[string]any)
	if !ok {
		// Only unexpected server errors fall to "default"; every other status is documented.
		if r, ok = resps["default"].(map[string]any); !ok || status < 500 {
			return fmt.Sprintf("%s %s: status %d not documented", method, tmpl, status)
		}
		code = "default"
	}
	if status == http.StatusNoContent || len(body) == 0 {
		return ""
	}
	if _, ok := r["content"]; !ok {
		return fmt.Sprintf("%s %s: status %d documented without a body, got %s", method, tmpl, status, body)
	}
	if !strings.HasPrefix(header.Get("Content-Type"), "application/json") {
		return ""
	}
	if err := k.validate(opLocation(tmpl, method)+"/responses/"+code+"/content/application~1json/schema", body); err != nil {
		return fmt.Sprintf("%s %s → %d does not match the document: %v\n%s", method, tmpl, status, err, clip(body))
	}
	return ""
}

// TestConformanceCatchesDrift: the validator refuses an answer the document does not describe.
func TestConformanceCatchesDrift(t *testing.T) {
	a := New(Deps{})
	k, err := newConformance(a.doc)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"Content-Type": {"application/json"}}
	if msg := k.check("GET", "/me", 200, h, []byte(`{"user_id": "not a number"}`)); msg == "" {
		t.Fatal("a string id passed as an integer")
	}
	if msg := k.check("GET", "/me", 401, h, []byte(`{"error": 3}`)); msg == "" {
		t.Fatal("a malformed error body passed")
	}
	if msg := k.checkRequest("POST", "/units", 201, []byte(`{"name": 7}`)); msg == "" {
		t.Fatal("an accepted request with a number for a name passed")
	}
	if msg := k.checkRequest("GET", "/me", 200, []byte(`{"x": 1}`)); msg == "" {
		t.Fatal("an accepted body on an operation without a request body passed")
	}
	if msg := k.checkRequest("POST", "/units", 400, []byte(`{"name": 7}`)); msg != "" {
		t.Fatalf("a refused request was checked: %s", msg)
	}
}
