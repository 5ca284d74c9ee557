package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lvzhi/internal/figure"
)

// docxText opens a .docx and returns its document's paragraphs as text, and
// the names of its parts.
func docxText(t *testing.T, b []byte) ([]string, []string) {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var parts, paras []string
	for _, f := range z.File {
		parts = append(parts, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		var probe struct{ XMLName xml.Name }
		if err := xml.Unmarshal(body, &probe); err != nil {
			t.Errorf("%s is not well-formed XML: %v", f.Name, err)
		}
		if f.Name == "word/document.xml" {
			for _, p := range regexp.MustCompile(`<w:p>(.*?)</w:p>`).FindAllStringSubmatch(string(body), -1) {
				text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(p[1], "")
				paras = append(paras, strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'").Replace(text))
			}
		}
	}
	return paras, parts
}

// TestDOCX: the .docx is a zip of the parts Word needs, well-formed, and its
// text holds the title, each section heading and every generated sentence
// with its figures.
func TestDOCX(t *testing.T) {
	each(t, func(t *testing.T, f *rfx) {
		f.seedYear()
		r := f.create()
		if _, err := f.svc.SaveTexts(f.ctx, f.staff, r.ID, TextsInput{Texts: map[string]string{
			"proposal/before": "第一段<特殊>&字符。\n\n第二段。"}}); err != nil {
			t.Fatal(err)
		}
		d := f.doc(f.staff, r.ID, "zh")
		var buf bytes.Buffer
		if err := d.WriteDOCX(&buf); err != nil {
			t.Fatal(err)
		}
		paras, parts := docxText(t, buf.Bytes())
		for _, p := range []string{"[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/styles.xml", "word/document.xml"} {
			if !strings.Contains(strings.Join(parts, ","), p) {
				t.Errorf("part %s missing (%v)", p, parts)
			}
		}
		all := strings.Join(paras, "\n")
		wants := []string{"2026年度工作报告", "提高提案质量，推动办理落实", "第一段<特殊>&字符。", "第二段。",
			"全年共收到提案8件，经审查立案6件", "提案所提事项已解决和正在解决的达3件，占总数的50%，面商率、满意率均达100%。"}
		if n := d.MissingNotice(); n != "" {
			wants = append(wants, n)
		}
		for _, want := range wants {
			if !strings.Contains(all, want) {
				t.Errorf("docx lacks %q:\n%s", want, all)
			}
		}
		if paras[0] != "2026年度工作报告" {
			t.Errorf("first paragraph %q", paras[0])
		}
	})
}

// TestXLSX: the workbook's first sheet lists every figure of the report with
// its value; each figure's sheet lists exactly its records, live for a draft
// and frozen for a finalised report.
func TestXLSX(t *testing.T) {
	each(t, func(t *testing.T, f *rfx) {
		f.seedYear()
		r := f.create()
		check := func(label string) {
			sh, d, err := f.svc.Workbook(f.ctx, f.staff, r.ID, "zh")
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if _, err := sh.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			x, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			sheets := x.GetSheetList()
			if len(sheets) != len(d.Values)+1 || sheets[0] != "报告数据" {
				t.Fatalf("%s: sheets %v for %d figures", label, sheets, len(d.Values))
			}
			rows, _ := x.GetRows(sheets[0])
			for i, v := range d.Values {
				row := rows[i+1]
				value := strconv.FormatInt(v.Value, 10)
				if v.Unit == "fen" {
					value = strconv.FormatFloat(float64(v.Value)/100, 'f', -1, 64)
				}
				if row[7] != v.ID || row[2] != value || row[8] != sheets[i+1] {
					t.Errorf("%s: figure row %q for %s = %d", label, row, v.ID, v.Value)
				}
				recs, _ := x.GetRows(sheets[i+1])
				if v.Measure == figure.Count && int64(len(recs)-1) != v.Value {
					t.Errorf("%s: %s = %d but its sheet lists %d records", label, v.ID, v.Value, len(recs)-1)
				}
			}
		}
		check("draft")
		if _, err := f.svc.Finalise(f.ctx, f.staff, r.ID, 0); err != nil {
			t.Fatal(err)
		}
		check("final")
	})
}
