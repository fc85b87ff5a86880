package crawl

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/snapshot"
)

func TestOffSiteLinksNotFetched(t *testing.T) {
	t.Parallel()
	other := serve(t, files{"": "<p>other site</p>", "x.html": "x"}, nil)
	s := serve(t, files{
		"": `<a href="/a.html">a</a> <a href="` + other.URL() + `x.html">off-site</a>
		     <a href="mailto:a@b.cn">mail</a> <a href="javascript:void(0)">js</a>`,
		"a.html": `<a href="` + other.URL() + `">off-site home</a>`,
	}, nil)

	r := crawl(t, context.Background(), quick(s.URL()))
	require.NoError(t, r.err)
	assert.Equal(t, 1, s.Hits("/a.html"))
	assert.Equal(t, 0, other.Hits("/")+other.Hits("/x.html")+other.Hits("/robots.txt"), "another origin must not be contacted")
	for _, e := range r.entries {
		assert.True(t, strings.HasPrefix(e.URL, s.URL()), "recorded off-site URL %s", e.URL)
	}
}

// The www./bare twin of the start host is in scope; other names are not.
// All names resolve to the one loopback server through the test dialer.
func TestTwinHostInScope(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	hosts := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hosts[r.Host+r.URL.Path]++
		mu.Unlock()
		_, port, _ := strings.Cut(r.Host, ":")
		w.Header().Set("Content-Type", "text/html")
		switch r.URL.Path {
		case "/":
			fmt.Fprintf(w, `<a href="http://www.gov.test:%[1]s/twin.html">twin</a>
				<a href="http://other.test:%[1]s/other.html">other</a>
				<a href="http://sub.gov.test:%[1]s/sub.html">sub</a>`, port)
		case "/robots.txt":
			http.NotFound(w, r)
		default:
			fmt.Fprint(w, "page")
		}
	}))
	defer srv.Close()
	port := strings.Split(hostPort(srv.URL), ":")[1]

	opt := quick("http://gov.test:" + port + "/")
	opt.dial = hostDialer(hostPort(srv.URL))
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 1, hosts["www.gov.test:"+port+"/twin.html"])
	assert.Zero(t, hosts["other.test:"+port+"/other.html"])
	assert.Zero(t, hosts["sub.gov.test:"+port+"/sub.html"])
	assert.Equal(t, 1, hosts["www.gov.test:"+port+"/robots.txt"], "robots.txt is read per origin")
}

func TestScopeRules(t *testing.T) {
	t.Parallel()
	start, err := Normalize("http://czt.example.gov.cn/")
	require.NoError(t, err)
	s := newScope(start)
	for raw, want := range map[string]bool{
		"http://czt.example.gov.cn/a":         true,
		"https://czt.example.gov.cn/a":        true,
		"http://www.czt.example.gov.cn/a":     true,
		"https://WWW.czt.example.gov.cn:443/": true,
		"http://czt.example.gov.cn:80/":       true,
		"http://czt.example.gov.cn:8080/":     false,
		"http://xxgk.czt.example.gov.cn/":     false,
		"http://example.gov.cn/":              false,
		"ftp://czt.example.gov.cn/":           false,
	} {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		assert.Equal(t, want, s.contains(u), raw)
	}
	assert.Equal(t, "example.gov.cn", twinHost("www.example.gov.cn"))
	assert.Equal(t, "", twinHost("127.0.0.1"))
	assert.Equal(t, "", twinHost("localhost"))
	assert.Equal(t, "", twinHost("www.cn"), "www.cn has no bare twin worth crawling")
}

func TestBadStartURL(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"", "ftp://example.gov.cn/", "http://", "mailto:a@b.cn", "/relative/path", "example.gov.cn", "http:///x", "javascript:alert(1)"} {
		_, err := Crawl(context.Background(), Options{StartURL: raw}, nil)
		assert.Error(t, err, "%q", raw)
		if err != nil {
			assert.Contains(t, err.Error(), "start URL", "%q", raw)
		}
	}
	u, err := Normalize("HTTP://Example.GOV.cn#top")
	require.NoError(t, err)
	assert.Equal(t, "http://example.gov.cn/", u.String())
}

