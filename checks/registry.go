package checks

import (
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// registered holds every check, added by its family's file with Register
// from an init function. The catalogue's order (`govlint checks`, the
// report's rules section) is the order of rulebook/checks.yaml, so init
// order never shows. Adding a check is its Go file (the value and its
// Register call), its texts in checks.yaml and, with rule data, its own
// YAML registered with RegisterRules; see README "Adding a check".
var registered = map[string]*Check{}

// Register adds checks to the catalogue. It is called from init functions;
// a duplicate ID is a programming error and panics at start-up, which the
// tests catch.
func Register(cs ...*Check) {
	for _, c := range cs {
		if _, dup := registered[c.ID]; dup {
			panic("checks: " + c.ID + " registered twice")
		}
		registered[c.ID] = c
	}
}

// Catalogue is the registry with texts attached, ready to run. A loaded
// catalogue is shared by every run of the process: never modify it; apply
// overrides with Overrides.Apply, which returns a new one.
type Catalogue struct {
	Rules  *Rulebook
	Checks []*Check
}

// loadCatalogue parses the embedded rulebook once per process.
var loadCatalogue = sync.OnceValues(func() (*Catalogue, error) {
	rb, err := parseRulebook()
	if err != nil {
		return nil, err
	}
	return attach(rb)
})

// Load is the catalogue: every registered check with its texts. It fails if
// a check has no text, a text has no check, or a message template uses an
// argument its check does not declare.
func Load() (*Catalogue, error) { return loadCatalogue() }

func attach(rb *Rulebook) (*Catalogue, error) {
	cat := &Catalogue{Rules: rb}
	seen := map[string]bool{}
	for _, id := range rb.order {
		c, ok := registered[id]
		if !ok {
			return nil, fmt.Errorf("rulebook/checks.yaml describes %s, which is not a registered check", id)
		}
		t := rb.Checks[id]
		if err := validateMessages(c, t); err != nil {
			return nil, fmt.Errorf("rulebook/checks.yaml: %s: %w", c.ID, err)
		}
		cc := *c
		cc.Text = t
		cat.Checks = append(cat.Checks, &cc)
		seen[c.ID] = true
	}
	for id := range registered {
		if !seen[id] {
			return nil, fmt.Errorf("check %s has no entry in rulebook/checks.yaml", id)
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
	// History is the site's history for the checks that need it; nil
	// skips them without a finding.
	History History
	// Timed, if set, is told how long each check ran (indexes it shared
	// are charged to the first check that built them); for benchmarks.
	Timed func(id string, d time.Duration)
}

// Result is what a run of the checks found: findings in report order, and
// notes on what could not be judged (Chinese, for the report).
type Result struct {
	Findings []Finding
	Notes    []string
}

// Run runs every enabled single-run check on the site and returns the
// findings in report order. Checks that need history are left to
// RunHistory.
func (c *Catalogue) Run(s *site.Site, opt Options) ([]Finding, error) {
	res, err := c.run(s, opt, false, nil)
	return res.Findings, err
}

// RunHistory runs the enabled checks that need history. earlier are the
// findings of the single-run checks (after severity overrides), which a
// history check may defer to. Without opt.History it finds nothing. s may
// be nil (a probe without an audit): checks that read the site then skip.
func (c *Catalogue) RunHistory(s *site.Site, opt Options, earlier []Finding) (Result, error) {
	if opt.History == nil {
		return Result{}, nil
	}
	return c.run(s, opt, true, earlier)
}

func (c *Catalogue) run(s *site.Site, opt Options, history bool, earlier []Finding) (Result, error) {
	prof, ok := c.Rules.Profiles[opt.Profile]
	if !ok {
		if !history || opt.Profile != "" {
			return Result{}, fmt.Errorf("unknown profile %q (known: %v)", opt.Profile, c.Rules.ProfileIDs())
		}
	}
	level := opt.Level
	if level == "" && prof != nil {
		level = prof.Level
	}
	if level != "" && !c.Rules.ValidLevel(level) {
		return Result{}, fmt.Errorf("unknown level %q (known: %v)", level, c.Rules.LevelIDs())
	}
	// The checks to run, in catalogue order.
	var passes []*Pass
	shared := &memoTable{}
	for _, ch := range c.Checks {
		if opt.Disabled[ch.ID] || ch.NeedsHistory != history || !ch.Text.Levels.Binds(level) {
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
		passes = append(passes, &Pass{Check: &cc, Site: s, Rules: c.Rules, Profile: prof, Level: level, AsOf: opt.AsOf, shared: shared, History: opt.History, Earlier: earlier})
	}
	if s != nil {
		// Built before the checks share the model: its lookup table is
		// otherwise made on first use.
		s.EnsureIndex()
	}
	// Checks are pure functions of the model and share only memo values,
	// so they run side by side: after the crawl nothing else needs the
	// cores, and one after another they kept all but one idle. Not the
	// history checks: their History may be one database transaction,
	// which takes one query at a time (and they are few and quick).
	workers := runtime.GOMAXPROCS(0)
	if history {
		workers = 1
	}
	var timedMu sync.Mutex
	next := atomic.Int32{}
	var wg sync.WaitGroup
	for range min(workers, len(passes)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(passes) {
					return
				}
				p := passes[i]
				began := time.Now()
				p.Check.Run(p)
				if opt.Timed != nil {
					timedMu.Lock()
					opt.Timed(p.Check.ID, time.Since(began))
					timedMu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	var res Result
	for _, p := range passes {
		if p.err != nil {
			return res, fmt.Errorf("check %s: %w", p.Check.ID, p.err)
		}
		res.Findings = append(res.Findings, p.findings...)
		res.Notes = append(res.Notes, p.notes...)
	}
	SortFindings(res.Findings)
	return res, nil
}

func sortStrings(s []string) { sort.Strings(s) }
