package web

import (
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/i18n"
)

var (
	hrefRe     = regexp.MustCompile(`href="(/[^"#]*)"`)
	tagRe      = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]+>`)
	keyLikeRe  = regexp.MustCompile(`\b[a-z][a-z_]*(?:\.[a-z0-9_]+)+\b`)
	digitsRe   = regexp.MustCompile(`\d+`)
	skipLinkRe = regexp.MustCompile(`^/(?:lang/|logout|static/|api/|metrics)|\.xlsx|/export|/download|/attachments/`)
)

// TestEveryPageInBothLanguages follows the links of every login's pages (a
// bounded crawl from the home page) in Chinese and then in English, and checks
// each page: no server error, no refusal of a linked page, the document language, and no message key shown
// as raw text (i18n.T returns the key when a translation is missing).
func TestEveryPageInBothLanguages(t *testing.T) {
	prefixes := map[string]bool{}
	for _, k := range i18n.Keys("zh") {
		p, _, _ := strings.Cut(k, ".")
		prefixes[p] = true
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		for _, role := range harnessRoles {
			for _, lang := range []string{"zh", "en"} {
				h.get(role, "/lang/"+lang)
				pages := crawl(t, h, role, func(path string, resp *http.Response, body string) {
					// Every page here was reached by a link the role was shown:
					// none may fail, nor refuse the role (403).
					if resp.StatusCode >= 500 || resp.StatusCode == http.StatusForbidden {
						t.Errorf("%s/%s %s: status %d", role, lang, path, resp.StatusCode)
					}
					if resp.StatusCode/100 == 3 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
						return
					}
					want := map[string]string{"zh": `<html lang="zh-CN">`, "en": `<html lang="en">`}[lang]
					if !strings.Contains(body, want) {
						t.Errorf("%s/%s %s: page not in %s", role, lang, path, lang)
					}
					if path == "/" && role != "anon" && lang == "en" && !strings.Contains(body, "Welcome to Lvzhi, ") {
						t.Errorf("%s/en home page does not greet in English:\n%s", role, snippet(body))
					}
					text := html.UnescapeString(tagRe.ReplaceAllString(body, " "))
					for _, k := range keyLikeRe.FindAllString(text, -1) {
						if p, _, _ := strings.Cut(k, "."); prefixes[p] {
							t.Errorf("%s/%s %s: raw message key %q shown", role, lang, path, k)
						}
					}
				})
				t.Logf("%s/%s: %d pages", role, lang, pages)
				if role != "anon" && pages < 5 {
					t.Errorf("%s/%s: only %d pages reached", role, lang, pages)
				}
			}
		}
	})
}

// crawl visits the pages reachable by links from "/" as role (at most three
// pages per path shape, 150 in all), calling check on each; it returns how
// many it visited.
func crawl(t *testing.T, h *harness, role string, check func(path string, resp *http.Response, body string)) int {
	t.Helper()
	seen, shapes := map[string]bool{}, map[string]int{}
	queue := []string{"/"}
	for len(queue) > 0 && len(seen) < 150 {
		p := queue[0]
		queue = queue[1:]
		shape := digitsRe.ReplaceAllString(p, "N")
		if seen[p] || shapes[shape] >= 3 {
			continue
		}
		seen[p] = true
		shapes[shape]++
		resp := h.get(role, p)
		body := h.text(resp)
		check(p, resp, body)
		if loc := resp.Header.Get("Location"); resp.StatusCode/100 == 3 && strings.HasPrefix(loc, "/") && !skipLinkRe.MatchString(loc) {
			queue = append(queue, loc)
		}
		for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
			if link := html.UnescapeString(m[1]); !skipLinkRe.MatchString(link) && !slices.Contains(queue, link) {
				queue = append(queue, link)
			}
		}
	}
	return len(seen)
}
