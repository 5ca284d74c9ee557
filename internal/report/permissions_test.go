package report

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
)

// TestPermissions tries what each role must NOT do: only staff and leaders
// create, edit and finalise; a draft is not found for everyone else; members
// (and the other readers) read a finalised report; units read none; another
// committee's users find nothing.
func TestPermissions(t *testing.T) {
	each(t, func(t *testing.T, f *rfx) {
		r := f.create()
		nonEditors := map[string]*auth.Actor{"member": f.member, "unit": f.unit, "office": f.office, "admin": f.admin,
			"assistance": f.assistance}
		for name, a := range nonEditors {
			_, err := f.svc.Create(f.ctx, a, CreateInput{Year: Year - 1})
			wantCode(t, err, apperr.Forbidden)
			_, err = f.svc.Get(f.ctx, a, r.ID)
			wantCode(t, err, apperr.NotFound) // a draft is for its editors only
			_, err = f.svc.SaveTexts(f.ctx, a, r.ID, TextsInput{Texts: map[string]string{"proposal/before": name}})
			wantCode(t, err, apperr.NotFound)
			_, err = f.svc.Finalise(f.ctx, a, r.ID, 0)
			wantCode(t, err, apperr.NotFound)
			if list, err := f.svc.List(f.ctx, a); err == nil && len(list) > 0 {
				t.Errorf("%s lists a draft", name)
			}
		}
		foreign := f.foreignStaff
		_, err := f.svc.Get(f.ctx, foreign, r.ID)
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.SaveTexts(f.ctx, foreign, r.ID, TextsInput{Texts: map[string]string{"proposal/before": "x"}})
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.Finalise(f.ctx, foreign, r.ID, 0)
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.Document(f.ctx, nil, r.ID, "zh")
		wantCode(t, err, apperr.Unauthorized)
		// The leader edits and finalises.
		if _, err := f.svc.SaveTexts(f.ctx, f.leader, r.ID, TextsInput{Texts: map[string]string{"proposal/after": "领导修改"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Finalise(f.ctx, f.leader, r.ID, 0); err != nil {
			t.Fatal(err)
		}
		// Final: the readers read it; still nobody else edits, units read nothing.
		for name, a := range nonEditors {
			_, err := f.svc.Get(f.ctx, a, r.ID)
			if name == "unit" {
				wantCode(t, err, apperr.NotFound)
				_, err = f.svc.List(f.ctx, a)
				wantCode(t, err, apperr.Forbidden)
				continue
			}
			if err != nil {
				t.Errorf("%s reads the final report: %v", name, err)
			}
			if list, err := f.svc.List(f.ctx, a); err != nil || len(list) != 1 {
				t.Errorf("%s lists %d reports (%v)", name, len(list), err)
			}
			if Can(a, &Report{CommitteeID: f.c.ID, State: Draft}) != nil {
				t.Errorf("%s may edit", name)
			}
		}
		if _, err := f.svc.Get(f.ctx, foreign, r.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("foreign reads the final report: %v", err)
		}
		if !slices.Equal(Can(f.staff, &Report{CommitteeID: f.c.ID, State: Draft}), []string{"edit", "finalise"}) {
			t.Error("staff may not edit a draft")
		}
	})
}

// TestCitesMatchMessages: every sentence's Cites list is exactly the figures
// its message refers to, in both languages, so the rule "a section needs all
// its figures registered" sees every figure a sentence prints.
func TestCitesMatchMessages(t *testing.T) {
	ref := regexp.MustCompile(`index \.[VNPDRW] "([^"]+)"`)
	for _, lang := range []string{"zh", "en"} {
		raw, err := os.ReadFile("../i18n/locales/report." + lang + ".toml")
		if err != nil {
			t.Fatal(err)
		}
		msgs := map[string]string{}
		for _, line := range strings.Split(string(raw), "\n") {
			if k, v, ok := strings.Cut(line, " = "); ok {
				msgs[strings.Trim(k, `"`)] = v
			}
		}
		all := slices.Clone(Sections)
		for _, defs := range bulletinSections {
			all = append(all, defs...)
		}
		for _, sd := range all {
			if _, ok := msgs["report.section."+sd.ID]; !ok {
				t.Errorf("%s: no title of section %s", lang, sd.ID)
			}
			for _, st := range sd.Sentences {
				for _, m := range st.messages() {
					var got []string
					for _, x := range ref.FindAllStringSubmatch(msgs[m.key], -1) {
						if !slices.Contains(got, x[1]) {
							got = append(got, x[1])
						}
					}
					want := slices.Clone(m.cites)
					slices.Sort(got)
					slices.Sort(want)
					if _, ok := msgs[m.key]; !ok || !slices.Equal(got, want) {
						t.Errorf("%s %s refers to %v, Cites %v", lang, m.key, got, want)
					}
				}
			}
		}
	}
}

// message is one i18n message of a sentence and the figures it must cite.
type message struct {
	key   string
	cites []string
}

// messages are a sentence's messages: its own, and each clause's.
func (st SentenceDef) messages() []message {
	if len(st.Clauses) == 0 {
		return []message{{"report.s." + st.Key, st.Cites}}
	}
	out := []message{{"report.s." + st.Key, nil}}
	var walk func([]ClauseDef)
	walk = func(cs []ClauseDef) {
		for _, c := range cs {
			out = append(out, message{"report.c." + c.Key, c.Cites})
			walk(c.Items)
		}
	}
	walk(st.Clauses)
	return out
}
