package checks

import (
	"embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

//go:embed rulebook/*.yaml
var rulebookFS embed.FS

// CheckText is a check's entry in rulebook/checks.yaml: its user-facing
// texts and per-check metadata. New per-check fields are new tagged fields
// here; keys the struct does not know are rejected when the rulebook loads.
type CheckText struct {
	Title       string     `yaml:"title"`
	TitleEN     string     `yaml:"title_en"`
	Severity    Severity   `yaml:"severity"`
	Description string     `yaml:"description"`
	Detection   string     `yaml:"detection"`
	Fix         string     `yaml:"fix"`
	Message     string     `yaml:"message"`
	Citations   []Citation `yaml:"citations"`
	// CitationsFrom "column" means each finding cites the rule of the column
	// it is about (from columns.yaml), before the check's own citations.
	CitationsFrom string `yaml:"citations_from"`
	// InForce is the legal life of the citations; Earlier the rules that
	// held before (applied instead on an as-of date they cover).
	InForce InForce       `yaml:"in_force"`
	Earlier []EarlierRule `yaml:"earlier"`
	// Levels are the agency levels the check binds (empty: all).
	Levels Levels `yaml:"levels"`
	// Extra holds the other message_* templates, keyed by full name. Any
	// other unknown key lands here too and fails validation.
	Extra map[string]string `yaml:",inline"`
}

// Window is an update period such as 14 days, 6 months or 1 year.
type Window struct {
	N    int
	Unit byte // 'd', 'm' or 'y'
}

var windowRE = regexp.MustCompile(`^(\d+)([dmy])$`)

// ParseWindow reads "14d", "6m" or "1y".
func ParseWindow(s string) (Window, error) {
	m := windowRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Window{}, fmt.Errorf("bad window %q (want Nd, Nm or Ny, e.g. 14d, 6m, 1y)", s)
	}
	n, _ := strconv.Atoi(m[1])
	if n <= 0 {
		return Window{}, fmt.Errorf("bad window %q: must be positive", s)
	}
	return Window{N: n, Unit: m[2][0]}, nil
}

// UnmarshalYAML lets windows be written as "6m" in YAML.
func (w *Window) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseWindow(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*w = v
	return nil
}

// Cutoff is the earliest date that is still inside the window ending at asOf.
func (w Window) Cutoff(asOf time.Time) time.Time {
	switch w.Unit {
	case 'd':
		return asOf.AddDate(0, 0, -w.N)
	case 'm':
		return asOf.AddDate(0, -w.N, 0)
	default:
		return asOf.AddDate(-w.N, 0, 0)
	}
}

// Label is the window in Chinese, e.g. "6个月".
func (w Window) Label() string {
	switch w.Unit {
	case 'd':
		return fmt.Sprintf("%d天", w.N)
	case 'm':
		return fmt.Sprintf("%d个月", w.N)
	default:
		return fmt.Sprintf("%d年", w.N)
	}
}

func (w Window) String() string { return fmt.Sprintf("%d%c", w.N, w.Unit) }

// ColumnRule is one required column from rulebook/columns.yaml.
type ColumnRule struct {
	ID       string   `yaml:"id"`
	Name     string   `yaml:"name"`
	Synonyms []string `yaml:"synonyms"`
	Parent   string   `yaml:"parent"`
	List     bool     `yaml:"list"`
	Window   *Window  `yaml:"window"`
	Citation Citation `yaml:"citation"`
	// InForce is the citation's legal life; Earlier the rules that required
	// the column before it. A column is required on an as-of date one of
	// them covers, of the levels it binds.
	InForce InForce       `yaml:"in_force"`
	Earlier []EarlierRule `yaml:"earlier"`
	Levels  Levels        `yaml:"levels"`
	// Subitems must be found inside the column (columns.incomplete).
	Subitems []Subitem `yaml:"subitems"`
}

