package snapshot

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Headers that describe the wire form of a body rather than the stored one.
// The archive stores the decoded body, so these are dropped and
// Content-Length is rewritten to the stored length.
var wireHeaders = map[string]bool{
	"Content-Length":    true,
	"Content-Encoding":  true,
	"Transfer-Encoding": true,
}

// responseHead renders the status line and headers of a response block.
func responseHead(status int, h http.Header, bodyLen int) []byte {
	var b bytes.Buffer
	text := http.StatusText(status)
	if text == "" {
		text = "Unknown" // keeps the status line parseable for 521 & co.
	}
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, text)
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !validHeaderName(k) || wireHeaders[textproto.CanonicalMIMEHeaderKey(k)] {
			continue
		}
		for _, v := range h[k] {
			b.WriteString(k)
			b.WriteString(": ")
			b.WriteString(headerValue(v))
			b.WriteString("\r\n")
		}
	}
	b.WriteString("Content-Length: ")
	b.WriteString(strconv.Itoa(bodyLen))
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

// requestHead renders a minimal request block: the request line and Host.
// The crawler does not hand over its request headers; the line is enough to
// pair a response with the method that fetched it.
func requestHead(method, rawURL string) []byte {
	target, host := "/", ""
	if u, err := url.Parse(rawURL); err == nil {
		target = u.RequestURI()
		host = u.Host
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", method, target)
	if host != "" {
		fmt.Fprintf(&b, "Host: %s\r\n", headerValue(host))
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

// parseResponseHead reads back what responseHead wrote (or what another
// WARC writer stored): status code and headers exactly as stored.
func parseResponseHead(head []byte) (int, http.Header, error) {
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(head)))
	line, err := r.ReadLine()
	if err != nil {
		return 0, nil, fmt.Errorf("status line: %w", err)
	}
	proto, rest, ok := strings.Cut(line, " ")
	if !ok || !strings.HasPrefix(proto, "HTTP/") {
		return 0, nil, fmt.Errorf("malformed status line %q", line)
	}
	code, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
	status, err := strconv.Atoi(code)
	if err != nil || status < 100 || status > 999 {
		return 0, nil, fmt.Errorf("malformed status code in %q", line)
	}
	mh, err := r.ReadMIMEHeader()
	if err != nil {
		return 0, nil, fmt.Errorf("headers: %w", err)
	}
	return status, http.Header(mh), nil
}

func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}

// headerValue keeps a value on one line; net/http never produces CR/LF in a
// value, but an Entry can come from anywhere.
func headerValue(v string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == 0 {
			return ' '
		}
		return r
	}, v)
}
