package checks

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/govlint/govlint/internal/site"
)

// Overrides are a site's adjustments to the catalogue, from its config file
// (.govlint.yaml): checks switched off, severities changed, update windows,
// where an oddly named column lives, columns and stale-citation patterns the
// site adds to the rulebook. They change rule data only; the checks stay the
// same pure functions of the site model.
type Overrides struct {
	Disabled []string
	Severity map[string]Severity
	// Windows by window class (dynamic, notice, default), column ID or
	// column name. A class change also moves every column that used the
	// class's old window.
	Windows map[string]Window
	// ColumnURLs points a required column (ID or name) at the page that
	// holds it; the names the site uses for that page become synonyms.
	ColumnURLs map[string]string
	// ExtraColumns become required for the audited profile.
	ExtraColumns   []ColumnRule
	StaleCitations []StalePattern
}

// Validate names the first override that refers to something the catalogue
// does not have.
func (o *Overrides) Validate(c *Catalogue) error {
	if o == nil {
		return nil
	}
	for _, id := range o.Disabled {
		if c.Lookup(id) == nil {
			return fmt.Errorf("disable: no check %q (see `govlint checks`)", id)
		}
	}
	for _, id := range ovKeys(o.Severity) {
		if c.Lookup(id) == nil {
			return fmt.Errorf("severity: no check %q (see `govlint checks`)", id)
		}
		if _, err := ParseSeverity(string(o.Severity[id])); err != nil {
			return fmt.Errorf("severity: %s: %w", id, err)
		}
	}
	for _, k := range ovKeys(o.Windows) {
		if _, ok := c.Rules.Windows[k]; !ok && c.Rules.columnByKey(k) == nil && o.extraColumn(k) == nil {
			return fmt.Errorf("windows: %q is neither a window class (%s) nor a column", k, strings.Join(ovKeys(c.Rules.Windows), ", "))
		}
	}
	for _, k := range ovKeys(o.ColumnURLs) {
		if c.Rules.columnByKey(k) == nil && o.extraColumn(k) == nil {
			return fmt.Errorf("columns.urls: no column %q in the rulebook", k)
		}
	}
	for _, ec := range o.ExtraColumns {
		if ec.ID == "" || ec.Name == "" {
			return fmt.Errorf("columns.extra: a column needs a name")
		}
		if c.Rules.Column(ec.ID) != nil {
			continue // an existing rulebook column the site also requires
		}
		if ec.List && ec.Window == nil {
			return fmt.Errorf("columns.extra: list column %s needs window_days", ec.Name)
		}
		if ec.Citation.Document == "" {
			return fmt.Errorf("columns.extra: column %s needs a citation (document)", ec.Name)
		}
	}
	for _, sp := range o.StaleCitations {
		if _, err := regexp.Compile(sp.Regex); err != nil {
			return fmt.Errorf("stale_citations: %s: %w", sp.Name, err)
		}
		if sp.Unless != "" {
			if _, err := regexp.Compile(sp.Unless); err != nil {
				return fmt.Errorf("stale_citations: %s unless: %w", sp.Name, err)
			}
		}
	}
	return nil
}

func (o *Overrides) extraColumn(key string) *ColumnRule {
	for i := range o.ExtraColumns {
		ec := &o.ExtraColumns[i]
		if ec.ID == key || ec.Name == key {
			return ec
		}
	}
	return nil
}

// columnByKey finds a column by ID or by name.
func (r *Rulebook) columnByKey(key string) *ColumnRule {
	if c := r.Column(key); c != nil {
		return c
	}
	n := NormalizeName(key)
	for i := range r.Columns {
		if NormalizeName(r.Columns[i].Name) == n {
			return &r.Columns[i]
		}
	}
	return nil
}

// Apply returns a catalogue whose rule data carries the overrides for one
// run (profile on site s); the receiver's catalogue, shared by the process,
// is not changed. Severities and switched-off checks are not rule data:
// they are applied to findings (ApplySeverity) and run options (Disable).
func (o *Overrides) Apply(c *Catalogue, profile string, s *site.Site) (*Catalogue, error) {
	if o == nil {
		return c, nil
	}
	if err := o.Validate(c); err != nil {
		return nil, err
	}
	rb := c.Rules.clone()
	if err := o.apply(rb, profile, s); err != nil {
		return nil, err
	}
	return &Catalogue{Rules: rb, Checks: c.Checks}, nil
}

// Disable adds the checks the overrides switch off to a run's options.
func (o *Overrides) Disable(opt Options) Options {
	if o == nil || len(o.Disabled) == 0 {
		return opt
	}
	dis := map[string]bool{}
	for k, v := range opt.Disabled {
		dis[k] = v
	}
	for _, id := range o.Disabled {
		dis[id] = true
	}
	opt.Disabled = dis
	return opt
}

// ApplySeverity sets the configured severity on every finding of a check
// and puts the findings back in report order.
func (o *Overrides) ApplySeverity(fs []Finding) {
	if o == nil || len(o.Severity) == 0 {
		return
	}
	for i := range fs {
		if sev, ok := o.Severity[fs[i].CheckID]; ok {
			fs[i].Severity = sev
		}
	}
	SortFindings(fs)
}

