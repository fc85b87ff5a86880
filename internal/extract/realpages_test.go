package extract

import (
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/govlint/govlint/internal/bjtime"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// realExpect is a page's hand-checked expectation file (page.expect.yaml,
// next to page.html): what a person reading the page sees. Every field set
// is compared with what page() extracts; identity, title, charset,
// breadcrumb and pub_date are always compared (empty means "not there").
type realExpect struct {
	// Source is where the page was published (repository, path, commit);
	// Note and Family describe it. None of them is compared.
	Source struct {
		Repo   string `yaml:"repo"`
		Path   string `yaml:"path"`
		Commit string `yaml:"commit"`
	} `yaml:"source"`
	Note          string   `yaml:"note"`
	Family        string   `yaml:"family"` // CMS vendor, by the page's markers
	URL           string   `yaml:"url"`
	CMS           string   `yaml:"cms"`
	Charset       string   `yaml:"charset"`
	CharsetSource string   `yaml:"charset_source"`
	Title         string   `yaml:"title"`
	Breadcrumb    []string `yaml:"breadcrumb"`
	PubDate       string   `yaml:"pub_date"` // 2006-01-02 or 2006-01-02 15:04[:05]; "" = none
	Identity      struct {
		SiteCode     string `yaml:"site_code"`
		ICP          string `yaml:"icp"`
		PSB          string `yaml:"psb"`
		MetaSiteCode string `yaml:"meta_site_code"`
	} `yaml:"identity"`
	Doc *struct {
		IndexNo     string `yaml:"index_no"`
		Publisher   string `yaml:"publisher"`
		WrittenDate string `yaml:"written_date"`
		PubDate     string `yaml:"pub_date"`
		DocNo       string `yaml:"doc_no"`
	} `yaml:"doc"`
	Items *struct {
		Count     int      `yaml:"count"`
		PageCount int      `yaml:"page_count"`
		Newest    string   `yaml:"newest"`
		Titles    []string `yaml:"titles"` // some of the items, each must be listed
	} `yaml:"items"`
}

// realPageDirs are where a page named by an expectation file may be: next
// to it in the repository, else in the larger corpus kept in shared/ beside
// the checkout (public pages published by others are kept out of this
// repository's history), or wherever GOVLINT_REALPAGES points.
func realPageDirs() []string {
	dirs := []string{realPagesDir}
	if d := os.Getenv("GOVLINT_REALPAGES"); d != "" {
		dirs = append(dirs, d)
	}
	return append(dirs, filepath.Join("..", "..", "..", "shared", "realpages"))
}

func findRealPage(name string) (string, bool) {
	for _, dir := range realPageDirs() {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p, true
		}
	}
	return "", false
}

// TestRealPagesCorpus runs the extractor over every real page that has an
// expectation file (fixtures/realpages/*.expect.yaml) and compares. A
// mismatch is an extractor bug to fix, never an expectation to edit.
func TestRealPagesCorpus(t *testing.T) {
	exps, err := filepath.Glob(filepath.Join(realPagesDir, "*.expect.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, exps, "no expectation files in %s", realPagesDir)
	sort.Strings(exps)
	met, absent := 0, 0
	for _, e := range exps {
		name := strings.TrimSuffix(filepath.Base(e), ".expect.yaml") + ".html"
		page, ok := findRealPage(name)
		if !ok {
			absent++
			continue
		}
		if t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(e)
			require.NoError(t, err)
			var want realExpect
			dec := yaml.NewDecoder(strings.NewReader(string(raw)))
			dec.KnownFields(true)
			require.NoError(t, dec.Decode(&want), "read %s", e)
			body, err := os.ReadFile(page)
			require.NoError(t, err)
			checkRealPage(t, want, body)
		}) {
			met++
		}
	}
	t.Logf("real pages: %d of %d expectations met", met, len(exps)-absent)
	if absent > 0 {
		// Loud, as make test wants skips to be: these pages are checked
		// only where the shared corpus is present.
		t.Logf("SKIPPED %d real pages not present here (looked in %v)", absent, realPageDirs())
	}
}

func checkRealPage(t *testing.T, want realExpect, body []byte) {
	t.Helper()
	u := want.URL
	if u == "" {
		u = "http://x.gov.cn/a.html"
	}
	p := page(Response{URL: u, Status: 200, Body: body,
		Header:    http.Header{"Content-Type": {"text/html"}},
		FetchedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
	if want.CMS != "" {
		assert.Equal(t, want.CMS, p.CMS, "cms")
	}
	assert.Equal(t, want.Charset, p.Charset, "charset")
	if want.CharsetSource != "" {
		assert.Equal(t, want.CharsetSource, p.CharsetSource, "charset source")
	}
	assert.Equal(t, want.Title, p.Title, "title")
	if len(want.Breadcrumb) == 0 {
		assert.Empty(t, p.Breadcrumb, "breadcrumb")
	} else {
		assert.Equal(t, want.Breadcrumb, p.Breadcrumb, "breadcrumb")
	}
	assert.Equal(t, want.PubDate, fmtWhen(p.PubDate), "pub_date")
	assert.Equal(t, want.Identity.SiteCode, p.Identity.SiteCode, "网站标识码")
	assert.Equal(t, want.Identity.ICP, p.Identity.ICP, "ICP")
	assert.Equal(t, want.Identity.PSB, p.Identity.PSB, "公安备案")
	assert.Equal(t, want.Identity.MetaSiteCode, p.Identity.MetaSiteCode, "meta SiteIDCode")
	if want.Doc != nil {
		if assert.NotNil(t, p.Doc, "metadata table") {
			assert.Equal(t, want.Doc.IndexNo, p.Doc.IndexNo, "索引号")
			assert.Equal(t, want.Doc.Publisher, p.Doc.Publisher, "发布机构")
			assert.Equal(t, want.Doc.WrittenDate, fmtWhen(p.Doc.WrittenDate), "成文日期")
			assert.Equal(t, want.Doc.PubDate, fmtWhen(p.Doc.PubDate), "发布日期")
			assert.Equal(t, want.Doc.DocNo, p.Doc.DocNo, "文号")
		}
	}
	if want.Items != nil {
		assert.Len(t, p.Items, want.Items.Count, "list items")
		assert.Equal(t, want.Items.PageCount, p.ListPageCount, "list page count")
		newest := time.Time{}
		titles := map[string]bool{}
		for _, it := range p.Items {
			if it.Date.After(newest) {
				newest = it.Date
			}
			titles[it.Title] = true
		}
		assert.Equal(t, want.Items.Newest, fmtWhen(newest), "newest item")
		for _, ti := range want.Items.Titles {
			assert.True(t, titles[ti], "item %q listed", ti)
		}
	}
}

// fmtWhen writes a time as the expectation files do: the date alone at
// midnight, else with minutes (and seconds when set); "" for zero.
func fmtWhen(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(bjtime.Zone)
	switch {
	case t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0:
		return t.Format("2006-01-02")
	case t.Second() == 0:
		return t.Format("2006-01-02 15:04")
	}
	return t.Format("2006-01-02 15:04:05")
}
