package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/report"
)

const sitesDir = "../../fixtures/sites"

// expected is a fixture site's ground truth (fixtures/sites/*/expected.yaml).
type expected struct {
	Site     string  `yaml:"site"`
	Profile  string  `yaml:"profile"`
	AsOf     string  `yaml:"as_of"`
	Start    string  `yaml:"start"`
	MinScore float64 `yaml:"min_score"`
	MaxScore float64 `yaml:"max_score"`
	Findings []struct {
		Check   string `yaml:"check"`
		Subject string `yaml:"subject"`
		URL     string `yaml:"url"`
		Why     string `yaml:"why"`
	} `yaml:"findings"`
}

func loadExpected(t *testing.T, dir string) expected {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "expected.yaml"))
	require.NoError(t, err)
	var e expected
	require.NoError(t, yaml.Unmarshal(b, &e))
	require.NotEmpty(t, e.AsOf)
	require.NotEmpty(t, e.Profile)
	return e
}

type result struct {
	code           int
	stdout, stderr string
}

func govlint(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return result{code, out.String(), errb.String()}
}

// auditFixture serves a fixture site on 127.0.0.1 and audits it.
func auditFixture(t *testing.T, name string) (expected, *report.Report, string, result) {
	t.Helper()
	dir := filepath.Join(sitesDir, name)
	exp := loadExpected(t, dir)
	srv, err := fixtureserver.Start(fixtureserver.Options{Dir: dir})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	tmp := t.TempDir()
	jsonPath := filepath.Join(tmp, "report.json")
	warc := filepath.Join(tmp, "snapshot.warc.gz")
	start := strings.TrimSuffix(srv.URL(), "/") + exp.Start
	res := govlint(t, "audit", start, "--profile", exp.Profile, "--as-of", exp.AsOf,
		"--politeness", "off", "--quiet", "--format", "json="+jsonPath, "--archive", warc)
	require.Contains(t, []int{exitOK, exitFailed}, res.code, "stderr: %s", res.stderr)
	r, err := report.Read(jsonPath)
	require.NoError(t, err)
	return exp, r, warc, res
}

// key is how a finding is compared with the ground truth: URLs as paths,
// since the fixture server's port changes every run.
func key(check, subject, u string) string {
	return check + " | " + pathOf(subject) + " | " + pathOf(u)
}

