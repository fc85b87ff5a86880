package extract

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/site"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const realPagesDir = "../../fixtures/realpages"

func readRealPage(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(realPagesDir, name))
	require.NoError(t, err)
	return b
}

// htmlPage runs page() on an HTML body served as 200 text/html.
func htmlPage(t *testing.T, rawURL, body string) *site.Page {
	t.Helper()
	return page(Response{
		URL: rawURL, Status: 200, Body: []byte(body),
		Header:    http.Header{"Content-Type": {"text/html; charset=utf-8"}},
		FetchedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	})
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, bjtime.Zone) }
