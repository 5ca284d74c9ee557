package api

import (
	"encoding"
	"encoding/json"
	"lvzhi/internal/auth"
	"lvzhi/internal/org"
	"net/http"
	"path"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// The document is generated from the route table at start-up (nothing is fetched):
// paths and operations from the routes, schemas from the Go types of their
// bodies and results (by json tags).

var pathParam = regexp.MustCompile(`\{([a-zA-Z_]+)\}`)

func buildDocument(routes []Route) ([]byte, error) {
	g := &schemaGen{comps: map[string]any{}}
	errRef := g.schema(reflect.TypeOf(ErrorBody{}))
	paths := map[string]map[string]any{}
	for _, rt := range routes {
		op := map[string]any{
			"operationId": operationID(rt),
			"summary":     rt.Summary,
			"tags":        []string{rt.Tag},
			"responses":   responses(g, rt, errRef),
		}
		if params := parameters(rt); len(params) > 0 {
			op["parameters"] = params
		}
		if rt.Body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(rt.Body))}}}
		}
		if rt.Form != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"multipart/form-data": map[string]any{"schema": formSchema(rt.Form)}}}
		}
		if rt.Public {
			op["security"] = []any{}
		}
		if paths[rt.Path] == nil {
			paths[rt.Path] = map[string]any{}
		}
		paths[rt.Path][strings.ToLower(rt.Method)] = op
	}
	doc := map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":   "Lvzhi (履职) API",
			"version": "1",
			"description": "JSON API of the Lvzhi CPPCC duty platform. Authenticate with an API token: " +
				"`Authorization: Bearer lvz_…`. Error messages follow Accept-Language (zh or en).",
		},
		"servers":  []any{map[string]any{"url": Prefix}},
		"security": []any{map[string]any{"bearer": []string{}}},
		"paths":    paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer"}},
			"schemas":         g.comps,
		},
	}
	return json.MarshalIndent(doc, "", "  ")
}

func operationID(rt Route) string {
	s := strings.ToLower(rt.Method) + pathParam.ReplaceAllString(rt.Path, "By_$1")
	return strings.NewReplacer("/", "_", "-", "_", ".", "_").Replace(s)
}

func parameters(rt Route) []any {
	var out []any
	for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
		out = append(out, map[string]any{"name": m[1], "in": "path", "required": true,
			"schema": map[string]any{"type": "integer", "format": "int64"}})
	}
	for _, q := range rt.Query {
		sch := map[string]any{"type": q.Type}
		if len(q.Enum) > 0 {
			sch["enum"] = q.Enum
		}
		if q.Max > 0 {
			sch["minimum"], sch["maximum"] = 0, q.Max
		}
		if q.Array {
			sch = map[string]any{"type": "array", "items": sch}
		}
		p := map[string]any{"name": q.Name, "in": "query", "required": q.Required, "schema": sch}
		if q.Array {
			p["style"], p["explode"] = "form", true
		}
		if q.Description != "" {
			p["description"] = q.Description
		}
		out = append(out, p)
	}
	return out
}

func responses(g *schemaGen, rt Route, errRef map[string]any) map[string]any {
	errResp := func(what string) map[string]any {
		return map[string]any{"description": what, "content": map[string]any{"application/json": map[string]any{"schema": errRef}}}
	}
	out := map[string]any{"default": errResp("unexpected error (500)")}
	for _, st := range errorStatuses(rt) {
		out[itoa(st)] = errResp(http.StatusText(st))
	}
	switch {
	case rt.Result == nil:
		out["204"] = map[string]any{"description": "done"}
	case reflect.TypeOf(rt.Result) == reflect.TypeOf(Download{}):
		out["200"] = map[string]any{"description": "the file, as an attachment", "content": map[string]any{
			"application/octet-stream": map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}}
	default:
		status := rt.Status
		if status == 0 {
			status = http.StatusOK
		}
		out[itoa(status)] = map[string]any{"description": http.StatusText(status),
			"content": map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(rt.Result))}}}
	}
	return out
}

