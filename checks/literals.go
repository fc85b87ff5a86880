package checks

import (
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// Literal prefilters for dictionary regexps. A pattern such as
// `(?:^|[^政共民的产])(?P<w>党(?:十八|十九|二十)大)` has no literal prefix, so Go's
// regexp engine runs its NFA over every byte of every page; yet any match
// must contain one of 党十八大/党十九大/党二十大. requiredLiterals derives such a
// set from the parsed pattern, and a literalIndex finds, in one pass over a
// text, which patterns can match at all, so only those run.

// maxLiteralSet bounds the strings one set may expand to.
const maxLiteralSet = 64

// exactSet returns every string re matches, when they are few; ok is false
// when re matches an unbounded or large set.
func exactSet(re *syntax.Regexp) (set []string, ok bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		return []string{string(re.Rune)}, true
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []string{""}, true
	case syntax.OpCapture:
		return exactSet(re.Sub[0])
	case syntax.OpCharClass:
		n := 0
		for i := 0; i+1 < len(re.Rune); i += 2 {
			n += int(re.Rune[i+1]-re.Rune[i]) + 1
			if n > 16 {
				return nil, false
			}
		}
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				set = append(set, string(r))
			}
		}
		return set, true
	case syntax.OpQuest:
		s, ok := exactSet(re.Sub[0])
		if !ok {
			return nil, false
		}
		return append(s, ""), true
	case syntax.OpConcat:
		set = []string{""}
		for _, sub := range re.Sub {
			s, ok := exactSet(sub)
			if !ok {
				return nil, false
			}
			if set = product(set, s); set == nil {
				return nil, false
			}
		}
		return set, true
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			s, ok := exactSet(sub)
			if !ok || len(set)+len(s) > maxLiteralSet {
				return nil, false
			}
			set = append(set, s...)
		}
		return set, true
	}
	return nil, false
}

// product is every a followed by every b, or nil past maxLiteralSet.
func product(a, b []string) []string {
	if len(a)*len(b) > maxLiteralSet {
		return nil
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

// usable is a set every element of which is a non-empty string.
func usable(set []string) bool {
	if len(set) == 0 {
		return false
	}
	for _, s := range set {
		if s == "" {
			return false
		}
	}
	return true
}

// weakest is the length of a set's shortest string: the longer, the rarer
// the set's strings are in text.
func weakest(set []string) int {
	m := -1
	for _, s := range set {
		if m < 0 || len(s) < m {
			m = len(s)
		}
	}
	return m
}

// requiredLiterals returns strings one of which every match of re contains,
// or nil when it cannot tell (then the pattern always runs).
func requiredLiterals(re *syntax.Regexp) []string {
	if s, ok := exactSet(re); ok {
		if usable(s) {
			return s
		}
		return nil
	}
	switch re.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredLiterals(re.Sub[0])
		}
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			s := requiredLiterals(sub)
			if s == nil {
				return nil
			}
			out = append(out, s...)
		}
		return out
	case syntax.OpConcat:
		var best []string
		consider := func(s []string) {
			if usable(s) && (best == nil || weakest(s) > weakest(best)) {
				best = s
			}
		}
		// Consecutive exact parts match as one: their product is required.
		run := []string{""}
		for _, sub := range re.Sub {
			s, ok := exactSet(sub)
			if !ok {
				consider(run)
				run = []string{""}
				consider(requiredLiterals(sub))
				continue
			}
			if p := product(run, s); p != nil {
				run = p
			} else {
				consider(run)
				run = s
			}
		}
		consider(run)
		return best
	}
	return nil
}

// literalIndex tells, in one pass over a text, which of n patterns can match.
type literalIndex struct {
	n       int
	always  []int                 // patterns without a required set
	first   [0x10000 / 64]uint64  // first runes (BMP) of the required strings
	byFirst map[rune][]literalRef // required strings by first rune
}

type literalRef struct {
	lit string
	re  int
}

// newLiteralIndex indexes patterns (as regexp.Compile parses them).
func newLiteralIndex(patterns []string) (*literalIndex, error) {
	ix := &literalIndex{n: len(patterns), byFirst: map[rune][]literalRef{}}
	for i, pat := range patterns {
		re, err := syntax.Parse(pat, syntax.Perl)
		if err != nil {
			return nil, err
		}
		lits := requiredLiterals(re.Simplify())
		ok := lits != nil
		for _, l := range lits {
			if r, _ := utf8.DecodeRuneInString(l); r >= 0x10000 || r == utf8.RuneError {
				ok = false
			}
		}
		if !ok {
			ix.always = append(ix.always, i)
			continue
		}
		for _, l := range lits {
			r, _ := utf8.DecodeRuneInString(l)
			ix.first[r>>6] |= 1 << (r & 63)
			ix.byFirst[r] = append(ix.byFirst[r], literalRef{l, i})
		}
	}
	return ix, nil
}

// candidates marks in can (len n) the patterns that may match text.
func (ix *literalIndex) candidates(text string, can []bool) {
	for _, i := range ix.always {
		can[i] = true
	}
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if r < 0x10000 && ix.first[r>>6]&(1<<(r&63)) != 0 {
			for _, l := range ix.byFirst[r] {
				if !can[l.re] && strings.HasPrefix(text[i:], l.lit) {
					can[l.re] = true
				}
			}
		}
		i += size
	}
}