func pathOf(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return s
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

func TestAuditFlawedFixtureMatchesGroundTruth(t *testing.T) {
	exp, r, _, _ := auditFixture(t, "finance-bureau-flawed")
	var want, got []string
	for _, f := range exp.Findings {
		want = append(want, key(f.Check, f.Subject, f.URL))
	}
	for _, f := range r.Findings {
		got = append(got, key(f.CheckID, f.Subject, f.URL))
	}
	sort.Strings(want)
	sort.Strings(got)
	assert.Equal(t, want, got, "findings differ from expected.yaml")
	if exp.MaxScore > 0 {
		assert.LessOrEqual(t, r.Score.Total, exp.MaxScore)
	}
	for _, f := range r.Findings {
		assert.True(t, strings.HasPrefix(f.URL, "http://127.0.0.1:"), "url must be absolute: %s", f.URL)
		assert.NotEmpty(t, f.Message)
		assert.NotEmpty(t, f.Citation, f.CheckID)
		assert.NotEmpty(t, f.Fingerprint)
		assert.NotEmpty(t, f.Evidence.FetchedAt, "%s has no fetch time", f.CheckID)
	}
}

func TestAuditGoodFixtureScoresHigh(t *testing.T) {
	exp, r, _, res := auditFixture(t, "finance-bureau-good")
	assert.Equal(t, exitOK, res.code)
	for _, f := range r.Findings {
		assert.NotEqual(t, "error", string(f.Severity), "unexpected error finding: %s %s %s", f.CheckID, f.URL, f.Message)
		assert.NotEqual(t, "veto", string(f.Severity), "unexpected veto: %s %s", f.CheckID, f.Message)
	}
	assert.Empty(t, exp.Findings, "the good site's expected.yaml lists no findings")
	assert.Empty(t, r.Findings)
	assert.GreaterOrEqual(t, r.Score.Total, exp.MinScore)
	assert.GreaterOrEqual(t, r.Score.Total, 95.0)
	assert.True(t, r.Score.Passed)
	assert.Greater(t, r.Stats.PagesOK, 30)
}

func TestCheckSnapshotGivesSameFindings(t *testing.T) {
	_, r, warc, _ := auditFixture(t, "finance-bureau-flawed")
	out := filepath.Join(t.TempDir(), "again.json")
	res := govlint(t, "check", warc, "--format", "json="+out)
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
	again, err := report.Read(out)
	require.NoError(t, err)
	a, _ := json.Marshal(r.Findings)
	b, _ := json.Marshal(again.Findings)
	assert.JSONEq(t, string(a), string(b))
	assert.Equal(t, r.Score, again.Score)
	assert.Equal(t, r.Site.AsOf, again.Site.AsOf)
	assert.Equal(t, r.Stats.PagesFetched, again.Stats.PagesFetched)
}

func TestJSONContract(t *testing.T) {
	_, _, warc, _ := auditFixture(t, "finance-bureau-flawed")
	res := govlint(t, "check", warc, "--format", "json")
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &doc), res.stderr)
	assert.EqualValues(t, 1, doc["schema_version"])
	has := func(obj any, keys ...string) {
		m, ok := obj.(map[string]any)
		require.True(t, ok, "%v is not an object", obj)
		for _, k := range keys {
			assert.Contains(t, m, k)
		}
	}
	has(doc, "tool", "site", "stats", "score", "findings")
	has(doc["tool"], "name", "version")
	has(doc["site"], "url", "profile", "as_of", "started_at", "finished_at")
	has(doc["stats"], "pages_fetched", "pages_ok", "pages_dead", "pages_blocked", "bytes", "duration_ms")
	has(doc["score"], "total", "max", "passed", "vetoed", "categories")
	for _, c := range doc["score"].(map[string]any)["categories"].([]any) {
		has(c, "id", "name", "max", "deducted")
	}
	fs := doc["findings"].([]any)
	require.NotEmpty(t, fs)
	for _, f := range fs {
		has(f, "check_id", "severity", "subject", "message", "url", "evidence", "citation", "fingerprint")
		has(f.(map[string]any)["evidence"], "fetched_at", "warc_record_id")
	}
}

func TestTextReportShowsVerdictAndEvidence(t *testing.T) {
	_, _, warc, _ := auditFixture(t, "finance-bureau-flawed")
	res := govlint(t, "check", warc)
	assert.Contains(t, res.stdout, "得分：")
	assert.Contains(t, res.stdout, "分类扣分")
	assert.Contains(t, res.stdout, "依据：")
	assert.Contains(t, res.stdout, "PPP")
}

