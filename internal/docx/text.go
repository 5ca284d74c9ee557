package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// PlainText returns the text of a .docx's document part, one line per
// paragraph, and an error unless every part is well-formed XML: what tests
// of the documents read back.
func PlainText(b []byte) (string, error) {
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return "", err
	}
	var text strings.Builder
	for _, f := range z.File {
		if err := partText(f, &text); err != nil {
			return "", err
		}
	}
	return text.String(), nil
}

func partText(f *zip.File, text *strings.Builder) error {
	r, err := f.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	dec := xml.NewDecoder(r)
	inT := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s is not well-formed: %w", f.Name, err)
		}
		if f.Name != "word/document.xml" {
			continue
		}
		switch x := tok.(type) {
		case xml.StartElement:
			inT = x.Name.Local == "t"
		case xml.EndElement:
			if x.Name.Local == "p" {
				text.WriteString("\n")
			}
			inT = false
		case xml.CharData:
			if inT {
				text.Write(x)
			}
		}
	}
}
