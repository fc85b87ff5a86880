package htmlread

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecode(t *testing.T) {
	const zh = "政府信息公开目录"
	gbkPage := func(meta string) []byte {
		return append([]byte("<html><head>"+meta+"<title>t</title></head><body>"), append(gbk(t, zh), []byte("</body></html>")...)...)
	}
	padding := strings.Repeat(" ", metaPrescanBytes)
	cases := []struct {
		name        string
		body        []byte
		contentType string
		wantCS      string
		wantSource  string
		wantText    string // substring of the decoded text
	}{
		{"utf-8 without any declaration", []byte("<p>" + zh + "</p>"), "text/html", "utf-8", "utf8-valid", zh},
		{"gbk bytes, meta charset=gbk, no header charset", gbkPage(`<meta charset="gbk">`), "text/html", "gb18030", "meta", zh},
		{"gbk bytes, http-equiv gb2312", gbkPage(`<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`), "", "gb18030", "meta", zh},
		{"gb2312 declared in header", gbkPage(""), "text/html; charset=GB2312", "gb18030", "header", zh},
		{"x-gbk and gb_2312-80 are GB18030", gbkPage(`<meta charset="gb_2312-80">`), "text/html; charset=x-gbk", "gb18030", "header", zh},
		{"utf-8 BOM wins over a gbk header", append([]byte{0xEF, 0xBB, 0xBF}, []byte(zh)...), "text/html; charset=gbk", "utf-8", "bom", zh},
		// The server default says utf-8 but the page is GBK and says so: the
		// header is the generic server setting, the page's own bytes and meta
		// are right.
		{"header utf-8, bytes gbk, meta gbk", gbkPage(`<meta charset="gbk">`), "text/html; charset=utf-8", "gb18030", "meta", zh},
		{"header utf-8, bytes gbk, no meta", gbkPage(""), "text/html; charset=utf-8", "gb18030", "gb18030-fallback", zh},
		{"gb2312 header but valid utf-8 bytes", []byte("<p>" + zh + "</p>"), "text/html; charset=gb2312", "utf-8", "utf8-valid", zh},
		{"gb2312 meta but valid utf-8 bytes", []byte(`<meta charset="gb2312"><p>` + zh + "</p>"), "text/html", "utf-8", "utf8-valid", zh},
		{"ascii-only page keeps its gb2312 declaration", []byte(`<meta charset="gb2312"><p>hello</p>`), "text/html", "gb18030", "meta", "hello"},
		{"unknown header charset falls through to meta", gbkPage(`<meta charset="gbk">`), "text/html; charset=x-nonsense", "gb18030", "meta", zh},
		{"unknown names everywhere, utf-8 bytes", []byte(`<meta charset="foo"><p>` + zh + "</p>"), "text/html; charset=bar", "utf-8", "utf8-valid", zh},
		{"undeclared gbk falls back to gb18030", gbkPage(""), "text/html", "gb18030", "gb18030-fallback", zh},
		{"meta after the first 1024 bytes is not read", gbkPage(padding + `<meta charset="big5">`), "", "gb18030", "gb18030-fallback", zh},
		{"malformed content-type still yields its charset", gbkPage(""), "text/html;; charset=gbk;", "gb18030", "header", zh},
		{"latin-1 label maps to windows-1252", []byte{'c', 'a', 'f', 0xE9}, "text/html; charset=iso-8859-1", "windows-1252", "header", "café"},
		{"body cut inside a rune is still utf-8", []byte("<p>" + zh)[:len("<p>"+zh)-1], "text/html", "utf-8", "utf8-valid", "政府信息公开目"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text, cs, src := Decode(tc.body, tc.contentType)
			assert.Equal(t, tc.wantCS, cs)
			assert.Equal(t, tc.wantSource, src)
			assert.Contains(t, text, tc.wantText)
		})
	}
}

func TestDecodeStripsBOM(t *testing.T) {
	text, _, _ := Decode([]byte("\xEF\xBB\xBF<html>"), "")
	assert.Equal(t, "<html>", text)
}

func TestDecodeBinary(t *testing.T) {
	cases := []struct {
		name, contentType string
		body              []byte
	}{
		{"pdf by type", "application/pdf", []byte("%PDF-1.4 政府")},
		{"image by type", "image/png", []byte("\x89PNG\r\n")},
		{"octet-stream", "application/octet-stream", []byte("abc")},
		{"xlsx by type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", []byte("PK\x03\x04")},
		{"pdf sniffed without a type", "", []byte("%PDF-1.7\n\x00\x01binary")},
		{"zip sniffed without a type", "", []byte("PK\x03\x04\x14\x00\x00\x00")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			text, cs, src := Decode(tc.body, tc.contentType)
			assert.Empty(t, text)
			assert.Empty(t, cs)
			assert.Equal(t, "binary", src)
		})
	}
}

// The cfda capture declares gb2312 in <meta> but was re-saved as UTF-8 by a
// browser driver; reading it as GB18030 would garble every title.
func TestDecodeRealPageCharsetTrap(t *testing.T) {
	for _, name := range []string{"cfda-list-gb2312-declared-utf8-bytes.html", "cfda-list-2.html"} {
		t.Run(name, func(t *testing.T) {
			body := readRealPage(t, name)
			require.Contains(t, string(body[:200]), "charset=gb2312")
			text, cs, src := Decode(body, "text/html")
			assert.Equal(t, "utf-8", cs)
			assert.Equal(t, "utf8-valid", src)
			assert.Contains(t, text, "医疗器械召回")
			assert.NotContains(t, text, "\uFFFD")
		})
	}
}

func TestDecodeNeverPanics(t *testing.T) {
	inputs := [][]byte{nil, {}, {0xFF}, {0x84, 0x31}, {0xFE, 0xFF, 0x00}, []byte(`<meta charset="`), []byte("\x00\x01\x02<meta charset=utf-16>")}
	for _, in := range inputs {
		for _, ct := range []string{"", "text/html", "text/html; charset=", "text/html; charset=\"gbk", "garbage;;=="} {
			assert.NotPanics(t, func() { Decode(in, ct) })
		}
	}
}
