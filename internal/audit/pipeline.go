package audit

import (
	"fmt"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/baseline"
	"github.com/govlint/govlint/internal/config"
	"github.com/govlint/govlint/internal/report"
	"github.com/govlint/govlint/internal/score"
	"github.com/govlint/govlint/internal/site"
)

// The findings pipeline, like golangci-lint's processors: every audit, check
// and recorded run turns a site model into findings the same way, in one
// order, and scores them once at the end:
//
//	checks → severity overrides → history checks → ignores → baseline → score
//
// Each stage sees the findings the one before left; none re-scores.

// Filters are the stages a config file and the CI flags add after the
// checks. The zero value filters nothing.
type Filters struct {
	// Ignores are the config's ignore entries: a live one moves a finding
	// to the report's ignored list (it costs nothing), an expired one
	// marks it.
	Ignores []config.Ignore
	// Baseline hides the findings it knows from the listing (they still
	// count in the score); BaselinePath names it in the report.
	Baseline     *baseline.File
	BaselinePath string
	// WriteBaseline, if set, receives this run's findings (after ignores,
	// before the baseline hides any) as a new baseline file.
	WriteBaseline string
}

// item is one finding on its way through the pipeline.
type item struct {
	checks.Finding
	ignore    *report.Ignore // a live ignore covers it: not listed, costs nothing
	expired   *report.Ignore // an expired ignore covers it: listed, marked
	baselined bool           // the baseline knows it: counted, not listed
}

// pipeline holds one run's stages and what they pass on.
type pipeline struct {
	cat   *checks.Catalogue // with the run's overrides applied
	site  *site.Site
	opt   CheckOptions
	prof  *checks.Profile
	items []item
	notes []string
}

type stage struct {
	name string
	run  func(*pipeline) error
}

// stages are the pipeline in order; scoring follows them (score).
var stages = []stage{
	{"checks", (*pipeline).runChecks},
	{"severity", (*pipeline).severity},
	{"history", (*pipeline).history},
	{"ignores", (*pipeline).ignores},
	{"baseline", (*pipeline).baseline},
}

// findings runs the stages on a site model and fills r's findings, ignored
// findings, baseline and score.
func findings(s *site.Site, prof *checks.Profile, opt CheckOptions, rub *score.Rubric, r *report.Report) error {
	cat, err := checks.Load()
	if err != nil {
		return err
	}
	if cat, err = opt.Overrides.Apply(cat, prof.ID, s); err != nil {
		return err
	}
	pl := &pipeline{cat: cat, site: s, opt: opt, prof: prof}
	for _, st := range stages {
		if err := st.run(pl); err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
	}
	return pl.score(rub, r)
}

func (pl *pipeline) options() checks.Options {
	return pl.opt.Overrides.Disable(checks.Options{Profile: pl.prof.ID, Level: pl.opt.Level, AsOf: pl.opt.AsOf, History: pl.opt.History})
}

func (pl *pipeline) runChecks() error {
	fs, err := pl.cat.Run(pl.site, pl.options())
	if err != nil {
		return err
	}
	pl.items = make([]item, len(fs))
	for i, f := range fs {
		pl.items[i].Finding = f
	}
	return nil
}

func (pl *pipeline) findingsNow() []checks.Finding {
	fs := make([]checks.Finding, len(pl.items))
	for i, it := range pl.items {
		fs[i] = it.Finding
	}
	return fs
}

func (pl *pipeline) severity() error {
	if pl.opt.Overrides == nil || len(pl.opt.Overrides.Severity) == 0 {
		return nil
	}
	fs := pl.findingsNow()
	pl.opt.Overrides.ApplySeverity(fs)
	for i := range fs {
		pl.items[i] = item{Finding: fs[i]}
	}
	return nil
}

// history runs the checks that need history, when the run has one. Their
// verdict on the home page (two weeks of real observations) supersedes
// site.veto-risk's single-run approximation: one rule, one veto. Their
// notes replace the report's note that a single run cannot judge them.
func (pl *pipeline) history() error {
	if pl.opt.History == nil {
		return nil
	}
	res, err := pl.cat.RunHistory(pl.site, pl.options(), pl.findingsNow())
	if err != nil {
		return err
	}
	pl.notes = append(pl.notes, res.Notes...)
	if len(res.Findings) == 0 {
		return nil
	}
	homeVerdict := false
	for _, f := range res.Findings {
		homeVerdict = homeVerdict || f.CheckID == checks.HistoryHomeStale.ID
	}
	var fs []checks.Finding
	for _, f := range pl.findingsNow() {
		if homeVerdict && f.CheckID == checks.SiteVetoRisk.ID && f.Subject == pl.cat.Rules.Veto.Labels.Home {
			continue
		}
		fs = append(fs, f)
	}
	fs = append(fs, res.Findings...)
	checks.SortFindings(fs)
	pl.items = make([]item, len(fs))
	for i, f := range fs {
		pl.items[i].Finding = f
	}
	return nil
}

