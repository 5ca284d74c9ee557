package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"lvzhi/internal/i18n"
)

// fullWidth is the Chinese punctuation that must not reach an English page.
const fullWidth = "，。：；？！（）、"

// TestPunctuationFollowsTheLanguage: templates carry no punctuation of their
// own language outside the t function (p.colon, p.sep, p.lparen, p.rparen
// are full-width in Chinese and half-width in English); English messages use
// no full-width punctuation (except the examples of Chinese input they
// quote), and Chinese messages put no ASCII punctuation next to Chinese text.
func TestPunctuationFollowsTheLanguage(t *testing.T) {
	action := regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			text := action.ReplaceAllString(line, "")
			if strings.ContainsAny(text, fullWidth) {
				t.Errorf("%s:%d: punctuation outside t: %s", p, i+1, strings.TrimSpace(line))
			}
			// ASCII punctuation written after a message would follow Chinese text.
			if m := regexp.MustCompile(`\{\{t "[^"]*"\}\}[:;,?!]`).FindString(line); m != "" {
				t.Errorf("%s:%d: punctuation after a message: %s", p, i+1, m)
			}
			for _, m := range regexp.MustCompile(`join [^}]*"([^"]*)"`).FindAllStringSubmatch(line, -1) {
				if strings.ContainsAny(m[1], fullWidth) {
					t.Errorf("%s:%d: join with %q", p, i+1, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	quotesChinese := map[string]bool{"org.help.positions": true, "org.help.groups": true, "org.example.groups": true}
	asciiNextToHan := regexp.MustCompile(`\p{Han}[,:;?!()]|[,:;?!(]\p{Han}|\)\p{Han}`)
	for _, key := range i18n.Keys("zh") {
		zh := action.ReplaceAllString(i18n.T("zh", key), "")
		if asciiNextToHan.MatchString(zh) {
			t.Errorf("zh %s: ASCII punctuation in Chinese: %q", key, zh)
		}
		en := action.ReplaceAllString(i18n.T("en", key), "")
		if !quotesChinese[key] && strings.ContainsAny(en, fullWidth) {
			t.Errorf("en %s: full-width punctuation in English: %q", key, en)
		}
	}
}
