package fixtureserver

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// Hostile answers: what a broken, malicious or hacked site may serve a
// crawler. Each is generated as it is sent, so a 10 GB bomb or a page with
// a million links costs the server (and the test) only what the client
// reads. Tests serve them on 127.0.0.1 and assert that the crawl stays
// within its limits and records what happened.

// HostileCase is one named hostile answer at a path of a fixture site.
type HostileCase struct {
	Name  string
	Path  string // URL path the home page links to
	Fault Fault
}

// HostileSizes sets how big the generated cases are; tests shrink them
// under the race detector.
type HostileSizes struct {
	GzipExpanded int64 // bytes a gzip bomb inflates to
	ZipExpanded  int64 // bytes the zip bomb's document part inflates to
	Links        int   // links on the many-links page
	Nesting      int   // nesting depth of the deep page
	LineBytes    int   // bytes of the single-line page
	BadBytes     int   // bytes of invalid UTF-8 / GB18030
}

// FullHostileSizes are the sizes the hardening issue names.
var FullHostileSizes = HostileSizes{
	GzipExpanded: 10 << 30, ZipExpanded: 10 << 30, Links: 1_000_000,
	Nesting: 100_000, LineBytes: 5 << 20, BadBytes: 2 << 20,
}

// Hostile returns every hostile case, at paths under /h/.
func Hostile(sz HostileSizes) []HostileCase {
	return []HostileCase{
		{"gzip bomb", "/h/gzip-bomb.html", GzipBomb(sz.GzipExpanded)},
		{"brotli body", "/h/brotli.html", Brotli()},
		{"zip bomb docx", "/h/bomb.docx", ZipBombDOCX(sz.ZipExpanded)},
		{"malformed pdf", "/h/broken.pdf", MalformedPDF()},
		{"many links", "/h/links.html", ManyLinks(sz.Links)},
		{"many dead links", "/h/dead.html", DeadLinks(sz.Links)},
		{"deep nesting", "/h/deep.html", DeepNesting(sz.Nesting)},
		{"long line", "/h/line.html", LongLine(sz.LineBytes)},
		{"datastore entity bomb", "/h/datastore.html", DatastoreEntities()},
		{"invalid utf-8", "/h/utf8.html", InvalidBytes("utf-8", sz.BadBytes)},
		{"invalid gb18030", "/h/gb.html", InvalidBytes("gb18030", sz.BadBytes)},
		{"calendar trap", "/h/cal.jsp", CalendarTrap()},
		{"session-id trap", "/h/s/index.jsp", SessionTrap()},
		{"long URLs", "/h/long.html", LongURLs(3000)},
		{"redirect chain", "/h/r", RedirectChain()},
		{"internal addresses", "/h/internal.html", InternalLinks()},
		{"redirect to metadata service", "/h/meta-redirect", Fault{Status: http.StatusFound, RedirectTo: "http://169.254.169.254/latest/meta-data/"}},
	}
}

// InternalTargets are the addresses InternalLinks points at. A crawl of a
// public site must never dial any of them.
var InternalTargets = []string{
	"http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://192.168.1.1/admin",
	"http://172.16.0.1:8080/", "http://[fd00::1]/", "http://100.64.0.1/",
}

// htmlAnswer starts a 200 text/html answer; it reports false for HEAD.
func htmlAnswer(w http.ResponseWriter, r *http.Request, ct string) bool {
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(http.StatusOK)
	return r.Method != http.MethodHead
}

