package fixtureserver

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const secret = "TOP-SECRET-OUTSIDE-ROOT"

// site builds:
//
//	outside/secret.txt            (must never be served)
//	site/index.html
//	site/robots.txt
//	site/xxgk/index.html
//	site/xxgk/gbk.html + gbk.html.headers
//	site/waf.html + waf.html.headers (Status: 412)
//	site/files/a.pdf
//	site/empty/                   (no index.html)
//	site/leak.txt -> ../outside/secret.txt
//	site/leakdir -> ../outside
//	site/ok-link.html -> xxgk/index.html
func site(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	root := filepath.Join(base, "site")
	write := func(name, content string) {
		p := filepath.Join(base, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	write("outside/secret.txt", secret)
	write("site/index.html", "<html>home</html>")
	write("site/robots.txt", "User-agent: *\nDisallow: /private/\n")
	write("site/xxgk/index.html", "<html>xxgk</html>")
	write("site/xxgk/gbk.html", "\xb2\xc6\xd5\xfe")
	write("site/xxgk/gbk.html.headers", "# declared like a real server\nContent-Type: text/html; charset=gbk\nX-Powered-By: TRS\n")
	write("site/waf.html", "<script>challenge()</script>")
	write("site/waf.html.headers", "Status: 412\nSet-Cookie: a=1\nSet-Cookie: b=2\n")
	write("site/files/a.pdf", "%PDF-1.4")
	require.NoError(t, os.MkdirAll(filepath.Join(root, "empty"), 0o755))
	require.NoError(t, os.Symlink("../outside/secret.txt", filepath.Join(root, "leak.txt")))
	require.NoError(t, os.Symlink("../outside", filepath.Join(root, "leakdir")))
	require.NoError(t, os.Symlink("xxgk/index.html", filepath.Join(root, "ok-link.html")))
	return root
}

func start(t *testing.T, opt Options) *Server {
	t.Helper()
	s, err := Start(opt)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

// raw sends a request line byte for byte, so no client library cleans the
// path before it reaches the server.
func raw(t *testing.T, s *Server, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(s.URL(), "http://"), "/"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", target)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestURLIsLoopback(t *testing.T) {
	s := start(t, Options{Dir: site(t)})
	assert.Regexp(t, `^http://127\.0\.0\.1:\d+/$`, s.URL())
}

func TestIndexResolution(t *testing.T) {
	s := start(t, Options{Dir: site(t)})
	resp, body := get(t, s.URL())
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "<html>home</html>", body)
	assert.Equal(t, "text/html", resp.Header.Get("Content-Type"), "no charset parameter")

	resp, body = get(t, s.URL()+"xxgk/")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "<html>xxgk</html>", body)

	resp, _ = get(t, s.URL()+"xxgk")
	assert.Equal(t, http.StatusMovedPermanently, resp.StatusCode)
	assert.Equal(t, "/xxgk/", resp.Header.Get("Location"))

	resp, _ = get(t, s.URL()+"empty/")
	assert.Equal(t, 404, resp.StatusCode, "no directory listings")

	resp, body = get(t, s.URL()+"robots.txt")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, body, "Disallow: /private/")
	assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))

	resp, _ = get(t, s.URL()+"files/a.pdf")
	assert.Equal(t, "application/pdf", resp.Header.Get("Content-Type"))

	resp, body = get(t, s.URL()+"ok-link.html")
	assert.Equal(t, 200, resp.StatusCode, "a symlink inside the root is fine")
	assert.Equal(t, "<html>xxgk</html>", body)
}

func TestNotFound(t *testing.T) {
	s := start(t, Options{Dir: site(t)})
	for _, p := range []string{"nope.html", "xxgk/nope/", "files/b.pdf", "xxgk/gbk.html.headers"} {
		resp, _ := get(t, s.URL()+p)
		assert.Equal(t, 404, resp.StatusCode, p)
	}
}

func TestPathTraversalRefused(t *testing.T) {
	s := start(t, Options{Dir: site(t)})
	for _, target := range []string{
		"/../outside/secret.txt",
		"/xxgk/../../outside/secret.txt",
		"/%2e%2e/outside/secret.txt",
		"/%2E%2E/%2e%2e/outside/secret.txt",
		"/xxgk/%2e%2e/%2e%2e/outside/secret.txt",
		"/..%2foutside%2fsecret.txt",
		"/%2e%2e%2foutside%2fsecret.txt",
		"/xxgk%2f..%2f..%2foutside%2fsecret.txt",
		"/..%5coutside%5csecret.txt",
		"/..\\outside\\secret.txt",
		"/leak.txt",
		"/leakdir/secret.txt",
		"/leakdir/",
		"//../outside/secret.txt",
	} {
		code, body := raw(t, s, target)
		assert.NotEqual(t, 200, code, target)
		assert.NotContains(t, body, secret, target)
	}
}

func TestSidecarHeaders(t *testing.T) {
	s := start(t, Options{Dir: site(t)})
	resp, body := get(t, s.URL()+"xxgk/gbk.html")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "text/html; charset=gbk", resp.Header.Get("Content-Type"))
	assert.Equal(t, "TRS", resp.Header.Get("X-Powered-By"))
	assert.Equal(t, "\xb2\xc6\xd5\xfe", body, "bytes unchanged")

	resp, body = get(t, s.URL()+"waf.html")
	assert.Equal(t, 412, resp.StatusCode)
	assert.Equal(t, []string{"a=1", "b=2"}, resp.Header.Values("Set-Cookie"))
	assert.Contains(t, body, "challenge")
	assert.Empty(t, resp.Header.Values("Status"), "Status is not sent as a header")
}

