package checks

import (
	"math/rand/v2"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequiredLiterals(t *testing.T) {
	for pat, want := range map[string][]string{
		`(?:^|[^政共民的产])(?P<w>党(?:十八|十九|二十)大)`:     {"党十八大", "党十九大", "党二十大"},
		`(?:中国共产党|党的)第?[一二三四五六七八九十]+届全国代表大会`:      {"届全国代表大会"},
		`(?:党的|中共)[一二三四五六七八九十]+次[一二三四五六七八九十]+中全会`: {"中全会"},
		`烈土`:      {"烈土"},
		`a|b+cd`:  {"a", "cd"}, // the longer required part wins
		`x*`:      nil,         // matches "": no literal can be required
		`.+`:      nil,
		`(?i)icp`: nil, // case folding: not exact
	} {
		re, err := syntax.Parse(pat, syntax.Perl)
		require.NoError(t, err, pat)
		got := requiredLiterals(re.Simplify())
		slices.Sort(got)
		slices.Sort(want)
		assert.Equal(t, want, got, pat)
	}
}

// The prefilter only skips regexps that cannot match: on texts built from
// the dictionary's own wrong forms, correct forms and pattern fragments
// mixed with ordinary text, findWording gives exactly what running every
// regexp gives.
func TestWordingPrefilterChangesNothing(t *testing.T) {
	rb, err := LoadRulebook()
	require.NoError(t, err)
	r := wordingRules.Of(rb)
	require.NotNil(t, r.index)
	bare := *r
	bare.index = nil

	var pieces []string
	for _, e := range r.Entries {
		pieces = append(pieces, e.Correct)
		pieces = append(pieces, e.Wrong...)
		for _, p := range e.Patterns {
			// Literal runs of the pattern, so its matches get built.
			for _, f := range strings.FieldsFunc(p, func(c rune) bool { return strings.ContainsRune(`()?:|[]^+*\<>Pw`, c) }) {
				pieces = append(pieces, f)
			}
		}
	}
	pieces = append(pieces, "党", "的", "第", "二十", "十九", "次", "届", "三", "中全会", "政", "。", "，", "\n", "会议强调", "各地")
	rng := rand.New(rand.NewPCG(1, 2))
	hits := 0
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			p := pieces[rng.IntN(len(pieces))]
			if rng.IntN(3) == 0 {
				rs := []rune(p)
				p = string(rs[rng.IntN(len(rs)):]) // a suffix, to split literals
			}
			b.WriteString(p)
		}
		text := b.String()
		got, want := findWording(r, text), findWording(&bare, text)
		hits += len(want)
		require.Equal(t, len(want), len(got), "text %q", text)
		for i := range want {
			require.Equal(t, want[i].wrong, got[i].wrong, "text %q", text)
			require.Equal(t, want[i].sentence, got[i].sentence, "text %q", text)
		}
	}
	assert.Greater(t, hits, 1000, "the generated texts exercise the dictionary")
}