// ignores applies the config's ignore entries: the first live one that
// matches wins; otherwise the first expired one marks the finding.
func (pl *pipeline) ignores() error {
	igs := pl.opt.Filters.Ignores
	if len(igs) == 0 {
		return nil
	}
	for i := range pl.items {
		it := &pl.items[i]
		probe := report.Finding{Finding: it.Finding}
		for j := range igs {
			ig := &igs[j]
			if !ig.Matches(probe) {
				continue
			}
			rec := ig.Record()
			if ig.Expired(pl.opt.AsOf) {
				if it.expired == nil {
					it.expired = &rec
				}
				continue
			}
			it.ignore, it.expired = &rec, nil
			break
		}
	}
	return nil
}

func (pl *pipeline) baseline() error {
	b := pl.opt.Filters.Baseline
	if b == nil {
		return nil
	}
	known := map[string]bool{}
	for _, e := range b.Findings {
		known[e.Fingerprint] = true
	}
	for i := range pl.items {
		if pl.items[i].ignore == nil && known[pl.items[i].Fingerprint] {
			pl.items[i].baselined = true
		}
	}
	return nil
}

// score scores the findings no live ignore covers, once, and assembles the
// report: listed findings, ignored ones, the baseline's count and notes.
func (pl *pipeline) score(rub *score.Rubric, r *report.Report) error {
	rub = withHistoryRules(rub, pl.cat)
	var counted []checks.Finding
	for _, it := range pl.items {
		if it.ignore == nil {
			counted = append(counted, it.Finding)
		}
	}
	res, ded := rub.Score(counted)
	r.Score = res
	title := func(id string) string {
		if c := pl.cat.Lookup(id); c != nil {
			return c.Text.Title
		}
		return ""
	}
	all := make([]report.Finding, 0, len(counted))
	suppressed := 0
	k := 0
	for _, it := range pl.items {
		if it.ignore != nil {
			f := report.Finding{Finding: it.Finding, Title: title(it.CheckID), Category: rub.Checks[it.CheckID].Category}
			r.Ignored = append(r.Ignored, report.Ignored{Finding: f, Ignore: *it.ignore})
			continue
		}
		f := report.Finding{Finding: it.Finding, Title: title(it.CheckID), Category: ded[k].Category, Points: ded[k].Points, IgnoreExpired: it.expired}
		k++
		all = append(all, f)
		if it.baselined {
			suppressed++
			continue
		}
		r.Findings = append(r.Findings, f)
	}
	if path := pl.opt.Filters.WriteBaseline; path != "" {
		if err := baseline.Write(path, &report.Report{Site: r.Site, Findings: all}); err != nil {
			return err
		}
	}
	if pl.opt.Filters.Baseline != nil {
		r.Baseline = &report.Baseline{File: pl.opt.Filters.BaselinePath, Suppressed: suppressed}
	}
	if pl.opt.History == nil {
		r.Notes = append(r.Notes, report.SingleRunNote)
	}
	r.Notes = append(r.Notes, pl.notes...)
	return nil
}

// withHistoryRules is the rubric with default weights for the history
// checks it does not name: a province's rubric written for single runs
// still lets a history veto fail the site.
func withHistoryRules(rub *score.Rubric, cat *checks.Catalogue) *score.Rubric {
	var missing []string
	for _, c := range cat.Checks {
		if _, ok := rub.Checks[c.ID]; c.NeedsHistory && !ok {
			missing = append(missing, c.ID)
		}
	}
	if len(missing) == 0 {
		return rub
	}
	def, err := score.Default()
	if err != nil {
		return rub
	}
	ext := *rub
	ext.Checks = make(map[string]score.Rule, len(rub.Checks)+len(missing))
	for id, rule := range rub.Checks {
		ext.Checks[id] = rule
	}
	for _, id := range missing {
		if rule, ok := def.Checks[id]; ok {
			ext.Checks[id] = rule
		}
	}
	return &ext
}
