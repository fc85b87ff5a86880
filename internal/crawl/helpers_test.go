package crawl

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/extract"
	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/snapshot"
)

// files is a fixture site: URL path (without the leading "/") → content.
// "x/" keys are written as "x/index.html".
type files map[string]string

func writeSite(t *testing.T, fs files) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range fs {
		if name == "" || strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

func serve(t *testing.T, fs files, faults map[string]fixtureserver.Fault) *fixtureserver.Server {
	t.Helper()
	s, err := fixtureserver.Start(fixtureserver.Options{Dir: writeSite(t, fs), Faults: faults})
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

// quick returns options for a fast test crawl of start.
func quick(start string) Options {
	return Options{StartURL: start, Timeout: 5 * time.Second, Deadline: 30 * time.Second, ReadPage: readPage}
}

type result struct {
	stats   Stats
	err     error
	entries []snapshot.Entry
	took    time.Duration
}

func (r result) byURL(u string) []snapshot.Entry {
	var out []snapshot.Entry
	for _, e := range r.entries {
		if e.URL == u {
			out = append(out, e)
		}
	}
	return out
}

func (r result) one(t *testing.T, u string) snapshot.Entry {
	t.Helper()
	es := r.byURL(u)
	require.Len(t, es, 1, "entries for %s; all: %v", u, r.urls())
	return es[0]
}

func (r result) urls() []string {
	var out []string
	for _, e := range r.entries {
		out = append(out, e.URL)
	}
	return out
}

// crawl runs a crawl into a fresh snapshot and reads it back.
func crawl(t *testing.T, ctx context.Context, opt Options) result {
	t.Helper()
	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	w, err := snapshot.Create(path, snapshot.Info{StartURL: opt.StartURL})
	require.NoError(t, err)
	began := time.Now()
	st, cerr := Crawl(ctx, opt, w)
	took := time.Since(began)
	require.NoError(t, w.Close(time.Now()))
	var entries []snapshot.Entry
	_, err = snapshot.Read(path, func(e snapshot.Entry) error {
		entries = append(entries, e)
		return nil
	})
	require.NoError(t, err)
	return result{stats: st, err: cerr, entries: entries, took: took}
}

// hostDialer sends every connection to addr, whatever host name was asked
// for, so tests can use several names without DNS.
func hostDialer(addr string) func(context.Context, string, string) (net.Conn, error) {
	var d net.Dialer
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
}

func hostPort(serverURL string) string {
	return strings.TrimSuffix(strings.TrimPrefix(serverURL, "http://"), "/")
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}

// readPage is what internal/audit passes as Options.ReadPage.
func readPage(u string, status int, h http.Header, body []byte) *site.Page {
	return extract.Page(extract.Response{URL: u, Status: status, Header: h, Body: body})
}

// readAll must read exactly what io.ReadAll reads, whatever the announced
// length says: right, short, long, absent, zero.
func TestReadAllLikeIoReadAll(t *testing.T) {
	t.Parallel()
	body := strings.Repeat("政务公开0123456789", 700) // ~15 KB
	for _, hint := range []int64{-1, 0, 1, 100, int64(len(body)) - 1, int64(len(body)), int64(len(body)) + 1, 1 << 20, 1 << 30} {
		got, err := readAll(iotest.HalfReader(strings.NewReader(body)), hint)
		if err != nil || string(got) != body {
			t.Fatalf("hint %d: read %d bytes, err %v; want %d", hint, len(got), err, len(body))
		}
	}
	_, err := readAll(iotest.ErrReader(io.ErrUnexpectedEOF), 10)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("error lost: %v", err)
	}
}
