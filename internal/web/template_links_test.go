package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// handQuery is an address in a template that writes a whole query, or part
// of one, from a value (href="/x?{{.Query}}"): html/template escapes the value
// again, so "a=1&b=2" arrives as one mangled parameter and the page or export
// loses its filter. A value in key={{.V}} is escaped rightly and allowed.
var handQuery = regexp.MustCompile(`(?:href|action|hx-get|src)="[^"]*(?:\?|&|&amp;)\{\{`)

// TestTemplatesBuildQueriesWithLink: a query with more than one value comes
// from the link helper (link, newPager), never from an encoded query written
// into the template.
func TestTemplatesBuildQueriesWithLink(t *testing.T) {
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if m := handQuery.FindString(line); m != "" {
				t.Errorf("%s:%d: a query written into the template (%s…); build it with link()", p, i+1, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
