package dashboard

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/batch"
	"github.com/govlint/govlint/internal/chrome"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/report"
)

func get(t *testing.T, c *http.Client, u string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// noRedirect is a client that shows redirects instead of following them.
func noRedirect(ts interface{ Client() *http.Client }) *http.Client {
	c := *ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

var rowRE = regexp.MustCompile(`(?s)<tr class="v-[a-z]+" data-site="([^"]+)">.*?<td class="num score">([^<]*)</td>`)

// leagueRows returns the site keys and scores of the league table, in order.
func leagueRows(body string) (keys, scores []string) {
	for _, m := range rowRE.FindAllStringSubmatch(body, -1) {
		keys, scores = append(keys, m[1]), append(scores, m[2])
	}
	return
}

func TestLeagueShowsLatestBatchFiltersAndSorts(t *testing.T) {
	h := buildHistory(t)
	ts, _ := newServer(t, h, "")
	resp, body := get(t, ts.Client(), ts.URL+"/")
	require.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'none'")
	keys, scores := leagueRows(body)
	require.Len(t, keys, len(h.rows[1]))
	// Ranked as batch ranks the latest batch, scores as it scored them.
	want := slices.Clone(h.rows[1])
	batch.Rank(want)
	for i, r := range want {
		assert.Equal(t, r.Key, keys[i], "rank %d", i+1)
		if r.Scored() {
			assert.Equal(t, fmtScore(r.Score), scores[i], r.Name)
		}
	}
	assert.Contains(t, body, `id="chart-scores"`)
	assert.Contains(t, body, `id="chart-vetoes"`)
	assert.Equal(t, len(h.rows[1]), strings.Count(body, `<svg class="spark"`), "one sparkline per site")

	// The older batch, chosen by name, shows its own scores.
	_, body = get(t, ts.Client(), ts.URL+"/?batch=2026-11-20")
	k1, s1 := leagueRows(body)
	for _, r := range h.rows[0] {
		i := slices.Index(k1, r.Key)
		require.GreaterOrEqual(t, i, 0, r.Name)
		if r.Scored() {
			assert.Equal(t, fmtScore(r.Score), s1[i], r.Name)
		}
	}

	// Filters: only passed sites; only one 主管单位; only a profile.
	_, body = get(t, ts.Client(), ts.URL+"/?verdict=pass")
	pk, _ := leagueRows(body)
	var passed []string
	for _, r := range h.rows[1] {
		if r.Scored() && r.Passed {
			passed = append(passed, r.Key)
		}
	}
	assert.ElementsMatch(t, passed, pk)
	_, body = get(t, ts.Client(), ts.URL+"/?parent="+url.QueryEscape("滇海市人民政府"))
	fk, _ := leagueRows(body)
	assert.Len(t, fk, 2)
	_, body = get(t, ts.Client(), ts.URL+"/?verdict=unscored")
	fk, fs := leagueRows(body)
	require.Len(t, fk, 1)
	assert.Equal(t, "—", fs[0])
	assert.Contains(t, body, "未评分（首页无法访问）")
	_, body = get(t, ts.Client(), ts.URL+"/?profile=development-zone")
	fk, _ = leagueRows(body)
	assert.Len(t, fk, 1)
	// Search by part of the name or the 网站标识码.
	_, body = get(t, ts.Client(), ts.URL+"/?q="+url.QueryEscape("某财政"))
	fk, _ = leagueRows(body)
	assert.Equal(t, []string{flawedKey(h)}, fk)
	_, body = get(t, ts.Client(), ts.URL+"/?q=5300000001")
	fk, _ = leagueRows(body)
	assert.Equal(t, []string{"5300000001"}, fk)

	// Sort by score, both directions.
	for _, dir := range []string{"", "desc"} {
		_, body = get(t, ts.Client(), ts.URL+"/?sort=score&dir="+dir)
		_, ss := leagueRows(body)
		var nums []float64
		for _, s := range ss {
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				nums = append(nums, f)
			}
		}
		sorted := slices.Clone(nums)
		slices.Sort(sorted)
		if dir == "desc" {
			slices.Reverse(sorted)
		}
		assert.Equal(t, sorted, nums, "sort=score dir=%q", dir)
	}
	// Sort by name.
	_, body = get(t, ts.Client(), ts.URL+"/?sort=name")
	nk, _ := leagueRows(body)
	byName := slices.Clone(h.rows[1])
	slices.SortFunc(byName, func(a, b batch.Row) int { return strings.Compare(a.Name, b.Name) })
	for i, r := range byName {
		assert.Equal(t, r.Key, nk[i])
	}
}

// fingerprints reads a batch's report of the flawed site from disk.
func flawedReport(t *testing.T, h *twoRuns, k int) *report.Report {
	t.Helper()
	first, second := flawedRows(h)
	row := []batch.Row{first, second}[k]
	r, err := report.Read(filepath.Join(h.out, []string{"2026-11-20", "2026-11-27"}[k], row.Report))
	require.NoError(t, err)
	return r
}

func TestSitePageChangesByFingerprint(t *testing.T) {
	h := buildHistory(t)
	ts, _ := newServer(t, h, "")
	key := flawedKey(h)
	resp, body := get(t, ts.Client(), ts.URL+"/sites/"+key)
	require.Equal(t, 200, resp.StatusCode, body)

	// Ground truth from the two JSON reports the batches wrote.
	old, cur := flawedReport(t, h, 0), flawedReport(t, h, 1)
	in := func(r *report.Report, fp string) bool {
		return slices.ContainsFunc(r.Findings, func(f report.Finding) bool { return f.Fingerprint == fp })
	}
	var nNew, nStill, nFixed int
	for _, f := range cur.Findings {
		if in(old, f.Fingerprint) {
			nStill++
		} else {
			nNew++
		}
	}
	for _, f := range old.Findings {
		if !in(cur, f.Fingerprint) {
			nFixed++
		}
	}
	require.Positive(t, nNew)
	require.Positive(t, nFixed)
	require.Positive(t, nStill)
	assert.Contains(t, body, "新增 "+strconv.Itoa(nNew))
	assert.Contains(t, body, "已整改 "+strconv.Itoa(nFixed))
	assert.Contains(t, body, "仍存在 "+strconv.Itoa(nStill))
	// Every finding of the latest run links its evidence.
	assert.Equal(t, len(cur.Findings), strings.Count(body, `<article class="finding`))
	assert.GreaterOrEqual(t, strings.Count(body, `class="evidence" href="/runs/`), len(cur.Findings))
	assert.Contains(t, body, `id="chart-trend"`)
	assert.Contains(t, body, `id="chart-avail"`)
	assert.Contains(t, body, `class="ref"`, "the 15 s line")

	// The same site by host:port; an unknown key is 404.
	u, _ := url.Parse(h.flawed.URL())
	_, body2 := get(t, ts.Client(), ts.URL+"/sites/"+url.PathEscape(u.Host))
	assert.Contains(t, body2, "云岭省某财政局")
	resp, _ = get(t, ts.Client(), ts.URL+"/sites/no-such-site")
	assert.Equal(t, 404, resp.StatusCode)

	// Every site's page renders, the unscored one with its failed probes.
	for _, r := range h.rows[1] {
		resp, body := get(t, ts.Client(), ts.URL+"/sites/"+r.Key)
		assert.Equal(t, 200, resp.StatusCode, r.Name)
		assert.Contains(t, body, r.Name)
		if !r.Scored() {
			assert.Contains(t, body, `class="miss"`, "a failed probe is marked on the availability chart")
			assert.Contains(t, body, "未评分（首页无法访问）")
		}
	}
}

func latestRunID(t *testing.T, h *twoRuns) int64 {
	t.Helper()
	_, second := flawedRows(h)
	runs, err := h.store.Runs(context.Background(), second.URL)
	require.NoError(t, err)
	require.Len(t, runs, 2)
	return runs[1].ID
}

func TestRunPageIsTheHTMLReport(t *testing.T) {
	h := buildHistory(t)
	ts, _ := newServer(t, h, "")
	id := latestRunID(t, h)
	resp, body := get(t, ts.Client(), ts.URL+"/runs/"+strconv.FormatInt(id, 10))
	require.Equal(t, 200, resp.StatusCode)
	rep, err := h.store.Report(context.Background(), id)
	require.NoError(t, err)
	var want bytes.Buffer
	require.NoError(t, report.HTML(&want, rep))
	assert.Equal(t, want.String(), body, "the run page is the --format html report")
	for _, bad := range []string{"/runs/99999", "/runs/abc", "/runs/0"} {
		resp, _ := get(t, ts.Client(), ts.URL+bad)
		assert.Equal(t, 404, resp.StatusCode, bad)
	}
}

func TestRunPDF(t *testing.T) {
	h := buildHistory(t)
	id := strconv.FormatInt(latestRunID(t, h), 10)
	t.Run("without chromium", func(t *testing.T) {
		t.Setenv("GOVLINT_CHROMIUM", "/nonexistent/chromium")
		ts, _ := newServer(t, h, "")
		resp, body := get(t, ts.Client(), ts.URL+"/runs/"+id+"/pdf")
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
		assert.Contains(t, body, "apt-get install -y chromium")
	})
	t.Run("with chromium", func(t *testing.T) {
		if _, err := chrome.Find(); err != nil {
			t.Skipf("######## SKIPPING browser test: %v ########", err)
		}
		ts, _ := newServer(t, h, "")
		resp, body := get(t, ts.Client(), ts.URL+"/runs/"+id+"/pdf")
		require.Equal(t, 200, resp.StatusCode, body)
		assert.Equal(t, "application/pdf", resp.Header.Get("Content-Type"))
		assert.True(t, strings.HasPrefix(body, "%PDF-"))
	})
}

var evidenceRE = regexp.MustCompile(`/runs/(\d+)/evidence/(\d+)`)

func TestEvidenceReplayIsSandboxedAndLocal(t *testing.T) {
	h := buildHistory(t)
	ts, _ := newServer(t, h, "")
	id := latestRunID(t, h)
	rep, err := h.store.Report(context.Background(), id)
	require.NoError(t, err)
	u, _ := url.Parse(h.flawed.URL())
	origin := "http://" + u.Host
	// Checks whose snippet quotes the page (others describe what is
	// missing, which no page shows).
	quoting := map[string]bool{"links.broken": true, "columns.stale": true, "columns.empty": true, "policy.interpretation-missing": true}
	highlighted := 0
	for n, f := range rep.Findings {
		resp, body := get(t, ts.Client(), ts.URL+"/runs/"+strconv.FormatInt(id, 10)+"/evidence/"+strconv.Itoa(n+1))
		require.Equal(t, 200, resp.StatusCode, "finding %d %s: %s", n+1, f.CheckID, body)
		csp := resp.Header.Get("Content-Security-Policy")
		assert.True(t, strings.HasPrefix(csp, "sandbox;"), csp)
		assert.Contains(t, csp, "default-src 'none'")
		assert.NotContains(t, strings.ToLower(body), "<script")
		// No attribute still points at the original site.
		for _, m := range regexp.MustCompile(`(?i)(?:src|href|action)="([^"]*)"`).FindAllStringSubmatch(body, -1) {
			assert.False(t, strings.HasPrefix(m[1], origin), "finding %d keeps a link to the site: %s", n+1, m[1])
		}
		if strings.Contains(body, `<mark class="govlint-hit" id="govlint-hit">`) {
			highlighted++
		} else {
			assert.False(t, quoting[f.CheckID], "finding %d %s on %s: snippet %q not highlighted", n+1, f.CheckID, f.URL, f.Evidence.Snippet)
		}
	}
	assert.GreaterOrEqual(t, highlighted, 8)

	// An archived page the replay links to is served from the snapshot;
	// a URL the crawl never fetched is 404, and the site is not asked.
	before := h.flawed.Hits("/never-fetched.html")
	base := ts.URL + "/runs/" + strconv.FormatInt(id, 10) + "/archive?url="
	resp, body := get(t, ts.Client(), base+url.QueryEscape(origin+"/zwgk/xxgkzn/index.html"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, body, "政府信息公开指南")
	assert.True(t, strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "sandbox;"))
	resp, _ = get(t, ts.Client(), base+url.QueryEscape(origin+"/never-fetched.html"))
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, before, h.flawed.Hits("/never-fetched.html"))
	resp, _ = get(t, ts.Client(), ts.URL+"/runs/"+strconv.FormatInt(id, 10)+"/evidence/9999")
	assert.Equal(t, 404, resp.StatusCode)
}