func TestRobotsExclusionRecorded(t *testing.T) {
	t.Parallel()
	s := serve(t, files{
		"robots.txt":       "User-agent: *\nDisallow: /private/\n",
		"":                 `<a href="/private/a.html">p</a> <a href="/b.html">b</a> <a href="/private/a.html#x">p again</a>`,
		"b.html":           `<a href="/private/a.html">p from b</a>`,
		"private/a.html":   "secret",
		"private/c/d.html": "secret",
	}, nil)
	r := crawl(t, context.Background(), quick(s.URL()))
	require.NoError(t, r.err)

	assert.Zero(t, s.Hits("/private/a.html"))
	e := r.one(t, s.URL()+"private/a.html")
	assert.Equal(t, site.OutcomeRobotsExcluded, e.Failure)
	assert.Contains(t, e.Reason, "robots.txt")
	assert.Equal(t, 1, r.stats.Excluded)
	assert.Equal(t, 1, s.Hits("/robots.txt"), "robots.txt read once")
	robots := r.one(t, s.URL()+"robots.txt")
	assert.Equal(t, 200, robots.Status, "robots.txt itself is recorded")
}

func TestRobotsDisallowAllExcludesStart(t *testing.T) {
	t.Parallel()
	s := serve(t, files{"robots.txt": "User-agent: *\nDisallow: /\n", "": "home"}, nil)
	r := crawl(t, context.Background(), quick(s.URL()))
	require.NoError(t, r.err)
	assert.Zero(t, s.Hits("/"))
	assert.Equal(t, site.OutcomeRobotsExcluded, r.one(t, s.URL()).Failure)
}

// A robots.txt that errors or is a WAF challenge carries no rules: the
// pages are fetched and show their own outcome.
func TestRobotsErrorsAllow(t *testing.T) {
	t.Parallel()
	for name, fault := range map[string]fixtureserver.Fault{
		"500": {Status: 500, Body: "oops"},
		"412": {Status: 412, Body: "<script>var _$x='challenge';</script>"},
		"301": {Status: 301, RedirectTo: "http://127.0.0.1:1/robots.txt"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := serve(t, files{"": `<a href="/a.html">a</a>`, "a.html": "a"}, map[string]fixtureserver.Fault{"/robots.txt": fault})
			r := crawl(t, context.Background(), quick(s.URL()))
			require.NoError(t, r.err)
			assert.Equal(t, 1, s.Hits("/a.html"))
			assert.Equal(t, 1, s.Hits("/robots.txt"))
		})
	}
}

// Crawl-delay spaces request starts; colly itself ignores the line.
func TestCrawlDelayApplied(t *testing.T) {
	var mu sync.Mutex
	var starts []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nCrawl-delay: 0.4\n")
			return
		}
		w.Header().Set("Content-Type", "text/html")
		for i := range 5 {
			fmt.Fprintf(w, `<a href="/p%d.html">p</a>`, i)
		}
	}))
	defer srv.Close()

	opt := quick(srv.URL + "/")
	opt.Politeness = true
	opt.Parallelism = 4 // spacing must hold whatever the parallelism
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, starts, 8) // robots, home, sitemap.xml, 5 pages
	// The pacer guarantees request starts at the client; arrival times at
	// the server jitter under load, so single gaps prove nothing. Seven
	// spaced starts after robots.txt (whose Crawl-delay applies from the
	// second request on) cannot take less than 6 delays: without spacing,
	// parallelism 4 fetches the five pages at once.
	span := starts[len(starts)-1].Sub(starts[1])
	assert.GreaterOrEqual(t, span, time.Duration(float64(6*400*time.Millisecond)*0.9), "starts %v", starts)
	assert.GreaterOrEqual(t, r.took, time.Duration(float64(6*400*time.Millisecond)*0.9))
	t.Logf("8 requests with Crawl-delay 0.4s took %s", r.took)
}

