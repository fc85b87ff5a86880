package checks

import (
	"fmt"
	"sort"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// registry lists every check in catalogue order. Adding a check means adding
// its value here and its text to rulebook/checks.yaml.
var registry = []*Check{
	ColumnsMissing,
	ColumnsEmpty,
	ColumnsStale,
	ColumnsIncomplete,
	ColumnsUndatedItems,
	SiteVetoRisk,
	InterpretationMissing,
	InterpretationUnlinked,
	InterpretationLate,
	InterpretationCopy,
	RegulationValidityMissing,
	RegulationRepealedUnmarked,
	RegulationStaleCitation,
	MetadataMissingFields,
	MetadataInconsistent,
	LinksBroken,
	IdentityFooter,
	IdentityMeta,
	PrivacyIDNumber,
	PrivacyBankCard,
	PrivacyMobile,
	AnnualReportMissing,
	AnnualReportLate,
	AnnualReportFormat,
	AnnualReportArithmetic,
	GuideElements,
	EnforcementLate,
	InteractionMissing,
	InteractionUnanswered,
}

// Catalogue is the registry with texts attached, ready to run.
type Catalogue struct {
	Rules  *Rulebook
	Checks []*Check
}

// Load attaches the rulebook texts to every registered check and fails if a
// check has no text or a text has no check.
func Load() (*Catalogue, error) {
	rb, err := LoadRulebook()
	if err != nil {
		return nil, err
	}
	cat := &Catalogue{Rules: rb}
	seen := map[string]bool{}
	for _, c := range registry {
		t, ok := rb.Checks[c.ID]
		if !ok {
			return nil, fmt.Errorf("check %s has no entry in rulebook/checks.yaml", c.ID)
		}
		cc := *c
		cc.Text = t
		cat.Checks = append(cat.Checks, &cc)
		seen[c.ID] = true
	}
	for id := range rb.Checks {
		if !seen[id] {
			return nil, fmt.Errorf("rulebook/checks.yaml describes %s, which is not a registered check", id)
		}
	}
	return cat, nil
}

// Lookup returns the check with the given ID, or nil.
func (c *Catalogue) Lookup(id string) *Check {
	for _, ch := range c.Checks {
		if ch.ID == id {
			return ch
		}
	}
	return nil
}

// Options says how to run the catalogue.
type Options struct {
	Profile string
	// Level is the agency's level; "" for the profile's.
	Level    string
	AsOf     time.Time
	Disabled map[string]bool
}

// Run runs every enabled check on the site and returns the findings in
// report order.
func (c *Catalogue) Run(s *site.Site, opt Options) ([]Finding, error) {
	prof, ok := c.Rules.Profiles[opt.Profile]
	if !ok {
		return nil, fmt.Errorf("unknown profile %q (known: %v)", opt.Profile, c.Rules.ProfileIDs())
	}
	level := opt.Level
	if level == "" {
		level = prof.Level
	}
	if level != "" && !c.Rules.ValidLevel(level) {
		return nil, fmt.Errorf("unknown level %q (known: %v)", level, c.Rules.LevelIDs())
	}
	var all []Finding
	shared := map[string]any{}
	for _, ch := range c.Checks {
		if opt.Disabled[ch.ID] || !ch.Text.Levels.Binds(level) {
			continue
		}
		// The rule as the law stood on the as-of date: not yet (or no
		// longer) in force is not applied; an earlier rule that held then
		// is, with its own citation.
		t, ok := ch.Text.Effective(opt.AsOf)
		if !ok {
			continue
		}
		cc := *ch
		cc.Text = t
		p := &Pass{Check: &cc, Site: s, Rules: c.Rules, Profile: prof, Level: level, AsOf: opt.AsOf, shared: shared}
		cc.Run(p)
		all = append(all, p.findings...)
	}
	SortFindings(all)
	return all, nil
}

func sortStrings(s []string) { sort.Strings(s) }
