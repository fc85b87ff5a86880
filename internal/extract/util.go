package extract

import (
	stdhtml "html"
	"strings"
	"unicode/utf8"
)

// collapse joins the whitespace-separated fields of s with single spaces
// (U+00A0 and U+3000 count as whitespace).
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func htmlUnescape(s string) string { return stdhtml.UnescapeString(s) }

func containsAny(s string, subs []string) bool {
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

func runeLen(s string) int { return utf8.RuneCountInString(s) }

func inList(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}