// RunWith runs the single-run checks with the overrides: rule data,
// switched-off checks and severities. The audit pipeline calls the steps
// one by one; this is the same for callers that need only findings.
func (c *Catalogue) RunWith(s *site.Site, opt Options, o *Overrides) ([]Finding, error) {
	c, err := o.Apply(c, opt.Profile, s)
	if err != nil {
		return nil, err
	}
	fs, err := c.Run(s, o.Disable(opt))
	if err != nil {
		return nil, err
	}
	o.ApplySeverity(fs)
	return fs, nil
}

// clone copies what overrides change, so the shared rulebook stays as loaded.
func (r *Rulebook) clone() *Rulebook {
	c := *r
	c.Columns = make([]ColumnRule, len(r.Columns))
	for i, col := range r.Columns {
		col.Synonyms = slices.Clone(col.Synonyms)
		if col.Window != nil {
			w := *col.Window
			col.Window = &w
		}
		c.Columns[i] = col
	}
	c.Windows = maps.Clone(r.Windows)
	c.Profiles = maps.Clone(r.Profiles) // apply replaces a changed profile with a copy
	c.files = maps.Clone(r.files)       // apply replaces a changed family's data with a copy
	return &c
}

func (o *Overrides) apply(rb *Rulebook, profile string, s *site.Site) error {
	prof, ok := rb.Profiles[profile]
	if !ok {
		return fmt.Errorf("unknown profile %q (known: %v)", profile, rb.ProfileIDs())
	}
	// Extra columns: new rules join the rulebook; all join the profile.
	if len(o.ExtraColumns) > 0 {
		p := *prof
		p.Columns = append([]string(nil), prof.Columns...)
		for _, ec := range o.ExtraColumns {
			if rb.Column(ec.ID) == nil {
				rb.Columns = append(rb.Columns, ec)
			}
			if !ovContains(p.Columns, ec.ID) {
				p.Columns = append(p.Columns, ec.ID)
			}
		}
		rb.Profiles[profile] = &p
	}
	// Windows: classes first, so a column's own window wins.
	for _, k := range ovKeys(o.Windows) {
		old, ok := rb.Windows[k]
		if !ok {
			continue
		}
		w := o.Windows[k]
		for i := range rb.Columns {
			if cw := rb.Columns[i].Window; cw != nil && *cw == old {
				nw := w
				rb.Columns[i].Window = &nw
			}
		}
		rb.Windows[k] = w
	}
	for _, k := range ovKeys(o.Windows) {
		if _, ok := rb.Windows[k]; ok {
			continue
		}
		if col := rb.columnByKey(k); col != nil {
			nw := o.Windows[k]
			col.Window = &nw
		}
	}
	// Column URLs: the names the site gives that page become synonyms.
	for _, k := range ovKeys(o.ColumnURLs) {
		col := rb.columnByKey(k)
		if col == nil {
			continue
		}
		for _, n := range namesAt(s, o.ColumnURLs[k]) {
			if !ovContains(col.Synonyms, n) && n != col.Name {
				col.Synonyms = append(col.Synonyms, n)
			}
		}
	}
	if len(o.StaleCitations) > 0 {
		reg := *regulationRules.Of(rb)
		reg.StaleCitation.Patterns = slices.Clone(reg.StaleCitation.Patterns)
		for _, sp := range o.StaleCitations {
			if err := sp.compile(); err != nil {
				return fmt.Errorf("stale-citation pattern %s: %w", sp.Name, err)
			}
			reg.StaleCitation.Patterns = append(reg.StaleCitation.Patterns, sp)
		}
		regulationRules.set(rb, &reg)
	}
	return nil
}

// namesAt lists what the site calls the page at u (a path or an absolute
// URL, compared by path and query): the column names there and the texts of
// links to it.
func namesAt(s *site.Site, u string) []string {
	want := pathKey(u)
	var out []string
	add := func(n string) {
		n = strings.TrimSpace(n)
		if n != "" && len([]rune(n)) <= 40 && !ovContains(out, n) {
			out = append(out, n)
		}
	}
	for _, c := range s.Columns {
		if pathKey(c.URL) == want {
			add(c.Name)
		}
	}
	for _, pg := range s.Pages {
		for _, l := range pg.Links {
			if l.Internal && pathKey(l.URL) == want {
				add(l.Text)
			}
		}
	}
	sort.Strings(out)
	return out
}

// pathKey is a URL's path and query, with a trailing index.html or "/"
// treated alike, so "/ssjygk/" names the page /ssjygk/index.html.
func pathKey(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return u
	}
	k := p.EscapedPath()
	for _, idx := range []string{"index.html", "index.htm", "index.shtml", "default.html", "default.htm"} {
		k = strings.TrimSuffix(k, "/"+idx)
	}
	k = strings.TrimSuffix(k, "/")
	if p.RawQuery != "" {
		k += "?" + p.RawQuery
	}
	return k
}

func ovContains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func ovKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
