package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/db"
	"lvzhi/internal/db/dbtest"
	"lvzhi/internal/org"
	"lvzhi/internal/secret"
)

var maskRE = regexp.MustCompile(`\d{4}[0-9*]{13}[0-9X*]`)

// TestIDNumberUndeterminedForReaders: every page and export that shows a
// member shows a reader without the reveal permission (a leader of the
// county, the prefecture's staff) so little that at least 10,000 ID numbers
// fit it: the mask keeps the first four digits, the birth date only its year.
// Staff of the member's own committee (who may reveal the number, audited)
// see the full birth date. Before, the mask kept digits 1-4 and 15-18 next to
// the full birth date: one candidate once the county is guessed.
func TestIDNumberUndeterminedForReaders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := newHarness(t, d)
		box, err := secret.New(bytes.Repeat([]byte{7}, 32))
		if err != nil {
			t.Fatal(err)
		}
		h.Server.Org.Secret = box
		id := orgIDNumber("53032519860509004") // female, born 1986-05-09
		resp := h.post("staff", "/org/members", url.Values{"name": {"隐私张三"}, "gender": {"female"}, "id_number": {id},
			"phone": {"13912345670"}, "sector_id": {fmt.Sprint(h.A.SectorID)}, "affiliation": {"nonparty"}})
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || loc == "" {
			t.Fatalf("create: %d\n%s", resp.StatusCode, snippet(h.text(resp)))
		}
		c := fmt.Sprintf("c=%d", h.A.ID)
		for _, role := range []string{"leader", "prefecture", "staff"} {
			mayReveal := role == "staff"
			shown := map[string]string{}
			for _, path := range []string{loc + "?" + c, "/org/members?" + c + "&q=" + url.QueryEscape("隐私张三")} {
				resp := h.get(role, path)
				body := h.text(resp)
				if resp.StatusCode != http.StatusOK || !strings.Contains(body, "隐私张三") {
					t.Fatalf("%s %s: %d\n%s", role, path, resp.StatusCode, snippet(body))
				}
				shown[path] = body
			}
			x := h.get(role, "/org/export/members.xlsx?"+c)
			if x.StatusCode != http.StatusOK {
				t.Fatalf("%s export: %d", role, x.StatusCode)
			}
			f, err := excelize.OpenReader(strings.NewReader(h.text(x)))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := f.GetRows(f.GetSheetName(0))
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			var cells []string
			for _, r := range rows {
				if len(r) > 3 && r[0] == "隐私张三" {
					cells = r
				}
			}
			if cells == nil {
				t.Fatalf("%s: the export lacks the member", role)
			}
			shown["export"] = strings.Join(cells, "|")
			for where, text := range shown {
				if strings.Contains(text, id[14:]) || strings.Contains(text, id) {
					t.Errorf("%s, %s: shows the end of the ID number", role, where)
				}
				full := strings.Contains(text, "1986-05-09")
				if full && !mayReveal || !full && mayReveal && !strings.Contains(where, "q=") { // the list shows no birth dates
					t.Errorf("%s, %s: full birth date shown %v", role, where, full)
				}
				if mayReveal {
					continue
				}
				for _, m := range maskRE.FindAllString(text, -1) {
					if n := org.IDCandidates(m, "1986", org.GenderFemale, 20000); n < 10000 {
						t.Errorf("%s, %s: mask %s with the birth year leaves %d candidates", role, where, m, n)
					}
				}
			}
			if !mayReveal && (cells[2] != "5303**************" || cells[3] != "1986") {
				t.Errorf("%s export: mask %q, birth %q", role, cells[2], cells[3])
			}
		}
	})
}
