package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/baseline"
	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/report"
)

// flawed is one audit of the flawed fixture shared by the CI tests, which
// only read its snapshot and report: one crawl instead of one per test.
var flawed struct {
	once sync.Once
	dir  string
	rep  *report.Report
	warc string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if flawed.dir != "" {
		os.RemoveAll(flawed.dir)
	}
	if binOnce.dir != "" {
		os.RemoveAll(binOnce.dir)
	}
	os.Exit(code)
}

func sharedFlawed(t *testing.T) (*report.Report, string) {
	t.Helper()
	flawed.once.Do(func() {
		flawed.dir, flawed.err = os.MkdirTemp("", "govlint-ci-test-")
		if flawed.err != nil {
			return
		}
		dir := filepath.Join(sitesDir, "finance-bureau-flawed")
		exp := loadExpected(t, dir)
		srv, err := fixtureserver.Start(fixtureserver.Options{Dir: dir})
		if err != nil {
			flawed.err = err
			return
		}
		defer srv.Close()
		jsonPath := filepath.Join(flawed.dir, "report.json")
		flawed.warc = filepath.Join(flawed.dir, "snapshot.warc.gz")
		res := govlint(t, "audit", strings.TrimSuffix(srv.URL(), "/")+exp.Start, "--profile", exp.Profile, "--as-of", exp.AsOf,
			"--politeness", "off", "--quiet", "--format", "json="+jsonPath, "--archive", flawed.warc)
		if res.code != exitOK && res.code != exitFailed {
			flawed.err = fmt.Errorf("audit exit %d: %s", res.code, res.stderr)
			return
		}
		flawed.rep, flawed.err = report.Read(jsonPath)
	})
	require.NoError(t, flawed.err)
	r, err := report.Read(filepath.Join(flawed.dir, "report.json"))
	require.NoError(t, err)
	return r, flawed.warc
}

// renderFormats are the formats whose bytes depend only on the report.
var renderFormats = []string{"text", "html", "sarif", "junit", "csv", "annotations", "markdown"}

func TestReportRerenderEqualsAudit(t *testing.T) {
	t.Parallel()
	_, warc := sharedFlawed(t)
	dir := t.TempDir()
	args := []string{"check", warc, "--format", "json=" + filepath.Join(dir, "r.json"), "--format", "xlsx=" + filepath.Join(dir, "a.xlsx")}
	for _, f := range renderFormats {
		args = append(args, "--format", f+"="+filepath.Join(dir, "a."+f))
	}
	res := govlint(t, args...)
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)

	args = []string{"report", filepath.Join(dir, "r.json"), "--format", "xlsx=" + filepath.Join(dir, "b.xlsx")}
	for _, f := range renderFormats {
		args = append(args, "--format", f+"="+filepath.Join(dir, "b."+f))
	}
	res2 := govlint(t, args...)
	assert.Equal(t, res.code, res2.code, "report judges the same as the audit: %s", res2.stderr)
	for _, f := range renderFormats {
		a, err := os.ReadFile(filepath.Join(dir, "a."+f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(dir, "b."+f))
		require.NoError(t, err)
		assert.NotEmpty(t, a, f)
		assert.Equal(t, string(a), string(b), "%s re-rendered from JSON differs from the audit's", f)
	}
	// XLSX files carry a creation time; compare the cells.
	for _, sheet := range []string{report.SheetFindings, report.SheetColumns, report.SheetScore} {
		assert.Equal(t, xlsxRows(t, filepath.Join(dir, "a.xlsx"), sheet), xlsxRows(t, filepath.Join(dir, "b.xlsx"), sheet), sheet)
	}
	assert.Greater(t, len(xlsxRows(t, filepath.Join(dir, "a.xlsx"), report.SheetFindings)), 5)

	// Bad input to report.
	res = govlint(t, "report", filepath.Join(dir, "a.html"), "--format", "text")
	assert.Equal(t, exitError, res.code)
	assert.Contains(t, res.stderr, "not a govlint JSON report")
	res = govlint(t, "report", filepath.Join(dir, "nope.json"))
	assert.Equal(t, exitError, res.code)
}

func xlsxRows(t *testing.T, path, sheet string) [][]string {
	t.Helper()
	x, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer x.Close()
	rows, err := x.GetRows(sheet)
	require.NoError(t, err)
	return rows
}

