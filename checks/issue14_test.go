package checks_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/audit"
	"github.com/govlint/govlint/internal/report"
)

// What the accuracy test cannot see (it compares check, subject and URL):
// the level each fixture was audited at, the severity of script-written
// footers, and the rule each late annual report is held to.
func TestIssue14Verdicts(t *testing.T) {
	runs := map[string]fixtureRun{}
	for _, r := range auditFixtures(t) {
		runs[r.name] = r
	}
	byCheck := func(site, check string) []report.Finding {
		r, ok := runs[site]
		require.True(t, ok, "fixture %s", site)
		var out []report.Finding
		for _, f := range r.rep.Findings {
			if f.CheckID == check {
				out = append(out, f)
			}
		}
		return out
	}
	for site, level := range map[string]string{"county-2018": "county", "county-2026": "county",
		"industrial-park": "zone", "municipal-government": "prefecture", "finance-bureau-good": "department"} {
		assert.Equal(t, level, runs[site].rep.Site.Level, "%s: level guessed from the site name", site)
	}

	// The footer is written by /js/footer.js: a person must look, it is no error.
	fs := byCheck("industrial-park", "identity.footer")
	require.Len(t, fs, 3)
	for _, f := range fs {
		assert.Equal(t, checks.SeverityNeedsReview, f.Severity, f.Subject)
		assert.Contains(t, f.Message, "脚本")
	}

	// Late under the rule in force on the deadline: the 2007 条例 in 2018 …
	late := byCheck("county-2018", "annual-report.late")
	require.Len(t, late, 1)
	assert.Contains(t, late[0].Citation, "第492号")
	assert.Contains(t, late[0].Citation, "第三十一条")
	assert.Contains(t, late[0].Message, "2018-04-10")
	assert.Contains(t, late[0].Message, "2018年3月31日")
	// The report's rules section states the law as it stood on the as-of date.
	for _, ru := range runs["county-2018"].rep.Rules {
		if ru.ID == "annual-report.missing" {
			assert.Contains(t, ru.Citations[0], "第492号")
			assert.Equal(t, "2008-05-01至2019-05-14", ru.InForce)
		}
	}
	// … the 2019 条例's 3月31日 for a county government in 2026.
	late = byCheck("county-2026", "annual-report.late")
	require.Len(t, late, 1)
	assert.Contains(t, late[0].Citation, "第711号")
	assert.Contains(t, late[0].Citation, "第四十九条 县级以上地方人民政府")
	assert.Contains(t, late[0].Message, "2026-04-20")
	assert.Contains(t, late[0].Message, "2026年3月31日")
	assert.Contains(t, late[0].Message, "20天")
}

// --level decides which duties bind: the same county snapshot checked as a
// 设区的市 must have a 政府公报; checked as a department its report was due
// by 1月31日.
func TestLevelOverride(t *testing.T) {
	var run fixtureRun
	for _, r := range auditFixtures(t) {
		if r.name == "county-2026" {
			run = r
		}
	}
	require.NotEmpty(t, run.archive)
	has := func(r *report.Report, check, subject string) *report.Finding {
		for i, f := range r.Findings {
			if f.CheckID == check && (subject == "" || f.Subject == subject) {
				return &r.Findings[i]
			}
		}
		return nil
	}
	pref, err := audit.Check(run.archive, audit.CheckOptions{Level: "prefecture", Version: "test"})
	require.NoError(t, err)
	assert.Equal(t, "prefecture", pref.Site.Level)
	assert.NotNil(t, has(pref, "columns.missing", "政府公报"), "a 设区的市 runs a 政府公报")
	assert.Nil(t, has(run.rep, "columns.missing", "政府公报"), "a county need not")

	dept, err := audit.Check(run.archive, audit.CheckOptions{Level: "department", Version: "test"})
	require.NoError(t, err)
	late := has(dept, "annual-report.late", "石屏县人民政府2025年政府信息公开工作年度报告")
	require.NotNil(t, late)
	assert.Contains(t, late.Message, "2026年1月31日")
	assert.NotNil(t, has(dept, "annual-report.late", "石屏县人民政府2024年政府信息公开工作年度报告"), "2025-03-28 is late for a department too")

	// A 乡镇 covers its own 重点领域 (第二十一条): 农业农村政策 and 征收, which the
	// county's 重点领域 column does not have.
	town, err := audit.Check(run.archive, audit.CheckOptions{Level: "township", Version: "test"})
	require.NoError(t, err)
	assert.NotNil(t, has(town, "columns.incomplete", "农业农村政策"))
	assert.NotNil(t, has(town, "columns.incomplete", "土地征收、房屋征收"))
	assert.Nil(t, has(run.rep, "columns.incomplete", "农业农村政策"))
	assert.Nil(t, has(town, "columns.missing", "政府公报"))

	_, err = audit.Check(run.archive, audit.CheckOptions{Level: "city", Version: "test"})
	assert.ErrorContains(t, err, `unknown level "city"`)
}
