package crawl

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/heapwatch"
	"github.com/govlint/govlint/internal/site"
)

// hostileSizes are the sizes without -race and -short; shrunk
// otherwise, so `make test` stays quick. Bombs stay full size: only what
// the crawler reads is generated.
func hostileSizes(t *testing.T) fixtureserver.HostileSizes {
	sz := fixtureserver.FullHostileSizes
	if raceEnabled || testing.Short() {
		sz.ZipExpanded = 256 << 20
		sz.Links = 5_000
		sz.Nesting = 20_000
		sz.LineBytes = 512 << 10
		sz.BadBytes = 256 << 10
	}
	return sz
}

// hostileServer serves one hostile case at its path, linked from the home
// page.
func hostileServer(t *testing.T, c fixtureserver.HostileCase) *fixtureserver.Server {
	t.Helper()
	return serve(t, files{
		"":           `<html><head><meta charset="utf-8"><title>某某市财政局</title></head><body><a href="` + c.Path + `">` + c.Name + `</a></body></html>`,
		"robots.txt": "User-agent: *\n",
	}, map[string]fixtureserver.Fault{c.Path: c.Fault})
}

// Every hostile case, crawled and turned into the site model the way an
// audit does: each run ends within its limit, the heap stays within a
// bound far below what the hostile input would cost unbounded, and the
// snapshot records what happened.
func TestHostileCases(t *testing.T) {
	sz := hostileSizes(t)
	// The page limit is the default 10 MiB, or 1 MiB under -race, where
	// reading 10 MiB of bomb output through the extractors takes a
	// minute. The bomb is 10 GiB either way.
	pageLimit := 10 << 20
	if raceEnabled || testing.Short() {
		pageLimit = 1 << 20
	}
	checks := map[string]func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site){
		"gzip bomb": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			e := r.one(t, s.URL()+"h/gzip-bomb.html")
			assert.True(t, e.Truncated, "the bomb is cut at the page limit and recorded as cut")
			assert.Equal(t, pageLimit, len(e.Body))
			assert.Equal(t, site.OutcomeTruncated, m.Page(e.URL).Outcome)
		},
		"brotli body": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			e := r.one(t, s.URL()+"h/brotli.html")
			assert.Equal(t, "br", e.Header.Get("X-Govlint-Undecoded-Content-Encoding"), "kept as received, never inflated")
			assert.Len(t, e.Body, 4*4096)
		},
		"zip bomb docx": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			p := m.Page(s.URL() + "h/bomb.docx")
			require.NotNil(t, p)
			assert.Equal(t, site.OutcomeOK, p.Outcome, "the archive itself is under the 20 MiB attachment limit")
			assert.Contains(t, p.TextNote, "疑似压缩炸弹", "its part is refused by its declared size")
			assert.Empty(t, p.Text)
		},
		"malformed pdf": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			p := m.Page(s.URL() + "h/broken.pdf")
			require.NotNil(t, p)
			assert.Equal(t, site.OutcomeOK, p.Outcome)
			assert.Contains(t, p.TextNote, "无法解析")
		},
		"many links": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			assert.Equal(t, 1, r.stats.PatternCapped, "/h/l/N/ is one pattern")
			assert.LessOrEqual(t, r.stats.Fetched, 4+10, "robots, sitemap, home, the page and 10 of its links")
			p := m.Page(s.URL() + "h/links.html")
			require.NotNil(t, p)
			assert.Greater(t, len(p.Links), min(sz.Links, 100_000)/2, "the links are read")
		},
		"many dead links": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			// Crawled with a page budget of 5,000 (see pageBudget): the
			// per-page limits stop it, not the budget.
			read := len(m.Page(s.URL() + "h/dead.html").Links)
			// Each link is fetched (dead), left out as the page's 3,001st
			// new URL or later, or left out once the trap tripped (which
			// may happen before the scheduling loop reaches 3,000).
			assert.Equal(t, read, r.stats.Dead+r.stats.OutlinksCapped+r.stats.LinkTrapSkipped, "every link accounted for")
			assert.LessOrEqual(t, r.stats.OutlinksCapped, max(0, read-DefaultMaxOutlinks), "at most the links beyond the 3,000 cap")
			assert.Equal(t, 1, r.stats.LinkTraps, "its first 48 links all dead: a link trap")
			// The watched 48, and those colly was given meanwhile (it fetches
			// what it holds in no fixed order): a few dozen of 3,000.
			assert.Less(t, r.stats.Dead, 3*DefaultLinkTrapProbe, "the trap stops the dead links")
			assert.True(t, hasReason(r, "疑似链接陷阱"), "recorded")
			assert.Empty(t, r.stats.Stopped, "no budget was needed")
		},
		"deep nesting": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			assert.Equal(t, site.OutcomeOK, m.Page(s.URL()+"h/deep.html").Outcome)
		},
		"long line": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			assert.Equal(t, site.OutcomeOK, m.Page(s.URL()+"h/line.html").Outcome)
		},
		"datastore entity bomb": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			p := m.Page(s.URL() + "h/datastore.html")
			require.NotNil(t, p)
			for _, it := range p.Items {
				assert.Less(t, len(it.Title), 200, "entities are never expanded")
			}
		},
		"invalid utf-8": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			validText(t, m.Page(s.URL()+"h/utf8.html"))
		},
		"invalid gb18030": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			validText(t, m.Page(s.URL()+"h/gb.html"))
		},
		"calendar trap": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			assert.GreaterOrEqual(t, r.stats.PatternCapped, 1, "/h/cal.jsp?d capped")
			assert.LessOrEqual(t, s.Hits("/h/cal.jsp"), 2*10+1, "the pattern budget (10) for days and month views, and the first link")
			assert.Empty(t, r.stats.Stopped, "the trap did not eat the page budget")
			assert.True(t, hasReason(r, "疑似日历/会话等无限地址陷阱"), "the cap is recorded")
		},
		"session-id trap": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			assert.Equal(t, 1, s.Hits("/h/s/index.jsp"), "every ;jsessionid= variant is the same page")
			assert.Equal(t, 1, s.Hits("/h/s/other.jsp"))
			for _, e := range r.entries {
				assert.NotContains(t, strings.ToLower(e.URL), "jsessionid")
			}
		},
		"long URLs": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			assert.GreaterOrEqual(t, r.stats.LongURLs, 2, "the 3 KB link and the grown one")
			assert.LessOrEqual(t, s.Hits("/h/long.html"), 12, "the growing URL stops at 2 KB")
			assert.True(t, hasReason(r, "超过 2048 字节上限"))
			for _, e := range r.entries {
				assert.LessOrEqual(t, len(e.URL), DefaultMaxURLLength)
			}
		},
		"redirect chain": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			assert.Equal(t, 1+maxRedirects, s.Hits("/h/r"), "at most 10 redirects are followed")
		},
		"internal addresses": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			// The start host here is 127.0.0.1, not public: the links
			// are plain off-site links, neither requested nor recorded.
			assert.Zero(t, r.stats.Internal)
		},
		"redirect to metadata service": func(t *testing.T, s *fixtureserver.Server, r result, m *site.Site) {
			assert.Equal(t, 302, r.one(t, s.URL()+"h/meta-redirect").Status, "recorded as its 3xx, not followed")
		},
	}
	for _, c := range fixtureserver.Hostile(sz) {
		t.Run(c.Name, func(t *testing.T) {
			check := checks[c.Name]
			require.NotNil(t, check, "no check for case %q", c.Name)
			s := hostileServer(t, c)
			opt := quick(s.URL())
			opt.Deadline = 60 * time.Second
			opt.MaxPages = 40
			if c.Name == "many dead links" {
				opt.MaxPages = 5000 // pageBudget: the per-page limits must do it
			}
			opt.PatternBudget = 10
			opt.MaxBodySize = int64(pageLimit)
			var r result
			var m *site.Site
			began := time.Now()
			grew := heapwatch.Peak(func() {
				r = crawl(t, context.Background(), opt)
				m = r.model(s.URL())
			})
			took := time.Since(began)
			t.Logf("%s: %v, heap +%d MiB, %d entries, stats %+v", c.Name, took, grew>>20, len(r.entries), r.stats)
			require.NoError(t, r.err)
			assert.Less(t, took, 45*time.Second, "within the deadline")
			assert.NotEqual(t, "deadline", r.stats.Stopped)
			// A page is at most 10 MiB; the snapshot entries read back
			// and the model hold it a few times over. Unbounded, a bomb
			// would be gigabytes.
			assert.Less(t, grew, uint64(400<<20), "heap")
			check(t, s, r, m)
		})
	}
}