func TestPolitenessOffIgnoresCrawlDelay(t *testing.T) {
	t.Parallel()
	s := serve(t, files{
		"robots.txt": "User-agent: *\nCrawl-delay: 60\n",
		"":           `<a href="/a.html">a</a><a href="/b.html">b</a>`,
		"a.html":     "a", "b.html": "b",
	}, nil)
	r := crawl(t, context.Background(), quick(s.URL()))
	require.NoError(t, r.err)
	// Honouring the delay would take two minutes; the bound leaves room for
	// a loaded machine.
	assert.Less(t, r.took, 30*time.Second)
	assert.Equal(t, 1, s.Hits("/b.html"))
}

func TestPacerCapsAndSpaces(t *testing.T) {
	t.Parallel()
	p := newPacer(50 * time.Millisecond)
	p.setDelay("a", 10*time.Millisecond)
	assert.Equal(t, 50*time.Millisecond, p.spacing("a"), "Crawl-delay never lowers the base")
	ctx := context.Background()
	began := time.Now()
	for range 4 {
		require.NoError(t, p.wait(ctx, ctx, "a"))
	}
	assert.GreaterOrEqual(t, time.Since(began), 150*time.Millisecond)

	cctx, cancel := context.WithCancel(ctx)
	p.setDelay("b", time.Hour)
	require.NoError(t, p.wait(ctx, cctx, "b"))
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	assert.ErrorIs(t, p.wait(ctx, cctx, "b"), context.Canceled, "a cancelled crawl wakes the waiters")
}

// hubSite has a home page linking to hubs that all link to the same
// leaves, which also link to each other. The hubs are parsed at the same
// time, so their goroutines race to schedule the same leaves: with Async,
// colly's own visited store (check and mark under two locks) lets several
// of them fetch one leaf.
func hubSite(hubs, leaves int) files {
	var leafLinks strings.Builder
	for i := range leaves {
		fmt.Fprintf(&leafLinks, `<a href="/l%d.html">l%d</a> <a href="l%d.html#top">again</a> `, i, i, i)
	}
	var home strings.Builder
	fs := files{}
	for i := range hubs {
		fmt.Fprintf(&home, `<a href="/h%d.html">hub %d</a> `, i, i)
		fs[fmt.Sprintf("h%d.html", i)] = leafLinks.String()
	}
	fs[""] = home.String()
	for i := range leaves {
		fs[fmt.Sprintf("l%d.html", i)] = leafLinks.String() + `<a href="/">home</a> <a href="./">home again</a>`
	}
	return fs
}

// hubFaults makes the hubs answer together, so their links are parsed at
// the same moment.
func hubFaults(hubs int) map[string]fixtureserver.Fault {
	f := map[string]fixtureserver.Fault{}
	for i := range hubs {
		f[fmt.Sprintf("/h%d.html", i)] = fixtureserver.Fault{Delay: 100 * time.Millisecond}
	}
	return f
}

func pageHits(s *fixtureserver.Server, hubs, leaves int) (total, dupURLs int) {
	count := func(p string) {
		h := s.Hits(p)
		total += h
		if h > 1 {
			dupURLs++
		}
	}
	count("/")
	for i := range hubs {
		count(fmt.Sprintf("/h%d.html", i))
	}
	for i := range leaves {
		count(fmt.Sprintf("/l%d.html", i))
	}
	return total, dupURLs
}

