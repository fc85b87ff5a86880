package audit

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/crawl"
	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/snapshot"
)

// The model Audit builds while the crawl runs (from the records read back
// as written) is the model Load builds from the finished file, page for
// page: so `govlint check SNAPSHOT` gives the audit's findings.
func TestModelDuringCrawlIsTheSnapshotsModel(t *testing.T) {
	sites, _ := filepath.Glob("../../fixtures/sites/*/expected.yaml")
	require.NotEmpty(t, sites)
	for _, exp := range sites {
		dir := filepath.Dir(exp)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			srv, err := fixtureserver.Start(fixtureserver.Options{Dir: dir})
			require.NoError(t, err)
			defer srv.Close()
			path := filepath.Join(t.TempDir(), "s.warc.gz")
			w, err := snapshot.Create(path, snapshot.Info{StartURL: srv.URL(), Profile: "auto", AsOf: "2026-11-20", Extra: map[string]string{"k": "v w"}})
			require.NoError(t, err)
			l, err := newLoader()
			require.NoError(t, err)
			w.Follow(l.add)
			_, err = crawl.Crawl(context.Background(), crawl.Options{StartURL: srv.URL(), MaxPages: 2000}, w)
			require.NoError(t, err)
			require.NoError(t, w.Close(time.Now()))
			info, err := w.Followed()
			require.NoError(t, err)
			during, err := l.finish(info, nil)
			require.NoError(t, err)
			defer during.Texts.Close()

			after, infoAfter, err := Load(path)
			require.NoError(t, err)
			defer after.Texts.Close()
			assert.Equal(t, infoAfter, info)
			require.Greater(t, len(after.Pages), 10)
			require.Equal(t, len(after.Pages), len(during.Pages))
			for i, p := range after.Pages {
				q := during.Pages[i]
				assert.Equal(t, pageJSON(t, p), pageJSON(t, q), p.URL)
				assert.Equal(t, p.ReadText(), q.ReadText(), p.URL)
				assert.Equal(t, p.Links, q.Links, p.URL)
				assert.Equal(t, p.Tables, q.Tables, p.URL)
				assert.Equal(t, p.Fingerprint(), q.Fingerprint(), p.URL)
			}
			assert.Equal(t, len(after.Columns), len(during.Columns))
			assert.Equal(t, after.CMS, during.CMS)
		})
	}
}

func pageJSON(t *testing.T, p *site.Page) string {
	b, err := json.Marshal(p)
	require.NoError(t, err)
	return string(b)
}
