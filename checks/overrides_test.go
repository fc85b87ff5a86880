package checks

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/site"
)

// guideSite is a home page and a 指南 page citing a provincial rule.
func guideSite() *site.Site {
	s := &site.Site{StartURL: "http://127.0.0.1:1/index.html", Host: "127.0.0.1:1", Pages: []*site.Page{
		{URL: "http://127.0.0.1:1/index.html", Outcome: site.OutcomeOK, Kind: site.KindHome, ContentType: "text/html", Title: "云岭省财政厅",
			Links: []site.Link{{URL: "http://127.0.0.1:1/zn/index.html", Text: "公开指南（本厅）", Internal: true}}},
		{URL: "http://127.0.0.1:1/zn/index.html", Outcome: site.OutcomeOK, Kind: site.KindArticle, ContentType: "text/html",
			Title: "政府信息公开指南", Text: "依据《云岭省政府信息公开规定（2008年）》，申请人可以……"},
	}}
	s.Index()
	return s
}

func findingsOf(fs []Finding, check string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.CheckID == check {
			out = append(out, f)
		}
	}
	return out
}

func TestOverridesStaleCitationAndSeverity(t *testing.T) {
	t.Parallel()
	asOf := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	opt := Options{Profile: "finance-bureau", AsOf: asOf}

	cat, err := Load()
	require.NoError(t, err)
	plain, err := cat.RunWith(guideSite(), opt, nil)
	require.NoError(t, err)
	for _, f := range findingsOf(plain, "regulation.stale-citation") {
		require.NotEqual(t, "旧版省规定", f.Subject)
	}

	cat, err = Load()
	require.NoError(t, err)
	o := &Overrides{
		StaleCitations: []StalePattern{{ID: "p1", Name: "旧版省规定", Regex: `云岭省政府信息公开规定（2008年）`,
			SupersededBy: "《云岭省政府信息公开办法》", Citation: Citation{Document: "云岭省人民政府令第200号"}}},
		Severity: map[string]Severity{"regulation.stale-citation": SeverityWarning},
		Disabled: []string{"identity.footer"},
	}
	fs, err := cat.RunWith(guideSite(), opt, o)
	require.NoError(t, err)
	got := findingsOf(fs, "regulation.stale-citation")
	require.Len(t, got, 1)
	assert.Equal(t, "旧版省规定", got[0].Subject)
	assert.Equal(t, "http://127.0.0.1:1/zn/index.html", got[0].URL)
	assert.Equal(t, SeverityWarning, got[0].Severity)
	assert.Equal(t, "云岭省人民政府令第200号", got[0].Citation)
	assert.Empty(t, findingsOf(fs, "identity.footer"))
	assert.NotEmpty(t, findingsOf(plain, "identity.footer"), "the site has no footer identifiers")

	// The site's pattern stayed with its run.
	again, err := cat.RunWith(guideSite(), opt, nil)
	require.NoError(t, err)
	assert.Equal(t, plain, again)
}

func TestOverridesColumnURLAndWindows(t *testing.T) {
	t.Parallel()
	cat, err := Load()
	require.NoError(t, err)
	o := &Overrides{
		ColumnURLs: map[string]string{"政府信息公开指南": "/zn/"},
		Windows:    map[string]Window{"notice": {N: 30, Unit: 'd'}},
	}
	require.NoError(t, o.Validate(cat))
	old := cat.Rules.Windows["notice"]
	var moved []string
	for _, c := range cat.Rules.Columns {
		if c.Window != nil && *c.Window == old {
			moved = append(moved, c.ID)
		}
	}
	require.NotEmpty(t, moved)
	over, err := o.Apply(cat, "finance-bureau", guideSite())
	require.NoError(t, err)
	assert.Contains(t, over.Rules.columnByKey("政府信息公开指南").Synonyms, "公开指南（本厅）", "the site's name for the page becomes a synonym")
	for _, id := range moved {
		assert.Equal(t, Window{N: 30, Unit: 'd'}, *over.Rules.Column(id).Window, "%s followed its class", id)
	}
	// The shared catalogue is as loaded: the next run sees no override.
	again, err := Load()
	require.NoError(t, err)
	assert.NotContains(t, again.Rules.columnByKey("政府信息公开指南").Synonyms, "公开指南（本厅）")
	assert.Equal(t, old, again.Rules.Windows["notice"])
	for _, id := range moved {
		assert.Equal(t, old, *again.Rules.Column(id).Window, "%s in the shared rulebook", id)
	}

	for _, bad := range []*Overrides{
		{Disabled: []string{"nope"}},
		{Severity: map[string]Severity{"links.broken": "fatal"}},
		{Windows: map[string]Window{"火星": {N: 1, Unit: 'd'}}},
		{ColumnURLs: map[string]string{"火星": "/"}},
		{ExtraColumns: []ColumnRule{{ID: "x", Name: "x", List: true, Citation: Citation{Document: "d"}}}},
		{StaleCitations: []StalePattern{{Name: "x", Regex: "("}}},
	} {
		assert.Error(t, bad.Validate(cat), "%+v", bad)
	}
}
