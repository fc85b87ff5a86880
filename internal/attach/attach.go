// Package attach extracts the text of attachments (PDF, DOCX, XLSX) so the
// site model can carry it: 预决算 tables and 年度报告 are often published
// only as attachments, and checks must see their words.
//
// Every read is bounded: a body is at most what the crawler stored, a DOCX
// or XLSX part is read through a size limit (zip bombs), the text kept is
// capped, and a parser that panics on a malformed file is recovered per
// attachment. Formats no library here reads (DOC, WPS, ET, OFD …) are
// recorded as not extracted, with the reason.
package attach

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"github.com/xuri/excelize/v2"
)

// Limits on what one attachment may cost.
const (
	// MaxText is the most text kept per attachment, in bytes; the rest is
	// dropped at a rune boundary.
	MaxText = 512 << 10
	// maxPart is the most one DOCX/XLSX XML part may inflate to, and
	// maxUnzipped the most all parts together may, by the sizes the
	// archive declares. archive/zip refuses a part that inflates past its
	// declared size, so the declared sizes bound the work before any
	// inflating: a zip bomb is refused, with a note, not read.
	maxPart     = 64 << 20
	maxUnzipped = 256 << 20
	// maxPDFPages is the most PDF pages read.
	maxPDFPages = 500
	// maxCells is the most spreadsheet cells read.
	maxCells = 200000
)

// Result is what extraction made of one attachment.
type Result struct {
	Text string
	// Format is "pdf", "docx", "xlsx", or the format recognised but not
	// read ("doc", "xls", "wps" …).
	Format string
	// Note says in words how the text was obtained or why not, Chinese
	// first; "" when the text is complete.
	Note string
}

// Extract reads the text of an attachment. name is its URL or file name
// (for the extension), truncated says the body was cut at the crawler's
// size limit. It never panics.
func Extract(name, contentType string, body []byte, truncated bool) (res Result) {
	res.Format = format(name, contentType, body)
	if truncated {
		res.Note = "未提取：附件超过大小上限被截断 (not extracted: body truncated at the size limit)"
		return res
	}
	if len(body) == 0 {
		res.Note = "未提取：附件为空 (not extracted: empty body)"
		return res
	}
	defer func() {
		if r := recover(); r != nil {
			res.Text = ""
			res.Note = fmt.Sprintf("未提取：%s 文件无法解析 (not extracted: parser failed: %v)", res.Format, r)
		}
	}()
	var err error
	switch res.Format {
	case "pdf":
		res.Text, err = pdfText(body)
	case "docx":
		if err = checkZip(body); err == nil {
			res.Text, err = docxText(body)
		}
	case "xlsx":
		if err = checkZip(body); err == nil {
			res.Text, err = xlsxText(body)
		}
	default:
		res.Note = fmt.Sprintf("未提取：不支持 %s 格式 (not extracted: unsupported format)", res.Format)
		return res
	}
	if err != nil {
		res.Text = ""
		res.Note = fmt.Sprintf("未提取：%s 文件无法解析 (not extracted: %v)", res.Format, err)
		return res
	}
	res.Text = collapse(res.Text)
	if len(res.Text) > MaxText {
		cut := MaxText
		for cut > 0 && !utf8.RuneStart(res.Text[cut]) {
			cut--
		}
		res.Text = res.Text[:cut]
		res.Note = fmt.Sprintf("文本过长，只保留前 %d 字节 (text capped)", MaxText)
	}
	if res.Text == "" && res.Note == "" {
		res.Note = fmt.Sprintf("%s 中没有可提取的文字（可能是扫描件）(no text layer)", res.Format)
	}
	return res
}

var (
	magicPDF = []byte("%PDF")
	magicZip = []byte("PK\x03\x04")
	magicOLE = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// format decides by content first (servers mislabel attachments), then by
// extension and Content-Type.
func format(name, contentType string, body []byte) string {
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(strings.SplitN(name, "?", 2)[0]), "."))
	ct := strings.ToLower(contentType)
	switch {
	case bytes.HasPrefix(body, magicPDF):
		return "pdf"
	case bytes.HasPrefix(body, magicZip):
		switch {
		case zipHas(body, "word/document.xml"):
			return "docx"
		case zipHas(body, "xl/workbook.xml"):
			return "xlsx"
		}
		if ext == "docx" || ext == "xlsx" {
			return ext
		}
		return "zip"
	case bytes.HasPrefix(body, magicOLE):
		if ext == "xls" || ext == "et" || strings.Contains(ct, "excel") {
			return "xls"
		}
		if ext == "wps" {
			return "wps"
		}
		return "doc"
	case ext != "":
		return ext
	case strings.Contains(ct, "pdf"):
		return "pdf"
	}
	return "unknown"
}

