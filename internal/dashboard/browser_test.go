package dashboard

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/govlint/govlint/internal/batch"
	"github.com/govlint/govlint/internal/chrome"
)

// browser starts Debian's chromium for a test, or skips it loudly.
func browser(t *testing.T) *chrome.Browser {
	t.Helper()
	if _, err := chrome.Find(); err != nil {
		t.Skipf("######## SKIPPING browser test: %v ########", err)
	}
	b, err := chrome.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// tab opens a tab with a 1366×768 window and a deadline.
func tab(t *testing.T, b *chrome.Browser) context.Context {
	t.Helper()
	ctx, cancel := b.Tab()
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatal(err)
	}
	tctx, tcancel := context.WithTimeout(ctx, 45*time.Second)
	t.Cleanup(tcancel)
	return tctx
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func open(t *testing.T, ctx context.Context, u, waitFor string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS(waitFor))); err != nil {
		t.Fatalf("open %s and wait for %s: %v", u, waitFor, err)
	}
}

type leagueCell struct {
	Key    string  `json:"key"`
	Name   string  `json:"name"`
	Score  string  `json:"score"`
	SparkW float64 `json:"sparkW"`
	Spark  int     `json:"spark"`
}

func TestBrowserLeagueShowsEverySiteWithScoreAndCharts(t *testing.T) {
	h := buildHistory(t)
	ts, _ := newServer(t, h, "")
	ctx := tab(t, browser(t))
	open(t, ctx, ts.URL+"/", "#league")

	rows := eval[[]leagueCell](t, ctx, `[...document.querySelectorAll('#league tbody tr')].map(tr => ({
		key: tr.dataset.site, name: tr.querySelector('td.site a').textContent.trim(),
		score: tr.querySelector('td.score').textContent.trim(),
		sparkW: tr.querySelector('td.trend svg').getBoundingClientRect().width,
		spark: tr.querySelectorAll('td.trend svg polyline').length}))`)
	latest := h.rows[1]
	if len(rows) != len(latest) {
		t.Fatalf("league shows %d rows, the latest batch has %d sites: %+v", len(rows), len(latest), rows)
	}
	shown := map[string]leagueCell{}
	for _, r := range rows {
		shown[r.Name] = r
	}
	for _, want := range latest {
		got, ok := shown[want.Name]
		if !ok {
			t.Errorf("site %s missing from the league", want.Name)
			continue
		}
		if want.Scored() && got.Score != fmtScore(want.Score) {
			t.Errorf("%s: league shows score %q, batch scored %s", want.Name, got.Score, fmtScore(want.Score))
		}
		if got.SparkW < 50 {
			t.Errorf("%s: sparkline not drawn (width %.0f)", want.Name, got.SparkW)
		}
		if want.Scored() && got.Spark != 1 {
			t.Errorf("%s: sparkline over two scored runs has %d lines, want 1", want.Name, got.Spark)
		}
	}
	// The score distribution: ten bands, the bars add up to the scored sites.
	scored := 0
	for _, r := range latest {
		if r.Scored() {
			scored++
		}
	}
	bars := eval[int](t, ctx, `document.querySelectorAll('#chart-scores svg rect').length`)
	if bars != 10 {
		t.Errorf("score distribution has %d bars, want 10", bars)
	}
	sum := eval[int](t, ctx, `[...document.querySelectorAll('#chart-scores svg text.val')].reduce((a, e) => a + Number(e.textContent), 0)`)
	if sum != scored {
		t.Errorf("score distribution counts %d sites, %d were scored", sum, scored)
	}
	if w := eval[float64](t, ctx, `document.querySelector('#chart-scores svg').getBoundingClientRect().width`); w < 300 {
		t.Errorf("score chart is %.0f px wide at 1366×768", w)
	}
	if ok := eval[bool](t, ctx, `!!document.querySelector('#chart-vetoes svg, #chart-vetoes .chart-empty')`); !ok {
		t.Error("veto chart missing")
	}
	// The table fits the 1366 px window without a horizontal page scroll.
	if w := eval[float64](t, ctx, `document.documentElement.scrollWidth`); w > 1366 {
		t.Errorf("page is %.0f px wide, wider than a 1366 px screen", w)
	}
}