func TestEachURLFetchedOnce(t *testing.T) {
	t.Parallel()
	const hubs, leaves = 16, 150
	s := serve(t, hubSite(hubs, leaves), hubFaults(hubs))
	opt := quick(s.URL())
	opt.Parallelism = 16
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)

	total, dups := pageHits(s, hubs, leaves)
	assert.Zero(t, dups, "URLs fetched more than once")
	assert.Equal(t, 1+hubs+leaves, total)
	assert.Equal(t, 3+hubs+leaves, r.stats.Fetched) // pages, robots.txt and sitemap.xml (404)
	assert.Len(t, r.entries, 3+hubs+leaves)
	assert.Equal(t, 1+hubs+leaves, r.stats.OK)
}

func TestRedirectsRecordedHopByHop(t *testing.T) {
	t.Parallel()
	other := serve(t, files{"": "elsewhere"}, nil)
	faults := map[string]fixtureserver.Fault{
		"/r1":  {Status: 301, RedirectTo: "/r2"},
		"/r2":  {Status: 302, RedirectTo: "/final.html"},
		"/out": {Status: 302, RedirectTo: other.URL()},
	}
	links := `<a href="/r1">r1</a> <a href="/out">out</a> <a href="/h0">chain</a>`
	for i := range 13 {
		faults[fmt.Sprintf("/h%d", i)] = fixtureserver.Fault{Status: 302, RedirectTo: fmt.Sprintf("/h%d", i+1)}
	}
	s := serve(t, files{"": links, "final.html": "final"}, faults)
	r := crawl(t, context.Background(), quick(s.URL()))
	require.NoError(t, r.err)

	assert.Equal(t, 301, r.one(t, s.URL()+"r1").Status)
	assert.Equal(t, 302, r.one(t, s.URL()+"r2").Status)
	assert.Equal(t, 200, r.one(t, s.URL()+"final.html").Status)
	assert.Equal(t, "/r2", r.one(t, s.URL()+"r1").Header.Get("Location"))
	// Hops are recorded in the order they happened.
	idx := map[string]int{}
	for i, e := range r.entries {
		idx[e.URL] = i
	}
	assert.Less(t, idx[s.URL()+"r1"], idx[s.URL()+"r2"])
	assert.Less(t, idx[s.URL()+"r2"], idx[s.URL()+"final.html"])

	assert.Equal(t, 302, r.one(t, s.URL()+"out").Status, "an off-site redirect is recorded as its 3xx")
	assert.Zero(t, other.Hits("/"), "and not followed")

	// At most 10 redirects are followed: h0 … h10 answered, h11 never asked.
	assert.Equal(t, 1, s.Hits("/h10"))
	assert.Zero(t, s.Hits("/h11"))
	assert.Len(t, r.byURL(s.URL()+"h10"), 1)
}

func TestTruncatedBody(t *testing.T) {
	t.Parallel()
	s := serve(t, files{
		"":          `<a href="/big.pdf">big</a> <a href="/exact.pdf">exact</a>`,
		"big.pdf":   strings.Repeat("x", 5000),
		"exact.pdf": strings.Repeat("y", 1000),
	}, nil)
	opt := quick(s.URL())
	opt.MaxAttachmentSize = 1000
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)

	big := r.one(t, s.URL()+"big.pdf")
	assert.True(t, big.Truncated)
	assert.Len(t, big.Body, 1000)
	assert.Equal(t, "1000", big.Header.Get("Content-Length"), "stored headers describe the stored body")
	exact := r.one(t, s.URL()+"exact.pdf")
	assert.False(t, exact.Truncated, "a body of exactly the limit is whole")
	assert.Len(t, exact.Body, 1000)
	assert.Equal(t, 1, r.stats.Truncated)
}

func gbk(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	require.NoError(t, err)
	return b
}