// streamRepeat sends chunk n times, or until the client goes away.
func streamRepeat(w http.ResponseWriter, r *http.Request, chunk []byte, n int64) {
	for i := int64(0); i < n; i++ {
		if r.Context().Err() != nil {
			return
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// GzipBomb answers an HTML page with Content-Encoding: gzip that inflates
// to expanded bytes (rounded up to MiB) from about a thousandth of that on
// the wire: a series of gzip members of 1 MiB of spaces each, which every
// gzip reader reads as one stream.
func GzipBomb(expanded int64) Fault {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write([]byte("<html><body>"))
	_ = zw.Close()
	head := bytes.Clone(buf.Bytes())
	buf.Reset()
	zw.Reset(&buf)
	_, _ = zw.Write(bytes.Repeat([]byte(" "), 1<<20))
	_ = zw.Close()
	member := bytes.Clone(buf.Bytes())
	n := (expanded + 1<<20 - 1) >> 20
	return Fault{Handler: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.FormatInt(int64(len(head))+n*int64(len(member)), 10))
		if !htmlAnswer(w, r, "text/html; charset=utf-8") {
			return
		}
		_, _ = w.Write(head)
		streamRepeat(w, r, member, n)
	}}
}

// Brotli answers with Content-Encoding: br, which govlint does not decode:
// the body must be kept as received, never inflated.
func Brotli() Fault {
	return Fault{Handler: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "br")
		if htmlAnswer(w, r, "text/html") {
			_, _ = w.Write(bytes.Repeat([]byte{0x1b, 0xff, 0xff, 0x7f}, 4096))
		}
	}}
}

// deflateRepeat returns a raw DEFLATE stream of unit repeated n times,
// built from one compressed copy: each copy ends on a sync flush, so the
// copies can follow each other, and a final empty block ends the stream.
func deflateRepeat(unit []byte, n int64) ([]byte, uint32) {
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	_, _ = fw.Write(unit)
	_ = fw.Flush()
	block := bytes.Clone(buf.Bytes())
	out := bytes.NewBuffer(make([]byte, 0, int64(len(block))*n+5))
	crc := uint32(0)
	for i := int64(0); i < n; i++ {
		out.Write(block)
		crc = crc32.Update(crc, crc32.IEEETable, unit)
	}
	out.Write([]byte{0x01, 0x00, 0x00, 0xff, 0xff}) // final stored block, empty
	return out.Bytes(), crc
}

// ZipBombDOCX is a DOCX whose word/document.xml inflates to expanded
// bytes (rounded up to MiB) of XML whitespace, about a thousandth of that
// compressed. Its sizes are declared truthfully: archive/zip refuses a
// part that inflates past its declared size, so a reader that checks the
// declared sizes knows the cost before inflating anything.
func ZipBombDOCX(expanded int64) Fault {
	return Fault{Status: http.StatusOK, Body: string(ZipBomb("word/document.xml", expanded)),
		Header: map[string]string{"Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}}
}

// ZipBomb returns a zip archive (a DOCX when part is word/document.xml,
// an XLSX when it is xl/worksheets/sheet1.xml) whose part inflates to
// expanded bytes.
func ZipBomb(part string, expanded int64) []byte {
	n := max((expanded+1<<20-1)>>20, 1)
	data, crc := deflateRepeat(bytes.Repeat([]byte(" "), 1<<20), n)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, content string) {
		f, _ := zw.Create(name)
		_, _ = f.Write([]byte(content))
	}
	add("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>`)
	if strings.HasPrefix(part, "xl/") {
		add("xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>`)
	}
	f, _ := zw.CreateRaw(&zip.FileHeader{Name: part, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(n) << 20})
	_, _ = f.Write(data)
	_ = zw.Close()
	return buf.Bytes()
}

// MalformedPDF is a PDF whose header and trailer promise objects that are
// not there: the kind of file on which PDF libraries panic.
func MalformedPDF() Fault {
	body := "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
		"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
		"3 0 obj << /Type /Page /Parent 2 0 R /Contents 9 0 R /Resources << /Font << /F1 7 0 R >> >> >> endobj\n" +
		"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000999 00000 n \n0000099999 00000 n \n" +
		"trailer << /Size 4 /Root 1 0 R >>\nstartxref\n99999999\n%%EOF"
	return Fault{Status: http.StatusOK, Body: body, Header: map[string]string{"Content-Type": "application/pdf"}}
}

// ManyLinks is one page with n distinct links to pages of the site.
func ManyLinks(n int) Fault {
	return Fault{Handler: func(w http.ResponseWriter, r *http.Request) {
		if !htmlAnswer(w, r, "text/html; charset=utf-8") {
			return
		}
		var b bytes.Buffer
		b.WriteString("<html><head><title>链接</title></head><body><ul>")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, `<li><a href="/h/l/%d/">%d</a></li>`, i, i)
			if b.Len() > 64<<10 {
				if _, err := w.Write(b.Bytes()); err != nil {
					return
				}
				b.Reset()
			}
		}
		b.WriteString("</ul></body></html>")
		_, _ = w.Write(b.Bytes())
	}}
}

// DeadLinks is one page with n distinct links to article-like URLs that
// all answer 404. Their file names differ (art_1.html, art_2.html …), so
// the URL-pattern budget, which keeps file names, does not stop them.
func DeadLinks(n int) Fault {
	return Fault{Handler: func(w http.ResponseWriter, r *http.Request) {
		if !htmlAnswer(w, r, "text/html; charset=utf-8") {
			return
		}
		var b bytes.Buffer
		b.WriteString("<html><head><title>相关链接</title></head><body><ul>")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, `<li><a href="/h/d/art_%d.html">文章%d</a></li>`, i, i)
			if b.Len() > 64<<10 {
				if _, err := w.Write(b.Bytes()); err != nil {
					return
				}
				b.Reset()
			}
		}
		b.WriteString("</ul></body></html>")
		_, _ = w.Write(b.Bytes())
	}}
}

