package probe

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/fixtureserver"
)

const goodSite = "../../fixtures/sites/finance-bureau-good"

// wafBody is a 瑞数-style challenge: the server answered, but with a script.
const wafBody = `<html><head><script type="text/javascript">$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=71256;</script>` +
	`<script type="text/javascript" r='m'>var _$x=1;</script></head><body></body></html>`

func TestProbeOutcomes(t *testing.T) {
	t.Parallel()
	srv, err := fixtureserver.Start(fixtureserver.Options{Dir: goodSite, Faults: map[string]fixtureserver.Fault{
		"/slow.html":  {Delay: time.Second},
		"/waf.html":   {Status: 412, Body: wafBody},
		"/error.html": {Status: 503, Body: "busy"},
	}})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	ctx := context.Background()
	opt := Options{Timeout: 300 * time.Millisecond}

	p := Probe(ctx, srv.URL()+"index.html", opt)
	assert.True(t, p.OK, p.Reason)
	assert.Equal(t, "ok", p.Outcome)
	assert.Equal(t, 200, p.Status)
	// The newest item on the fixture's home page (its news lists).
	assert.Equal(t, "2026-11-12", p.HomeNewest)

	p = Probe(ctx, srv.URL()+"missing.html", opt)
	assert.False(t, p.OK)
	assert.Equal(t, "dead", p.Outcome)
	assert.Equal(t, 404, p.Status)

	p = Probe(ctx, srv.URL()+"slow.html", opt)
	assert.False(t, p.OK)
	assert.Equal(t, "timeout", p.Outcome)
	assert.Less(t, p.Latency, time.Second)

	p = Probe(ctx, srv.URL()+"waf.html", opt)
	assert.False(t, p.OK)
	assert.Equal(t, "blocked", p.Outcome, "a WAF challenge is blocked, never unreachable")

	p = Probe(ctx, srv.URL()+"error.html", opt)
	assert.False(t, p.OK)
	assert.Equal(t, 503, p.Status)

	// Redirects are followed: "/" serves the index.
	p = Probe(ctx, srv.URL(), opt)
	assert.True(t, p.OK)
	assert.Equal(t, "2026-11-12", p.HomeNewest)
}

func TestFromSnapshotMissingFile(t *testing.T) {
	t.Parallel()
	_, ok, err := FromSnapshot(filepath.Join(t.TempDir(), "none.warc.gz"), "http://a.example/")
	assert.False(t, ok)
	assert.Error(t, err)
}
