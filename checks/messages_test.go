package checks

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every template of every check, rendered with the arguments its check
// declares, leaves no {…} behind.
func TestEveryTemplateRenders(t *testing.T) {
	cat, err := Load()
	require.NoError(t, err)
	braces := regexp.MustCompile(`[{}]`)
	n := 0
	for _, c := range cat.Checks {
		names := []string{""}
		for k := range c.Text.Extra {
			names = append(names, k)
		}
		for _, name := range names {
			tmpl, ok := c.Text.Template(name)
			require.True(t, ok, "%s %s", c.ID, name)
			args := Args{}
			for _, a := range c.Args[messageKey(name)] {
				args[a] = "«" + a + "»"
			}
			p := &Pass{Check: c}
			got := p.Message(name, args)
			n++
			assert.False(t, braces.MatchString(got), "%s %s left a placeholder: %s", c.ID, messageKey(name), got)
			for _, ph := range Placeholders(tmpl) {
				assert.Contains(t, got, "«"+ph+"»", "%s %s", c.ID, messageKey(name))
			}
		}
	}
	assert.Greater(t, n, len(cat.Checks), "checks with several templates are rendered too")
}

// The load-time validation catches a template and its check drifting apart.
func TestValidateMessages(t *testing.T) {
	c := &Check{ID: "x.y", Args: map[string][]string{"message": {"title"}, "message_b": {}}}
	ok := CheckText{Message: "《{title}》", Extra: map[string]string{"message_b": "无参数"}}
	require.NoError(t, validateMessages(c, ok))

	typo := ok
	typo.Message = "《{titel}》"
	assert.ErrorContains(t, validateMessages(c, typo), "uses {titel}")

	extra := CheckText{Message: "《{title}》", Extra: map[string]string{"message_b": "", "message_c": "c"}}
	assert.ErrorContains(t, validateMessages(c, extra), "template message_c is not declared")

	missing := CheckText{Message: "《{title}》"}
	assert.ErrorContains(t, validateMessages(c, missing), "declares template message_b")

	spaced := ok
	spaced.Message = "《{ title}》"
	assert.Error(t, validateMessages(c, spaced), "any brace group is a placeholder")
}

// A message call that passes an argument its check does not declare, or
// leaves a declared one out, fails the tests.
func TestMessageHoldsCallsToDeclaration(t *testing.T) {
	c := &Check{ID: "x.y", Args: map[string][]string{"message": {"title", "count"}}, Text: CheckText{Message: "《{title}》{count}个"}}
	p := &Pass{Check: c}
	assert.Equal(t, "《甲》3个", p.Message("", Args{"title": "甲", "count": "3"}))
	assert.Panics(t, func() { p.Message("", Args{"title": "甲"}) })
	assert.Panics(t, func() { p.Message("", Args{"title": "甲", "count": "3", "url": "u"}) })
	assert.Panics(t, func() { p.Message("message_other", nil) })
}

// The embedded rulebook is parsed once per process: loading the catalogue
// again, reading the rulebook and running with overrides parse nothing.
func TestRulebookParsedOnce(t *testing.T) {
	cat, err := Load()
	require.NoError(t, err)
	after := RulebookParses()
	// checks.yaml, columns.yaml, levels.yaml and every family's file, once.
	require.LessOrEqual(t, after, int64(3+len(ruleFiles)))
	for range 5 {
		c2, err := Load()
		require.NoError(t, err)
		require.Same(t, cat, c2)
		_, err = LoadRulebook()
		require.NoError(t, err)
		o := &Overrides{Windows: map[string]Window{"notice": {N: 30, Unit: 'd'}}}
		_, err = cat.RunWith(guideSite(), Options{Profile: "finance-bureau"}, o)
		require.NoError(t, err)
	}
	assert.Equal(t, after, RulebookParses())
}

// Every family's rule file is registered once and every rulebook file is
// read by someone: a YAML nobody registers would be dead rule data.
func TestEveryRulebookFileIsRegistered(t *testing.T) {
	entries, err := rulebookFS.ReadDir("rulebook")
	require.NoError(t, err)
	known := map[string]bool{"checks.yaml": true, "columns.yaml": true, "levels.yaml": true}
	for _, f := range ruleFiles {
		known[f.name] = true
	}
	for _, e := range entries {
		assert.True(t, known[e.Name()], "rulebook/%s is not registered by any check family", e.Name())
	}
	assert.True(t, strings.HasSuffix(ruleFiles[0].name, ".yaml"))
}
