package checks

import (
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/govlint/govlint/internal/bjtime"
)

// Date is a calendar day in the rulebook ("2019-05-15"), Beijing time.
type Date struct{ time.Time }

// UnmarshalYAML reads YYYY-MM-DD.
func (d *Date) UnmarshalYAML(n *yaml.Node) error {
	v := strings.TrimSpace(n.Value)
	// checks.yaml is decoded into a map first and re-encoded, which turns
	// a date into a timestamp at midnight UTC; its day is the date.
	v = strings.TrimSuffix(v, "T00:00:00Z")
	t, err := time.ParseInLocation(time.DateOnly, v, bjtime.Zone)
	if err != nil {
		return fmt.Errorf("line %d: date %q is not YYYY-MM-DD", n.Line, n.Value)
	}
	d.Time = t
	return nil
}

// InForce is a rule's legal life: the first and the last day its document
// was in force (either may be open).
type InForce struct {
	From  Date `yaml:"from"`
	Until Date `yaml:"until"`
}

// Covers says whether the rule was in force on the day of t.
func (f InForce) Covers(t time.Time) bool {
	d := dayOf(t)
	if !f.From.IsZero() && d.Before(f.From.Time) {
		return false
	}
	return f.Until.IsZero() || !d.After(f.Until.Time)
}

// Label is the legal life in Chinese, e.g. "2019-05-15起施行" or
// "2008-05-01至2019-05-14".
func (f InForce) Label() string {
	switch {
	case f.From.IsZero() && f.Until.IsZero():
		return ""
	case f.Until.IsZero():
		return f.From.Format(time.DateOnly) + "起施行"
	case f.From.IsZero():
		return "至" + f.Until.Format(time.DateOnly)
	}
	return f.From.Format(time.DateOnly) + "至" + f.Until.Format(time.DateOnly)
}

func (f InForce) validate() error {
	if !f.From.IsZero() && !f.Until.IsZero() && f.Until.Before(f.From.Time) {
		return fmt.Errorf("in_force until %s is before from %s", f.Until.Format(time.DateOnly), f.From.Format(time.DateOnly))
	}
	return nil
}

// Levels are the agency levels a duty binds; empty binds every level.
type Levels []string

// Binds says whether the duty binds an agency of the level ("" = unknown,
// which only duties of every level bind).
func (l Levels) Binds(level string) bool {
	return len(l) == 0 || inStrings(l, level)
}

// Label lists the levels in Chinese ("各级" when empty).
func (l Levels) Label(rb *Rulebook) string {
	if len(l) == 0 {
		return "各级"
	}
	out := make([]string, 0, len(l))
	for _, id := range l {
		out = append(out, rb.LevelTitle(id))
	}
	return strings.Join(out, "、")
}

// EarlierRule is the rule that held before the current one: its citations
// and its legal life. Where it was in force on the as-of date, it is applied
// instead (same detection, its citation).
type EarlierRule struct {
	Citations []Citation `yaml:"citations"`
	InForce   InForce    `yaml:"in_force"`
}

// Effective is the check's text as the law stood on asOf: itself when its
// rule was in force, else the earlier rule in force then (its citations and
// dates), else ok=false — the rule did not exist yet (or no longer).
func (t CheckText) Effective(asOf time.Time) (CheckText, bool) {
	if t.InForce.Covers(asOf) {
		return t, true
	}
	for _, e := range t.Earlier {
		if e.InForce.Covers(asOf) {
			t.Citations, t.InForce, t.Earlier = e.Citations, e.InForce, nil
			return t, true
		}
	}
	return t, false
}

// Level is one level of government (levels.yaml).
type Level struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	// Suffixes: a name whose administrative part ends so is of this level.
	Suffixes []string `yaml:"suffixes"`
	// Names: whole names of this level (the municipalities are provinces).
	Names []string `yaml:"names"`
	// Words: a name containing one is of this level wherever it stands
	// (开发区, 管委会 …); checked before any suffix.
	Words []string `yaml:"words"`
}

// LevelRules are levels.yaml: the levels in order and how to guess one.
type LevelRules struct {
	Levels []Level `yaml:"levels"`
	// Strip: trailing words removed from a site name before its suffix is
	// read (人民政府, 门户网站 …).
	Strip []string `yaml:"strip"`
}

