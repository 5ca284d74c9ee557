// Package i18n translates message keys into Simplified Chinese (default) or English.
// Each area keeps its messages in locales/<area>.<lang>.toml.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed locales/*.toml
var locales embed.FS

// Langs are the supported languages; the first is the default.
var Langs = []string{"zh", "en"}

var bundle = func() *goi18n.Bundle {
	b := goi18n.NewBundle(language.Chinese)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	files, _ := fs.Glob(locales, "locales/*.toml")
	for _, f := range files {
		if _, err := b.LoadMessageFileFS(locales, f); err != nil {
			panic(fmt.Sprintf("i18n: %s: %v", f, err))
		}
	}
	return b
}()

var localizers = map[string]*goi18n.Localizer{
	"zh": goi18n.NewLocalizer(bundle, "zh"),
	"en": goi18n.NewLocalizer(bundle, "en", "zh"),
}

// Norm returns a supported language for a requested one ("en-US" → "en"; unknown → "zh").
func Norm(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "en") {
		return "en"
	}
	return "zh"
}

// FromAcceptLanguage picks a language from an Accept-Language header.
func FromAcceptLanguage(h string) string {
	tags, _, err := language.ParseAcceptLanguage(h)
	if err != nil || len(tags) == 0 {
		return "zh"
	}
	for _, t := range tags {
		base, _ := t.Base()
		if base.String() == "zh" {
			return "zh"
		}
		if base.String() == "en" {
			return "en"
		}
	}
	return "zh"
}

// plain caches, per language, the translation of keys asked for without
// template data: the messages are fixed at build time, so each is localized once.
var plain = map[string]*sync.Map{"zh": {}, "en": {}}

// T translates key with optional template data. A missing key returns the key
// itself, so a gap is visible rather than blank; TestEveryKeyTranslated catches them.
// A key without data (or with an empty map) is localized once per language and
// then read from a cache.
func T(lang, key string, data ...map[string]any) string {
	lang = Norm(lang)
	if len(data) == 0 || len(data[0]) == 0 {
		c := plain[lang]
		if s, ok := c.Load(key); ok {
			return s.(string)
		}
		s := localize(lang, key, nil)
		c.Store(key, s)
		return s
	}
	return localize(lang, key, data[0])
}

// localize runs go-i18n for key in a supported lang.
func localize(lang, key string, data map[string]any) string {
	cfg := &goi18n.LocalizeConfig{MessageID: key}
	if data != nil {
		// No PluralCount: messages are written without plural forms (Chinese has
		// none), so a count of 1 in English cannot fall through to a missing "one" form.
		cfg.TemplateData = data
	}
	s, err := localizers[lang].Localize(cfg)
	if err != nil || s == "" {
		return key
	}
	return s
}

// Has reports whether key has a translation in lang.
func Has(lang, key string) bool {
	_, err := goi18n.NewLocalizer(bundle, Norm(lang)).Localize(&goi18n.LocalizeConfig{MessageID: key})
	return err == nil
}

// printers format numbers per language (a Printer is safe to share).
var printers = map[string]*message.Printer{
	"zh": message.NewPrinter(language.SimplifiedChinese),
	"en": message.NewPrinter(language.English),
}

// Number formats n with the language's digit grouping (1,426). Integers, the
// common case (a table of counts calls it per cell), are grouped here, as the
// printer groups them in both languages (TestNumberMatchesPrinter).
func Number(lang string, n any) string {
	switch v := n.(type) {
	case int:
		return groupInt(int64(v))
	case int64:
		return groupInt(v)
	case int32:
		return groupInt(int64(v))
	}
	return printers[Norm(lang)].Sprintf("%v", n)
}

// groupInt writes v with a comma between groups of three digits.
func groupInt(v int64) string {
	if v > -1000 && v < 1000 {
		return strconv.FormatInt(v, 10)
	}
	digits := strconv.FormatInt(v, 10)
	sign := ""
	if v < 0 {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3 + 1)
	b.WriteString(sign)
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteByte(',')
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Keys returns every message id defined for lang, for completeness tests.
func Keys(lang string) []string {
	var keys []string
	files, _ := fs.Glob(locales, "locales/*."+Norm(lang)+".toml")
	for _, f := range files {
		b, _ := locales.ReadFile(f)
		var m map[string]any
		if err := toml.Unmarshal(b, &m); err == nil {
			for k := range m {
				keys = append(keys, k)
			}
		}
	}
	return keys
}
