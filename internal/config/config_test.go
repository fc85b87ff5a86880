package config

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/report"
	"github.com/govlint/govlint/internal/score"
)

const full = `
profile: finance-bureau
level: department
start: https://czt.example.gov.cn/
hosts: [xxgk.example.gov.cn]
rubric: my-rubric.yaml
disable: [identity.footer]
severity:
  links.broken: warning
weights:
  links.broken: {points: 0.5, cap: 10}
  columns.stale: 2
windows:
  notice: 180
  双随机一公开: 90
columns:
  urls:
    双随机一公开: /zwgk/jdjc/
  extra:
    - name: 政府采购
      synonyms: [采购公告]
      list: true
      window_days: 180
      citation: {document: 政府采购法, article: 第十一条}
stale_citations:
  - name: 旧规定
    regex: 旧规定（2008年）
    superseded_by: 新办法
    citation: {document: 省政府令第200号}
ignores:
  - check: links.broken
    url: /old/*
    subject: "*"
    reason: 迁移中
    expires: 2027-03-31
`

func TestParseEveryKey(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte(full), "t.yaml")
	require.NoError(t, err)
	assert.Equal(t, "finance-bureau", c.Profile)
	assert.Equal(t, "department", c.Level)
	assert.Equal(t, []string{"https://czt.example.gov.cn/"}, c.Start)
	assert.Equal(t, []string{"xxgk.example.gov.cn"}, c.Hosts)
	assert.Equal(t, "my-rubric.yaml", c.Rubric)
	assert.Equal(t, []string{"identity.footer"}, c.Disable)
	assert.Equal(t, checks.SeverityWarning, c.Severity["links.broken"])
	require.NotNil(t, c.Weights["links.broken"].Points)
	assert.Equal(t, 0.5, *c.Weights["links.broken"].Points)
	assert.Equal(t, 10.0, *c.Weights["links.broken"].Cap)
	assert.Equal(t, 2.0, *c.Weights["columns.stale"].Points)
	assert.Equal(t, map[string]int{"notice": 180, "双随机一公开": 90}, c.Windows)
	assert.Equal(t, "/zwgk/jdjc/", c.ColumnURLs["双随机一公开"])
	require.Len(t, c.ExtraColumns, 1)
	assert.Equal(t, "政府采购", c.ExtraColumns[0].Name)
	assert.Equal(t, 180, c.ExtraColumns[0].WindowDays)
	assert.Equal(t, "第十一条", c.ExtraColumns[0].Citation.Article)
	require.Len(t, c.StaleCitations, 1)
	assert.Equal(t, "新办法", c.StaleCitations[0].SupersededBy)
	require.Len(t, c.Ignores, 1)
	ig := c.Ignores[0]
	assert.Equal(t, "links.broken", ig.Check)
	assert.Equal(t, "/old/*", ig.URL)
	assert.Equal(t, "迁移中", ig.Reason)
	assert.Equal(t, "2027-03-31", ig.Expires.Format("2006-01-02"))
	assert.Equal(t, 31, ig.Line)

	o, err := c.Overrides()
	require.NoError(t, err)
	assert.Equal(t, checks.Window{N: 180, Unit: 'd'}, o.Windows["notice"])
	require.Len(t, o.ExtraColumns, 1)
	assert.Equal(t, &checks.Window{N: 180, Unit: 'd'}, o.ExtraColumns[0].Window)
	require.Len(t, o.StaleCitations, 1)
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, yaml, want string }{
		{"unknown top key", "profile: x\nprofiel: y\n", `line 2: unknown key "profiel"`},
		{"unknown ignore key", "ignores:\n  - check: a\n    url: /\n    reason: r\n    expires: 2027-01-01\n    until: 2027-01-01\n", `line 6: unknown key "until" in ignores[]`},
		{"unknown columns key", "columns:\n  url: {}\n", `line 2: unknown key "url" in columns`},
		{"unknown weight key", "weights:\n  links.broken: {pts: 1}\n", `line 2: unknown key "pts" in weights.links.broken`},
		{"unknown citation key", "columns:\n  extra:\n    - name: a\n      citation: {doc: x}\n", `line 4: unknown key "doc" in columns.extra[].citation`},
		{"bad severity", "severity:\n  links.broken: fatal\n", `line 2: severity: links.broken: unknown severity "fatal"`},
		{"bad window", "windows:\n  notice: -3\n", `line 2: windows: notice: want a positive number of days`},
		{"window not a number", "windows:\n  notice: 6m\n", "line 2: windows:"},
		{"bad expiry", "ignores:\n  - {check: a, url: /, reason: r, expires: 31/03/2027}\n", `expires "31/03/2027": want a date like 2027-03-31`},
		{"no reason", "ignores:\n  - {check: a, url: /, expires: 2027-01-01}\n", "line 2: ignores: a /: needs a reason"},
		{"no expiry", "ignores:\n  - {check: a, url: /, reason: r}\n", "needs expires"},
		{"bad regex", "stale_citations:\n  - {name: a, regex: '(', superseded_by: b, citation: {document: c}}\n", "line 2: stale_citations: a: error parsing regexp"},
		{"start not http", "start: ftp://x/\n", `line 1: start: "ftp://x/" is not an http(s) URL`},
		{"host with a scheme", "hosts: [https://x.gov.cn/]\n", `line 1: hosts: "https://x.gov.cn/" is not a host name`},
		{"negative weight", "weights:\n  links.broken: -1\n", "points and cap must not be negative"},
		{"extra column without citation", "columns:\n  extra:\n    - {name: a}\n", "needs citation.document"},
		{"list column without window", "columns:\n  extra:\n    - {name: a, list: true, citation: {document: d}}\n", "needs window_days"},
		{"not a mapping", "- a\n- b\n", "line 1: want a mapping"},
		{"yaml syntax", "profile: [\n", "config t.yaml"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "t.yaml")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "config t.yaml")
		})
	}
}