// DeepNesting is a page of depth nested <div>s.
func DeepNesting(depth int) Fault {
	return Fault{Handler: func(w http.ResponseWriter, r *http.Request) {
		if !htmlAnswer(w, r, "text/html; charset=utf-8") {
			return
		}
		_, _ = w.Write([]byte("<html><head><title>嵌套</title></head><body>"))
		streamRepeat(w, r, []byte(strings.Repeat("<div>", 1000)), int64(depth/1000))
		_, _ = w.Write([]byte(`正文<a href="/h/after-deep.html">深处的链接</a>`))
		streamRepeat(w, r, []byte(strings.Repeat("</div>", 1000)), int64(depth/1000))
		_, _ = w.Write([]byte("</body></html>"))
	}}
}

// LongLine is a page whose body is one line of size bytes.
func LongLine(size int) Fault {
	return Fault{Handler: func(w http.ResponseWriter, r *http.Request) {
		if !htmlAnswer(w, r, "text/html; charset=utf-8") {
			return
		}
		_, _ = w.Write([]byte("<html><head><title>长行</title></head><body><p>"))
		unit := []byte(strings.Repeat("政务公开", 1024)) // 12 KiB
		streamRepeat(w, r, unit, int64(size/len(unit)))
		_, _ = w.Write([]byte("</p></body></html>"))
	}}
}

// DatastoreEntities is a Hanweb column page whose <datastore> declares
// nested entities (billion laughs): expanded, one reference would be
// gigabytes.
func DatastoreEntities() Fault {
	var lol strings.Builder
	lol.WriteString(`<!ENTITY lol "lol">`)
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := "lol" + strconv.Itoa(i)
		lol.WriteString(`<!ENTITY ` + name + ` "` + strings.Repeat("&"+prev+";", 10) + `">`)
		prev = name
	}
	body := `<html><head><meta charset="utf-8"><title>政策文件</title></head><body>` +
		`<script type="text/xml"><?xml version="1.0"?><!DOCTYPE lolz [` + lol.String() + `]>` +
		`<datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&columnid=1"></a>]]></nextgroup>` +
		`<recordset><record><![CDATA[<li><a href="/art/2026/1/2/art_1_2.html">&lol9;标题</a><span>2026-01-02</span></li>]]></record></recordset>` +
		`<totalrecord>&lol9;</totalrecord><totalpage>&lol9;</totalpage></datastore></script></body></html>`
	return Fault{Status: http.StatusOK, Body: body, Header: map[string]string{"Content-Type": "text/html"}}
}