// validText: a page of invalid bytes is still a page, its text valid UTF-8
// (whichever charset the decider settled on).
func validText(t *testing.T, p *site.Page) {
	t.Helper()
	require.NotNil(t, p)
	assert.Equal(t, site.OutcomeOK, p.Outcome)
	assert.NotEmpty(t, p.Title)
	assert.True(t, utf8.ValidString(p.Title) && utf8.ValidString(p.Text), "decoded text is valid UTF-8")
}

func hasReason(r result, part string) bool {
	for _, e := range r.entries {
		if e.Failure == site.OutcomeNotFetched && strings.Contains(e.Reason, part) {
			return true
		}
	}
	return false
}

// The site byte budget stops scheduling once spent and says so.
func TestMaxSiteBytes(t *testing.T) {
	t.Parallel()
	fs := files{"": ""}
	var home strings.Builder
	for i := range 20 {
		fmt.Fprintf(&home, `<a href="/p%d.html">p</a>`, i)
		fs[fmt.Sprintf("p%d.html", i)] = strings.Repeat("<p>正文</p>", 1000) // 12 KB
	}
	fs[""] = home.String()
	s := serve(t, fs, nil)
	opt := quick(s.URL())
	opt.MaxSiteBytes = 50 << 10
	opt.Parallelism = 1
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	assert.Equal(t, "max-bytes", r.stats.Stopped)
	assert.Less(t, r.stats.OK, 10, "scheduling stopped after about 50 KB")
	assert.Less(t, r.stats.Bytes, int64(50<<10)+20<<10)
	assert.True(t, hasReason(r, "达到上限"), "the first URL left out is recorded")
}