// errorStatuses are the error statuses a route can answer with (httperr's
// table): 400 for a malformed query or body, 422 for invalid values, 401
// and 403 unless public, 404 for a record (or committee) the caller cannot
// see, 409 for a write that lost a race or breaks a rule, 413 for a body too large.
func errorStatuses(rt Route) []int {
	out := []int{http.StatusBadRequest, http.StatusUnprocessableEntity}
	if !rt.Public {
		out = append(out, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound)
	} else if strings.Contains(rt.Path, "{") {
		out = append(out, http.StatusNotFound) // a public record that is not (or no longer) public
	}
	if rt.Method != http.MethodGet && !slices.Contains(rt.Errors, http.StatusConflict) {
		out = append(out, http.StatusConflict)
	}
	out = append(out, rt.Errors...)
	if rt.Body != nil || rt.Form != nil {
		out = append(out, http.StatusRequestEntityTooLarge)
	}
	if rt.Public && rt.Method != http.MethodGet {
		out = append(out, http.StatusTooManyRequests)
	}
	return out
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// schemaGen turns Go types into JSON schemas, named structs into components.
type schemaGen struct{ comps map[string]any }

var timeType = reflect.TypeOf(time.Time{})

// enumer is a code type that lists its values (e.g. proposal.State): its schema is an enum.
type enumer interface{ EnumValues() []string }

var enumType = reflect.TypeOf((*enumer)(nil)).Elem()

var textMarshalerType = reflect.TypeOf((*encoding.TextMarshaler)(nil)).Elem()

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if t.Kind() == reflect.Struct && reflect.PointerTo(t).Implements(textMarshalerType) {
		return map[string]any{"type": "string"} // e.g. civil.Date, "2006-01-02"
	}
	switch t.Kind() {
	case reflect.String:
		if t.Implements(enumType) {
			return map[string]any{"type": "string", "enum": reflect.Zero(t).Interface().(enumer).EnumValues()}
		}
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return map[string]any{"type": "integer"}
	case reflect.Int64, reflect.Uint64:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "format": "byte"}
		}
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		name := componentName(t)
		if name == "" {
			return g.object(t)
		}
		if _, ok := g.comps[name]; !ok {
			g.comps[name] = nil // placeholder: recursive types terminate
			g.comps[name] = g.object(t)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

// componentName is "pkg.Type" (e.g. "org.Member"), "" for anonymous structs.
func componentName(t reflect.Type) string {
	if t.Name() == "" {
		return ""
	}
	return path.Base(t.PkgPath()) + "." + t.Name()
}

// object is a struct's schema: every field without omitempty or omitzero is required
// (encoding/json always writes it), enums come from `enum:"a,b"` tags.
func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	g.fields(t, props, &required)
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		sort.Strings(required)
		out["required"] = required
	}
	return out
}

// fields adds t's JSON fields to props, flattening embedded structs as encoding/json does.
func (g *schemaGen) fields(t reflect.Type, props map[string]any, required *[]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				g.fields(ft, props, required)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		sch := g.schema(f.Type)
		var values []string
		if e := f.Tag.Get("enum"); e != "" {
			values = strings.Split(e, ",")
		} else if c := f.Tag.Get("codes"); c != "" {
			// "gender?": a stored record may hold no code ("" for unknown);
			// without "?" the field always holds one (a request must send one).
			list, optional := strings.CutSuffix(c, "?")
			if values = codeLists[list]; values == nil {
				panic("api: unknown code list " + list + " on " + t.String() + "." + f.Name)
			}
			if optional {
				values = append([]string{""}, values...)
			}
		}
		if values != nil {
			sch = map[string]any{"type": "string", "enum": values}
			if f.Type.Kind() == reflect.Slice {
				sch = map[string]any{"type": "array", "items": sch}
			}
		}
		props[name] = sch
		if o := strings.Split(opts, ","); !slices.Contains(o, "omitempty") && !slices.Contains(o, "omitzero") {
			*required = append(*required, name)
		}
	}
}

// codeLists are the code lists a struct field names with a `codes:"…"` tag
// (a plain string field holding one of org's codes): the document states them
// as the field's enum, from the same lists the forms and imports check.
var codeLists = map[string][]string{
	"gender": org.Genders, "affiliation": org.Affiliations, "position": org.Positions, "status": org.Statuses,
	"unit_kind": org.UnitKinds, "group_kind": org.GroupKinds, "group_role": org.GroupRoles, "level": org.Levels,
	"role": enumStrings(auth.AllRoles),
}

// serveDocument serves the OpenAPI document.
func (a *API) serveDocument(*Request) (any, error) { return json.RawMessage(a.doc), nil }
