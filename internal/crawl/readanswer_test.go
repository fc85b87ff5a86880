package crawl

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/cms"
	"github.com/govlint/govlint/internal/extract"
	"github.com/govlint/govlint/internal/fixtureserver"
	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/snapshot"
)

// TestReadAnswerFollowsTheExtraction: with Options.ReadAnswer (the
// audit's page extraction) the crawler follows HTML pages from that
// reading, and crawls what it crawls reading them itself — links, a TRS
// pager known only from its script, a Hanweb datastore, a redirect shell
// (whose unlinked target neither way follows), an attachment, a robots.txt that redirects
// to a page — except a link inside <template>, which the DOM (like a
// browser) does not show. The reading is taken for the pages and
// only for them.
func TestReadAnswerFollowsTheExtraction(t *testing.T) {
	t.Parallel()
	fs := files{
		"": `<html><body><a href="/tzgg/">通知公告</a> <a href="/shell.html">旧版</a> <a href="/f/a.pdf">附件</a>
<template><a href="/tpl.html">t</a></template>
<script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/art/ds.html">数据</a></li>]]></record></recordset></datastore></script></body></html>`,
		"tzgg/":       trsList(0, 3),
		"shell.html":  `<html><head><meta http-equiv="refresh" content="0;url=/new/"></head><body></body></html>`,
		"new/":        `<p>new</p>`,
		"f/a.pdf":     "%PDF-1.4 not really",
		"art/ds.html": `<p>ds</p>`,
		"tpl.html":    `<p>template</p>`,
	}
	for k := 1; k < 3; k++ {
		fs[fmt.Sprintf("tzgg/index_%d.html", k)] = trsList(k, 3)
	}
	s := serve(t, fs, map[string]fixtureserver.Fault{"/robots.txt": {Status: 302, RedirectTo: "/"}})

	urls := func(r result) []string {
		var out []string
		for _, e := range r.entries {
			out = append(out, e.URL+" "+fmt.Sprint(e.Status)+string(e.Failure))
		}
		sort.Strings(out)
		return out
	}
	own := crawl(t, context.Background(), quick(s.URL()))
	require.NoError(t, own.err)

	var reads, htmlOK atomic.Int32
	opt := quick(s.URL())
	opt.ReadAnswer = func(e snapshot.Entry) (cms.Reading, any) {
		p, rd := extract.PageRead(extract.Response{URL: e.URL, Status: e.Status, Header: e.Header, Body: e.Body, Truncated: e.Truncated})
		reads.Add(1)
		if rd.HTML && rd.Outcome == site.OutcomeOK {
			htmlOK.Add(1)
		}
		return rd, p
	}
	once := crawl(t, context.Background(), opt)
	require.NoError(t, once.err)

	tpl := s.URL() + "tpl.html 200"
	assert.Contains(t, urls(own), tpl, "the tokenizer follows a link inside <template>")
	var want []string
	for _, u := range urls(own) {
		if u != tpl {
			want = append(want, u)
		}
	}
	assert.Equal(t, want, urls(once))
	for _, p := range []string{"tzgg/index_2.html", "art/ds.html", "shell.html", "f/a.pdf"} {
		assert.Contains(t, urls(once), s.URL()+p+" 200")
	}
	assert.Equal(t, int32(len(once.entries)), reads.Load(), "every answer is read once, by ReadAnswer")
	assert.Greater(t, htmlOK.Load(), int32(5))
}

// TestReadingLeavesTheRequestSlot: the page extraction of ReadAnswer runs
// after colly gave back the request's Parallelism slot, so a slow
// extraction does not keep the next request waiting (on a distant server
// it did: every answer held its slot for its extraction). With one slot,
// the reading of whichever of /a and /b comes first waits until the other
// is asked for; were it read in the slot, the other could not be asked
// for until the wait gave up.
func TestReadingLeavesTheRequestSlot(t *testing.T) {
	t.Parallel()
	bothAsked := make(chan struct{})
	var asked atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, `<html><body><a href="/a.html">a</a> <a href="/b.html">b</a></body></html>`)
		case "/a.html", "/b.html":
			if asked.Add(1) == 2 {
				close(bothAsked)
			}
			fmt.Fprint(w, `<p>leaf</p>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)

	var waitedOut atomic.Bool
	opt := quick(srv.URL + "/")
	opt.Parallelism = 1
	opt.IgnoreRobots = true
	opt.ReadAnswer = func(e snapshot.Entry) (cms.Reading, any) {
		if strings.HasSuffix(e.URL, ".html") {
			select {
			case <-bothAsked:
			case <-time.After(3 * time.Second):
				waitedOut.Store(true)
			}
		}
		p, rd := extract.PageRead(extract.Response{URL: e.URL, Status: e.Status, Header: e.Header, Body: e.Body})
		return rd, p
	}
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	assert.False(t, waitedOut.Load(), "the second leaf was not asked for while the first was read: the reading held the request slot")
	var got []string
	for _, e := range r.entries {
		got = append(got, e.URL)
	}
	assert.Subset(t, got, []string{srv.URL + "/", srv.URL + "/a.html", srv.URL + "/b.html"})
}
