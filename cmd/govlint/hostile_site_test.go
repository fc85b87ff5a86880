package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/fixtureserver"
)

// The whole hostile site (every case of fixtureserver.Hostile at full
// size: gzip and zip bombs, 100k nesting, a million links, a million dead
// links, calendar and session traps, entity bomb, bad PDF …) audited with
// the default settings, politeness on: the audit ends within 5 minutes
// with its report written. Takes minutes, so only with
// GOVLINT_HOSTILE_SITE=1:
//
//	GOVLINT_HOSTILE_SITE=1 go test -run TestHostileSiteDefaults -v ./cmd/govlint/
func TestHostileSiteDefaults(t *testing.T) {
	if os.Getenv("GOVLINT_HOSTILE_SITE") == "" {
		t.Skip("minutes long: set GOVLINT_HOSTILE_SITE=1 to run")
	}
	dir := t.TempDir()
	var home strings.Builder
	home.WriteString(`<html><head><meta charset="utf-8"><title>某某市财政局</title></head><body><ul>`)
	faults := map[string]fixtureserver.Fault{}
	for _, c := range fixtureserver.Hostile(fixtureserver.FullHostileSizes) {
		home.WriteString(`<li><a href="` + c.Path + `">` + c.Name + `</a></li>`)
		faults[c.Path] = c.Fault
	}
	home.WriteString(`</ul></body></html>`)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte(home.String()), 0o644))
	srv, err := fixtureserver.Start(fixtureserver.Options{Dir: dir, Faults: faults})
	require.NoError(t, err)
	t.Cleanup(srv.Close)

	out := filepath.Join(t.TempDir(), "report.json")
	began := time.Now()
	res := govlint(t, "audit", srv.URL(), "--as-of", "2026-11-20", "--quiet", "--format", "json="+out)
	took := time.Since(began)
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
	t.Logf("hostile site, default settings: %v", took)
	assert.Less(t, took, 5*time.Minute)
	b, err := os.ReadFile(out)
	require.NoError(t, err, "the report is written")
	var rep struct {
		Stats struct {
			PagesFetched int `json:"pages_fetched"`
		} `json:"stats"`
	}
	require.NoError(t, json.Unmarshal(b, &rep))
	t.Logf("pages fetched: %d", rep.Stats.PagesFetched)
}
