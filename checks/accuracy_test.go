package checks_test

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/audit"
	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/report"
)

// The accuracy test audits every fixture site (served on 127.0.0.1 with the
// real crawler and extractor) and compares each check's findings with the
// site's expected.yaml: precision and recall per check over all fixtures.
// On fixtures both must be 100%. `make accuracy` prints the table.

const sitesDir = "../fixtures/sites"

type expectedFile struct {
	Site    string `yaml:"site"`
	Profile string `yaml:"profile"`
	Level   string `yaml:"level"` // "" to guess it from the site's name
	AsOf    string `yaml:"as_of"`
	Start   string `yaml:"start"`
	// Host, when set, replaces 127.0.0.1 in the start URL (localhost: the
	// IPv6 probe then asks loopbackIPv6 for the name's AAAA records).
	Host     string `yaml:"host"`
	Findings []struct {
		Check   string `yaml:"check"`
		Subject string `yaml:"subject"`
		URL     string `yaml:"url"`
	} `yaml:"findings"`
}

// loopbackIPv6 answers AAAA queries without DNS: localhost is ::1, any
// other name has no address. The fixture server listens on 127.0.0.1
// only, so a fixture audited as localhost does not answer over IPv6.
func loopbackIPv6(_ context.Context, host string) ([]net.IP, error) {
	if host == "localhost" {
		return []net.IP{net.IPv6loopback}, nil
	}
	return nil, fmt.Errorf("no AAAA for %s in the test resolver", host)
}

type fixtureRun struct {
	name    string
	exp     expectedFile
	rep     *report.Report
	archive string // the WARC snapshot, for offline re-checks
}

var (
	fixturesOnce sync.Once
	fixtureRuns  []fixtureRun
	fixturesErr  error
	snapshotDir  string // removed by TestMain
)

func TestMain(m *testing.M) {
	code := m.Run()
	if snapshotDir != "" {
		os.RemoveAll(snapshotDir)
	}
	os.Exit(code)
}

// auditFixtures audits every fixture once per test binary; several tests
// share the result.
func auditFixtures(t *testing.T) []fixtureRun {
	t.Helper()
	fixturesOnce.Do(func() {
		if snapshotDir, fixturesErr = os.MkdirTemp("", "govlint-accuracy-"); fixturesErr != nil {
			return
		}
		n := 0
		var mu sync.Mutex
		fixtureRuns, fixturesErr = runFixtures(func() string {
			mu.Lock()
			defer mu.Unlock()
			n++
			d := filepath.Join(snapshotDir, fmt.Sprint(n))
			_ = os.Mkdir(d, 0o755)
			return d
		})
	})
	require.NoError(t, fixturesErr)
	return fixtureRuns
}