// InvalidBytes is a page declaring charset whose body is size bytes that
// are invalid in it (and mostly in every other multibyte charset).
func InvalidBytes(charset string, size int) Fault {
	return Fault{Handler: func(w http.ResponseWriter, r *http.Request) {
		if !htmlAnswer(w, r, "text/html; charset="+charset) {
			return
		}
		_, _ = w.Write([]byte(`<html><head><meta charset="` + charset + `"><title>乱码</title></head><body>`))
		bad := make([]byte, 64<<10)
		for i := range bad {
			// 0x80–0xFE lead bytes followed by bytes no charset pairs
			// them with (0x7F, 0xFF), plus lone surrogates' UTF-8.
			switch i % 4 {
			case 0:
				bad[i] = byte(0x81 + i%0x7e)
			case 1:
				bad[i] = 0x7f
			case 2:
				bad[i] = 0xff
			default:
				bad[i] = 0xed
			}
		}
		streamRepeat(w, r, bad, int64(max(size/len(bad), 1)))
		_, _ = w.Write([]byte("</body></html>"))
	}}
}

// CalendarTrap is a calendar page: ?d=N links to ?d=N+1 and ?d=N-1 and to
// a month view, without end.
func CalendarTrap() Fault {
	return Fault{Handler: func(w http.ResponseWriter, r *http.Request) {
		d, _ := strconv.Atoi(r.URL.Query().Get("d"))
		if !htmlAnswer(w, r, "text/html; charset=utf-8") {
			return
		}
		fmt.Fprintf(w, `<html><body><h1>日历 %d</h1><a href="?d=%d">后一天</a> <a href="?d=%d">前一天</a> <a href="?d=%d&amp;view=month">月视图</a></body></html>`,
			d, d+1, d-1, d)
	}}
}

// SessionTrap links every page to itself with a new ;jsessionid=, as a
// servlet container does for clients without cookies.
func SessionTrap() Fault {
	var visits atomic.Int64
	return Fault{Handler: func(w http.ResponseWriter, r *http.Request) {
		if !htmlAnswer(w, r, "text/html; charset=utf-8") {
			return
		}
		n := visits.Add(1)
		fmt.Fprintf(w, `<html><body><a href="/h/s/index.jsp;jsessionid=%08X%d">本页</a> <a href="/h/s/other.jsp;jsessionid=%08X%d">他页</a></body></html>`,
			n*7919, n, n*104729, n)
	}}
}

// LongURLs is a page linking to URLs of length bytes and to a URL that
// grows with every visit.
func LongURLs(length int) Fault {
	return Fault{Handler: func(w http.ResponseWriter, r *http.Request) {
		if !htmlAnswer(w, r, "text/html; charset=utf-8") {
			return
		}
		q := r.URL.Query().Get("q")
		fmt.Fprintf(w, `<html><body><a href="/h/long.html?x=%s">长地址</a> <a href="/h/long.html?q=%s">更长</a></body></html>`,
			strings.Repeat("a", length), q+q+"ab")
	}}
}

// RedirectChain redirects /h/r?n=N to /h/r?n=N+1 without end.
func RedirectChain() Fault {
	return Fault{Handler: func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		w.Header().Set("Location", "/h/r?n="+strconv.Itoa(n+1))
		w.WriteHeader(http.StatusFound)
	}}
}

// InternalLinks is a page (of a hacked site) linking to internal
// addresses: InternalTargets, and to one external site.
func InternalLinks() Fault {
	var b strings.Builder
	b.WriteString(`<html><body>`)
	for _, t := range InternalTargets {
		b.WriteString(`<a href="` + t + `">内网</a> `)
	}
	b.WriteString(`<a href="http://external.example.com/page.html">外部</a></body></html>`)
	return Fault{Status: http.StatusOK, Body: b.String(), Header: map[string]string{"Content-Type": "text/html"}}
}
