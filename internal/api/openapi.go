package api

import (
	"encoding"
	"encoding/json"
	"net/http"
	"path"
	"reflect"
	"regexp"
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
		p := map[string]any{"name": q.Name, "in": "query", "required": false, "schema": map[string]any{"type": q.Type}}
		if q.Description != "" {
			p["description"] = q.Description
		}
		out = append(out, p)
	}
	return out
}

func responses(g *schemaGen, rt Route, errRef map[string]any) map[string]any {
	errResp := map[string]any{"description": "error", "content": map[string]any{"application/json": map[string]any{"schema": errRef}}}
	out := map[string]any{"default": errResp}
	switch {
	case rt.Result == nil:
		out["204"] = map[string]any{"description": "done"}
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

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// schemaGen turns Go types into JSON schemas, named structs into components.
type schemaGen struct{ comps map[string]any }

var timeType = reflect.TypeOf(time.Time{})

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

func (g *schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	g.fields(t, props)
	return map[string]any{"type": "object", "properties": props}
}

// fields adds t's JSON fields to props, flattening embedded structs as encoding/json does.
func (g *schemaGen) fields(t reflect.Type, props map[string]any) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				g.fields(ft, props)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = g.schema(f.Type)
	}
}

// serveDocument serves the OpenAPI document.
func (a *API) serveDocument(*Request) (any, error) { return json.RawMessage(a.doc), nil }
