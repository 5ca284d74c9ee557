package docx

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

// TestDocument: a document with every block is a package Word reads (the
// parts it requires, well-formed XML) holding the texts, escaped.
func TestDocument(t *testing.T) {
	d := New()
	d.Title("滇富县政协提案")
	d.Table([][2]string{{"提案编号", "九届二次-015"}, {"案题", "关于<校车>&线路的提案"}})
	d.Heading("案由")
	d.Para("第一段\n第二段")
	d.Line("承办单位", "县教育体育局")
	d.PageBreak()
	var b bytes.Buffer
	if _, err := d.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range z.File {
		names[f.Name] = true
	}
	for _, n := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels"} {
		if !names[n] {
			t.Errorf("missing part %s", n)
		}
	}
	text, err := PlainText(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"滇富县政协提案\n", "九届二次-015", "关于<校车>&线路的提案", "第一段\n第二段\n", "承办单位：县教育体育局"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
}