// flawedKey is the dashboard key of the site that changed between runs.
func flawedKey(h *twoRuns) string {
	for _, r := range h.rows[1] {
		if r.Name == "云岭省某财政局" {
			return r.Key
		}
	}
	return ""
}

func flawedRows(h *twoRuns) (first, second batch.Row) {
	for k := range 2 {
		for _, r := range h.rows[k] {
			if r.Name == "云岭省某财政局" {
				if k == 0 {
					first = r
				} else {
					second = r
				}
			}
		}
	}
	return
}

func TestBrowserSitePageShowsBothRunsAndChanges(t *testing.T) {
	h := buildHistory(t)
	ts, _ := newServer(t, h, "")
	ctx := tab(t, browser(t))
	open(t, ctx, ts.URL+"/", "#league")
	// Two clicks from the league to the evidence: the site first.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#league tr[data-site="`+flawedKey(h)+`"] td.site a`)),
		chromedp.WaitVisible(chromedp.CSS("#runs"))); err != nil {
		t.Fatal(err)
	}
	runs := eval[[]string](t, ctx, `[...document.querySelectorAll('#runs tr.run')].map(tr => tr.textContent.replace(/\s+/g, ' ').trim())`)
	first, second := flawedRows(h)
	if len(runs) != 2 || !strings.HasPrefix(runs[0], "2026-11-27") || !strings.HasPrefix(runs[1], "2026-11-20") {
		t.Fatalf("runs table %q, want the 2026-11-27 run above the 2026-11-20 run", runs)
	}
	for i, r := range []batch.Row{second, first} {
		if !strings.Contains(runs[i], " "+fmtScore(r.Score)+" ") {
			t.Errorf("run %q does not show its score %s", runs[i], fmtScore(r.Score))
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#chart-trend svg circle').length`); n != 2 {
		t.Errorf("score trend plots %d runs, want 2", n)
	}
	fixed := eval[string](t, ctx, `document.querySelector('#chg-fixed').textContent`)
	added := eval[string](t, ctx, `document.querySelector('#chg-new').textContent`)
	still := eval[string](t, ctx, `document.querySelector('#chg-still').textContent`)
	if !strings.Contains(fixed, "old_guide.html") {
		t.Errorf("已整改 lacks the restored guide's broken link: %q", fixed)
	}
	if !strings.Contains(added, "P020260828630215847291.pdf") {
		t.Errorf("新增 lacks the lost attachment: %q", added)
	}
	if !strings.Contains(still, "P020260912_missing.pdf") {
		t.Errorf("仍存在 lacks the link broken in both runs: %q", still)
	}
	if strings.Contains(still, "old_guide.html") || strings.Contains(added, "old_guide.html") {
		t.Error("a fixed finding is listed as new or remaining")
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#chart-avail svg circle, #chart-avail svg text.miss').length`); n < 6 {
		t.Errorf("availability chart plots %d probes, want at least the 6 probes and audits", n)
	}
	if ok := eval[bool](t, ctx, `!!document.querySelector('#chart-avail svg line.ref')`); !ok {
		t.Error("availability chart lacks the 15 s threshold line")
	}
}