func TestFailOn(t *testing.T) {
	t.Parallel()
	r, warc := sharedFlawed(t)
	worst := 0
	for _, f := range r.Findings {
		worst = max(worst, f.Severity.Rank())
	}
	require.GreaterOrEqual(t, worst, 3, "the flawed fixture has error findings")
	// --fail-under 0: only --fail-on decides, on top of the site's verdict.
	base := exitOK
	if !r.Score.Passed {
		base = exitFailed
	}
	res := govlint(t, "check", warc, "--fail-on", "error", "--format", "json=-")
	assert.Equal(t, exitFailed, res.code, "error findings fail --fail-on error: %s", res.stderr)
	jsonPath := filepath.Join(t.TempDir(), "r.json")
	require.NoError(t, os.WriteFile(jsonPath, []byte(res.stdout), 0o644))
	for _, tc := range []struct {
		gate string
		rank int
	}{{"warning", 2}, {"error", 3}, {"veto", 4}} {
		res := govlint(t, "report", jsonPath, "--fail-on", tc.gate, "--format", "json=-")
		want := base
		if worst >= tc.rank {
			want = exitFailed
		}
		assert.Equal(t, want, res.code, "--fail-on %s: %s", tc.gate, res.stderr)
	}
	res = govlint(t, "check", warc, "--fail-on", "fatal")
	assert.Equal(t, exitError, res.code)
	assert.Contains(t, res.stderr, "--fail-on must be veto, error or warning")
}

func fingerprints(r *report.Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Fingerprint)
	}
	sort.Strings(out)
	return out
}

func TestBaselineSurvivesRecrawlOnAnotherPort(t *testing.T) {
	t.Parallel()
	first, warc := sharedFlawed(t)
	_, second, _, _ := auditFixture(t, "finance-bureau-flawed")
	require.NotEqual(t, first.Site.URL, second.Site.URL, "two servers, two ports")
	assert.Equal(t, fingerprints(first), fingerprints(second), "fingerprints do not depend on host, port or fetch time")

	dir := t.TempDir()
	bl := filepath.Join(dir, "baseline.json")
	out := filepath.Join(dir, "b.json")
	// A JSON report serves as a baseline too; drop one finding from it and
	// exactly that one is new. The same run writes the full baseline
	// (before the old one hides anything).
	trimmed := *second
	trimmed.Findings = second.Findings[1:]
	old := filepath.Join(dir, "trimmed.json")
	require.NoError(t, os.WriteFile(old, mustJSON(t, &trimmed), 0o644))
	res := govlint(t, "check", warc, "--baseline", old, "--write-baseline", bl, "--format", "json="+out)
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
	got, err := report.Read(out)
	require.NoError(t, err)
	require.Len(t, got.Findings, 1)
	assert.Equal(t, second.Findings[0].Fingerprint, got.Findings[0].Fingerprint)
	assert.Equal(t, len(first.Findings)-1, got.Baseline.Suppressed)
	b, err := baseline.Read(bl)
	require.NoError(t, err)
	assert.Len(t, b.Findings, len(first.Findings))

	// The written baseline hides every finding of the same snapshot.
	res = govlint(t, "check", warc, "--baseline", bl, "--fail-on", "warning", "--format", "json="+out)
	assert.Equal(t, boolCode(!first.Score.Passed), res.code, "no new findings: --fail-on passes: %s", res.stderr)
	got, err = report.Read(out)
	require.NoError(t, err)
	assert.Empty(t, got.Findings)
	require.NotNil(t, got.Baseline)
	assert.Equal(t, len(first.Findings), got.Baseline.Suppressed)
	assert.Equal(t, first.Score.Total, got.Score.Total, "the score still counts every finding")

	res = govlint(t, "check", warc, "--baseline", filepath.Join(dir, "missing.json"))
	assert.Equal(t, exitError, res.code)
	assert.Contains(t, res.stderr, "missing.json")
}

func boolCode(failed bool) int {
	if failed {
		return exitFailed
	}
	return exitOK
}

func mustJSON(t *testing.T, r *report.Report) []byte {
	t.Helper()
	b, err := report.JSON(r)
	require.NoError(t, err)
	return b
}

