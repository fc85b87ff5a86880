package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/report"
)

// TestBatchProbeHistoryCommands runs the assessor's commands end to end on
// one fixture site: batch (with a bad CSV row), probe, audit --db, history.
func TestBatchProbeHistoryCommands(t *testing.T) {
	t.Parallel()
	srv, err := fixtureserver.Start(fixtureserver.Options{Dir: filepath.Join(sitesDir, "finance-bureau-good")})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	tmp := t.TempDir()
	db := filepath.Join(tmp, "govlint.db")
	csv := filepath.Join(tmp, "sites.csv")
	start := srv.URL() + "index.html"
	require.NoError(t, os.WriteFile(csv, []byte("url,name,parent,site_id\n"+
		start+",云岭省财政厅,云岭省人民政府,5300000012\n"+
		"not a url,坏行,,\n"), 0o644))
	out := filepath.Join(tmp, "out")

	res := govlint(t, "batch", csv, "--out", out, "--as-of", "2026-11-20", "--politeness", "off", "--quiet", "--db", db, "--max-pages", "30")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stderr, "sites.csv:3: row skipped")
	assert.Contains(t, res.stdout, "完成 1 个网站")
	assert.FileExists(t, filepath.Join(out, "league.xlsx"))
	assert.FileExists(t, filepath.Join(out, "league.html"))
	r, err := report.Read(filepath.Join(out, "sites", "5300000012", "report.json"))
	require.NoError(t, err)
	for _, n := range r.Notes {
		assert.False(t, strings.HasPrefix(n, "本报告基于单次抓取"), "with --db the history notes replace the single-run note")
	}

	// The same command again resumes: nothing left to do.
	res = govlint(t, "batch", csv, "--out", out, "--as-of", "2026-11-20", "--politeness", "off", "--quiet", "--db", db)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "此前已完成 1")

	res = govlint(t, "probe", start, "--db", db, "--timeout", "5s")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "首页最新 2026-11-12")

	jsonPath := filepath.Join(tmp, "audit.json")
	res = govlint(t, "audit", start, "--as-of", "2026-11-21", "--politeness", "off", "--quiet", "--db", db, "--max-pages", "30", "--format", "json="+jsonPath)
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)

	res = govlint(t, "history", "5300000012", "--db", db, "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	var h struct {
		Site struct {
			URL    string `json:"url"`
			SiteID string `json:"site_id"`
		} `json:"site"`
		Runs []struct {
			ID       int64  `json:"id"`
			AsOf     string `json:"as_of"`
			SiteURL  string `json:"site_url"`
			Snapshot string `json:"snapshot"`
			New      []struct {
				CheckID string `json:"check_id"`
			} `json:"new"`
		} `json:"runs"`
		Probes int `json:"probes_7d"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &h))
	require.Len(t, h.Runs, 2)
	// The report's snake_case names, never Go's field names.
	assert.Equal(t, "2026-11-20", h.Runs[0].AsOf)
	assert.Equal(t, "2026-11-21", h.Runs[1].AsOf)
	assert.Equal(t, start, h.Runs[0].SiteURL)
	assert.Equal(t, "5300000012", h.Site.SiteID)
	// Each run records where its WARC is, absolute, for `govlint serve`.
	assert.Equal(t, filepath.Join(out, "sites", "5300000012", "snapshot.warc.gz"), h.Runs[0].Snapshot)
	assert.Equal(t, filepath.Join(tmp, "audit.warc.gz"), h.Runs[1].Snapshot)
	for _, n := range h.Runs[1].New {
		assert.NotEmpty(t, n.CheckID)
	}
	assert.NotRegexp(t, `"[A-Z]\w*":`, res.stdout, "no Go field name in the JSON")

	res = govlint(t, "history", "5300000012", "--db", db)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "云岭省财政厅")
	// The runs table lines up by display width: the last column (首页最新)
	// starts at the same terminal column in the header and every run,
	// whatever the width of the Chinese verdicts before it.
	var head string
	var rows []string
	for _, l := range strings.Split(res.stdout, "\n") {
		switch {
		case strings.HasPrefix(l, "运行"):
			head = l
		case head != "" && len(rows) < 2 && l != "" && !strings.HasPrefix(l, "  "):
			rows = append(rows, l)
		}
	}
	require.Len(t, rows, 2, res.stdout)
	for _, row := range rows {
		f := strings.Fields(row)
		assert.Equal(t, columnAt(t, head, "结论"), columnAt(t, row, " "+f[4])+1, row)
		assert.Equal(t, columnAt(t, head, "首页最新"), columnAt(t, row, " "+f[len(f)-1])+1, row)
	}

	// A stored run's report, for diffing runs.
	res = govlint(t, "history", "5300000012", "--db", db, "--run", "1", "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, `"as_of": "2026-11-20"`)

	// diff works across stored runs: every finding of the first run is
	// fixed or unchanged, every finding of the second new or unchanged
	// (the two crawls may read different pages under --max-pages).
	res = govlint(t, "diff", "--db", db, strconv.FormatInt(h.Runs[0].ID, 10), strconv.FormatInt(h.Runs[1].ID, 10), "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	var d struct {
		Fixed     []json.RawMessage `json:"fixed"`
		New       []json.RawMessage `json:"new"`
		Unchanged []json.RawMessage `json:"unchanged"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &d), res.stdout)
	second, err := report.Read(jsonPath)
	require.NoError(t, err)
	assert.Equal(t, len(r.Findings), len(d.Fixed)+len(d.Unchanged), "the first run's findings are fixed or unchanged")
	assert.Equal(t, len(second.Findings), len(d.New)+len(d.Unchanged), "the second run's findings are new or unchanged")
	res = govlint(t, "diff", "--db", db, "1", "999")
	assert.Equal(t, exitError, res.code, "an unknown run is an error")
	res = govlint(t, "diff", "--db", db, "1", "old.json")
	assert.Equal(t, exitError, res.code)
	assert.Contains(t, res.stderr, "run IDs")
}

func TestBatchProbeHistoryUsageErrors(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	empty := filepath.Join(tmp, "empty.csv")
	require.NoError(t, os.WriteFile(empty, []byte("url\n"), 0o644))
	one := filepath.Join(tmp, "one.csv")
	require.NoError(t, os.WriteFile(one, []byte("url\nhttp://127.0.0.1:1/\n"), 0o644))
	badRubric := filepath.Join(tmp, "rubric.yaml")
	require.NoError(t, os.WriteFile(badRubric, []byte("categoriez: []\n"), 0o644))
	for _, args := range [][]string{
		{"batch", one, "--rubric", filepath.Join(tmp, "no-such-rubric.yaml"), "--out", filepath.Join(tmp, "out")},
		{"batch", one, "--rubric", badRubric, "--out", filepath.Join(tmp, "out")},
		{"batch"},
		{"batch", filepath.Join(tmp, "missing.csv")},
		{"batch", empty},
		{"batch", empty, "--parallel", "0"},
		{"probe"},
		{"probe", "ftp://x.example/"},
		{"history", "x", "--db", filepath.Join(tmp, "missing.db")},
		{"history", "x", "--format", "xml"},
	} {
		res := govlint(t, args...)
		assert.Equal(t, exitError, res.code, "%v: %s", args, res.stderr)
		assert.Contains(t, res.stderr, "govlint", "%v", args)
		assert.NotContains(t, res.stderr, "panic", "%v", args)
	}
	assert.NoFileExists(t, filepath.Join(tmp, "missing.db"), "a query must not create a database")
}
