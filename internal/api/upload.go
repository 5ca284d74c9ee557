package api

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"lvzhi/internal/apperr"
	"lvzhi/internal/input"
)

// Files in and out. Most operations take and answer JSON; a few take a file
// (attachments, spreadsheet imports) as multipart/form-data, and a few answer
// one (an attachment's content). A route states that with Form (the parts of
// its multipart body, documented as such) and a Download result.

// FormPart documents one part of a multipart/form-data request body.
type FormPart struct {
	Name        string
	Type        string // "file", "string" or "integer"
	Description string
	Required    bool
}

// Download is a file answer: the server sends Data as an attachment named
// Name, never rendered inline. Use Download{} as a Route's Result.
type Download struct {
	Name string
	Data []byte
}

// MaxUpload caps a multipart request body (the file and its fields).
const MaxUpload = 10<<20 + 64<<10

// isMultipart reports whether the request body is multipart/form-data.
func isMultipart(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

// Upload reads a multipart body: the file part named field (at most max bytes;
// nil data when absent) and the text parts, which pass the input gate's rules.
// A body that is not multipart, or larger than the cap, is refused naming field.
func (r *Request) Upload(field string, max int64) (data []byte, name, contentType string, err error) {
	tooLarge := func() error {
		e := apperr.New(apperr.TooLarge, "err.api.upload_too_large", map[string]any{"MiB": max >> 20})
		e.Fields = []apperr.FieldError{apperr.Field(field, "err.api.upload_too_large", map[string]any{"MiB": max >> 20})}
		return e
	}
	if !isMultipart(r.Request) {
		return nil, "", "", apperr.Fields(apperr.Field(field, "err.api.multipart_required"))
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var big *http.MaxBytesError
		if errors.As(err, &big) {
			return nil, "", "", tooLarge()
		}
		return nil, "", "", apperr.New(apperr.Invalid, "err.api.malformed_multipart")
	}
	if e := input.Values(r.MultipartForm.Value); e != nil {
		return nil, "", "", e
	}
	file, hdr, err := r.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, "", "", nil
	}
	if err != nil {
		return nil, "", "", err
	}
	defer file.Close()
	data, err = io.ReadAll(io.LimitReader(file, max+1))
	if err != nil {
		return nil, "", "", err
	}
	if int64(len(data)) > max {
		return nil, "", "", tooLarge()
	}
	return data, hdr.Filename, hdr.Header.Get("Content-Type"), nil
}

// FormInt reads an optional integer part of a multipart body (0 when absent).
func (r *Request) FormInt(name string) (int64, error) {
	v := strings.TrimSpace(r.FormValue(name))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, apperr.Fields(apperr.Field(name, "err.form.not_number"))
	}
	return n, nil
}

// cleanupForm removes the temporary files of a parsed multipart body.
func cleanupForm(f *multipart.Form) {
	if f != nil {
		_ = f.RemoveAll()
	}
}

// writeDownload sends a file answer.
func writeDownload(w http.ResponseWriter, d *Download) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Name}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(d.Data)
}

// formSchema documents a multipart body.
func formSchema(parts []FormPart) map[string]any {
	props := map[string]any{}
	var required []string
	for _, p := range parts {
		var sch map[string]any
		switch p.Type {
		case "file":
			sch = map[string]any{"type": "string", "format": "binary"}
		case "integer":
			sch = map[string]any{"type": "integer", "format": "int64"}
		default:
			sch = map[string]any{"type": "string"}
		}
		if p.Description != "" {
			sch["description"] = p.Description
		}
		props[p.Name] = sch
		if p.Required {
			required = append(required, p.Name)
		}
	}
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}