func TestDiff(t *testing.T) {
	t.Parallel()
	r, _ := sharedFlawed(t)
	require.GreaterOrEqual(t, len(r.Findings), 3)
	dir := t.TempDir()
	oldR := *r
	oldR.Findings = append([]report.Finding{}, r.Findings[1:]...) // r.Findings[0] is new
	newR := *r
	newR.Findings = append([]report.Finding{}, r.Findings[:len(r.Findings)-1]...) // the last one is fixed
	oldP, newP := filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json")
	require.NoError(t, os.WriteFile(oldP, mustJSON(t, &oldR), 0o644))
	require.NoError(t, os.WriteFile(newP, mustJSON(t, &newR), 0o644))

	res := govlint(t, "diff", oldP, newP, "--format", "json")
	require.Equal(t, exitOK, res.code, res.stderr)
	var d baseline.Diff
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &d))
	require.Len(t, d.Added, 1)
	assert.Equal(t, r.Findings[0].Fingerprint, d.Added[0].Fingerprint)
	require.Len(t, d.Fixed, 1)
	assert.Equal(t, r.Findings[len(r.Findings)-1].Fingerprint, d.Fixed[0].Fingerprint)
	assert.Len(t, d.Unchanged, len(r.Findings)-2)

	res = govlint(t, "diff", oldP, newP)
	require.Equal(t, exitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "已整改 1 项，新增 1 项")
	res = govlint(t, "diff", oldP, newP, "--format", "markdown")
	assert.Contains(t, res.stdout, "### 新增（1）")
	res = govlint(t, "diff", oldP)
	assert.Equal(t, exitError, res.code)
}