// In is the column's rule as the law stood on asOf for an agency of the
// level: its citation, and ok=false when no rule required it then or the
// level is not bound.
func (c ColumnRule) In(asOf time.Time, level string) (Citation, InForce, bool) {
	if !c.Levels.Binds(level) {
		return Citation{}, InForce{}, false
	}
	if c.InForce.Covers(asOf) {
		return c.Citation, c.InForce, true
	}
	for _, e := range c.Earlier {
		if e.InForce.Covers(asOf) && len(e.Citations) > 0 {
			return e.Citations[0], e.InForce, true
		}
	}
	return Citation{}, InForce{}, false
}

// Names returns the name and synonyms, normalised for matching.
func (c ColumnRule) Names() []string {
	out := []string{NormalizeName(c.Name)}
	for _, s := range c.Synonyms {
		out = append(out, NormalizeName(s))
	}
	return out
}

// Profile is a kind of agency and the columns it must have.
type Profile struct {
	ID      string
	Title   string   `yaml:"title"`
	Columns []string `yaml:"columns"`
	// Guess lists the words of a site name that make --profile auto pick it.
	Guess []string `yaml:"guess"`
	// Level is the agency level assumed when neither --level nor the site's
	// name says.
	Level string `yaml:"level"`
}

// Rulebook is all rule data, loaded once from the embedded YAML: the
// check texts (checks.yaml), the core column data every family shares
// (columns.yaml: columns, windows, profiles) and each family's own rule
// file (RegisterRules). It is shared: never modify a loaded one; overrides
// make a copy (Overrides.Apply).
type Rulebook struct {
	Checks   map[string]CheckText
	Columns  []ColumnRule
	Windows  map[string]Window
	Profiles map[string]*Profile
	// Levels are the levels of government and how a name is read (levels.yaml).
	Levels LevelRules

	// Classes name the window class (dynamic, notice) of columns the profile
	// does not require; Veto holds the sums of site.veto-risk.
	Classes    map[string][]string
	Veto       VetoRules
	GuessOrder []string

	files map[string]any // family rule data by file name (RuleKey.Of)
	order []string       // check IDs in checks.yaml order: the catalogue's
}

// Column returns the rule with the given id, or nil.
func (r *Rulebook) Column(id string) *ColumnRule {
	for i := range r.Columns {
		if r.Columns[i].ID == id {
			return &r.Columns[i]
		}
	}
	return nil
}

// ProfileIDs lists the profile names in a stable order.
func (r *Rulebook) ProfileIDs() []string {
	ids := make([]string, 0, len(r.Profiles))
	for id := range r.Profiles {
		ids = append(ids, id)
	}
	sortStrings(ids)
	return ids
}

