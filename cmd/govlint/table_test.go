package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/checks"
)

func TestDisplayWidth(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int{
		"":                0,
		"abc":             3,
		"政务公开":            8,
		"（单项否决）":          12, // fullwidth brackets
		"e\u0301":         1,  // e + combining acute
		"ＡＢ":              4,  // fullwidth Latin
		"2026-11-20 首页最新": 19,
	} {
		assert.Equal(t, want, displayWidth(s), "%q", s)
	}
}

// columnAt is the display column where cell starts in line.
func columnAt(t *testing.T, line, cell string) int {
	t.Helper()
	i := strings.Index(line, cell)
	require.GreaterOrEqual(t, i, 0, "%q not in %q", cell, line)
	return displayWidth(line[:i])
}

// `govlint checks` lines its columns up on a terminal although titles are
// Chinese of different lengths: text/tabwriter, counting runes, did not.
func TestChecksTableAlignsChineseTitles(t *testing.T) {
	t.Parallel()
	res := govlint(t, "checks")
	require.Equal(t, exitOK, res.code, res.stderr)
	lines := strings.Split(strings.TrimRight(res.stdout, "\n"), "\n")
	require.Greater(t, len(lines), 10)
	citeCol := columnAt(t, lines[0], "CITATION")
	titleCol := columnAt(t, lines[0], "TITLE")
	cat, err := checks.Load()
	require.NoError(t, err)
	checked := 0
	for _, c := range cat.Checks {
		if len(c.Text.Citations) == 0 {
			continue
		}
		var line string
		for _, l := range lines {
			if strings.HasPrefix(l, c.ID+" ") {
				line = l
			}
		}
		require.NotEmpty(t, line, c.ID)
		assert.Equal(t, titleCol, columnAt(t, line, c.Text.Title), c.ID)
		assert.Equal(t, citeCol, columnAt(t, line, "  "+c.Text.Citations[0].Document)+2, c.ID)
		checked++
	}
	assert.Greater(t, checked, 10)
}
