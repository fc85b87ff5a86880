package audit

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/site"
)

// listenV6 starts a test server on [::1], or skips when the machine has no
// IPv6 loopback.
func listenV6(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback on this machine ([::1]): %v", err)
	}
	s := &httptest.Server{Listener: ln, Config: &http.Server{Handler: h}}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

func noAAAA(context.Context, string) ([]net.IP, error) { return nil, errors.New("no AAAA (test)") }

func loopback6(_ context.Context, host string) ([]net.IP, error) {
	if host == "www.example.gov.cn" {
		return []net.IP{net.IPv6loopback}, nil
	}
	return nil, errors.New("unknown host (test)")
}

// The probe fetches the start URL from the host's AAAA address with the
// site's own Host header; an IPv4 start address is not judged; a host
// without AAAA or a server not listening on IPv6 is recorded as such.
func TestProbeIPv6(t *testing.T) {
	var mu sync.Mutex
	var hosts []string
	s := listenV6(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hosts = append(hosts, r.Host)
		mu.Unlock()
		w.Write([]byte("<html>ok</html>"))
	}))
	_, port, _ := net.SplitHostPort(s.Listener.Addr().String())
	ctx := context.Background()

	lit, _ := url.Parse("http://[::1]:" + port + "/")
	p := probeIPv6(ctx, lit, noAAAA, "t")
	require.NotNil(t, p)
	assert.Equal(t, []string{"::1"}, p.AAAA)
	assert.Equal(t, 200, p.Status)

	named, _ := url.Parse("http://www.example.gov.cn:" + port + "/index.html")
	p = probeIPv6(ctx, named, loopback6, "t")
	assert.Equal(t, 200, p.Status, p.Error)
	assert.Contains(t, hosts, "www.example.gov.cn:"+port, "the site's Host header")

	p = probeIPv6(ctx, named, noAAAA, "t")
	assert.Empty(t, p.AAAA)
	assert.Zero(t, p.Status)
	assert.Contains(t, p.Error, "no AAAA")

	v4, _ := url.Parse("http://127.0.0.1:" + port + "/")
	assert.Nil(t, probeIPv6(ctx, v4, loopback6, "t"))

	// A server on IPv4 only: the AAAA address refuses.
	only4 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer only4.Close()
	_, port4, _ := net.SplitHostPort(only4.Listener.Addr().String())
	named4, _ := url.Parse("http://www.example.gov.cn:" + port4 + "/")
	p = probeIPv6(ctx, named4, loopback6, "t")
	assert.Equal(t, []string{"::1"}, p.AAAA)
	assert.Zero(t, p.Status)
	assert.NotEmpty(t, p.Error)

	round := decodeIPv6(encodeIPv6(&site.IPv6Probe{Host: "h", AAAA: []string{"::1", "2001:db8::1"}, Status: 301, Error: "a;b=c"}))
	assert.Equal(t, &site.IPv6Probe{Host: "h", AAAA: []string{"::1", "2001:db8::1"}, Status: 301, Error: "a;b=c"}, round)
}

// An audit of a site served on [::1] records the probe in the snapshot, so
// `govlint check` sees it offline, and finds nothing to report.
func TestAuditOnIPv6LoopbackRecordsProbe(t *testing.T) {
	if ln, err := net.Listen("tcp", "[::1]:0"); err != nil {
		t.Skipf("no IPv6 loopback on this machine ([::1]): %v", err)
	} else {
		ln.Close()
	}
	srv, err := fixtureserver.Start(fixtureserver.Options{Dir: "../../fixtures/sites/finance-bureau-good", Addr: "[::1]:0"})
	require.NoError(t, err)
	defer srv.Close()
	asOf, _ := ParseAsOf("2026-11-20")
	archive := filepath.Join(t.TempDir(), "s.warc.gz")
	rep, err := Audit(context.Background(), Options{URL: srv.URL() + "index.html", Profile: "finance-bureau", AsOf: asOf,
		Archive: archive, MaxPages: 200, Version: "test", Timeout: 5 * time.Second, LookupIPv6: noAAAA})
	require.NoError(t, err)
	for _, f := range rep.Findings {
		assert.NotEqual(t, "ipv6.reachable", f.CheckID, f.Message)
	}
	s, _, err := Load(archive)
	require.NoError(t, err)
	defer s.Texts.Close()
	require.NotNil(t, s.IPv6)
	assert.Equal(t, 200, s.IPv6.Status)
	assert.Equal(t, []string{"::1"}, s.IPv6.AAAA)
}
