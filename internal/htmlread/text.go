package htmlread

import (
	stdhtml "html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Collapse joins the whitespace-separated fields of s with single spaces
// (U+00A0 and U+3000 count as whitespace).
// It is strings.Join(strings.Fields(s), " ") in one pass, and returns s
// itself when s is already collapsed (most anchor texts and cells are): the
// Fields slice and the join were a tenth of the model build's garbage.
func Collapse(s string) string {
	if collapsed(s) {
		return s
	}
	b, _ := appendCollapsed(make([]byte, 0, len(s)), s, false)
	return string(b)
}

// appendCollapsed appends the words of s to b, each after a single space
// when b already holds text or pending is set, and reports whether a space
// is due before whatever comes next (s ended in whitespace after a word).
// Words are copied as runs, not rune by rune.
func appendCollapsed(b []byte, s string, pending bool) ([]byte, bool) {
	start := -1
	for i := 0; i < len(s); {
		space, size := spaceAt(s, i)
		if !space {
			if start < 0 {
				start = i
			}
			i += size
			continue
		}
		if start >= 0 {
			if pending && len(b) > 0 {
				b = append(b, ' ')
			}
			b = append(b, s[start:i]...)
			start = -1
		}
		pending = len(b) > 0
		i += size
	}
	if start >= 0 {
		if pending && len(b) > 0 {
			b = append(b, ' ')
		}
		b = append(b, s[start:]...)
		pending = false
	}
	return b, pending
}

// collapsed says whether s has no leading, trailing or repeated whitespace
// and no whitespace but ' '.
func collapsed(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); {
		space, size := spaceAt(s, i)
		if space {
			if s[i] != ' ' || prevSpace {
				return false
			}
		}
		prevSpace = space
		i += size
	}
	return !prevSpace || s == ""
}

// spaceAt says whether a Unicode space (as unicode.IsSpace) starts at s[i]
// and how many bytes to step. Only four UTF-8 lead bytes begin a non-ASCII
// space (U+0085/U+00A0, U+1680, U+2000–U+205F, U+3000), so other bytes,
// CJK text included, are stepped over one at a time without decoding.
func spaceAt(s string, i int) (space bool, size int) {
	c := s[i]
	switch {
	case c < utf8.RuneSelf:
		return asciiSpace[c], 1
	case c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3:
		r, n := utf8.DecodeRuneInString(s[i:])
		return unicode.IsSpace(r), n
	}
	return false, 1
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// Unescape replaces HTML entities by the characters they stand for.
func Unescape(s string) string { return stdhtml.UnescapeString(s) }

// ContainsAny says whether s contains one of the non-empty subs.
func ContainsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if sub != "" && strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func lowerAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.ToLower(s)
	}
	return out
}

// RuneLen is the number of runes in s.
func RuneLen(s string) int { return utf8.RuneCountInString(s) }

// InList says whether s is one of list.
func InList(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}
