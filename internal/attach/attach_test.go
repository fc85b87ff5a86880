package attach

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// minimalPDF writes a one-page PDF showing text in Helvetica, with a
// correct xref table.
func minimalPDF(text string) []byte {
	content := fmt.Sprintf("BT /F1 14 Tf 72 770 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte(content))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func docx(t *testing.T, paragraphs ...string) []byte {
	var body strings.Builder
	for _, p := range paragraphs {
		fmt.Fprintf(&body, `<w:p><w:r><w:t>%s</w:t></w:r></w:p>`, p)
	}
	return zipOf(t, map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			body.String() + `</w:body></w:document>`,
	})
}

func TestPDF(t *testing.T) {
	t.Parallel()
	res := Extract("http://a.gov.cn/yjsgk/P0202602.pdf", "application/pdf", minimalPDF("2026 department budget tables"), false)
	assert.Equal(t, "pdf", res.Format)
	assert.Contains(t, res.Text, "2026 department budget tables")
	assert.Empty(t, res.Note)
}

func TestDOCX(t *testing.T) {
	t.Parallel()
	res := Extract("/files/ndbg.docx", "", docx(t, "云岭省财政厅2025年政府信息公开工作年度报告", "一、总体情况"), false)
	assert.Equal(t, "docx", res.Format)
	assert.Equal(t, "云岭省财政厅2025年政府信息公开工作年度报告\n一、总体情况", res.Text)
}

func TestXLSX(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	require.NoError(t, f.SetCellValue("Sheet1", "A1", "项目"))
	require.NoError(t, f.SetCellValue("Sheet1", "B1", "预算数"))
	require.NoError(t, f.SetCellValue("Sheet1", "A2", "一般公共预算财政拨款收入"))
	require.NoError(t, f.SetCellValue("Sheet1", "B2", 1234.5))
	buf, err := f.WriteToBuffer()
	require.NoError(t, err)
	// Served as octet-stream with no extension: the content decides.
	res := Extract("/download?id=7", "application/octet-stream", buf.Bytes(), false)
	assert.Equal(t, "xlsx", res.Format)
	assert.Contains(t, res.Text, "项目 预算数")
	assert.Contains(t, res.Text, "一般公共预算财政拨款收入 1234.5")
}

func TestNotExtracted(t *testing.T) {
	t.Parallel()
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...)
	for name, tc := range map[string]struct {
		url       string
		body      []byte
		truncated bool
		format    string
		note      string
	}{
		"doc":       {"/a.doc", ole, false, "doc", "不支持"},
		"wps":       {"/a.wps", ole, false, "wps", "不支持"},
		"truncated": {"/a.pdf", minimalPDF("x")[:100], true, "pdf", "截断"},
		"empty":     {"/a.pdf", nil, false, "pdf", "为空"},
	} {
		res := Extract(tc.url, "", tc.body, tc.truncated)
		assert.Equal(t, tc.format, res.Format, name)
		assert.Empty(t, res.Text, name)
		assert.Contains(t, res.Note, tc.note, name)
	}
}

// Broken files of every kind give a note, never a panic.
func TestBrokenFilesDoNotPanic(t *testing.T) {
	t.Parallel()
	good := minimalPDF("hello")
	cases := map[string][]byte{
		"pdf-cut":        good[:len(good)/2],
		"pdf-garbage":    append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0xff, 0x00, '('}, 3000)...),
		"pdf-bad-xref":   bytes.Replace(good, []byte("xref"), []byte("xref\n9 9"), 1),
		"docx-bad-xml":   zipOf(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p"}),
		"xlsx-garbage":   zipOf(t, map[string]string{"xl/workbook.xml": "not xml"}),
		"zip-not-office": zipOf(t, map[string]string{"a.txt": "x"}),
	}
	for name, body := range cases {
		assert.NotPanics(t, func() {
			res := Extract("/f/"+name, "", body, false)
			if res.Text == "" {
				assert.NotEmpty(t, res.Note, name)
			}
		}, name)
	}
}

func TestTextCapped(t *testing.T) {
	t.Parallel()
	para := strings.Repeat("财政预算", 1000) // 12 KB
	paras := make([]string, 60)
	for i := range paras {
		paras[i] = para
	}
	res := Extract("/big.docx", "", docx(t, paras...), false)
	assert.LessOrEqual(t, len(res.Text), MaxText)
	assert.Greater(t, len(res.Text), MaxText-20)
	assert.True(t, strings.HasSuffix(res.Text, "算") || strings.HasSuffix(res.Text, "政") || strings.HasSuffix(res.Text, "财") || strings.HasSuffix(res.Text, "预"), "cut at a rune boundary")
	assert.Contains(t, res.Note, "只保留")
}
