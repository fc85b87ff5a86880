package checks

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Subitem is a part a column must contain (columns.incomplete): a name for
// the report and regular expressions over normalised text. {Y} and {Y-1}
// stand for the as-of year and the year before.
type Subitem struct {
	Name     string   `yaml:"name"`
	Patterns []string `yaml:"patterns"`
	// Due "MM-DD": required only from that day of the as-of year.
	Due      string   `yaml:"due"`
	Profiles []string `yaml:"profiles"`
	// InForce and Levels: the sub-item is required only while its rule is
	// in force and only of the levels it binds.
	InForce InForce `yaml:"in_force"`
	Levels  Levels  `yaml:"levels"`
}

// yearReplacer fills {Y}, {Y-1} and {Y+1} for one as-of year.
func yearReplacer(y int) *strings.Replacer {
	return strings.NewReplacer("{Y}", strconv.Itoa(y), "{Y-1}", strconv.Itoa(y-1), "{Y+1}", strconv.Itoa(y+1))
}

// Label is the sub-item's name for an as-of year.
func (s Subitem) Label(asOf time.Time) string { return yearReplacer(asOf.Year()).Replace(s.Name) }

// Regexps compiles the patterns for an as-of year.
func (s Subitem) Regexps(asOf time.Time) []*regexp.Regexp {
	r := yearReplacer(asOf.Year())
	out := make([]*regexp.Regexp, 0, len(s.Patterns))
	for _, p := range s.Patterns {
		out = append(out, regexp.MustCompile(r.Replace(p)))
	}
	return out
}

// Applies says whether the sub-item is required for the profile and level
// at asOf.
func (s Subitem) Applies(profile, level string, asOf time.Time) bool {
	if len(s.Profiles) > 0 && !inStrings(s.Profiles, profile) {
		return false
	}
	if !s.Levels.Binds(level) || !s.InForce.Covers(asOf) {
		return false
	}
	if s.Due != "" {
		due, err := time.ParseInLocation(time.DateOnly, strconv.Itoa(asOf.Year())+"-"+s.Due, asOf.Location())
		if err == nil && asOf.Before(due) {
			return false
		}
	}
	return true
}

// VetoRules are the sums of 国办秘函〔2019〕19号 单项否决 "栏目不更新" and "首页不更新".
type VetoRules struct {
	StaleClassified int    `yaml:"stale_classified"`
	StaleTotal      int    `yaml:"stale_total"`
	Empty           int    `yaml:"empty"`
	HomeWindow      Window `yaml:"home_window"`
	Labels          struct {
		StaleClassified string `yaml:"stale_classified"`
		StaleTotal      string `yaml:"stale_total"`
		Empty           string `yaml:"empty"`
		Home            string `yaml:"home"`
	} `yaml:"labels"`
}

// validateColumns checks the core rule data of columns.yaml.
func validateColumns(rb *Rulebook) error {
	for id, p := range rb.Profiles {
		p.ID = id
		for _, c := range p.Columns {
			if rb.Column(c) == nil {
				return fmt.Errorf("profile %s names unknown column %q", id, c)
			}
		}
	}
	for _, c := range rb.Columns {
		if c.List && c.Window == nil {
			return fmt.Errorf("list column %s has no window", c.ID)
		}
		if c.Parent != "" && rb.Column(c.Parent) == nil {
			return fmt.Errorf("column %s has unknown parent %q", c.ID, c.Parent)
		}
	}
	for class := range rb.Classes {
		if _, ok := rb.Windows[class]; !ok {
			return fmt.Errorf("class %q has no window", class)
		}
	}
	if rb.Veto.StaleClassified <= 0 || rb.Veto.StaleTotal <= 0 || rb.Veto.Empty <= 0 || rb.Veto.HomeWindow.N <= 0 {
		return fmt.Errorf("veto needs positive stale_classified, stale_total, empty and home_window")
	}
	for _, id := range rb.GuessOrder {
		if rb.Profiles[id] == nil {
			return fmt.Errorf("guess_order names unknown profile %q", id)
		}
	}
	for _, c := range rb.Columns {
		for _, si := range c.Subitems {
			if si.Name == "" || len(si.Patterns) == 0 {
				return fmt.Errorf("column %s has a sub-item without name or patterns", c.ID)
			}
			for _, p := range si.Patterns {
				if _, err := regexp.Compile(yearReplacer(2000).Replace(p)); err != nil {
					return fmt.Errorf("column %s sub-item %s: %w", c.ID, si.Name, err)
				}
			}
			if si.Due != "" {
				if _, err := time.Parse(time.DateOnly, "2000-"+si.Due); err != nil {
					return fmt.Errorf("column %s sub-item %s: due %q is not MM-DD", c.ID, si.Name, si.Due)
				}
			}
			for _, p := range si.Profiles {
				if rb.Profiles[p] == nil {
					return fmt.Errorf("column %s sub-item %s names unknown profile %q", c.ID, si.Name, p)
				}
			}
		}
	}

	return nil
}

func inStrings(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// containsAnyOf says whether s contains one of the words.
func containsAnyOf(s string, words []string) bool {
	for _, w := range words {
		if w != "" && strings.Contains(s, w) {
			return true
		}
	}
	return false
}