// LevelTitle is a level's Chinese name (the id itself if unknown).
func (r *Rulebook) LevelTitle(id string) string {
	for _, l := range r.Levels.Levels {
		if l.ID == id {
			return l.Title
		}
	}
	return id
}

// LevelIDs lists the levels in rulebook order.
func (r *Rulebook) LevelIDs() []string {
	out := make([]string, 0, len(r.Levels.Levels))
	for _, l := range r.Levels.Levels {
		out = append(out, l.ID)
	}
	return out
}

// ValidLevel says whether id names a level.
func (r *Rulebook) ValidLevel(id string) bool { return inStrings(r.LevelIDs(), id) }

// GuessLevel reads the level from an agency's name: a zone word anywhere
// (开发区, 管委会 …), else a whole name (北京市 is a province), else the
// longest level suffix the name ends with once 人民政府/网站 are stripped
// (…财政局 department, …镇 township, …县/区 county, …市/州 prefecture,
// …省/自治区 province). It returns "" when nothing matched, and the word
// that decided.
func (r *Rulebook) GuessLevel(name string) (level, word string) {
	name = strings.TrimSpace(name)
	for _, l := range r.Levels.Levels {
		for _, w := range l.Words {
			if w != "" && strings.Contains(name, w) {
				return l.ID, w
			}
		}
	}
	// Strip trailing 门户网站/人民政府 … repeatedly ("XX县人民政府门户网站").
	for changed := true; changed; {
		changed = false
		for _, s := range r.Levels.Strip {
			if t := strings.TrimSuffix(name, s); t != name && t != "" {
				name, changed = strings.TrimSpace(t), true
			}
		}
	}
	for _, l := range r.Levels.Levels {
		if inStrings(l.Names, name) {
			return l.ID, name
		}
	}
	best, bestWord := "", ""
	for _, l := range r.Levels.Levels {
		for _, s := range l.Suffixes {
			if s != "" && strings.HasSuffix(name, s) && len(s) > len(bestWord) {
				best, bestWord = l.ID, s
			}
		}
	}
	return best, bestWord
}

func (r *LevelRules) validate() error {
	if len(r.Levels) == 0 {
		return fmt.Errorf("rulebook/levels.yaml: no levels")
	}
	seen := map[string]bool{}
	for _, l := range r.Levels {
		if l.ID == "" || l.Title == "" || seen[l.ID] {
			return fmt.Errorf("rulebook/levels.yaml: level %q needs a unique id and a title", l.ID)
		}
		seen[l.ID] = true
	}
	return nil
}

// checkLevels fails when a levels list names an unknown level.
func (r *Rulebook) checkLevels(where string, l Levels) error {
	for _, id := range l {
		if !r.ValidLevel(id) {
			return fmt.Errorf("%s: unknown level %q (known: %s)", where, id, strings.Join(r.LevelIDs(), ", "))
		}
	}
	return nil
}

// validateLegal checks the levels and legal lives of the checks, columns
// and profiles once levels.yaml is loaded.
func validateLegal(rb *Rulebook) error {
	if err := rb.Levels.validate(); err != nil {
		return err
	}
	for id, t := range rb.Checks {
		if err := rb.checkLevels("rulebook/checks.yaml: "+id, t.Levels); err != nil {
			return err
		}
		if err := t.InForce.validate(); err != nil {
			return fmt.Errorf("rulebook/checks.yaml: %s: %w", id, err)
		}
		for _, e := range t.Earlier {
			if len(e.Citations) == 0 || e.InForce.From.IsZero() || e.InForce.Until.IsZero() {
				return fmt.Errorf("rulebook/checks.yaml: %s: an earlier rule needs citations and in_force from and until", id)
			}
		}
	}
	for id, p := range rb.Profiles {
		if p.Level != "" && !rb.ValidLevel(p.Level) {
			return fmt.Errorf("rulebook/columns.yaml: profile %s: unknown level %q", id, p.Level)
		}
	}
	for _, c := range rb.Columns {
		if err := rb.checkLevels("rulebook/columns.yaml: column "+c.ID, c.Levels); err != nil {
			return err
		}
		if err := c.InForce.validate(); err != nil {
			return fmt.Errorf("rulebook/columns.yaml: column %s: %w", c.ID, err)
		}
		for _, si := range c.Subitems {
			if err := rb.checkLevels("rulebook/columns.yaml: column "+c.ID+" sub-item "+si.Name, si.Levels); err != nil {
				return err
			}
		}
	}
	return nil
}