// freePort returns a loopback port nothing listens on.
func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestBadInput(t *testing.T) {
	srv, err := fixtureserver.Start(fixtureserver.Options{
		Dir: filepath.Join(sitesDir, "finance-bureau-good"),
		Faults: map[string]fixtureserver.Fault{
			"/file.pdf": {Status: 200, Header: map[string]string{"Content-Type": "application/pdf"}, Body: "%PDF-1.4 binary"},
		},
	})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	tmp := t.TempDir()
	corrupt := filepath.Join(tmp, "corrupt.warc.gz")
	require.NoError(t, os.WriteFile(corrupt, []byte("this is not a WARC file\x00\x01"), 0o644))
	base := strings.TrimSuffix(srv.URL(), "/")

	cases := []struct {
		name string
		args []string
		msg  string
	}{
		{"malformed URL", []string{"audit", "http://[::1"}, "not a valid URL"},
		{"not http", []string{"audit", "ftp://example.gov.cn/"}, "http://"},
		{"no host", []string{"audit", "http:///index.html"}, "no host"},
		{"no argument", []string{"audit"}, "exactly one URL"},
		{"unreachable port", []string{"audit", "http://" + freePort(t) + "/", "--quiet", "--politeness", "off"}, "首页"},
		{"start URL 404", []string{"audit", base + "/no-such-page.html", "--quiet", "--politeness", "off"}, "404"},
		{"non-HTML start page", []string{"audit", base + "/file.pdf", "--quiet", "--politeness", "off"}, "不是HTML"},
		{"unknown profile", []string{"audit", base + "/index.html", "--profile", "ministry"}, "unknown profile"},
		{"bad as-of", []string{"audit", base + "/index.html", "--as-of", "2026-13-01"}, "--as-of"},
		{"unknown format", []string{"audit", base + "/index.html", "--format", "docx"}, "unknown --format"},
		{"two formats on stdout", []string{"audit", base + "/index.html", "--format", "text", "--format", "json"}, "standard output"},
		{"bad politeness", []string{"audit", base + "/index.html", "--politeness", "maybe"}, "--politeness"},
		{"unknown flag", []string{"audit", base + "/index.html", "--frobnicate"}, "unknown flag"},
		{"corrupt WARC", []string{"check", corrupt}, "snapshot"},
		{"missing WARC", []string{"check", filepath.Join(tmp, "nope.warc.gz")}, "nope.warc.gz"},
		{"unknown check", []string{"explain", "no.such-check"}, "no check"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := govlint(t, tc.args...)
			assert.Equal(t, exitError, res.code, "stdout: %s\nstderr: %s", res.stdout, res.stderr)
			assert.Contains(t, res.stderr, tc.msg)
			assert.True(t, strings.HasPrefix(res.stderr, "govlint: "), "stderr starts with a clear line: %q", res.stderr)
		})
	}
}

func TestFailedRunKeepsEarlierReport(t *testing.T) {
	tmp := t.TempDir()
	out := filepath.Join(tmp, "report.json")
	require.NoError(t, os.WriteFile(out, []byte(`{"earlier":true}`), 0o644))
	corrupt := filepath.Join(tmp, "corrupt.warc.gz")
	require.NoError(t, os.WriteFile(corrupt, []byte("garbage"), 0o644))
	res := govlint(t, "check", corrupt, "--format", "json="+out)
	assert.Equal(t, exitError, res.code)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, `{"earlier":true}`, string(b))
}

func TestFailUnder(t *testing.T) {
	_, r, warc, _ := auditFixture(t, "finance-bureau-flawed")
	require.True(t, r.Score.Passed, "flawed fixture should still pass the 60 mark")
	above := govlint(t, "check", warc, "--fail-under", "99")
	assert.Equal(t, exitFailed, above.code)
	below := govlint(t, "check", warc, "--fail-under", "10")
	assert.Equal(t, exitOK, below.code)
}

func TestChecksAndExplain(t *testing.T) {
	res := govlint(t, "checks")
	require.Equal(t, exitOK, res.code, res.stderr)
	for _, id := range []string{"columns.missing", "columns.empty", "columns.stale", "policy.interpretation-missing", "links.broken", "identity.footer"} {
		assert.Contains(t, res.stdout, id)
	}
	res = govlint(t, "explain", "columns.stale")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "国办秘函〔2019〕19号")
	assert.Contains(t, res.stdout, "整改建议")
	// The history rules are listed and explained like the other checks.
	res = govlint(t, "checks")
	assert.Contains(t, res.stdout, "history.unreachable")
	res = govlint(t, "explain", "history.home-not-updated")
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "首页不更新")
	res = govlint(t, "version")
	assert.Equal(t, exitOK, res.code)
	assert.Contains(t, res.stdout, "govlint ")
}
