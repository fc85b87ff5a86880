package dashboard

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/audit"
	"github.com/govlint/govlint/internal/batch"
	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/pgtest"
	"github.com/govlint/govlint/internal/report"
)

// The dashboard reads a PostgreSQL history store through OpenStore like a
// SQLite one, evidence included.
func TestDashboardOverPostgres(t *testing.T) {
	pg := pgtest.Start(t) // skips loudly without postgresql-15
	ctx := context.Background()
	st, err := history.OpenStore(ctx, pg.NewDatabase(t))
	require.NoError(t, err)
	defer st.Close()
	srv, err := fixtureserver.Start(fixtureserver.Options{Dir: sitesDir + "finance-bureau-flawed"})
	require.NoError(t, err)
	defer srv.Close()
	day, err := audit.ParseAsOf("2026-11-20")
	require.NoError(t, err)
	out := t.TempDir()
	sum, err := batch.Run(ctx, batch.Options{
		Sites:  []batch.Site{{Line: 2, URL: srv.URL() + "index.html", Name: "云岭省某财政局", Profile: "finance-bureau"}},
		OutDir: out, AsOf: day, Parallel: 1, MaxPages: 300, Timeout: 5 * time.Second, SiteDeadline: time.Minute,
		Version: "test", Store: st, Renderers: []batch.Renderer{{Ext: "html", Render: report.HTML}},
	})
	require.NoError(t, err)
	require.Len(t, sum.Rows, 1)
	d, err := New(Options{Store: st, OutDir: out})
	require.NoError(t, err)
	ts := httptestServer(t, d)
	_, body := get(t, ts.Client(), ts.URL+"/")
	keys, scores := leagueRows(body)
	require.Equal(t, []string{sum.Rows[0].Key}, keys)
	assert.Equal(t, fmtScore(sum.Rows[0].Score), scores[0])
	resp, body := get(t, ts.Client(), ts.URL+"/sites/"+sum.Rows[0].Key)
	require.Equal(t, 200, resp.StatusCode)
	ev := regexp.MustCompile(`/runs/\d+/evidence/\d+`).FindString(body)
	require.NotEmpty(t, ev)
	resp, body = get(t, ts.Client(), ts.URL+ev)
	assert.Equal(t, 200, resp.StatusCode, body)
	assert.True(t, strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "sandbox;"))
	assert.Contains(t, body, `id="govlint-banner"`)
}