// checkZip refuses an archive whose parts declare more than the limits.
func checkZip(body []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return err
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if strings.HasSuffix(f.Name, ".xml") && f.UncompressedSize64 > maxPart {
			return fmt.Errorf("解压后过大，疑似压缩炸弹：%s 解压后 %d 字节，上限 %d 字节 (zip bomb? part inflates past the limit)", f.Name, f.UncompressedSize64, maxPart)
		}
		if total > maxUnzipped {
			return fmt.Errorf("解压后过大，疑似压缩炸弹：解压后超过 %d 字节 (zip bomb? archive inflates past the limit)", maxUnzipped)
		}
	}
	return nil
}

func zipHas(body []byte, name string) bool {
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		if f.Name == name {
			return true
		}
	}
	return false
}

func pdfText(body []byte) (string, error) {
	r, err := pdf.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return "", err
	}
	var b strings.Builder
	n := min(r.NumPage(), maxPDFPages)
	for i := 1; i <= n && b.Len() < MaxText; i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		t, err := p.GetPlainText(nil)
		if err != nil {
			continue // one bad page does not lose the others
		}
		b.WriteString(t)
		b.WriteByte('\n')
	}
	return b.String(), nil
}

// docxText reads the paragraphs of word/document.xml: text runs (w:t),
// tabs and breaks, one line per paragraph.
func docxText(body []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return "", err
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		defer rc.Close()
		return wordXMLText(&capRuns{r: io.LimitReader(rc, maxPart)})
	}
	return "", errors.New("no word/document.xml")
}

// maxRun is the longest run of text or markup between "<" and ">" that
// wordXMLText passes to the XML decoder, which holds a whole text node in
// memory: a part of 60 MB of whitespace would otherwise cost twice that.
// The text kept is capped far below anyway (MaxText).
const maxRun = 1 << 20

// capRuns drops the bytes of a run past maxRun, up to the next "<".
type capRuns struct {
	r   io.Reader
	run int
}

func (c *capRuns) Read(p []byte) (int, error) {
	for {
		n, err := c.r.Read(p)
		out := 0
		for _, b := range p[:n] {
			if b == '<' || b == '>' {
				c.run = 0
			} else if c.run++; c.run > maxRun {
				continue
			}
			p[out] = b
			out++
		}
		if out > 0 || err != nil {
			return out, err
		}
	}
}

func wordXMLText(r io.Reader) (string, error) {
	dec := xml.NewDecoder(r)
	var b strings.Builder
	inText := false
	for b.Len() < MaxText {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if b.Len() > 0 {
				break // keep what was read before the damage
			}
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				b.WriteByte('\t')
			case "br", "cr":
				b.WriteByte('\n')
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				b.WriteByte('\n')
			case "tc":
				b.WriteByte('\t')
			}
		case xml.CharData:
			if inText {
				b.Write(t)
			}
		}
	}
	return b.String(), nil
}

// xlsxText reads every sheet row by row, cells separated by tabs.
func xlsxText(body []byte) (string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(body), excelize.Options{UnzipSizeLimit: maxPart * 4, UnzipXMLSizeLimit: maxPart})
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	cells := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			continue
		}
		b.WriteString(sheet)
		b.WriteByte('\n')
		for rows.Next() && cells < maxCells && b.Len() < MaxText {
			cols, err := rows.Columns()
			if err != nil {
				break
			}
			cells += len(cols)
			b.WriteString(strings.Join(cols, "\t"))
			b.WriteByte('\n')
		}
		_ = rows.Close()
	}
	return b.String(), nil
}

// collapse joins whitespace runs within a line and drops empty lines, so
// the text reads like the page text checks already search.
func collapse(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
