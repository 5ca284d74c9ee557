package proposal

import (
	"bytes"
	"strings"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/auth"
	"lvzhi/internal/docx"
)

// TestDocuments: a proposal's 提案表 and the session's 提案汇编 as .docx hold
// what the office prints; the compilation carries replies only where they
// are published; readers only, not found across committees.
func TestDocuments(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		ps := f.pastSession()
		f.ledgerYear(ps)
		id := func(number string) int64 {
			return int64(f.count(`SELECT id FROM proposals WHERE number = $1`, number))
		}
		text := func(b []byte) string {
			t.Helper()
			s, err := docx.PlainText(b)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		var b bytes.Buffer
		if err := f.svc.ProposalForm(f.ctx, f.office, id("九届一次-001"), "zh", &b); err != nil {
			t.Fatal(err)
		}
		form := text(b.Bytes())
		for _, want := range []string{"滇富县政协提案\n", "九届一次-001", "联名会办", "张三", "李四、王五", "县交通运输局（主办）、县教育体育局 会办",
			"案由\n关于加快发展高原特色农业的提案", "具体建议\n"} {
			if !strings.Contains(form, want) {
				t.Errorf("the form lacks %q:\n%s", want, form)
			}
		}
		// The compilation: every registered proposal by number; the reply only where published.
		if _, err := f.svc.SetPublishConsent(f.ctx, f.members[0], Ref{ID: id("九届一次-003")}, true); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Publish(f.ctx, f.office, Ref{ID: id("九届一次-003")}); err != nil {
			t.Fatal(err)
		}
		b.Reset()
		if err := f.svc.Compilation(f.ctx, f.office, ps, "zh", &b); err != nil {
			t.Fatal(err)
		}
		comp := text(b.Bytes())
		last := -1
		for _, n := range []string{"九届一次-001", "九届一次-002", "九届一次-003", "九届一次-004", "九届一次-005", "九届一次-006"} {
			i := strings.Index(comp, n)
			if i < last {
				t.Errorf("%s missing or out of order", n)
			}
			last = i
		}
		if !strings.Contains(comp, "滇富县政协九届一次全会提案汇编") || !strings.Contains(comp, "共收录立案提案 6 件") {
			t.Errorf("compilation heading:\n%s", comp)
		}
		if n := strings.Count(comp, "县教育体育局的答复"); n != 1 {
			t.Errorf("%d replies in the compilation, want the published one only:\n%s", n, comp)
		}
		// Who may: readers of every proposal; a member is refused, another committee finds nothing.
		for _, a := range []*auth.Actor{f.members[0], f.unitActors[0]} {
			if err := f.svc.Compilation(f.ctx, a, ps, "zh", &b); apperr.CodeOf(err) != apperr.Forbidden {
				t.Errorf("%s: %v", a.Name, err)
			}
		}
		if err := f.svc.Compilation(f.ctx, f.foreignOffice, ps, "zh", &b); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("foreign office: %v", err)
		}
		if err := f.svc.ProposalForm(f.ctx, f.members[3], id("九届一次-001"), "zh", &b); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("a member who did not sign: %v", err)
		}
	})
}
