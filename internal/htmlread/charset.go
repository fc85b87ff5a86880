package htmlread

import (
	"bytes"
	"mime"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

const (
	csUTF8    = "utf-8"
	csGB18030 = "gb18030"

	srcBOM      = "bom"
	srcHeader   = "header"
	srcMeta     = "meta"
	srcUTF8     = "utf8-valid"
	srcFallback = "gb18030-fallback"
	SrcBinary   = "binary"

	metaPrescanBytes = 1024
)

// metaCharsetRe finds a charset in <meta charset=…> and in the content of
// <meta http-equiv="Content-Type" content="…; charset=…">, whatever the
// attribute order.
var metaCharsetRe = regexp.MustCompile(`(?i)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:\-]+)`)

// headerCharsetRe is the fallback when mime.ParseMediaType rejects a
// malformed Content-Type (common on old servers).
var headerCharsetRe = regexp.MustCompile(`(?i)charset\s*=\s*["']?\s*([a-z0-9_.:\-]+)`)

// Decode decodes an HTML body to UTF-8. The decision order is
// BOM → Content-Type charset → <meta charset>/http-equiv in the first 1024
// bytes → valid UTF-8 → GB18030; GB2312 and GBK are decoded as GB18030.
// A declared legacy charset whose bytes are valid UTF-8 with non-ASCII
// content is decoded as UTF-8 (real pages re-saved by browsers do this).
// source names the rule that decided: "bom", "header", "meta",
// "utf8-valid", "gb18030-fallback", "binary".
func Decode(body []byte, contentType string) (text, charset, source string) {
	if isBinary(body, contentType) {
		return "", "", SrcBinary
	}
	if t, cs, ok := decodeBOM(body); ok {
		return t, cs, srcBOM
	}
	if t, cs, src, ok := decodeDeclared(body, headerCharset(contentType), srcHeader); ok {
		return t, cs, src
	}
	if t, cs, src, ok := decodeDeclared(body, metaCharset(body), srcMeta); ok {
		return t, cs, src
	}
	if mostlyUTF8(body) {
		return utf8Text(body), csUTF8, srcUTF8
	}
	return decodeWith(simplifiedchinese.GB18030, body), csGB18030, srcFallback
}

// decodeDeclared applies a declared charset. It declines (ok=false) when
// the name is unknown, or when UTF-8 is declared but the bytes are not
// UTF-8 — then a later rule (meta, fallback) decides, because the server
// default header is more often wrong than the page's own bytes.
// A declared legacy charset whose bytes are valid multibyte UTF-8 is
// decoded as UTF-8: browser-saved pages keep the old <meta> (cfda trap).
func decodeDeclared(body []byte, name, source string) (text, charset, src string, ok bool) {
	if name == "" {
		return "", "", "", false
	}
	enc, cs := lookupCharset(name)
	if enc == nil {
		return "", "", "", false
	}
	if cs == csUTF8 {
		if !mostlyUTF8(body) {
			return "", "", "", false
		}
		return utf8Text(body), csUTF8, source, true
	}
	if validMultibyteUTF8(body) {
		return utf8Text(body), csUTF8, srcUTF8, true
	}
	return decodeWith(enc, body), cs, source, true
}

// lookupCharset returns the decoder and normalised lower-case name for a
// charset label, or nil for an unknown label.
func lookupCharset(name string) (encoding.Encoding, string) {
	n := strings.ToLower(strings.Trim(strings.TrimSpace(name), `"'`))
	if n == "" {
		return nil, ""
	}
	if legacyGB[n] {
		return simplifiedchinese.GB18030, csGB18030
	}
	if n == "utf8" || n == "utf-8" || n == "unicode-1-1-utf-8" {
		return encoding.Nop, csUTF8
	}
	enc, err := htmlindex.Get(n)
	if err != nil || enc == nil {
		return nil, ""
	}
	canon, err := htmlindex.Name(enc)
	if err != nil {
		return nil, ""
	}
	canon = strings.ToLower(canon)
	switch {
	case canon == "gbk" || canon == "gb18030":
		return simplifiedchinese.GB18030, csGB18030
	case canon == "utf-8":
		return encoding.Nop, csUTF8
	}
	return enc, canon
}

func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return params["charset"]
	}
	if m := headerCharsetRe.FindStringSubmatch(contentType); m != nil {
		return m[1]
	}
	return ""
}

func metaCharset(body []byte) string {
	head := body
	if len(head) > metaPrescanBytes {
		head = head[:metaPrescanBytes]
	}
	if m := metaCharsetRe.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return ""
}

func decodeBOM(body []byte) (text, charset string, ok bool) {
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return utf8Text(body[3:]), csUTF8, true
	case bytes.HasPrefix(body, []byte{0x84, 0x31, 0x95, 0x33}):
		return decodeWith(simplifiedchinese.GB18030, body[4:]), csGB18030, true
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), body[2:]), "utf-16le", true
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), body[2:]), "utf-16be", true
	}
	return "", "", false
}

// decodeWith decodes with enc; invalid input becomes U+FFFD and never fails
// the page.
func decodeWith(enc encoding.Encoding, body []byte) string {
	if enc == encoding.Nop {
		return utf8Text(body)
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return strings.ToValidUTF8(string(body), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

func utf8Text(body []byte) string {
	// utf8.Valid has an ASCII fast path ToValidUTF8's rune loop lacks, and
	// almost every UTF-8 page is valid.
	if utf8.Valid(body) {
		return string(body)
	}
	return strings.ToValidUTF8(string(body), "\uFFFD")
}

// trimPartialRune drops an incomplete multibyte sequence at the very end,
// which a body cut at the size limit may carry.
func trimPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			return b
		}
	}
	return b
}

// validMultibyteUTF8: valid UTF-8 that really uses multibyte sequences
// (pure ASCII proves nothing about the declared charset).
func validMultibyteUTF8(b []byte) bool {
	b = trimPartialRune(b)
	return hasNonASCII(b) && utf8.Valid(b)
}

// mostlyUTF8 tolerates a few stray bytes in an otherwise UTF-8 page; GBK
// text read as UTF-8 is invalid at nearly every non-ASCII byte.
func mostlyUTF8(b []byte) bool {
	b = trimPartialRune(b)
	invalid, multi := 0, 0
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			invalid++
		} else {
			multi++
		}
		b = b[max(size, 1):]
	}
	return invalid <= 1+multi/20
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// isBinary says whether a body must not be decoded as text: by declared
// type, or by sniffing when the type is missing or generic.
func isBinary(body []byte, contentType string) bool {
	ct := strings.ToLower(strings.TrimSpace(contentType))
	for _, p := range binaryTypes {
		if strings.HasPrefix(ct, p) {
			return true
		}
	}
	if ct != "" {
		return false
	}
	sniffed := http.DetectContentType(body)
	return !strings.HasPrefix(sniffed, "text/") && !strings.Contains(sniffed, "xml") &&
		!strings.Contains(sniffed, "json") && !strings.Contains(sniffed, "javascript")
}