func TestBrowserEvidenceOpensArchivedPageWithSnippetHighlighted(t *testing.T) {
	h := buildHistory(t)
	ts, _ := newServer(t, h, "")
	ctx := tab(t, browser(t))
	open(t, ctx, ts.URL+"/sites/"+flawedKey(h), "#findings")
	// The broken attachment link of the policy page: its evidence is the
	// link on that page.
	const page = "/zcwj/202609/t20260912_1001198.html"
	sel := `#findings article.finding`
	idx := eval[int](t, ctx, `[...document.querySelectorAll('`+sel+`')].findIndex(a => a.textContent.includes('P020260912_missing.pdf'))`)
	if idx < 0 {
		t.Fatal("no finding for the missing attachment on the site page")
	}
	snippet := eval[string](t, ctx, fmt.Sprintf(`(document.querySelectorAll('%s')[%d].querySelector('.snippet')||{}).textContent||''`, sel, idx))
	before, beforeCSS := h.flawed.Hits(page), h.flawed.Hits("/css/style.css")
	// The second click: that finding's evidence link.
	eval[bool](t, ctx, fmt.Sprintf(`document.querySelectorAll('%s')[%d].querySelector('a.evidence').setAttribute('data-test', 'x') === undefined`, sel, idx))
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`a.evidence[data-test]`))); err != nil {
		t.Fatalf("click the evidence link: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("mark#govlint-hit"))); err != nil {
		t.Fatalf("the evidence page shows no highlighted snippet: %v", err)
	}
	loc := eval[string](t, ctx, `location.pathname`)
	if !strings.Contains(loc, "/evidence/") {
		t.Fatalf("evidence opened %s", loc)
	}
	marked := eval[string](t, ctx, `[...document.querySelectorAll('mark.govlint-hit')].map(m => m.textContent).join('')`)
	squash := func(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, "…", "")), "") }
	if marked == "" || !strings.Contains(squash(snippet), squash(marked)) {
		t.Errorf("highlighted %q, not the finding's snippet %q", marked, snippet)
	}
	// The archived page is the policy page as fetched, not a live copy.
	if title := eval[string](t, ctx, `document.title`); !strings.Contains(title, "资金管理") && !strings.Contains(title, "云岭省") {
		t.Errorf("archived page title %q", title)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('script').length`); n != 0 {
		t.Errorf("archived page keeps %d scripts", n)
	}
	// Nothing was fetched from the original site, and every resource the
	// page asked for came from the dashboard.
	if h.flawed.Hits(page) != before || h.flawed.Hits("/css/style.css") != beforeCSS {
		t.Error("opening the evidence made a request to the original site")
	}
	foreign := eval[[]string](t, ctx, `performance.getEntriesByType('resource').map(e => e.name).filter(u => !u.startsWith(location.origin))`)
	if len(foreign) > 0 {
		t.Errorf("archived page loaded resources from elsewhere: %v", foreign)
	}
}

// TestScreenshots writes a PNG of each page into $GOVLINT_SCREENSHOTS
// (`make screenshots` sets it to docs/). Not a check: skipped otherwise.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("GOVLINT_SCREENSHOTS")
	if dir == "" {
		t.Skip("set GOVLINT_SCREENSHOTS=DIR (make screenshots) to write the page screenshots")
	}
	h := buildHistory(t)
	ts, _ := newServer(t, h, "")
	b := browser(t)
	_, second := flawedRows(h)
	var runID int64
	runs, err := h.store.Runs(context.Background(), second.URL)
	if err != nil || len(runs) == 0 {
		t.Fatal(err)
	}
	runID = runs[len(runs)-1].ID
	rep, err := h.store.Report(context.Background(), runID)
	if err != nil {
		t.Fatal(err)
	}
	ev := 0
	for i, f := range rep.Findings {
		if strings.Contains(f.Subject, "P020260912_missing.pdf") {
			ev = i + 1
		}
	}
	ts2, _ := newServer(t, h, "screenshot-token")
	pages := []struct {
		name, url, wait string
		full            bool
	}{
		{"dashboard-league.png", ts.URL + "/", "#league", false},
		{"dashboard-site.png", ts.URL + "/sites/" + flawedKey(h), "#findings", true},
		{"dashboard-run.png", fmt.Sprintf("%s/runs/%d", ts.URL, runID), "body", false},
		{"dashboard-evidence.png", fmt.Sprintf("%s/runs/%d/evidence/%d#govlint-hit", ts.URL, runID, ev), "mark#govlint-hit", false},
		{"dashboard-login.png", ts2.URL + "/", "#token", false},
	}
	for _, p := range pages {
		ctx := tab(t, b)
		open(t, ctx, p.url, p.wait)
		shot := chromedp.CaptureScreenshot()
		if p.full {
			shot = chromedp.FullScreenshot(100)
		}
		png, err := chromedp.Run(ctx, shot)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p.name), png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", filepath.Join(dir, p.name))
	}
}