// A public site is crawled on its own hosts only. Links and redirects to
// internal addresses are recorded, never dialled, even with external link
// checks on; an external name is checked with one HEAD and not followed.
// Every name resolves to the loopback server through the test's dialer,
// which fails the test on any other address: no traffic leaves 127.0.0.1.
func TestPublicSiteNeverDialsInternal(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	hits := map[string]int{}
	srv := serve(t, files{
		"robots.txt": "User-agent: *\n",
		"a.html":     "cdn page",
		"page.html":  "external page",
	}, map[string]fixtureserver.Fault{
		"/": {Handler: func(w http.ResponseWriter, r *http.Request) {
			_, port, _ := strings.Cut(r.Host, ":")
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, `<html><body><a href="/h/internal.html">x</a> <a href="/h/meta-redirect">r</a> <a href="http://cdn.example.gov.cn:%s/a.html">listed host</a></body></html>`, port)
		}},
		"/h/internal.html": fixtureserver.InternalLinks(),
		"/h/meta-redirect": {Status: http.StatusFound, RedirectTo: "http://169.254.169.254/latest/meta-data/"},
	})
	loop := hostPort(srv.URL())
	port := strings.Split(loop, ":")[1]
	var d net.Dialer
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, p, _ := net.SplitHostPort(addr)
		mu.Lock()
		hits[host]++
		mu.Unlock()
		switch host {
		case "www.example.gov.cn", "example.gov.cn", "cdn.example.gov.cn", "external.example.com":
			return d.DialContext(ctx, network, "127.0.0.1:"+p)
		case "127.0.0.1":
			return d.DialContext(ctx, network, addr)
		}
		t.Errorf("dialled %s: only 127.0.0.1 may be contacted", addr)
		return nil, fmt.Errorf("test dialer: %s refused", addr)
	}
	// The external link is on the default port in the page; map it.
	start := "http://www.example.gov.cn:" + port + "/"
	opt := quick(start)
	opt.dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if h, p, _ := net.SplitHostPort(addr); p == "80" && h != "127.0.0.1" {
			addr = net.JoinHostPort(h, port)
		}
		return dial(ctx, network, addr)
	}
	opt.CheckExternal = true
	opt.Hosts = []string{"cdn.example.gov.cn"}
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)

	mu.Lock()
	defer mu.Unlock()
	for _, target := range fixtureserver.InternalTargets {
		u := mustURL(t, target)
		assert.Zero(t, hits[strings.Trim(u.Hostname(), "[]")], "%s dialled", target)
		e := r.byURL(func() string { n, _ := Normalize(target); return n.String() }())
		if assert.Len(t, e, 1, "%s recorded", target) {
			assert.Equal(t, site.OutcomeNotFetched, e[0].Failure)
			assert.Contains(t, e[0].Reason, "内网")
		}
	}
	assert.Equal(t, len(fixtureserver.InternalTargets), r.stats.Internal)
	assert.Equal(t, 302, r.one(t, start+"h/meta-redirect").Status, "the redirect inward is recorded as its 3xx")
	assert.Zero(t, hits["169.254.169.254"])

	ext := r.one(t, "http://external.example.com/page.html")
	assert.Equal(t, http.MethodHead, ext.Method, "an external target is checked with HEAD")
	assert.Equal(t, 1, r.stats.External)
	assert.Equal(t, 200, r.one(t, "http://cdn.example.gov.cn:"+port+"/a.html").Status, "a host the config lists is crawled")
}