func TestOverridesValidateAgainstCatalogue(t *testing.T) {
	t.Parallel()
	for yaml, want := range map[string]string{
		"disable: [no.such-check]\n":                                            `disable: no check "no.such-check"`,
		"severity: {no.such: error}\n":                                          `severity: no check "no.such"`,
		"windows: {火星栏目: 3}\n":                                                  `windows: "火星栏目" is neither a window class`,
		"columns: {urls: {火星栏目: /x/}}\n":                                        `columns.urls: no column "火星栏目"`,
		"ignores: [{check: no.such, url: /, reason: r, expires: 2027-01-01}]\n": `line 1: ignores: no check "no.such"`,
	} {
		c, err := Parse([]byte(yaml), "t.yaml")
		require.NoError(t, err, yaml)
		_, err = c.Overrides()
		require.Error(t, err, yaml)
		assert.Contains(t, err.Error(), want)
	}
}

func TestWeightsApplyToRubric(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte("weights:\n  links.broken: {points: 0.5, cap: 2}\n  columns.stale: {category: nosuch}\n"), "t.yaml")
	require.NoError(t, err)
	_, err = c.LoadRubric()
	require.Error(t, err, "unknown category")
	assert.Contains(t, err.Error(), "nosuch")

	c, err = Parse([]byte("weights:\n  links.broken: {points: 0.5, cap: 2}\n"), "t.yaml")
	require.NoError(t, err)
	rub, err := c.LoadRubric()
	require.NoError(t, err)
	assert.Equal(t, 0.5, rub.Checks["links.broken"].Points)
	assert.Equal(t, 2.0, rub.Checks["links.broken"].Cap)
	def, err := score.Default()
	require.NoError(t, err)
	assert.Equal(t, def.Checks["columns.stale"], rub.Checks["columns.stale"], "other checks keep their weights")
	assert.NotEqual(t, def.Checks["links.broken"], rub.Checks["links.broken"], "the default rubric is not changed")
}

