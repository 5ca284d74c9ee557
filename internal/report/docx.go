package report

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"strings"
)

// The .docx export: a minimal WordprocessingML package written by hand (no
// dependency): content types, the package and document relationships, the
// styles (A4 page, 仿宋 body with two-character first-line indent, 黑体
// headings, a centred title) and the document's paragraphs. Offices edit it
// in Word or WPS.

// DocxContentType is the Content-Type of a .docx download.
const DocxContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

const docxContentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>`

const docxRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`

const docxDocumentRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>`

const docxStyles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults>
<w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:line="560" w:lineRule="exact"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr><w:rPr><w:rFonts w:eastAsia="宋体"/><w:b/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Note"><w:name w:val="Note"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>
</w:styles>`

// A4 in twentieths of a point, with the margins of official documents (37 mm top, 28 mm left…).
const docxSection = `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`

// docxPara is one paragraph: its style ("" for Normal) and text.
type docxPara struct{ Style, Text string }

// paragraphs are the document's paragraphs in reading order.
func (d *Document) paragraphs() []docxPara {
	ps := []docxPara{{"Title", d.Report.Title}, {"Note", d.StateLine()}}
	addText := func(text string) {
		for _, line := range strings.Split(text, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				ps = append(ps, docxPara{"", line})
			}
		}
	}
	addText(d.Preamble)
	for _, s := range d.Sections {
		ps = append(ps, docxPara{"Heading1", s.Number + s.Title})
		addText(s.Before)
		addText(d.Paragraph(s))
		addText(s.After)
	}
	if n := d.MissingNotice(); n != "" {
		ps = append(ps, docxPara{"Note", n})
	}
	return ps
}

// WriteDOCX writes the document as a .docx file.
func (d *Document) WriteDOCX(w io.Writer) error {
	z := zip.NewWriter(w)
	for _, part := range []struct{ name, body string }{
		{"[Content_Types].xml", docxContentTypes},
		{"_rels/.rels", docxRels},
		{"word/_rels/document.xml.rels", docxDocumentRels},
		{"word/styles.xml", docxStyles},
		{"word/document.xml", d.documentXML()},
	} {
		f, err := z.Create(part.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, part.body); err != nil {
			return err
		}
	}
	return z.Close()
}

func (d *Document) documentXML() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range d.paragraphs() {
		b.WriteString("<w:p>")
		if p.Style != "" {
			b.WriteString(`<w:pPr><w:pStyle w:val="` + p.Style + `"/></w:pPr>`)
		}
		b.WriteString(`<w:r><w:t xml:space="preserve">`)
		_ = xml.EscapeText(&b, []byte(p.Text))
		b.WriteString("</w:t></w:r></w:p>")
	}
	b.WriteString(docxSection + "</w:body></w:document>")
	return b.String()
}

// StateLine says whether the figures are live or frozen, and of which date.
func (d *Document) StateLine() string {
	if d.Frozen {
		return tr(d.Lang, "report.frozen_on", d.AsOf.String())
	}
	return tr(d.Lang, "report.live_as_of", d.AsOf.String())
}
