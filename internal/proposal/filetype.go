package proposal

import (
	"archive/zip"
	"bytes"
	"net/http"
	"strings"
)

// Attachments are accepted by what they contain, never by the name or the
// type the browser claims: PDF, the office document formats (Word, Excel,
// PowerPoint, WPS, OpenDocument, OFD) and images. Anything else (a program,
// a web page, a bare archive) is refused.

// Office and image content types attachments may have.
const (
	TypePDF  = "application/pdf"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeOLE  = "application/x-ole-storage" // .doc, .xls, .ppt, .wps, .et (the compound file of old Office and WPS)
	TypeOFD  = "application/ofd"           // 版式文档 (GB/T 33190)
	TypeText = "text/plain; charset=utf-8"
)

// inlineTypes are shown in the browser rather than downloaded.
var inlineTypes = map[string]bool{TypePDF: true, "image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true}

// oleMagic starts every compound file (old Office and WPS documents).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// SniffType is the content type of an attachment by its bytes, and whether
// such a file is accepted.
func SniffType(data []byte) (string, bool) {
	if bytes.HasPrefix(data, oleMagic) {
		return TypeOLE, true
	}
	ct := http.DetectContentType(data)
	switch {
	case ct == TypePDF, inlineTypes[ct]:
		return ct, true
	case ct == TypeText:
		return ct, true
	case ct == "application/zip":
		if t := zipDocType(data); t != "" {
			return t, true
		}
	}
	return ct, false
}

// zipDocType tells the office formats kept in a zip apart from other archives.
func zipDocType(data []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	names := map[string]bool{}
	prefix := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		if i := strings.IndexByte(f.Name, '/'); i > 0 {
			prefix[f.Name[:i]] = true
		}
	}
	switch {
	case names["[Content_Types].xml"] && prefix["word"]:
		return TypeDOCX
	case names["[Content_Types].xml"] && prefix["xl"]:
		return TypeXLSX
	case names["[Content_Types].xml"] && prefix["ppt"]:
		return TypePPTX
	case names["OFD.xml"]:
		return TypeOFD
	case names["mimetype"]:
		for _, f := range zr.File {
			if f.Name != "mimetype" || f.UncompressedSize64 > 100 {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return ""
			}
			var b [100]byte
			n, _ := rc.Read(b[:])
			rc.Close()
			if t := string(b[:n]); strings.HasPrefix(t, "application/vnd.oasis.opendocument.") {
				return t
			}
		}
	}
	return ""
}

// Inline reports whether a file of content type ct is shown in the browser
// (PDFs and images) rather than downloaded.
func Inline(ct string) bool { return inlineTypes[ct] }
