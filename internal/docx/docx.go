// Package docx writes the Word documents the office prints (.docx, Office
// Open XML): a title, headings, paragraphs and label–value tables in a
// Chinese serif face, on A4. It is a writer only, as small as those documents
// need; every area's printable documents are built with it.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
)

// ContentType is the media type of a .docx download.
const ContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// Doc is a document being written, block by block.
type Doc struct {
	body bytes.Buffer
}

// New starts an empty document.
func New() *Doc { return &Doc{} }

func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// run is one piece of text with its size (half-points) and weight.
func run(text string, halfPoints int, bold bool) string {
	var b strings.Builder
	b.WriteString(`<w:r><w:rPr>`)
	if bold {
		b.WriteString(`<w:b/>`)
	}
	b.WriteString(`<w:sz w:val="` + itoa(halfPoints) + `"/><w:szCs w:val="` + itoa(halfPoints) + `"/></w:rPr>`)
	b.WriteString(`<w:t xml:space="preserve">` + esc(text) + `</w:t></w:r>`)
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

func (d *Doc) para(props, runs string) {
	d.body.WriteString(`<w:p><w:pPr>` + props + `</w:pPr>` + runs + `</w:p>`)
}

// Title adds the document's centred title (二号, bold).
func (d *Doc) Title(text string) {
	d.para(`<w:jc w:val="center"/><w:spacing w:after="240"/>`, run(text, 44, true))
}

// Heading adds a bold heading (三号).
func (d *Doc) Heading(text string) {
	d.para(`<w:keepNext/><w:spacing w:before="240" w:after="120"/>`, run(text, 32, true))
}

// Para adds text as paragraphs (one per line), indented two characters as
// Chinese documents are (四号).
func (d *Doc) Para(text string) {
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		d.para(`<w:ind w:firstLineChars="200"/><w:spacing w:line="360" w:lineRule="auto"/>`, run(line, 28, false))
	}
}

// Line adds one unindented line, with a bold label before the text when label is not "".
func (d *Doc) Line(label, text string) {
	r := ""
	if label != "" {
		r = run(label+"：", 28, true)
	}
	d.para(`<w:spacing w:after="60"/>`, r+run(text, 28, false))
}

// Table adds a two-column table of labels and values with borders.
func (d *Doc) Table(rows [][2]string) {
	d.body.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		d.body.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	d.body.WriteString(`</w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="7000"/></w:tblGrid>`)
	for _, r := range rows {
		d.body.WriteString(`<w:tr>`)
		for i, cell := range r {
			d.body.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + map[bool]string{true: "2000", false: "7000"}[i == 0] + `" w:type="dxa"/></w:tcPr>`)
			lines := strings.Split(cell, "\n")
			for _, l := range lines {
				d.body.WriteString(`<w:p>` + run(l, 28, i == 0) + `</w:p>`)
			}
			d.body.WriteString(`</w:tc>`)
		}
		d.body.WriteString(`</w:tr>`)
	}
	d.body.WriteString(`</w:tbl>`)
	d.para(``, ``)
}

// PageBreak starts a new page.
func (d *Doc) PageBreak() {
	d.body.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>`

const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`

const docRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>`

// styles sets the default face: 宋体 (SimSun) for Chinese, Times New Roman otherwise.
const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体" w:cs="Times New Roman"/>
<w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
</w:styles>`

// WriteTo writes the document as a .docx package to w.
func (d *Doc) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + d.body.String() +
		`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1531" w:bottom="1440" w:left="1531" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>`
	for _, f := range []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes}, {"_rels/.rels", rels}, {"word/_rels/document.xml.rels", docRels},
		{"word/document.xml", doc}, {"word/styles.xml", styles},
	} {
		fw, err := z.Create(f.name)
		if err != nil {
			return 0, err
		}
		if _, err := io.WriteString(fw, f.body); err != nil {
			return 0, err
		}
	}
	if err := z.Close(); err != nil {
		return 0, err
	}
	return buf.WriteTo(w)
}
