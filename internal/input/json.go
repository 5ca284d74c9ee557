package input

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"unicode/utf8"

	"lvzhi/internal/apperr"
)

// JSON checks a request body the way Values checks a form: every string (key
// or value) is valid text, and every number under a key named after an
// integer column fits it. A body that is not JSON at all is left to the
// handler's strict decoder, which says where it breaks.
func JSON(body []byte) *apperr.Error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if !utf8.Valid(body) {
		return refuse([]apperr.FieldError{apperr.Field("body", KeyText)})
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	var fields []apperr.FieldError
	walkJSON("body", v, &fields)
	if len(fields) == 0 {
		return nil
	}
	return refuse(fields)
}

func walkJSON(name string, v any, fields *[]apperr.FieldError) {
	switch x := v.(type) {
	case string:
		if e := Text(name, x); e != nil {
			*fields = append(*fields, e.Fields...)
		}
	case json.Number:
		if _, _, ok := Range(name); !ok {
			return
		}
		if _, err := strconv.ParseInt(x.String(), 10, 64); err != nil && !integerRE.MatchString(x.String()) {
			return // a fraction: the decoder says "wrong type"
		}
		if e := Number(name, x.String()); e != nil {
			*fields = append(*fields, e.Fields...)
		}
	case []any:
		for _, el := range x {
			walkJSON(name, el, fields)
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !TextOK(k) {
				*fields = append(*fields, apperr.Field("body", KeyText))
				continue
			}
			walkJSON(k, x[k], fields)
		}
	}
}