// copyFile copies a snapshot to a new place.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(to), 0o755))
	require.NoError(t, os.WriteFile(to, b, 0o644))
}

func TestEvidenceFoundUnderOutAfterMoveAndNotFromAnotherRun(t *testing.T) {
	h := buildHistory(t)
	ctx := context.Background()
	first, second := flawedRows(h)
	runs, err := h.store.Runs(ctx, second.URL)
	require.NoError(t, err)
	old, cur := runs[0], runs[1]
	require.NotEmpty(t, cur.Snapshot, "batch records the snapshot's absolute path")
	require.True(t, filepath.IsAbs(cur.Snapshot))
	rep, err := h.store.Report(ctx, cur.ID)
	require.NoError(t, err)
	oldRep, err := h.store.Report(ctx, old.ID)
	require.NoError(t, err)

	// The batch directories moved to another disk: the stored paths are
	// gone, --out names the new parent.
	moved := t.TempDir()
	copyFile(t, filepath.Join(h.out, "2026-11-27", second.Snapshot), filepath.Join(moved, "2026-11-27", second.Snapshot))
	d, err := New(Options{Store: h.store, OutDir: moved})
	require.NoError(t, err)
	cur.Snapshot = "/gone/batches/2026-11-27/" + second.Snapshot
	rep.Site.Snapshot = "gone/2026-11-27/" + second.Snapshot
	f := rep.Findings[0]
	res, err := d.lookup(cur, rep, second.Key, f.Evidence.WARCRecordID, f.URL)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(moved, "2026-11-27", second.Snapshot), res.Path)
	require.NotNil(t, res.ByID)
	assert.Equal(t, f.Evidence.WARCRecordID, res.ByID.RecordID)

	// The first run's snapshot was overwritten by the second run's: its
	// evidence is not shown from the wrong crawl.
	over := t.TempDir()
	copyFile(t, filepath.Join(h.out, "2026-11-27", second.Snapshot), filepath.Join(over, first.Snapshot))
	d2, err := New(Options{Store: h.store, OutDir: over})
	require.NoError(t, err)
	old.Snapshot = ""
	oldRep.Site.Snapshot = first.Snapshot
	_, err = d2.lookup(old, oldRep, first.Key, oldRep.Findings[0].Evidence.WARCRecordID, oldRep.Findings[0].URL)
	assert.Error(t, err)
}

