package web

import (
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"testing"

	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/i18n"
)

// parseUntranslated parses the templates as they were before translateStatic:
// every {{t "key"}} an action run at render time.
func parseUntranslated(t *testing.T) *templates {
	t.Helper()
	ts := &templates{pages: map[string]map[string]*template.Template{}}
	for _, lang := range i18n.Langs {
		shared := []string{"templates/layout.html"}
		partials, _ := fs.Glob(templateFS, "templates/partials/*.html")
		shared = append(shared, partials...)
		pages := map[string]*template.Template{}
		err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") || p == "templates/layout.html" || strings.HasPrefix(p, "templates/partials/") {
				return err
			}
			tp, err := template.New(path.Base(p)).Funcs(funcs(lang)).ParseFS(templateFS, append(slices.Clone(shared), p)...)
			pages[strings.TrimPrefix(p, "templates/")] = tp
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		ts.pages[lang] = pages
	}
	return ts
}

// TestStaticLabels: translating the literal labels at parse time changes no
// byte of any page. Every page a crawl reaches, for every login and both
// languages, is rendered with the translated templates and again with the
// templates as written; the two bodies must be identical.
func TestStaticLabels(t *testing.T) {
	h := newHarness(t, dbtest.SQLite(t))
	translated, untranslated := h.Server.tpl, parseUntranslated(t)
	pages := 0
	for _, role := range harnessRoles {
		for _, lang := range []string{"zh", "en"} {
			h.get(role, "/lang/"+lang)
			pages += crawl(t, h, role, func(p string, resp *http.Response, body string) {
				if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
					return
				}
				h.Server.tpl = untranslated
				defer func() { h.Server.tpl = translated }()
				again := h.text(h.get(role, p))
				if again != body {
					i := 0
					for i < min(len(body), len(again)) && body[i] == again[i] {
						i++
					}
					t.Errorf("%s/%s %s differs at byte %d:\ntranslated:   %q\nas written:   %q", role, lang, p, i,
						body[max(i-80, 0):min(i+80, len(body))], again[max(i-80, 0):min(i+80, len(again))])
				}
			})
		}
	}
	if pages < 50 {
		t.Errorf("only %d pages compared", pages)
	}
}
