package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/duty"
	"lvzhi/internal/i18n"
	"lvzhi/internal/org"
	"lvzhi/internal/proposal"
)

type authActor = auth.Actor

//go:embed templates
var templateFS embed.FS

// templates holds, per language, one parsed template per page, each with the
// shared layout and partials. Parsing per language at start-up keeps rendering free of clones.
type templates struct {
	pages map[string]map[string]*template.Template
}

// funcs are available in every template, bound to one language.
func funcs(lang string) template.FuncMap {
	return template.FuncMap{
		"t": func(key string, args ...any) string {
			if len(args) == 0 {
				return i18n.T(lang, key) // cached per key
			}
			if len(args) == 1 {
				if m, ok := args[0].(map[string]any); ok {
					return i18n.T(lang, key, m)
				}
			}
			return i18n.T(lang, key, dict(args...))
		},
		"num":       func(n any) string { return i18n.Number(lang, n) },
		"dict":      dict,
		"link":      link,
		"join":      strings.Join,
		"hasPrefix": strings.HasPrefix,
		"add":       func(a, b int) int { return a + b },
		"yuan":      yuan,
		"idopts":    idOptions,
		"codeopts":  func(l any, prefix, sel string) template.HTML { return codeOptions(lang, l, prefix, sel) },
		"unitrows":  func(us []org.Unit) template.HTML { return unitRowsHTML(lang, us) },
		"auditrows": func(rows []auditRow) template.HTML { return auditRowsHTML(lang, rows) },
		"recrows":   recordRowsHTML,
		"memrows":   func(rows []memberRow) template.HTML { return memberRowsHTML(lang, rows) },
		"proprows":  func(items []proposal.Item) template.HTML { return propRowsHTML(lang, items) },
		"pts":       duty.FormatPoints,
		"pct": func(num, den int64) string {
			if den == 0 {
				return "—"
			}
			return fmt.Sprintf("%.1f%%", float64(num)*100/float64(den))
		},
	}
}

func dict(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

func mustParseTemplates() *templates {
	ts := &templates{pages: map[string]map[string]*template.Template{}}
	for _, lang := range i18n.Langs {
		ts.pages[lang] = mustParseLang(lang)
	}
	return ts
}

func mustParseLang(lang string) map[string]*template.Template {
	shared := []string{"templates/layout.html"}
	partials, _ := fs.Glob(templateFS, "templates/partials/*.html")
	shared = append(shared, partials...)
	pages := map[string]*template.Template{}
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		if p == "templates/layout.html" || strings.HasPrefix(p, "templates/partials/") {
			return nil
		}
		name := strings.TrimPrefix(p, "templates/")
		t := template.New(path.Base(p)).Funcs(funcs(lang))
		// The page last: its "title" replaces the layout's default block (parsed
		// first, the layout's block would replace every page's title).
		for _, f := range append(slices.Clone(shared), p) {
			src, err := fs.ReadFile(templateFS, f)
			if err != nil {
				return err
			}
			tf := t
			if base := path.Base(f); base != t.Name() {
				tf = t.New(base)
			}
			if _, err := tf.Parse(translateStatic(lang, string(src))); err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
		}
		pages[name] = t
		return nil
	})
	if err != nil {
		panic(err)
	}
	return pages
}

// staticT matches an action that translates a literal key without data.
var staticT = regexp.MustCompile(`\{\{t "([A-Za-z0-9_.\-]+)"\}\}`)

// translateStatic replaces every {{t "key"}} in a template's source with the
// key's translation in lang, HTML-escaped, at parse time: a page has hundreds
// of such labels (table headers, every row's data-label), and each action
// costs two reflective calls (t and html/template's escaper) per render. The
// escaped text is what the action printed in the contexts the templates use
// it in (element text, quoted attribute values, <title>); no template uses
// one in a script, style or URL context (TestStaticLabels checks the output
// stays the same). A translation that looks like an action is left to run.
func translateStatic(lang, src string) string {
	return staticT.ReplaceAllStringFunc(src, func(m string) string {
		s := i18n.T(lang, staticT.FindStringSubmatch(m)[1])
		if strings.Contains(s, "{{") || strings.Contains(s, "}}") {
			return m
		}
		return escapeHTML(s)
	})
}

// escapeHTML escapes s as html/template does in element text and quoted
// attribute values (it also escapes '+', which text/template's HTMLEscapeString does not).
func escapeHTML(s string) string {
	if strings.IndexAny(s, htmlSpecial) < 0 {
		return s
	}
	var b strings.Builder
	writeEscaped(&b, s)
	return b.String()
}

// htmlSpecial are the characters escapeHTML replaces.
const htmlSpecial = "\x00\"&'+<>"

// writeEscaped writes s to b escaped as escapeHTML does.
func writeEscaped(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case 0:
			rep = "\uFFFD"
		case '"':
			rep = "&#34;"
		case '&':
			rep = "&amp;"
		case '\'':
			rep = "&#39;"
		case '+':
			rep = "&#43;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(rep)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// page is what every page template receives.
type page struct {
	Title string
	Actor *auth.Actor
	Lang  string
	Path  string
	Data  any
	// Errors are the form's field errors, summarised at the top of the page.
	Errors []apperr.FieldError
}

// Can reports whether the page's reader may perform action: templates use it
// to show only the links and buttons the policy would allow ({{if .Can "org.view"}}).
func (p page) Can(action string) bool { return auth.Can(p.Actor, auth.Action(action)) }

// CanAny is Can for several actions.
func (p page) CanAny(actions ...string) bool {
	for _, a := range actions {
		if p.Can(a) {
			return true
		}
	}
	return false
}

// renderPage renders a page template inside the layout. Set the status before calling.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, name string, data any) {
	s.renderTemplate(w, r, name, "layout", data)
}

// renderPartial renders only the template's "content" block (for htmx swaps).
func (s *Server) renderPartial(w http.ResponseWriter, r *http.Request, name string, data any) {
	s.renderTemplate(w, r, name, "content", data)
}

// render renders the whole page, or just its content for an htmx request.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, data any) {
	if r.Header.Get("HX-Request") != "" && r.Header.Get("HX-Target") == "main" {
		s.renderPartial(w, r, name, data)
		return
	}
	s.renderPage(w, r, name, data)
}

func (s *Server) renderTemplate(w http.ResponseWriter, r *http.Request, name, block string, data any) {
	lang := langOf(r)
	t, ok := s.tpl.pages[lang][name]
	if !ok {
		http.Error(w, "template "+name+" missing", http.StatusInternalServerError)
		return
	}
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer putRenderBuffer(buf)
	err := t.ExecuteTemplate(buf, block, page{Actor: actorOf(r), Lang: lang, Path: r.URL.Path, Data: data, Errors: formErrorsOf(data)})
	if err != nil {
		s.Log.Error("render", "template", name, "err", err)
		http.Error(w, i18n.T(lang, "err.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = buf.WriteTo(w)
}

// renderBuffers keeps the pages' render buffers: a list page is tens to
// hundreds of KB, and growing a fresh buffer to that size, doubling, was
// most of the bytes a list page allocated.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putRenderBuffer returns a buffer to the pool, unless it grew past 1 MiB
// (kept, a rare huge page would hold its memory).
func putRenderBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return
	}
	b.Reset()
	renderBuffers.Put(b)
}