// GBK pages, declared in <meta> only or in the header, are stored byte for
// byte and their links followed.
func TestGBKStoredRaw(t *testing.T) {
	t.Parallel()
	home := gbk(t, `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>某某市财政局</title></head>
<body><a href="/xxgk/">政府信息公开</a> <a href="/hdr.html">预决算公开</a></body></html>`)
	hdr := gbk(t, `<html><body>财政预决算 <a href="/leaf.html">部门预算</a></body></html>`)
	s := serve(t, files{
		"":                 home,
		"xxgk/":            gbk(t, `<meta charset="gbk">法定主动公开内容`),
		"hdr.html":         hdr,
		"hdr.html.headers": "Content-Type: text/html; charset=GBK\n",
		"leaf.html":        "leaf",
	}, nil)
	r := crawl(t, context.Background(), quick(s.URL()))
	require.NoError(t, r.err)

	h := r.one(t, s.URL())
	assert.True(t, bytes.Equal([]byte(home), h.Body), "home body changed")
	assert.Equal(t, "text/html", h.Header.Get("Content-Type"))
	hp := r.one(t, s.URL()+"hdr.html")
	assert.True(t, bytes.Equal([]byte(hdr), hp.Body), "header-declared GBK body changed")
	assert.Equal(t, "text/html; charset=GBK", hp.Header.Get("Content-Type"), "the real header is kept in the snapshot")
	assert.Equal(t, 1, s.Hits("/xxgk/"))
	assert.Equal(t, 1, s.Hits("/leaf.html"), "links of a header-declared GBK page are followed")
}

func TestTimeoutRecorded(t *testing.T) {
	t.Parallel()
	s := serve(t, files{"": `<a href="/slow.html">slow</a> <a href="/ok.html">ok</a>`, "ok.html": "ok", "slow.html": "late"},
		map[string]fixtureserver.Fault{"/slow.html": {Delay: 6 * time.Second}})
	opt := quick(s.URL())
	// A second, not less: under the race detector on a loaded 2-core
	// machine a quick answer (robots.txt, ok.html) took over 200 ms and
	// was counted as a second error.
	opt.Timeout = time.Second
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)

	e := r.one(t, s.URL()+"slow.html")
	assert.Equal(t, site.OutcomeTimeout, e.Failure)
	assert.Zero(t, e.Status)
	assert.Contains(t, e.Reason, "1s")
	assert.Equal(t, 1, r.stats.Errors)
	assert.Less(t, r.took, 5*time.Second)
}

func TestConnectionRefusedRecorded(t *testing.T) {
	t.Parallel()
	// A port with nobody listening: the server is started and closed.
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL + "/"
	dead.Close()
	opt := quick(deadURL)
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	e := r.one(t, deadURL)
	assert.Equal(t, site.OutcomeError, e.Failure)
	assert.NotEmpty(t, e.Reason)
}

func slowSite(n int) (files, map[string]fixtureserver.Fault) {
	var links strings.Builder
	faults := map[string]fixtureserver.Fault{}
	for i := range n {
		fmt.Fprintf(&links, `<a href="/s%d.html">s</a>`, i)
		faults[fmt.Sprintf("/s%d.html", i)] = fixtureserver.Fault{Delay: time.Hour}
	}
	return files{"": links.String()}, faults
}

func TestCancelReturnsPromptly(t *testing.T) {
	t.Parallel()
	fs, faults := slowSite(200)
	s := serve(t, fs, faults)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	opt := quick(s.URL())
	opt.Timeout = time.Hour
	opt.Parallelism = 2
	r := crawl(t, ctx, opt)
	require.NoError(t, r.err)
	assert.Less(t, r.took, 2*time.Second)
	assert.Equal(t, "cancelled", r.stats.Stopped)
	for _, e := range r.entries {
		assert.NotEqual(t, site.OutcomeError, e.Failure, "a request we cancelled is no site error: %s %s", e.URL, e.Reason)
	}
}

func TestCancelDuringCrawlDelay(t *testing.T) {
	t.Parallel()
	fs, _ := slowSite(50)
	fs["robots.txt"] = "User-agent: *\nCrawl-delay: 8\n"
	s := serve(t, fs, nil)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	opt := quick(s.URL())
	opt.Politeness = true
	r := crawl(t, ctx, opt)
	require.NoError(t, r.err)
	assert.Less(t, r.took, 2*time.Second, "goroutines waiting for their Crawl-delay turn must wake up")
	assert.Equal(t, "cancelled", r.stats.Stopped)
}