// The ignore stage itself (live, expired, scoring) is tested with the
// findings pipeline in internal/audit (TestIgnoresStage).
func TestIgnoreMatchesAndExpiry(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte("ignores:\n  - {check: \"columns.*\", url: \"*\", subject: 收费*, reason: r, expires: 2026-11-19}\n"), "t.yaml")
	require.NoError(t, err)
	ig := c.Ignores[0]
	f := report.Finding{Finding: checks.Finding{CheckID: "columns.stale", URL: "http://127.0.0.1:1/sfml/", Subject: "收费目录清单"}}
	assert.True(t, ig.Matches(f))
	f.Subject = "其他"
	assert.False(t, ig.Matches(f))
	d := func(s string) time.Time {
		v, err := time.ParseInLocation(time.DateOnly, s, bjtime.Zone)
		require.NoError(t, err)
		return v
	}
	assert.False(t, ig.Expired(d("2026-11-19")), "an ignore holds on its expiry day")
	assert.True(t, ig.Expired(d("2026-11-20")))
	assert.Equal(t, "2026-11-19", ig.Record().Expires)
}

func TestMatchURL(t *testing.T) {
	t.Parallel()
	assert.True(t, matchURL("/old/*", "http://a.gov.cn/old/x/y.html"))
	assert.True(t, matchURL("/old/*", "http://127.0.0.1:9/old/y.html"), "host and port do not matter")
	assert.False(t, matchURL("/old/*", "http://a.gov.cn/new/old/y.html"))
	assert.True(t, matchURL("/zcwj/*.html", "http://a.gov.cn/zcwj/t1.html"))
	assert.True(t, matchURL("http://a.gov.cn/*", "http://a.gov.cn/x"))
	assert.False(t, matchURL("http://a.gov.cn/*", "http://b.gov.cn/x"))
	assert.True(t, matchURL("/政策/*", "http://a.gov.cn/%E6%94%BF%E7%AD%96/x"), "percent-encoded paths match their text")
	assert.False(t, matchURL("/a.b", "http://x/aXb"), "pattern characters other than * are literal")
}

// uncomment turns the starter's commented examples into live YAML.
var commentedYAML = regexp.MustCompile(`(?m)^# (\s*(?:- |[A-Za-z_\p{Han}.]+:))`)

func TestStarterParsesWithEverySectionEnabled(t *testing.T) {
	t.Parallel()
	s := Starter("finance-bureau", "https://www.example.gov.cn/")
	c, err := Parse([]byte(s), "starter")
	require.NoError(t, err)
	assert.Equal(t, "finance-bureau", c.Profile)
	assert.Equal(t, []string{"https://www.example.gov.cn/"}, c.Start)

	live := commentedYAML.ReplaceAllString(s, "$1")
	require.NotEqual(t, s, live)
	c, err = Parse([]byte(live), "starter")
	require.NoError(t, err, live)
	for _, got := range []bool{c.Rubric != "", len(c.Disable) > 0, len(c.Severity) > 0, len(c.Weights) > 0,
		len(c.Windows) > 0, len(c.ColumnURLs) > 0, len(c.ExtraColumns) > 0, len(c.StaleCitations) > 0, len(c.Ignores) > 0} {
		assert.True(t, got, "every section of the starter is an example of a real key")
	}
	_, err = c.Overrides()
	require.NoError(t, err, "the starter's examples name real checks and columns")
	assert.False(t, strings.Contains(s, "\t"))
}

// external_services: false turns off exactly the 办事服务 checks (a
// department without external services cannot fail 19号 V6); true and an
// absent key leave them on, and a non-boolean is an error naming the key.
func TestExternalServicesFalseDisablesServiceChecks(t *testing.T) {
	t.Parallel()
	c, err := Parse([]byte("disable: [links.broken]\nexternal_services: false\n"), "t.yaml")
	require.NoError(t, err)
	o, err := c.Overrides()
	require.NoError(t, err)
	assert.ElementsMatch(t, append([]string{"links.broken"}, checks.ServiceCheckIDs...), o.Disabled)
	for _, y := range []string{"external_services: true\n", "profile: department\n"} {
		c, err = Parse([]byte(y), "t.yaml")
		require.NoError(t, err)
		o, err = c.Overrides()
		require.NoError(t, err)
		assert.NotContains(t, o.Disabled, "service.missing", y)
	}
	_, err = Parse([]byte("external_services: [no]\n"), "t.yaml")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "external_services")
}