func TestFaults(t *testing.T) {
	s := start(t, Options{Dir: site(t), Faults: map[string]Fault{
		"/xxgk/":     {Status: 503, Body: "busy", Header: map[string]string{"Retry-After": "5"}},
		"/old.html":  {RedirectTo: "/xxgk/", Status: 301},
		"/moved":     {RedirectTo: "http://127.0.0.1:1/elsewhere"},
		"/slow.html": {Delay: 150 * time.Millisecond},
		"/index.html": {Header: map[string]string{"Server": "nginx"}, Status: 200,
			Body: "<p>fault body</p>"},
	}})

	resp, body := get(t, s.URL()+"xxgk/")
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, "busy", body)
	assert.Equal(t, "5", resp.Header.Get("Retry-After"))

	resp, _ = get(t, s.URL()+"old.html")
	assert.Equal(t, 301, resp.StatusCode)
	assert.Equal(t, "/xxgk/", resp.Header.Get("Location"))

	resp, _ = get(t, s.URL()+"moved")
	assert.Equal(t, 302, resp.StatusCode, "default redirect status")

	began := time.Now()
	resp, _ = get(t, s.URL()+"slow.html")
	assert.GreaterOrEqual(t, time.Since(began), 150*time.Millisecond)
	assert.Equal(t, 404, resp.StatusCode, "a delay-only fault then serves normally (here: missing file)")

	resp, body = get(t, s.URL()+"index.html")
	assert.Equal(t, "<p>fault body</p>", body)
	assert.Equal(t, "nginx", resp.Header.Get("Server"))
}

func TestDelayEndsOnClose(t *testing.T) {
	s, err := Start(Options{Dir: site(t), Faults: map[string]Fault{"/hang": {Delay: time.Hour}}})
	require.NoError(t, err)
	go func() {
		resp, err := http.Get(s.URL() + "hang")
		if err == nil {
			resp.Body.Close()
		}
	}()
	require.Eventually(t, func() bool { return s.Hits("/hang") == 1 }, 2*time.Second, 5*time.Millisecond)
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("Close blocked on a delayed request")
	}
}

func TestHits(t *testing.T) {
	s := start(t, Options{Dir: site(t)})
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(s.URL() + "xxgk/")
			if err == nil {
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	get(t, s.URL()+"nope.html")
	assert.Equal(t, 10, s.Hits("/xxgk/"))
	assert.Equal(t, 1, s.Hits("/nope.html"), "misses count too")
	assert.Equal(t, 0, s.Hits("/"))
}

func TestStartErrors(t *testing.T) {
	_, err := Start(Options{})
	assert.Error(t, err)
	_, err = Start(Options{Dir: filepath.Join(t.TempDir(), "missing")})
	assert.Error(t, err)
	_, err = Start(Options{Dir: t.TempDir(), Addr: "127.0.0.1:-1"})
	assert.Error(t, err)
}

func TestBadSidecarIs500(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte("x"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html.headers"), []byte("no colon here\n"), 0o644))
	s := start(t, Options{Dir: dir})
	resp, body := get(t, s.URL())
	assert.Equal(t, 500, resp.StatusCode)
	assert.Contains(t, body, "index.html.headers:1")
}

func TestFaultTimes(t *testing.T) {
	s := start(t, Options{Dir: site(t), Faults: map[string]Fault{"/xxgk/": RateLimited(2*time.Second, 2)}})
	for i := range 2 {
		resp, _ := get(t, s.URL()+"xxgk/")
		assert.Equal(t, 429, resp.StatusCode, "request %d", i+1)
		assert.Equal(t, "2", resp.Header.Get("Retry-After"))
	}
	resp, body := get(t, s.URL()+"xxgk/")
	assert.Equal(t, 200, resp.StatusCode, "the fault clears after Times requests")
	assert.Equal(t, "<html>xxgk</html>", body)
}

func TestFaultLargeBody(t *testing.T) {
	const size = 3<<20 + 17
	s := start(t, Options{Dir: site(t), Faults: map[string]Fault{"/big.html": {BodySize: size}}})
	resp, body := get(t, s.URL()+"big.html")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Len(t, body, size)
	assert.True(t, strings.HasPrefix(body, "<html>"))
	assert.Contains(t, body[size-200:], "<p>", "the body is HTML to the end")
}

func TestFaultTruncatedGzip(t *testing.T) {
	s := start(t, Options{Dir: site(t), Faults: map[string]Fault{"/xxgk/": {TruncatedGzip: true, Body: strings.Repeat("<p>财政</p>", 500)}}})
	req, err := http.NewRequest(http.MethodGet, s.URL()+"xxgk/", nil)
	require.NoError(t, err)
	req.Header.Set("Accept-Encoding", "gzip") // keep the raw stream
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err, "the HTTP body itself is complete")
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	require.NoError(t, err)
	_, err = io.ReadAll(zr)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "the gzip stream is cut")
}

func TestFaultStall(t *testing.T) {
	s := start(t, Options{Dir: site(t), Faults: map[string]Fault{"/xxgk/": {Stall: 300 * time.Millisecond}}})
	began := time.Now()
	resp, body := get(t, s.URL()+"xxgk/")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "<html>xxgk</html>", body, "the file is sent in two parts")
	assert.GreaterOrEqual(t, time.Since(began), 300*time.Millisecond)
}
