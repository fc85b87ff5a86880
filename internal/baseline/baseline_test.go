package baseline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/report"
)

func rep(host string, subjects ...string) *report.Report {
	r := &report.Report{SchemaVersion: report.SchemaVersion, Site: report.Site{URL: host + "/index.html", AsOf: "2026-11-20"}}
	for _, s := range subjects {
		u := host + "/" + s + ".html"
		r.Findings = append(r.Findings, report.Finding{Finding: checks.Finding{
			CheckID: "links.broken", URL: u, Subject: host + "/dead/" + s, Fingerprint: checks.Fingerprint("links.broken", u, host+"/dead/"+s),
		}})
	}
	return r
}

func TestRoundTripAndApply(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "b.json")
	require.NoError(t, Write(path, rep("http://127.0.0.1:1", "a", "b")))
	b, err := Read(path)
	require.NoError(t, err)
	require.Len(t, b.Findings, 2)

	// The same site on another port: a, b known; c new.
	r := rep("http://127.0.0.1:2", "a", "b", "c")
	Apply(r, b, path)
	require.Len(t, r.Findings, 1)
	assert.Equal(t, "http://127.0.0.1:2/c.html", r.Findings[0].URL)
	assert.Equal(t, &report.Baseline{File: path, Suppressed: 2}, r.Baseline)
}

func TestReadRejectsBadFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"garbage.json": "not json",
		"v2.json":      `{"schema_version": 2, "findings": []}`,
		"nofp.json":    `{"schema_version": 1, "findings": [{"check_id": "x"}]}`,
	} {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		_, err := Read(p)
		assert.Error(t, err, name)
		assert.Contains(t, err.Error(), name)
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	d := Compare(rep("http://a", "x", "y"), rep("http://b", "y", "z"))
	require.Len(t, d.Fixed, 1)
	require.Len(t, d.Added, 1)
	require.Len(t, d.Unchanged, 1)
	assert.Equal(t, "http://a/x.html", d.Fixed[0].URL)
	assert.Equal(t, "http://b/z.html", d.Added[0].URL)
	assert.Equal(t, "http://b/y.html", d.Unchanged[0].URL, "unchanged findings as the new report has them")
}
