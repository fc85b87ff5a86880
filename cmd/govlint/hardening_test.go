package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/govlint/govlint/internal/fixtureserver"
)

// A page publishing a full ID number: every report format carries only
// the masked form, and the HTML report escapes the page's markup.
func TestReportsMaskPersonalData(t *testing.T) {
	t.Parallel()
	const id = "11010519491231002X" // the standard's sample number: valid check digit
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	write("index.html", `<html><head><meta charset="utf-8"><title>某某市财政局</title></head><body>
<a href="/gs/1.html">公示</a></body></html>`)
	write("gs/1.html", `<html><head><meta charset="utf-8"><title>补贴发放名单公示<script>alert(1)</script></title></head><body>
<table><tr><th>姓名</th><th>身份证号</th></tr><tr><td>张三</td><td>`+id+`</td></tr></table></body></html>`)
	srv, err := fixtureserver.Start(fixtureserver.Options{Dir: dir})
	require.NoError(t, err)
	t.Cleanup(srv.Close)

	out := t.TempDir()
	formats := []string{"json", "text", "html", "csv", "xlsx", "markdown", "sarif", "junit", "annotations"}
	args := []string{"audit", srv.URL(), "--as-of", "2026-11-20", "--politeness", "off", "--quiet", "--site-timeout", "1m"}
	for _, f := range formats {
		args = append(args, "--format", f+"="+filepath.Join(out, "r."+f))
	}
	res := govlint(t, args...)
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)

	js, err := os.ReadFile(filepath.Join(out, "r.json"))
	require.NoError(t, err)
	require.Contains(t, string(js), "privacy.id-number", "the ID is found")
	masked := id[:4] + strings.Repeat("*", 10) + id[14:]
	assert.Contains(t, string(js), masked, "and shown masked")
	for _, f := range formats {
		b, err := os.ReadFile(filepath.Join(out, "r."+f))
		require.NoError(t, err, f)
		text := string(b)
		if f == "xlsx" {
			text = xlsxText(t, filepath.Join(out, "r.xlsx"))
		}
		assert.NotContains(t, text, id, "%s carries the full ID number", f)
		assert.NotContains(t, text, id[:17], "%s carries the ID number's digits", f)
	}
	html, _ := os.ReadFile(filepath.Join(out, "r.html"))
	assert.NotContains(t, string(html), "<script>alert(1)</script>", "page text is escaped")
}

func xlsxText(t *testing.T, path string) string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		require.NoError(t, err)
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t"))
			b.WriteByte('\n')
		}
	}
	require.NotEmpty(t, b.String())
	return b.String()
}

// --site-timeout bounds the crawl: a site that answers slowly is audited
// with what arrived by then, and a bad value is a usage error.
func TestSiteTimeout(t *testing.T) {
	t.Parallel()
	res := govlint(t, "audit", "http://127.0.0.1:1/", "--site-timeout", "0s")
	assert.Equal(t, exitError, res.code)
	assert.Contains(t, res.stderr, "--site-timeout")

	dir := t.TempDir()
	var home strings.Builder
	home.WriteString(`<html><head><meta charset="utf-8"><title>某某市财政局</title></head><body>`)
	faults := map[string]fixtureserver.Fault{}
	for _, p := range []string{"/a.html", "/b.html", "/c.html"} {
		home.WriteString(`<a href="` + p + `">x</a>`)
		faults[p] = fixtureserver.Fault{Delay: 60 * time.Second}
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte(home.String()), 0o644))
	srv, err := fixtureserver.Start(fixtureserver.Options{Dir: dir, Faults: faults})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	out := filepath.Join(t.TempDir(), "r.json")
	began := time.Now()
	res = govlint(t, "audit", srv.URL(), "--as-of", "2026-11-20", "--politeness", "off", "--quiet",
		"--site-timeout", "1500ms", "--format", "json="+out)
	// Far below the pages' 60 s delay, with room for a loaded 2-core machine.
	assert.Less(t, time.Since(began), 30*time.Second)
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
	_, err = os.Stat(out)
	assert.NoError(t, err, "the report is written")
}
