package extract

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/heapwatch"
	"github.com/govlint/govlint/internal/site"
)

// hostilePage runs Page on a body and returns how long it took, how far
// the heap grew at its peak and how many links it found, so each case can
// bound all three.
func hostilePage(t *testing.T, body []byte) (time.Duration, uint64, int) {
	t.Helper()
	var p *site.Page
	start := time.Now()
	grew := heapwatch.Peak(func() {
		p = Page(Response{URL: "http://czt.example.gov.cn/a/index.html", Status: 200,
			Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: body})
	})
	took := time.Since(start)
	require.NotNil(t, p)
	return took, grew, len(p.Links)
}

// Each hostile page must be read in bounded time and memory; the bounds are
// generous multiples of the input size, loose enough for -race and a busy
// CI machine but far below what a quadratic or unbounded parse would need.
func TestHostilePagesStayBounded(t *testing.T) {
	deep := strings.Repeat("<div>", 100_000) + "正文" + strings.Repeat("</div>", 100_000)
	var links strings.Builder
	links.WriteString("<html><body><ul>")
	// Under -race every parse is ~20x slower: shrink the inputs there; the
	// full sizes run in plain `go test`.
	n, lineBytes, badSize := 200_000, 5<<20, 2<<20
	if raceEnabled {
		n, lineBytes, badSize = 10_000, 512<<10, 256<<10
	}
	for i := 0; i < n; i++ {
		links.WriteString(`<li><a href="/p/`)
		links.WriteString(strconv.Itoa(i))
		links.WriteString(`.html">链接</a></li>`)
	}
	links.WriteString("</ul></body></html>")
	longLine := "<html><body><p>" + strings.Repeat("政务公开", lineBytes/12) + "</p></body></html>"
	laughs := `<html><body><script type="text/xml"><?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">` +
		`<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
		`<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">` +
		`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">` +
		`<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>` +
		`<datastore><totalrecord>&lol9;</totalrecord><recordset><record><![CDATA[<li><a href="/art/2026/1/2/art_1_2.html">&lol9;</a><span>2026-01-02</span></li>]]></record></recordset></datastore></script></body></html>`
	badBytes := make([]byte, badSize)
	for i := range badBytes {
		badBytes[i] = byte(0x80 + i%0x7f) // never valid UTF-8, mostly invalid GB18030
	}

	cases := []struct {
		name     string
		body     []byte
		maxTime  time.Duration
		maxHeap  uint64
		minLinks int
	}{
		{"100k nested divs", []byte(deep), 20 * time.Second, 256 << 20, 0},
		{"page with many links", []byte(links.String()), 60 * time.Second, 1 << 30, n / 2},
		{"5 MB single line (512 KB under -race)", []byte(longLine), 30 * time.Second, 512 << 20, 0},
		{"billion laughs in a Hanweb datastore", []byte(laughs), 10 * time.Second, 64 << 20, 0},
		{"2 MB of invalid multibyte sequences (256 KB under -race)", badBytes, 20 * time.Second, 256 << 20, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			took, grew, nlinks := hostilePage(t, tc.body)
			t.Logf("%d bytes: %v, heap +%d MB, %d links", len(tc.body), took, grew>>20, nlinks)
			assert.Less(t, took, tc.maxTime)
			assert.Less(t, grew, tc.maxHeap)
			assert.GreaterOrEqual(t, nlinks, tc.minLinks)
		})
	}
}

// Entities are never expanded: the datastore's text stays as written.
func TestDatastoreEntitiesNotExpanded(t *testing.T) {
	body := `<html><body><script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/art/2026/1/2/art_1_2.html">&lol9;标题</a><span>2026-01-02</span></li>]]></record></recordset></datastore></script></body></html>`
	p := Page(Response{URL: "http://x.gov.cn/col/col1/index.html", Status: 200,
		Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(body)})
	for _, it := range p.Items {
		assert.Less(t, len(it.Title), 100, "an entity must not expand into a huge title")
	}
}
