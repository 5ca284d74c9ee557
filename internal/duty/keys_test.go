package duty

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"lvzhi/internal/i18n"
)

// TestMessageKeys: every message key the code uses, and the label of every
// code it shows, exist in both languages.
func TestMessageKeys(t *testing.T) {
	keys := map[string]bool{}
	for _, it := range Items {
		keys["duty.item."+it.Code] = true
	}
	keys["duty.item."+ItemAdjustment] = true
	for _, v := range Variants {
		keys["duty.variant."+v] = true
	}
	for _, c := range Categories {
		keys["duty.category."+c] = true
	}
	for _, u := range Units {
		keys["duty.unit."+u] = true
	}
	for _, p := range PresetNames {
		keys["duty.preset."+p] = true
	}
	for _, g := range []string{Excellent, Good, Competent, Incompetent} {
		keys["duty.grade."+g] = true
	}
	for _, a := range []string{"", ActionCommend, ActionRemind, ActionResign} {
		keys["duty.action."+a] = true
	}
	for _, s := range AppealStates[1:] {
		keys["duty.appeal.state."+string(s)] = true
	}
	for _, a := range AppealActions {
		keys["duty.appeal.action."+string(a)] = true
	}
	for _, e := range entities() {
		keys["duty.source."+e] = true
	}
	for _, d := range figureDefs {
		keys["figures."+d.ID] = true
		keys["figures.def."+d.ID] = true
		keys["figures.group."+d.Group] = true
	}
	for _, c := range recordColumns {
		keys["figures.col."+c] = true
	}
	lit := regexp.MustCompile(`"(err\.duty\.[a-z_]+)"`)
	files, _ := filepath.Glob("*.go")
	for _, fn := range files {
		b, err := os.ReadFile(fn)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
	}
	for k := range keys {
		for _, lang := range []string{"zh", "en"} {
			if !i18n.Has(lang, k) {
				t.Errorf("%s: no %s message", k, lang)
			}
		}
	}
}
