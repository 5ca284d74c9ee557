package i18n

import (
	"slices"
	"testing"
)

// TestEveryKeyTranslated holds the Chinese and English message files to the same keys.
func TestEveryKeyTranslated(t *testing.T) {
	zh, en := Keys("zh"), Keys("en")
	slices.Sort(zh)
	slices.Sort(en)
	for _, k := range zh {
		if _, ok := slices.BinarySearch(en, k); !ok {
			t.Errorf("%s has no English text", k)
		}
	}
	for _, k := range en {
		if _, ok := slices.BinarySearch(zh, k); !ok {
			t.Errorf("%s has no Chinese text", k)
		}
	}
}

func TestT(t *testing.T) {
	if got := T("zh", "nav.org"); got != "组织" {
		t.Fatalf("zh: %q", got)
	}
	if got := T("en-GB", "common.total", map[string]any{"Count": 3}); got != "3 in total" {
		t.Fatalf("en: %q", got)
	}
	if got := T("en", "common.total", map[string]any{"Count": 1}); got != "1 in total" {
		t.Fatalf("en count 1: %q", got)
	}
	if got := T("zh", "no.such.key"); got != "no.such.key" {
		t.Fatalf("missing: %q", got)
	}
	if FromAcceptLanguage("en-US,en;q=0.9") != "en" || FromAcceptLanguage("zh-CN") != "zh" || FromAcceptLanguage("") != "zh" {
		t.Fatal("accept-language")
	}
	if Number("en", 1426) != "1,426" {
		t.Fatalf("number %q", Number("en", 1426))
	}
}

// TestTCached: a key without data is localized once and then costs a map
// read (no allocation); the cached text is the one go-i18n gives, for every
// key in both languages; keys with data are never served from the cache.
func TestTCached(t *testing.T) {
	for _, lang := range Langs {
		for _, k := range Keys(lang) {
			want := localize(lang, k, nil)
			if got := T(lang, k); got != want {
				t.Errorf("%s %s: %q, want %q", lang, k, got, want)
			}
			if got := T(lang, k, map[string]any{}); got != want {
				t.Errorf("%s %s with empty data: %q, want %q", lang, k, got, want)
			}
		}
	}
	if a := testing.AllocsPerRun(100, func() { _ = T("en", "nav.org") }); a != 0 {
		t.Errorf("a cached key allocates %.0f times", a)
	}
	_ = T("en", "common.total")
	if T("en", "common.total", map[string]any{"Count": 3}) != "3 in total" || T("en", "common.total", map[string]any{"Count": 5}) != "5 in total" {
		t.Error("data replaced by the cache")
	}
	if T("en-US", "nav.org") != T("en", "nav.org") || T("xx", "nav.org") != T("zh", "nav.org") {
		t.Error("languages not normalized before the cache")
	}
}

// TestNumberMatchesPrinter: integers grouped by hand read exactly as x/text's
// printer formats them, in both languages.
func TestNumberMatchesPrinter(t *testing.T) {
	vals := []int64{0, 7, -7, 999, 1000, -1000, 1426, 12345, -123456, 1234567, 100000000, 9223372036854775807, -9223372036854775808}
	for i := int64(1); i < 1e15; i = i*7 + 3 {
		vals = append(vals, i, -i)
	}
	for _, lang := range Langs {
		for _, v := range vals {
			want := printers[lang].Sprintf("%v", v)
			for _, got := range []string{Number(lang, v), Number(lang, int(v))} {
				if got != want {
					t.Errorf("%s %d: %q, printer %q", lang, v, got, want)
				}
			}
			if v > -1<<31 && v < 1<<31 {
				if got := Number(lang, int32(v)); got != want {
					t.Errorf("%s int32 %d: %q, printer %q", lang, v, got, want)
				}
			}
		}
	}
	if Number("en", 1234.5) != printers["en"].Sprintf("%v", 1234.5) {
		t.Error("float")
	}
}
