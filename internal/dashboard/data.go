package dashboard

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/batch"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/report"
	"github.com/govlint/govlint/internal/score"
)

// siteInfo is a stored site with its dashboard key and its runs.
type siteInfo struct {
	history.Site
	Key  string
	Runs []history.Run // oldest first
}

// vetoItem is one veto check a run failed.
type vetoItem struct{ CheckID, Title string }

// runSummary is what the league needs of a stored report. Reports never
// change once stored, so summaries are cached by run ID.
type runSummary struct {
	Score    score.Result
	Vetoes   []vetoItem
	Findings int
	OK       bool // a report was stored
}

type summaryCache struct {
	mu sync.Mutex
	m  map[int64]runSummary
}

func (s *Server) summary(ctx context.Context, run history.Run) runSummary {
	s.cache.mu.Lock()
	sum, ok := s.cache.m[run.ID]
	s.cache.mu.Unlock()
	if ok {
		return sum
	}
	r, err := s.opt.Store.Report(ctx, run.ID)
	if err != nil {
		// A run that stored no report (or a read that failed) is asked
		// again next time rather than remembered as empty.
		return runSummary{}
	}
	sum = summarize(r)
	s.cache.mu.Lock()
	if s.cache.m == nil {
		s.cache.m = map[int64]runSummary{}
	}
	s.cache.m[run.ID] = sum
	s.cache.mu.Unlock()
	return sum
}

// vetoRule finds the 19号 veto item a summary finding names
// (site.veto-risk: 触发单项否决“空白栏目”…).
var vetoRule = regexp.MustCompile(`单项否决“([^”]{1,30})”`)

func vetoLabel(f report.Finding) string {
	if m := vetoRule.FindStringSubmatch(f.Message); m != nil {
		return m[1]
	}
	return cmp.Or(f.Title, f.CheckID)
}

func summarize(r *report.Report) runSummary {
	sum := runSummary{Score: r.Score, Findings: len(r.Findings), OK: true}
	seen := map[string]bool{}
	for _, f := range r.Findings {
		if f.Severity == checks.SeverityVeto && !seen[f.CheckID] {
			seen[f.CheckID] = true
			sum.Vetoes = append(sum.Vetoes, vetoItem{f.CheckID, vetoLabel(f)})
		}
	}
	return sum
}

// loadSites reads every site with its runs and gives each a key: the batch
// key (网站标识码, else host_port), made unique with a short hash of the URL
// when two sites would share one.
func (s *Server) loadSites(ctx context.Context) ([]*siteInfo, error) {
	sites, err := s.opt.Store.Sites(ctx, "")
	if err != nil {
		return nil, err
	}
	out := make([]*siteInfo, 0, len(sites))
	count := map[string]int{}
	for _, st := range sites {
		runs, err := s.opt.Store.Runs(ctx, st.URL)
		if err != nil {
			return nil, err
		}
		si := &siteInfo{Site: st, Key: batch.Key(st.URL, st.SiteCode), Runs: runs}
		count[si.Key]++
		out = append(out, si)
	}
	for _, si := range out {
		if count[si.Key] > 1 {
			h := sha256.Sum256([]byte(si.URL))
			si.Key += "-" + hex.EncodeToString(h[:3])
		}
	}
	return out, nil
}

// findSite finds a site by its key, its host:port, its 网站标识码 or its URL.
func findSite(sites []*siteInfo, key string) *siteInfo {
	for _, si := range sites {
		if si.Key == key {
			return si
		}
	}
	for _, si := range sites {
		if key == si.URL || (si.SiteCode != "" && key == si.SiteCode) {
			return si
		}
		if u, err := url.Parse(si.URL); err == nil && strings.EqualFold(key, u.Host) {
			return si
		}
	}
	return nil
}

// batchInfo is one batch run found in the store.
type batchInfo struct {
	Name string
	AsOf string
}

// batches lists the batches in the store, newest first (by the newest
// as-of date and start time of their runs).
func batches(sites []*siteInfo) []batchInfo {
	type key struct{ asOf, started string }
	newest := map[string]key{}
	for _, si := range sites {
		for _, r := range si.Runs {
			if r.Batch == "" {
				continue
			}
			k := key{r.AsOf, r.StartedAt.UTC().Format("2006-01-02T15:04:05.000")}
			if old, ok := newest[r.Batch]; !ok || k.asOf > old.asOf || k.asOf == old.asOf && k.started > old.started {
				newest[r.Batch] = k
			}
		}
	}
	out := make([]batchInfo, 0, len(newest))
	for name, k := range newest {
		out = append(out, batchInfo{name, k.asOf})
	}
	slices.SortFunc(out, func(a, b batchInfo) int {
		ka, kb := newest[a.Name], newest[b.Name]
		if c := cmp.Compare(kb.asOf, ka.asOf); c != 0 {
			return c
		}
		if c := cmp.Compare(kb.started, ka.started); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return out
}

// leagueRun picks a site's run for the league: its run in the batch, or,
// with no batch in the store, its newest run.
func leagueRun(si *siteInfo, batchName string) (history.Run, bool) {
	if batchName == "" {
		if len(si.Runs) == 0 {
			return history.Run{}, false
		}
		return si.Runs[len(si.Runs)-1], true
	}
	for i := len(si.Runs) - 1; i >= 0; i-- {
		if si.Runs[i].Batch == batchName {
			return si.Runs[i], true
		}
	}
	return history.Run{}, false
}

// findingChanges compares two runs' findings by fingerprint.
type findingChanges struct {
	New, Fixed, Still []report.Finding
	// FixedIdx and the indexes of New/Still are the findings' positions
	// (1-based) in their runs, for evidence links.
	NewIdx, FixedIdx, StillIdx []int
}

func diffFindings(prev, cur []report.Finding) findingChanges {
	var ch findingChanges
	in := func(fs []report.Finding) map[string]bool {
		m := make(map[string]bool, len(fs))
		for _, f := range fs {
			m[f.Fingerprint] = true
		}
		return m
	}
	pm, cm := in(prev), in(cur)
	for i, f := range cur {
		if pm[f.Fingerprint] {
			ch.Still, ch.StillIdx = append(ch.Still, f), append(ch.StillIdx, i+1)
		} else {
			ch.New, ch.NewIdx = append(ch.New, f), append(ch.NewIdx, i+1)
		}
	}
	for i, f := range prev {
		if !cm[f.Fingerprint] {
			ch.Fixed, ch.FixedIdx = append(ch.Fixed, f), append(ch.FixedIdx, i+1)
		}
	}
	return ch
}

func displayName(st history.Site) string { return cmp.Or(st.Name, st.URL) }

func fmtScore(f float64) string {
	if f == float64(int64(f)) {
		return fmt.Sprintf("%.0f", f)
	}
	return fmt.Sprintf("%.1f", f)
}
