package main

import (
	"encoding/json"
	"github.com/govlint/govlint/internal/report"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/crawl"
	"github.com/govlint/govlint/internal/fixtureserver"
)

// External link targets are asked only with --check-external, once, and
// never crawled further.
func TestCheckExternalFlag(t *testing.T) {
	other, err := fixtureserver.Start(fixtureserver.Options{Dir: t.TempDir(), Faults: map[string]fixtureserver.Fault{
		"/target.html": {Status: 200, Body: `<html><title>外站</title><a href="/deeper.html">更深</a></html>`},
	}})
	require.NoError(t, err)
	t.Cleanup(other.Close)
	site, err := fixtureserver.Start(fixtureserver.Options{Dir: t.TempDir(), Faults: map[string]fixtureserver.Fault{
		"/start.html": {Status: 200, Body: `<html><head><title>首页</title></head><body><a href="` + other.URL() + `target.html">外链</a></body></html>`},
	}})
	require.NoError(t, err)
	t.Cleanup(site.Close)

	run := func(extra ...string) {
		args := append([]string{"audit", site.URL() + "start.html", "--quiet", "--politeness", "off",
			"--format", "json=" + filepath.Join(t.TempDir(), "r.json")}, extra...)
		res := govlint(t, args...)
		require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
	}
	run()
	assert.Equal(t, 0, other.Hits("/target.html"), "external links are not requested by default")
	run("--check-external")
	assert.Equal(t, 1, other.Hits("/target.html"), "--check-external asks each external target once")
	assert.Equal(t, 0, other.Hits("/deeper.html"), "and never crawls the other site")
}

func TestLimitFlagsRejectBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"audit", "http://127.0.0.1:1/", "--pattern-budget", "0"},
		{"audit", "http://127.0.0.1:1/", "--max-site-bytes", "-5"},
	} {
		res := govlint(t, args...)
		assert.Equal(t, exitError, res.code, "%v", args)
		assert.Contains(t, res.stderr, args[2], "%v", args)
	}
}

// hosts: in .govlint.yaml puts another host name in scope: the same
// loopback server is reached as "localhost", which is out of scope unless
// the config lists it.
func TestConfigHostsInScope(t *testing.T) {
	site, err := fixtureserver.Start(fixtureserver.Options{Dir: t.TempDir(), Faults: map[string]fixtureserver.Fault{
		"/start.html": {Status: 200, Body: "<html><title>首页</title></html>"},
		"/page.html":  {Status: 200, Body: "<html><title>另一域名</title></html>"},
	}})
	require.NoError(t, err)
	t.Cleanup(site.Close)
	port := strings.TrimSuffix(strings.TrimPrefix(site.URL(), "http://127.0.0.1:"), "/")
	site.Close()
	site, err = fixtureserver.Start(fixtureserver.Options{Dir: t.TempDir(), Addr: "127.0.0.1:" + port, Faults: map[string]fixtureserver.Fault{
		"/start.html": {Status: 200, Body: `<html><title>首页</title><a href="http://localhost:` + port + `/page.html">链接</a></html>`},
		"/page.html":  {Status: 200, Body: "<html><title>另一域名</title></html>"},
	}})
	require.NoError(t, err)
	t.Cleanup(site.Close)

	audit := func(config string) {
		dir := t.TempDir()
		args := []string{"audit", site.URL() + "start.html", "--quiet", "--politeness", "off",
			"--format", "json=" + filepath.Join(dir, "r.json")}
		if config != "" {
			cfg := filepath.Join(dir, "govlint.yaml")
			require.NoError(t, os.WriteFile(cfg, []byte(config), 0o644))
			args = append(args, "--config", cfg)
		}
		res := govlint(t, args...)
		require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
	}
	audit("")
	assert.Equal(t, 0, site.Hits("/page.html"), "another host name is out of scope")
	audit("hosts: [localhost]\n")
	assert.Equal(t, 1, site.Hits("/page.html"), "a host the config lists is crawled")
}

func TestProgressLine(t *testing.T) {
	line := progressLine(crawl.Stats{Fetched: 12, Queued: 20, OK: 9, Dead: 1, Blocked: 0, Errors: 1, Current: "/zcwj/index_1.html\x1b[2J"})
	assert.Contains(t, line, "已抓取 12 个地址")
	assert.Contains(t, line, "待抓取 9")
	assert.Contains(t, line, "当前：/zcwj/index_1.html")
	assert.NotContains(t, line, "\x1b", "control characters from a server never reach the terminal")
	assert.Contains(t, progressLine(crawl.Stats{Fetched: 3, Queued: 1, OK: 3}), "待抓取 0", "never negative")
}

// A static-directory audit never reads outside the directory, and the report
// says which path was refused.
func TestStaticDirEscapeRefusedAndReported(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.html")
	require.NoError(t, os.WriteFile(secret, []byte("<html><title>机密</title>不应读取</html>"), 0o644))
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"),
		[]byte(`<html><head><title>首页</title></head><body><a href="/leak.html">链接</a></body></html>`), 0o644))
	if err := os.Symlink(secret, filepath.Join(dir, "leak.html")); err != nil {
		t.Skipf("symlinks not available: %v", err)
	}
	out := filepath.Join(t.TempDir(), "r.json")
	res := govlint(t, "audit", dir, "--base-url", "https://www.example.gov.cn/", "--quiet", "--format", "json="+out)
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
	r, err := report.Read(out)
	require.NoError(t, err)
	notes := strings.Join(r.Notes, "\n")
	assert.Contains(t, notes, "https://www.example.gov.cn/leak.html", "the refused path is reported")
	assert.Contains(t, notes, "未抓取")
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "不应读取", "nothing outside the directory reaches the report")
}