func TestConfigFile(t *testing.T) {
	t.Parallel()
	plain, warc := sharedFlawed(t)
	has := func(r *report.Report, check, subject string) *report.Finding {
		for i, f := range r.Findings {
			if f.CheckID == check && (subject == "" || f.Subject == subject) {
				return &r.Findings[i]
			}
		}
		return nil
	}
	// What the config below changes must be there without it.
	require.NotNil(t, has(plain, "links.broken", ""))
	require.NotNil(t, has(plain, "columns.stale", "收费目录清单"))
	require.NotNil(t, has(plain, "columns.stale", "双随机一公开"))
	require.NotNil(t, has(plain, "columns.missing", "政府信息公开制度"))
	require.NotNil(t, has(plain, "columns.empty", "行政执法公示"))
	require.Nil(t, has(plain, "columns.missing", "政府采购"))

	dir := t.TempDir()
	cfg := filepath.Join(dir, "govlint.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte(`
disable: [links.broken]
severity:
  columns.empty: warning
windows:
  收费目录清单: 1000
columns:
  urls:
    政府信息公开制度: /zwgk/xxgkzn/index.html
  extra:
    - name: 政府采购
      list: true
      window_days: 180
      citation: {document: 《中华人民共和国政府采购法》, article: 第十一条}
ignores:
  - check: columns.stale
    url: /ssjygk/*
    reason: 栏目改版，年底前恢复更新
    expires: 2026-12-31
  - check: policy.interpretation-missing
    url: /zcwj/*
    reason: 解读正在起草
    expires: 2026-10-31
`), 0o644))
	out := filepath.Join(dir, "r.json")
	res := govlint(t, "check", warc, "--config", cfg, "--format", "json="+out)
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
	r, err := report.Read(out)
	require.NoError(t, err)
	assert.Equal(t, cfg, r.Config)
	assert.Equal(t, []string{"links.broken"}, r.Disabled)
	assert.Nil(t, has(r, "links.broken", ""), "disabled check")
	if f := has(r, "columns.empty", "行政执法公示"); assert.NotNil(t, f) {
		assert.Equal(t, "warning", string(f.Severity), "severity override")
	}
	assert.Nil(t, has(r, "columns.stale", "收费目录清单"), "window of 1000 days")
	assert.Nil(t, has(r, "columns.missing", "政府信息公开制度"), "column found at its configured URL")
	assert.NotNil(t, has(r, "columns.missing", "政府采购"), "extra required column")
	assert.Nil(t, has(r, "columns.stale", "双随机一公开"), "live ignore")
	require.Len(t, r.Ignored, 1)
	assert.Equal(t, "栏目改版，年底前恢复更新", r.Ignored[0].Ignore.Reason)
	n := 0
	for _, f := range r.Findings {
		if f.CheckID == "policy.interpretation-missing" {
			require.NotNil(t, f.IgnoreExpired, "expired ignore says so")
			assert.Equal(t, "2026-10-31", f.IgnoreExpired.Expires)
			assert.Greater(t, f.Points, 0.0)
			n++
		}
	}
	assert.Positive(t, n)
	res = govlint(t, "report", out, "--format", "text")
	assert.Contains(t, res.stdout, "忽略规则已于 2026-10-31 到期")

	// Config errors: exit 2, the key and the line named.
	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("profile: finance-bureau\ndisabel: [links.broken]\n"), 0o644))
	res = govlint(t, "check", warc, "--config", bad)
	assert.Equal(t, exitError, res.code)
	assert.Contains(t, res.stderr, `line 2: unknown key "disabel"`)
	require.NoError(t, os.WriteFile(bad, []byte("disable: [no.such-check]\n"), 0o644))
	res = govlint(t, "check", warc, "--config", bad)
	assert.Equal(t, exitError, res.code)
	assert.Contains(t, res.stderr, `no check "no.such-check"`)
	res = govlint(t, "check", warc, "--config", filepath.Join(dir, "none.yaml"))
	assert.Equal(t, exitError, res.code)
}

// TestInitAndDiscovery changes the working directory, so it is not parallel.
func TestInitAndDiscovery(t *testing.T) {
	_, warc := sharedFlawed(t)
	warc, err := filepath.Abs(warc)
	require.NoError(t, err)
	dir := t.TempDir()
	t.Chdir(dir)
	res := govlint(t, "init", "--profile", "finance-bureau")
	require.Equal(t, exitOK, res.code, res.stderr)
	b, err := os.ReadFile(".govlint.yaml")
	require.NoError(t, err)
	assert.Contains(t, string(b), "profile: finance-bureau")
	res = govlint(t, "init")
	assert.Equal(t, exitError, res.code, "no overwrite without --force")
	assert.Contains(t, res.stderr, "--force")

	// The file in the current directory is used without --config.
	require.NoError(t, os.WriteFile(".govlint.yaml", append(b, []byte("\ndisable: [columns.missing]\n")...), 0o644))
	res = govlint(t, "check", warc, "--format", "json")
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
	var r report.Report
	require.NoError(t, json.NewDecoder(bytes.NewReader([]byte(res.stdout))).Decode(&r))
	assert.Equal(t, ".govlint.yaml", r.Config)
	for _, f := range r.Findings {
		assert.NotEqual(t, "columns.missing", f.CheckID)
	}
	assert.False(t, strings.Contains(res.stderr, "govlint:"), res.stderr)
}

// check says on stderr what it read, as audit does, and --quiet silences
// it; stdout carries the report either way.
func TestCheckQuiet(t *testing.T) {
	t.Parallel()
	_, warc := sharedFlawed(t)
	res := govlint(t, "check", warc, "--format", "json=-")
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
	assert.Contains(t, res.stderr, "已读取快照")
	assert.Contains(t, res.stderr, "已检查快照："+warc)
	loud := res.stdout

	res = govlint(t, "check", warc, "--format", "json=-", "--quiet")
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
	assert.NotContains(t, res.stderr, "快照", "--quiet: no progress")
	assert.Equal(t, loud, res.stdout, "--quiet changes only stderr")
}

// `govlint report` renders rule texts from the report's rules section; a
// report written before the section existed gets the current catalogue's.
func TestReportRendersRulesFromTheReport(t *testing.T) {
	t.Parallel()
	_, warc := sharedFlawed(t)
	res := govlint(t, "check", warc, "--format", "json=-", "--quiet")
	require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &doc))
	rules, ok := doc["rules"].([]any)
	require.True(t, ok, "the JSON report carries a rules section")
	cat, err := checks.Load()
	require.NoError(t, err)
	singleRun := 0
	for _, c := range cat.Checks {
		if !c.NeedsHistory {
			singleRun++
		}
	}
	require.Len(t, rules, singleRun, "every check a single run judges; history checks are described from their findings")
	first := rules[0].(map[string]any)
	first["title"] = "报告自带的标题"
	dir := t.TempDir()
	write := func(name string, v any) string {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b, 0o644))
		return p
	}
	sarifRules := func(path string) []map[string]any {
		res := govlint(t, "report", path, "--format", "sarif=-")
		require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
		var s struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Rules []map[string]any `json:"rules"`
					} `json:"driver"`
				} `json:"tool"`
			} `json:"runs"`
		}
		require.NoError(t, json.Unmarshal([]byte(res.stdout), &s))
		return s.Runs[0].Tool.Driver.Rules
	}
	got := sarifRules(write("edited.json", doc))
	require.Len(t, got, singleRun)
	assert.Equal(t, "报告自带的标题", got[0]["shortDescription"].(map[string]any)["text"], "texts come from the report")

	delete(doc, "rules")
	got = sarifRules(write("old.json", doc))
	require.Len(t, got, singleRun, "an old report is described by the current catalogue")
	assert.Equal(t, cat.Checks[0].Text.Title, got[0]["shortDescription"].(map[string]any)["text"])
}
