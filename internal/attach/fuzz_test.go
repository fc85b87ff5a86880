package attach

import (
	"archive/zip"
	"bytes"
	"testing"
	"unicode/utf8"
)

// FuzzExtract: whatever an attachment holds, Extract returns valid UTF-8
// text within MaxText, or a note; it never panics or runs away (PDF
// parser panics are recovered per file).
func FuzzExtract(f *testing.F) {
	f.Add("a.pdf", minimalPDF("Budget 2026"))
	f.Add("a.pdf", []byte("%PDF-1.4\ntrailer << /Root 1 0 R >>\n"))
	f.Add("a.docx", fuzzDOCX("政务公开"))
	f.Add("a.docx", ZipBombBytes("word/document.xml", 2<<20))
	f.Add("a.xlsx", ZipBombBytes("xl/worksheets/sheet1.xml", 2<<20))
	f.Add("a.doc", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	f.Fuzz(func(t *testing.T, name string, body []byte) {
		res := Extract(name, "", body, false)
		if len(res.Text) > MaxText {
			t.Errorf("text of %d bytes, over MaxText", len(res.Text))
		}
		if res.Format == "docx" && !utf8.ValidString(res.Text) {
			t.Errorf("docx text is not valid UTF-8")
		}
	})
}

func fuzzDOCX(text string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	_, _ = w.Write([]byte(`<w:document><w:body><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:body></w:document>`))
	_ = zw.Close()
	return buf.Bytes()
}
