package extract

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/govlint/govlint/internal/testpages"

	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/site"
	"github.com/stretchr/testify/require"
)

const realPagesDir = testpages.RealPagesDir

func readRealPage(t *testing.T, name string) []byte { return testpages.RealPage(t, name) }

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

func gbk(t *testing.T, s string) []byte { return testpages.GBK(t, s) }

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, bjtime.Zone) }
