package checks

import (
	"strings"

	"github.com/govlint/govlint/internal/site"
)

// AutoProfile is the --profile value that asks govlint to guess.
const AutoProfile = "auto"

// GuessProfile picks the profile from a site's name (its SiteName meta, else
// the home page title): the first profile in guess_order one of whose guess
// words the name contains, else "department". It returns the profile and
// the word that decided ("" for the fallback).
func (r *Rulebook) GuessProfile(name string) (profile, word string) {
	for _, id := range r.GuessOrder {
		for _, w := range r.Profiles[id].Guess {
			if w != "" && strings.Contains(name, w) {
				return id, w
			}
		}
	}
	return "department", ""
}

// SiteName is the name a site gives itself: <meta name="SiteName">, else the
// home page title, else "".
func SiteName(s *site.Site) string {
	h := s.Home()
	if h == nil {
		return ""
	}
	for k, v := range h.Meta {
		if strings.EqualFold(k, "SiteName") && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return strings.TrimSpace(h.Title)
}
