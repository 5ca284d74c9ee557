package api

import (
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
)

// PathID reads a positive integer path parameter; anything else is NotFound.
func (r *Request) PathID(name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.ErrNotFound
	}
	return id, nil
}

// QueryInt reads an optional integer query parameter (0 when absent).
func (r *Request) QueryInt(name string) (int64, error) {
	v := strings.TrimSpace(r.URL.Query().Get(name))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, apperr.Fields(apperr.Field(name, "err.api.bad_query", map[string]any{"Type": "integer"}))
	}
	return n, nil
}

// QueryBool reads an optional boolean query parameter ("true"/"false"/"1"/"0").
func (r *Request) QueryBool(name string) (bool, error) {
	v := strings.TrimSpace(r.URL.Query().Get(name))
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, apperr.Fields(apperr.Field(name, "err.api.bad_query", map[string]any{"Type": "boolean"}))
	}
	return b, nil
}

// Query reads a query parameter.
func (r *Request) Query(name string) string { return r.URL.Query().Get(name) }

// Decode reads the JSON body into v strictly: one object, known fields only,
// right types. Failures are 400 errors naming the field where there is one.
func (r *Request) Decode(v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() {
			return apperr.New(apperr.Invalid, "err.api.malformed_json", map[string]any{"Offset": dec.InputOffset()})
		}
		if _, err := dec.Token(); err != io.EOF {
			return apperr.New(apperr.Invalid, "err.api.malformed_json", map[string]any{"Offset": dec.InputOffset()})
		}
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return apperr.New(apperr.Invalid, "err.api.body_required")
	case errors.As(err, &syn):
		return apperr.New(apperr.Invalid, "err.api.malformed_json", map[string]any{"Offset": syn.Offset})
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.Invalid, "err.api.malformed_json", map[string]any{"Offset": dec.InputOffset()})
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return apperr.Fields(apperr.Field(field, "err.api.wrong_type", map[string]any{"Type": jsonType(typ.Type.Kind().String())}))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return apperr.Fields(apperr.Field(strings.Trim(name, `"`), "err.api.unknown_field"))
	}
	return err // e.g. *http.MaxBytesError: httperr.Normalize makes it too_large
}

// jsonType names a Go kind as the JSON type a client should send.
func jsonType(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "integer"
	case strings.HasPrefix(kind, "float"):
		return "number"
	case kind == "bool":
		return "boolean"
	case kind == "slice", kind == "array":
		return "array"
	case kind == "struct", kind == "map":
		return "object"
	}
	return kind
}