func runFixtures(tmp func() string) ([]fixtureRun, error) {
	dirs, err := filepath.Glob(filepath.Join(sitesDir, "*", "expected.yaml"))
	if err != nil || len(dirs) == 0 {
		return nil, fmt.Errorf("no fixture sites under %s: %v", sitesDir, err)
	}
	runs := make([]fixtureRun, len(dirs))
	errs := make([]error, len(dirs))
	var wg sync.WaitGroup
	for i, e := range dirs {
		wg.Add(1)
		go func(i int, dir string) {
			defer wg.Done()
			runs[i], errs[i] = auditOne(dir, filepath.Join(tmp(), "snapshot.warc.gz"))
		}(i, filepath.Dir(e))
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return runs, nil
}

func auditOne(dir, archive string) (fixtureRun, error) {
	run := fixtureRun{name: filepath.Base(dir), archive: archive}
	b, err := os.ReadFile(filepath.Join(dir, "expected.yaml"))
	if err != nil {
		return run, err
	}
	if err := yaml.Unmarshal(b, &run.exp); err != nil {
		return run, fmt.Errorf("%s/expected.yaml: %w", dir, err)
	}
	asOf, err := audit.ParseAsOf(run.exp.AsOf)
	if err != nil {
		return run, fmt.Errorf("%s/expected.yaml: %w", dir, err)
	}
	srv, err := fixtureserver.Start(fixtureserver.Options{Dir: dir})
	if err != nil {
		return run, err
	}
	defer srv.Close()
	start := strings.TrimSuffix(srv.URL(), "/") + run.exp.Start
	if run.exp.Host != "" {
		start = strings.Replace(start, "127.0.0.1", run.exp.Host, 1)
	}
	run.rep, err = audit.Audit(context.Background(), audit.Options{
		URL: start, Profile: run.exp.Profile, Level: run.exp.Level, AsOf: asOf,
		Archive: archive, MaxPages: 2000, Politeness: false, Version: "test", LookupIPv6: loopbackIPv6,
	})
	if err != nil {
		return run, fmt.Errorf("audit %s: %w", run.name, err)
	}
	return run, nil
}

func findingKey(site, check, subject, u string) string {
	return site + " | " + check + " | " + urlPath(subject) + " | " + urlPath(u)
}

func urlPath(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return s
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

type score struct{ tp, fp, fn int }

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

func TestAccuracyOnFixtures(t *testing.T) {
	runs := auditFixtures(t)
	cat, err := checks.Load()
	require.NoError(t, err)
	per := map[string]*score{}
	for _, c := range cat.Checks {
		per[c.ID] = &score{}
	}
	var misses []string
	for _, r := range runs {
		want := map[string]string{}
		for _, f := range r.exp.Findings {
			want[findingKey(r.name, f.Check, f.Subject, f.URL)] = f.Check
		}
		got := map[string]string{}
		for _, f := range r.rep.Findings {
			got[findingKey(r.name, f.CheckID, f.Subject, f.URL)] = f.CheckID
		}
		for k, id := range got {
			s := per[id]
			if s == nil {
				s = &score{}
				per[id] = s
			}
			if _, ok := want[k]; ok {
				s.tp++
			} else {
				s.fp++
				misses = append(misses, "unexpected: "+k)
			}
		}
		for k, id := range want {
			if _, ok := got[k]; !ok {
				s := per[id]
				if s == nil {
					s = &score{}
					per[id] = s
				}
				s.fn++
				misses = append(misses, "missed:     "+k)
			}
		}
	}
	ids := make([]string, 0, len(per))
	for id := range per {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var b strings.Builder
	fmt.Fprintf(&b, "%-34s %4s %4s %4s %9s %7s\n", "check", "TP", "FP", "FN", "precision", "recall")
	total := score{}
	for _, id := range ids {
		s := per[id]
		total.tp, total.fp, total.fn = total.tp+s.tp, total.fp+s.fp, total.fn+s.fn
		fmt.Fprintf(&b, "%-34s %4d %4d %4d %8.1f%% %6.1f%%\n", id, s.tp, s.fp, s.fn, 100*s.precision(), 100*s.recall())
	}
	fmt.Fprintf(&b, "%-34s %4d %4d %4d %8.1f%% %6.1f%%\n", "all", total.tp, total.fp, total.fn, 100*total.precision(), 100*total.recall())
	if testing.Verbose() || os.Getenv("GOVLINT_ACCURACY") != "" {
		fmt.Printf("accuracy over %d fixture sites:\n%s", len(runs), b.String())
	}
	sort.Strings(misses)
	if len(misses) > 0 {
		t.Errorf("findings differ from expected.yaml:\n%s\n\n%s", strings.Join(misses, "\n"), b.String())
	}
	// Every check must be measured: each has at least one planted defect.
	// The history checks need a history database, which a fixture site
	// is not; internal/history measures them on a real store.
	for _, c := range cat.Checks {
		if c.NeedsHistory {
			continue
		}
		if s := per[c.ID]; s.tp+s.fn == 0 {
			t.Errorf("check %s has no planted defect in any fixture's expected.yaml, so its recall is unmeasured", c.ID)
		}
	}
}

// No report field may carry a full personal number: privacy findings show
// masked samples only.
func TestPrivacyFindingsAreMasked(t *testing.T) {
	long := regexp.MustCompile(`\d{15,}|1[3-9]\d{9}`)
	n := 0
	for _, r := range auditFixtures(t) {
		for _, f := range r.rep.Findings {
			for _, field := range []string{f.Subject, f.Message, f.Evidence.Snippet} {
				if m := long.FindString(field); m != "" && !strings.HasPrefix(f.CheckID, "links.") {
					t.Errorf("%s %s shows an unmasked number %s…", f.CheckID, f.URL, m[:4])
				}
			}
			if strings.HasPrefix(f.CheckID, "privacy.") {
				n++
				assert.Contains(t, f.Subject, "****", f.CheckID)
			}
		}
	}
	require.Greater(t, n, 0, "the fixtures plant privacy defects")
}

// --profile auto names each fixture's profile from the site's name and
// says so in the notes (re-checked offline from the audits' snapshots).
func TestAutoProfileOnFixtures(t *testing.T) {
	for _, r := range auditFixtures(t) {
		rep, err := audit.Check(r.archive, audit.CheckOptions{Profile: checks.AutoProfile, Version: "test"})
		require.NoError(t, err, r.name)
		assert.Equal(t, r.exp.Profile, rep.Site.Profile, r.name)
		assert.Contains(t, strings.Join(rep.Notes, "\n"), "推定", r.name)
	}
}

// Every finding message on the fixtures is fully rendered: no {…} left.
func TestFixtureMessagesRendered(t *testing.T) {
	braces := regexp.MustCompile(`\{[^{}]*\}`)
	n := 0
	for _, r := range auditFixtures(t) {
		for _, f := range r.rep.Findings {
			n++
			assert.False(t, braces.MatchString(f.Message), "%s %s: %s", f.CheckID, f.URL, f.Message)
		}
	}
	require.Greater(t, n, 0)
}

// TestAuditModelIsCheckModel holds the audit's model, built from the
// records while the crawl writes them (audit.CrawlModel), to the model
// `govlint check` reads from the snapshot file: on every fixture site the
// two JSON reports are byte-identical.
func TestAuditModelIsCheckModel(t *testing.T) {
	t.Parallel()
	for _, r := range auditFixtures(t) {
		asOf, err := audit.ParseAsOf(r.exp.AsOf)
		require.NoError(t, err)
		again, err := audit.Check(r.archive, audit.CheckOptions{Profile: r.exp.Profile, Level: r.exp.Level, AsOf: asOf, Version: "test"})
		require.NoError(t, err, r.name)
		var live, file strings.Builder
		require.NoError(t, report.WriteJSON(&live, r.rep))
		require.NoError(t, report.WriteJSON(&file, again))
		require.Greater(t, r.rep.Stats.PagesFetched, 10, r.name)
		if a, b := strings.Split(file.String(), "\n"), strings.Split(live.String(), "\n"); file.String() != live.String() {
			i := 0
			for i < len(a) && i < len(b) && a[i] == b[i] {
				i++
			}
			t.Errorf("%s: the audit's report differs from check's on its snapshot at line %d:\ncheck: %s\naudit: %s",
				r.name, i+1, strings.Join(a[i:min(i+3, len(a))], "\n"), strings.Join(b[i:min(i+3, len(b))], "\n"))
		}
	}
}