// Without CheckExternal, an external link is neither requested nor
// recorded.
func TestExternalNotCheckedByDefault(t *testing.T) {
	t.Parallel()
	other := serve(t, files{"x.html": "x"}, nil)
	s := serve(t, files{"": `<a href="` + other.URL() + `x.html">x</a>`}, nil)
	r := crawl(t, context.Background(), quick(s.URL()))
	require.NoError(t, r.err)
	assert.Zero(t, other.Hits("/x.html"))
	assert.Empty(t, r.byURL(other.URL()+"x.html"))

	// With it, once, by HEAD, not followed further.
	opt := quick(s.URL())
	opt.CheckExternal = true
	r = crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	assert.Equal(t, 1, other.Hits("/x.html"))
	assert.Zero(t, other.Hits("/robots.txt"))
	assert.Equal(t, http.MethodHead, r.one(t, other.URL()+"x.html").Method)
}

func TestGuards(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"www.example.gov.cn": true, "8.8.8.8": true, "127.0.0.1": false, "localhost": false,
		"intranet": false, "site.local": false, "10.1.2.3": false, "[::1]": false, "gov.test": false,
	} {
		assert.Equal(t, want, publicHost(host), host)
	}
	for addr, refused := range map[string]bool{
		"10.0.0.1:80": true, "169.254.169.254:80": true, "127.0.0.1:443": true, "[::1]:80": true,
		"192.168.0.1:80": true, "100.64.1.1:80": true, "[fe80::1]:80": true, "0.0.0.0:80": true,
		"8.8.8.8:80": false, "[2001:4860::8888]:443": false,
	} {
		err := refuseInternal("tcp", addr, nil)
		assert.Equal(t, refused, err != nil, addr)
	}
	for raw, want := range map[string]string{
		"http://x.gov.cn/a;jsessionid=ABC123?x=1":      "http://x.gov.cn/a?x=1",
		"http://x.gov.cn/a/b.jsp;JSESSIONID=abc.node1": "http://x.gov.cn/a/b.jsp",
		"http://x.gov.cn/a;x=1":                        "http://x.gov.cn/a;x=1",
	} {
		u := mustURL(t, raw)
		stripSession(u)
		assert.Equal(t, want, u.String())
	}
	assert.Equal(t, patternKey(mustURL(t, "http://www.x.cn/cal.jsp?d=1")), patternKey(mustURL(t, "http://x.cn/cal.jsp?d=2")))
	assert.Equal(t, patternKey(mustURL(t, "http://x.cn/cal/2026/01/02/")), patternKey(mustURL(t, "http://x.cn/cal/2025/12/31/")))
	assert.Equal(t, patternKey(mustURL(t, "http://x.cn/2026/01/a.html")), patternKey(mustURL(t, "http://x.cn/2025/12/a.html")))
	// Articles are pages, not a trap: a TRS or Hanweb column has thousands.
	assert.NotEqual(t, patternKey(mustURL(t, "http://x.cn/zcwj/202610/t20261015_1001234.html")), patternKey(mustURL(t, "http://x.cn/zcwj/202610/t20261016_1001240.html")))
	assert.NotEqual(t, patternKey(mustURL(t, "http://x.cn/art/2026/1/2/art_12_345.html")), patternKey(mustURL(t, "http://x.cn/art/2026/1/3/art_12_346.html")))
	assert.NotEqual(t, patternKey(mustURL(t, "http://x.cn/cal.jsp?d=1")), patternKey(mustURL(t, "http://x.cn/cal.jsp?d=1&view=m")))
	assert.NotEqual(t, patternKey(mustURL(t, "http://x.cn/zcwj/1.html")), patternKey(mustURL(t, "http://x.cn/tzgg/1.html")))
}