func TestDeadlineStopsCrawl(t *testing.T) {
	t.Parallel()
	fs, faults := slowSite(30)
	s := serve(t, fs, faults)
	opt := quick(s.URL())
	opt.Timeout = time.Hour
	opt.Deadline = 300 * time.Millisecond
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err, "a deadline is not an error")
	assert.Equal(t, "deadline", r.stats.Stopped)
	assert.Less(t, r.took, 2*time.Second)
	assert.Equal(t, 200, r.one(t, s.URL()).Status, "what was fetched is kept")
}

func TestMaxPages(t *testing.T) {
	t.Parallel()
	s := serve(t, hubSite(4, 40), nil)
	opt := quick(s.URL())
	opt.MaxPages = 10
	opt.Parallelism = 8
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	pages, _ := pageHits(s, 4, 40)
	assert.Equal(t, 10, pages)
	assert.Equal(t, "max-pages", r.stats.Stopped)
}

func TestMaxDepth(t *testing.T) {
	t.Parallel()
	s := serve(t, files{"": `<a href="/d2.html">2</a>`, "d2.html": `<a href="/d3.html">3</a>`, "d3.html": `<a href="/d4.html">4</a>`, "d4.html": "4"}, nil)
	opt := quick(s.URL())
	opt.MaxDepth = 2
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	assert.Equal(t, 1, s.Hits("/d2.html"))
	assert.Zero(t, s.Hits("/d3.html"))
}

func TestAttachmentsAndDeadLinks(t *testing.T) {
	t.Parallel()
	s := serve(t, files{
		"":              `<a href="/files/yjs.pdf">预决算</a> <a href="/files/gone.xlsx">表</a> <a href="/gone.html">死链</a>`,
		"files/yjs.pdf": "%PDF-1.4 <a href=\"/from-pdf.html\">not a link</a>",
	}, nil)
	r := crawl(t, context.Background(), quick(s.URL()))
	require.NoError(t, r.err)
	assert.Equal(t, 200, r.one(t, s.URL()+"files/yjs.pdf").Status)
	assert.Equal(t, "%PDF-1.4 <a href=\"/from-pdf.html\">not a link</a>", string(r.one(t, s.URL()+"files/yjs.pdf").Body))
	assert.Equal(t, 404, r.one(t, s.URL()+"files/gone.xlsx").Status)
	assert.Equal(t, 404, r.one(t, s.URL()+"gone.html").Status)
	assert.Zero(t, s.Hits("/from-pdf.html"), "no links are read from attachments")
	assert.Equal(t, 2, r.stats.Dead)
}

func TestNoLinksFromBlockedOrDeadPages(t *testing.T) {
	t.Parallel()
	s := serve(t, files{
		"":                 `<a href="/waf.html">w</a> <a href="/err.html">e</a> <a href="/missing.html">m</a>`,
		"waf.html":         `<html><script>var _$x=1;document.cookie="a=1";location.reload()</script><a href="/behind-waf.html">x</a></html>`,
		"waf.html.headers": "Status: 412\n",
		"err.html":         `<a href="/behind-error.html">x</a>`,
		"err.html.headers": "Status: 500\n",
	}, map[string]fixtureserver.Fault{"/missing.html": {Status: 404, Body: `<a href="/behind-404.html">x</a>`}})
	r := crawl(t, context.Background(), quick(s.URL()))
	require.NoError(t, r.err)
	assert.Equal(t, 412, r.one(t, s.URL()+"waf.html").Status)
	assert.Zero(t, s.Hits("/behind-waf.html"))
	assert.Zero(t, s.Hits("/behind-error.html"))
	assert.Zero(t, s.Hits("/behind-404.html"))
	assert.Equal(t, 1, r.stats.Blocked)
}