func TestAuth(t *testing.T) {
	h := buildHistory(t)
	const token = "s3cret-令牌"
	ts, d := newServer(t, h, token)
	c := noRedirect(ts)

	// No credentials: a browser is sent to the login form.
	resp, _ := get(t, c, ts.URL+"/sites/x?y=1")
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "/login?next="+url.QueryEscape("/sites/x?y=1"), resp.Header.Get("Location"))
	for _, p := range []string{"/", "/runs/1", "/runs/1/pdf", "/runs/1/evidence/1", "/runs/1/archive?url=x"} {
		resp, body := get(t, c, ts.URL+p)
		assert.Equal(t, http.StatusSeeOther, resp.StatusCode, p)
		assert.NotContains(t, body, "云岭", p)
	}
	// Bearer token: wrong is 401, right is in.
	resp, body := get(t, c, ts.URL+"/", "Authorization", "Bearer wrong")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.NotContains(t, body, "云岭省某财政局")
	resp, body = get(t, c, ts.URL+"/", "Authorization", "Bearer "+token)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, body, "云岭省某财政局")
	// The stylesheet the login page needs is public.
	resp, _ = get(t, c, ts.URL+"/static/app.css")
	assert.Equal(t, 200, resp.StatusCode)

	// Login form: a wrong token is refused, the right one sets a cookie
	// that is not the token, and the cookie lets the browser in.
	post := func(form url.Values) *http.Response {
		resp, err := c.PostForm(ts.URL+"/login", form)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	resp = post(url.Values{"token": {"nope"}, "next": {"/"}})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Empty(t, resp.Cookies())
	resp = post(url.Values{"token": {token}, "next": {"//evil.example/"}})
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)
	assert.Equal(t, "/", resp.Header.Get("Location"), "next stays on this server")
	cookies := resp.Cookies()
	require.Len(t, cookies, 1)
	ck := cookies[0]
	assert.True(t, ck.HttpOnly)
	assert.Equal(t, http.SameSiteStrictMode, ck.SameSite)
	assert.NotContains(t, ck.Value, token)
	assert.Equal(t, d.session, ck.Value)
	resp, body = get(t, c, ts.URL+"/", "Cookie", ck.Name+"="+ck.Value)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, body, "云岭省某财政局")
	resp, _ = get(t, c, ts.URL+"/", "Cookie", ck.Name+"="+ck.Value+"x")
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode)

	// Read-only: nothing but GET (and the login POST) is accepted.
	req, _ := http.NewRequest("DELETE", ts.URL+"/runs/1", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

func TestNoTokenMeansOpen(t *testing.T) {
	h := buildHistory(t)
	ts, _ := newServer(t, h, "")
	resp, _ := get(t, noRedirect(ts), ts.URL+"/")
	assert.Equal(t, 200, resp.StatusCode)
}

func TestEmptyStore(t *testing.T) {
	st, err := history.Open(context.Background(), filepath.Join(t.TempDir(), "empty.db"))
	require.NoError(t, err)
	defer st.Close()
	d, err := New(Options{Store: st})
	require.NoError(t, err)
	ts := httptestServer(t, d)
	resp, body := get(t, ts.Client(), ts.URL+"/")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, body, "还没有检查记录")
}
