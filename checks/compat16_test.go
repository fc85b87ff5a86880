package checks

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Until the catalogue validates templates against Check.Args itself: every
// check that declares Args declares exactly its templates and their
// placeholders.
func TestDeclaredArgsMatchTemplates(t *testing.T) {
	cat, err := Load()
	require.NoError(t, err)
	n := 0
	for _, c := range cat.Checks {
		if c.Args == nil {
			continue
		}
		n++
		tmpls := map[string]string{"message": c.Text.Message}
		for k, v := range c.Text.Extra {
			tmpls[k] = v
		}
		for name, tmpl := range tmpls {
			decl, ok := c.Args[name]
			if !assert.True(t, ok, "%s: template %s not declared", c.ID, name) {
				continue
			}
			d := append([]string(nil), decl...)
			sort.Strings(d)
			assert.Equal(t, strings.Join(d, ","), strings.Join(templateArgs(tmpl), ","), "%s %s", c.ID, name)
		}
		for name := range c.Args {
			_, ok := tmpls[name]
			assert.True(t, ok, "%s declares %s, which checks.yaml lacks", c.ID, name)
		}
	}
	assert.Equal(t, 13, n, "the issue-16 checks declare their arguments")
}
