package main

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/report"
)

// A site whose home page is a WAF challenge gets a report that says it
// was blocked, no score, and exit 2.
func TestBlockedSiteReport(t *testing.T) {
	t.Parallel()
	for name, f := range map[string]fixtureserver.Fault{
		"ruishu-412": fixtureserver.Ruishu412(),
		"521-cookie": fixtureserver.Cookie521(),
		"acw":        fixtureserver.AcwChallenge(),
		"illegal":    fixtureserver.IllegalRequest(),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte("<html>home</html>"), 0o644))
			srv, err := fixtureserver.Start(fixtureserver.Options{Dir: dir, Faults: map[string]fixtureserver.Fault{"/": f}})
			require.NoError(t, err)
			t.Cleanup(srv.Close)
			out := filepath.Join(t.TempDir(), "r.json")
			res := govlint(t, "audit", srv.URL(), "--as-of", "2026-11-20", "--politeness", "off", "--quiet", "--format", "json="+out)
			assert.Equal(t, exitError, res.code, res.stderr)
			r, err := report.Read(out)
			require.NoError(t, err)
			assert.True(t, r.Site.Blocked)
			assert.Zero(t, r.Score.Total)
			assert.Empty(t, r.Findings)
			assert.Contains(t, strings.Join(r.Notes, "\n"), "拦截")
			assert.Contains(t, res.stderr, "blocked")
		})
	}
}

// Faults behind the home page cost no broken-link finding and no veto.
func TestFaultsAreNoDeadLinks(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(sitesDir, "finance-bureau-good")
	exp := loadExpected(t, dir)
	faults := map[string]fixtureserver.Fault{}
	// Every page the good site links to answers with a fault.
	i := 0
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".html") || strings.HasSuffix(p, string(filepath.Separator)+"index.html") && filepath.Dir(p) == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		u := "/" + filepath.ToSlash(rel)
		switch i % 6 {
		case 0:
			faults[u] = fixtureserver.Ruishu412()
		case 1:
			faults[u] = fixtureserver.Unavailable(0, 0)
		case 2:
			faults[u] = fixtureserver.Fault{Delay: 3 * time.Second}
		case 3:
			faults[u] = fixtureserver.IllegalRequest()
		case 4:
			faults[u] = fixtureserver.Fault{TruncatedGzip: true}
		case 5:
			faults[u] = fixtureserver.Cookie521()
		}
		i++
		return nil
	})
	require.NoError(t, err)
	srv, err := fixtureserver.Start(fixtureserver.Options{Dir: dir, Faults: faults})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	out := filepath.Join(t.TempDir(), "r.json")
	res := govlint(t, "audit", strings.TrimSuffix(srv.URL(), "/")+exp.Start, "--profile", exp.Profile, "--as-of", exp.AsOf,
		"--politeness", "off", "--quiet", "--timeout", "500ms", "--format", "json="+out)
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
	r, err := report.Read(out)
	require.NoError(t, err)
	assert.False(t, r.Score.Vetoed)
	for _, f := range r.Findings {
		assert.NotEqual(t, "links.broken", f.CheckID, "%s: %s", f.URL, f.Message)
	}
	assert.Zero(t, r.Stats.PagesDead)
}

// A site build on disk audits exactly like the same files served over
// HTTP: same findings, same score.
func TestStaticDirectoryMode(t *testing.T) {
	t.Parallel()
	_, served, _, _ := auditFixture(t, "finance-bureau-flawed")
	dir := filepath.Join(sitesDir, "finance-bureau-flawed")
	exp := loadExpected(t, dir)
	out := filepath.Join(t.TempDir(), "r.json")
	res := govlint(t, "audit", dir, "--base-url", "https://czt.example.gov.cn"+exp.Start, "--profile", exp.Profile,
		"--as-of", exp.AsOf, "--quiet", "--format", "json="+out)
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
	r, err := report.Read(out)
	require.NoError(t, err)
	assert.Equal(t, dir, r.Site.Directory)
	assert.Equal(t, served.Score.Total, r.Score.Total)
	keys := func(r *report.Report) []string {
		var out []string
		for _, f := range r.Findings {
			out = append(out, f.CheckID+"|"+hostRe.ReplaceAllString(f.Subject, "HOST")+"|"+pathOf(f.URL))
		}
		sort.Strings(out)
		return out
	}
	assert.Equal(t, keys(served), keys(r))
	assert.NotEmpty(t, keys(r))
}

var hostRe = regexp.MustCompile(`https?://[^/]+`)

func TestCrawlFlagErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{
		{"audit", dir}, // a directory needs --base-url
		{"audit", "http://127.0.0.1:1/", "--base-url", "http://a.gov.cn/"}, // --base-url needs a directory
		{"audit", "http://127.0.0.1:1/", "--robots", "maybe"},
		{"audit", "http://127.0.0.1:1/", "--column-budget", "0"},
		{"audit", dir, "--base-url", "ftp://a.gov.cn/"},
	} {
		res := govlint(t, args...)
		assert.Equal(t, exitError, res.code, "%v: %s", args, res.stderr)
		assert.NotEmpty(t, res.stderr, "%v", args)
	}
}