// unfold removes the spaces a folded YAML scalar (>-) puts where a line
// broke between two Chinese characters; Chinese prose has none there, and
// "、 联系电话" reads as a typo. Spaces next to Latin text stay.
func unfold(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	r := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i, c := range r {
		if c == ' ' && i > 0 && i+1 < len(r) && wide(r[i-1]) && wide(r[i+1]) {
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// wide is a CJK character or full-width punctuation.
func wide(r rune) bool { return r >= 0x2E80 }

// LoadRulebook is the embedded rulebook, parsed once per process. It fails
// only if the embedded files are inconsistent, which the tests guard. The
// value is shared: do not modify it.
func LoadRulebook() (*Rulebook, error) {
	cat, err := Load()
	if err != nil {
		return nil, err
	}
	return cat.Rules, nil
}

// placeholderRE finds {…} in a message template: every brace group is an
// argument the check must declare.
var placeholderRE = regexp.MustCompile(`\{[^{}]*\}`)

func parseRulebook() (*Rulebook, error) {
	rb := &Rulebook{Checks: map[string]CheckText{}, files: map[string]any{}}

	b, err := readRuleFile("checks.yaml")
	if err != nil {
		return nil, err
	}
	var texts map[string]CheckText
	if err := decodeStrict(b, &texts); err != nil {
		return nil, fmt.Errorf("parse rulebook/checks.yaml: %w", err)
	}
	if rb.order, err = topLevelKeys(b); err != nil {
		return nil, fmt.Errorf("parse rulebook/checks.yaml: %w", err)
	}
	for id, t := range texts {
		t.Description, t.Detection, t.Fix = unfold(t.Description), unfold(t.Detection), unfold(t.Fix)
		for k := range t.Extra {
			if !strings.HasPrefix(k, "message_") {
				return nil, fmt.Errorf("rulebook/checks.yaml: %s: unknown key %q", id, k)
			}
		}
		if t.Extra == nil {
			t.Extra = map[string]string{}
		}
		if _, err := ParseSeverity(string(t.Severity)); err != nil {
			return nil, fmt.Errorf("rulebook/checks.yaml: %s: %w", id, err)
		}
		rb.Checks[id] = t
	}

	if b, err = readRuleFile("columns.yaml"); err != nil {
		return nil, err
	}
	var cols struct {
		Windows    map[string]Window   `yaml:"windows"`
		Classes    map[string][]string `yaml:"classes"`
		Veto       VetoRules           `yaml:"veto"`
		Columns    []ColumnRule        `yaml:"columns"`
		GuessOrder []string            `yaml:"guess_order"`
		Profiles   map[string]*Profile `yaml:"profiles"`
	}
	if err := decodeStrict(b, &cols); err != nil {
		return nil, fmt.Errorf("parse rulebook/columns.yaml: %w", err)
	}
	rb.Columns, rb.Windows, rb.Profiles = cols.Columns, cols.Windows, cols.Profiles
	rb.Classes, rb.Veto, rb.GuessOrder = cols.Classes, cols.Veto, cols.GuessOrder
	if b, err = readRuleFile("levels.yaml"); err != nil {
		return nil, err
	}
	if err := decodeStrict(b, &rb.Levels); err != nil {
		return nil, fmt.Errorf("parse rulebook/levels.yaml: %w", err)
	}
	if err := validateColumns(rb); err != nil {
		return nil, fmt.Errorf("rulebook/columns.yaml: %w", err)
	}
	// Legal life and levels of the checks, columns and profiles.
	if err := validateLegal(rb); err != nil {
		return nil, err
	}
	for _, f := range ruleFiles {
		v, err := f.load(rb)
		if err != nil {
			return nil, err
		}
		rb.files[f.name] = v
	}
	return rb, nil
}

var nameStrip = strings.NewReplacer(
	" ", "", "\u3000", "", "\t", "", "\n", "", "\u00a0", "",
	"、", "", "·", "", "•", "", "“", "", "”", "", "‘", "", "’", "", "\"", "", "'", "",
	"《", "", "》", "", "(", "", ")", "", "（", "", "）", "", "【", "", "】", "", "[", "", "]", "",
	"-", "", "—", "", "_", "", "：", "", ":", "", ">", "", "»", "",
)

// NormalizeName prepares a column name for comparison: no spaces or
// punctuation, ASCII upper case, and no trailing 专栏/栏目/专题.
func NormalizeName(s string) string {
	s = strings.ToUpper(nameStrip.Replace(strings.TrimSpace(s)))
	for _, suf := range []string{"专栏", "栏目", "专题"} {
		if t := strings.TrimSuffix(s, suf); t != "" {
			s = t
		}
	}
	return s
}

// topLevelKeys lists a YAML mapping's keys in document order (a Go map
// forgets it).
func topLevelKeys(b []byte) ([]string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("want a mapping of check IDs")
	}
	m := doc.Content[0]
	keys := make([]string, 0, len(m.Content)/2)
	for i := 0; i < len(m.Content); i += 2 {
		keys = append(keys, m.Content[i].Value)
	}
	return keys, nil
}
