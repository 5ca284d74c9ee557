package api

import (
	"bytes"
	"io"
	"net/http"

	"lvzhi/internal/input"
)

// gate applies the web's input rules (package input) to an API request before
// its handler: the path, every query parameter and every string and integer
// of the JSON body. Page numbers are clamped; anything else is a 400 naming
// the field, in the caller's language, the same on both engines. The body is
// read once (it is capped at MaxBody) and handed on unchanged.
func gate(r *http.Request) error {
	if e := input.Path(r.URL.Path); e != nil {
		return e
	}
	q := r.URL.Query()
	if input.ClampPages(q) {
		r.URL.RawQuery = q.Encode()
	}
	if e := input.Values(q); e != nil {
		return e
	}
	if r.Body == nil || r.Body == http.NoBody || isMultipart(r) {
		return nil // a multipart body's text parts are checked as it is read (Request.Upload)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err // *http.MaxBytesError: too large
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if e := input.JSON(body); e != nil {
		return e
	}
	return nil
}