// Bodies are stored decoded; the stored headers say so.
func TestContentEncodingStoredDecoded(t *testing.T) {
	t.Parallel()
	page := []byte(`<html><a href="/b.html">b</a></html>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			var buf bytes.Buffer
			zw := zlib.NewWriter(&buf)
			_, _ = zw.Write(page)
			_ = zw.Close()
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Encoding", "deflate")
			_, _ = w.Write(buf.Bytes())
		case "/br.html":
			w.Header().Set("Content-Encoding", "br")
			_, _ = w.Write([]byte{0x1b, 0x02})
		default:
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<a href="/br.html">br</a>`) // net/http gzips nothing by itself
		}
	}))
	defer srv.Close()
	r := crawl(t, context.Background(), quick(srv.URL+"/"))
	require.NoError(t, r.err)
	home := r.one(t, srv.URL+"/")
	assert.Equal(t, page, home.Body)
	assert.Empty(t, home.Header.Get("Content-Encoding"))
	assert.Len(t, r.byURL(srv.URL+"/b.html"), 1, "links of the decoded page are followed")
	br := r.one(t, srv.URL+"/br.html")
	assert.Equal(t, "br", br.Header.Get("X-Govlint-Undecoded-Content-Encoding"))
}

func TestProgressAndStats(t *testing.T) {
	t.Parallel()
	s := serve(t, files{"": `<a href="/a.html">a</a> <a href="/gone.html">g</a>`, "a.html": "a"}, nil)
	var mu sync.Mutex
	var calls []Stats
	opt := quick(s.URL())
	opt.Progress = func(st Stats) { mu.Lock(); calls = append(calls, st); mu.Unlock() }
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	// home, a.html, gone.html, robots.txt and sitemap.xml (both 404,
	// neither a dead page).
	assert.Equal(t, Stats{Fetched: 5, OK: 2, Dead: 1, Bytes: r.stats.Bytes, Queued: 3, Current: r.stats.Current}, r.stats)
	assert.Positive(t, r.stats.Bytes)
	assert.Contains(t, []string{"/", "/a.html", "/gone.html", "/robots.txt", "/sitemap.xml"}, r.stats.Current)
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, calls)
	assert.Equal(t, r.stats, calls[len(calls)-1])
}

func TestNilWriter(t *testing.T) {
	t.Parallel()
	_, err := Crawl(context.Background(), Options{StartURL: "http://127.0.0.1:1/"}, nil)
	assert.Error(t, err)
}

// A snapshot that cannot be written stops the crawl with an error: a
// partial record must not pass for a finished crawl.
func TestSnapshotWriteErrorStopsCrawl(t *testing.T) {
	t.Parallel()
	fs, _ := slowSite(20)
	s := serve(t, fs, nil)
	w, err := snapshot.Create(filepath.Join(t.TempDir(), "x.warc.gz"), snapshot.Info{})
	require.NoError(t, err)
	require.NoError(t, w.Abort()) // every write now fails
	began := time.Now()
	_, err = Crawl(context.Background(), quick(s.URL()), w)
	require.Error(t, err)
	assert.ErrorIs(t, err, snapshot.ErrClosed)
	assert.Less(t, time.Since(began), 2*time.Second)
	assert.LessOrEqual(t, s.Hits("/")+s.Hits("/s0.html"), 1, "the crawl stops at the first failed write")
}

// A body that breaks off is kept as far as it came, marked truncated: the
// status line was real.
func TestBodyCutOffMidway(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprint(buf, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<html>partial")
		_ = buf.Flush()
	}))
	defer srv.Close()
	r := crawl(t, context.Background(), quick(srv.URL+"/"))
	require.NoError(t, r.err)
	e := r.one(t, srv.URL+"/")
	assert.Equal(t, 200, e.Status)
	assert.True(t, e.Truncated)
	assert.Equal(t, "<html>partial", string(e.Body))
}
