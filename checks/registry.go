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
	Profile  string
	AsOf     time.Time
	Disabled map[string]bool
	// Timed, if set, is told how long each check ran (indexes it shared
	// are charged to the first check that built them); for benchmarks.
	Timed func(id string, d time.Duration)
}

// Run runs every enabled check on the site and returns the findings in
// report order.
func (c *Catalogue) Run(s *site.Site, opt Options) ([]Finding, error) {
	prof, ok := c.Rules.Profiles[opt.Profile]
	if !ok {
		return nil, fmt.Errorf("unknown profile %q (known: %v)", opt.Profile, c.Rules.ProfileIDs())
	}
	var all []Finding
	shared := map[string]any{}
	for _, ch := range c.Checks {
		if opt.Disabled[ch.ID] {
			continue
		}
		p := &Pass{Check: ch, Site: s, Rules: c.Rules, Profile: prof, AsOf: opt.AsOf, shared: shared}
		began := time.Now()
		ch.Run(p)
		if opt.Timed != nil {
			opt.Timed(ch.ID, time.Since(began))
		}
		all = append(all, p.findings...)
	}
	SortFindings(all)
	return all, nil
}

func sortStrings(s []string) { sort.Strings(s) }
