package crawl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/cms"
	"github.com/govlint/govlint/internal/site"
)

// trsList is a TRS WCM list page: the pager exists only as script, so no
// <a> links index_1.html … (peers-and-crawling.md E.3).
func trsList(page, count int) string {
	var b strings.Builder
	b.WriteString(`<html><head><meta charset="utf-8"><title>通知公告</title></head><body>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/tzgg/">通知公告</a></div><ul class="list">`)
	for i := range 3 {
		n := page*3 + i
		fmt.Fprintf(&b, `<li><a href="./2026%02d/t2026%02d01_%d.html">第%d号通知公告的标题</a><span>2026-%02d-01</span></li>`, n%12+1, n%12+1, n, n, n%12+1)
	}
	fmt.Fprintf(&b, `</ul><script>
//createPageHTML(2, 0, "index", "html");
var currentPage = %d;//所在页从0开始
var countPage = %d;//共多少页
if (countPage > 1) { document.write("<a href=\"index_" + (currentPage+1) + ".html\">下一页</a>"); }
</script></body></html>`, page, count)
	return b.String()
}

func TestTRSPagerScript(t *testing.T) {
	t.Parallel()
	fs := files{"": `<a href="/tzgg/">通知公告</a>`, "tzgg/": trsList(0, 6)}
	for k := 1; k < 6; k++ {
		fs[fmt.Sprintf("tzgg/index_%d.html", k)] = trsList(k, 6)
	}
	s := serve(t, fs, nil)
	r := crawl(t, context.Background(), quick(s.URL()))
	require.NoError(t, r.err)
	for k := 1; k < 6; k++ {
		assert.Equal(t, 1, s.Hits(fmt.Sprintf("/tzgg/index_%d.html", k)), "page %d requested from the script alone", k)
	}
	assert.Zero(t, s.Hits("/tzgg/index_6.html"), "no page past countPage")

	m := r.model(s.URL())
	assert.Equal(t, cms.TRS, m.CMS)
	col := column(t, m, "通知公告")
	assert.Equal(t, 6, col.ListPages)
	assert.Len(t, col.Items, 18)
	assert.True(t, col.Complete)
	assert.Empty(t, col.CutShort)
}

func TestColumnBudgetCutsShort(t *testing.T) {
	t.Parallel()
	fs := files{"": `<a href="/tzgg/">通知公告</a>`, "tzgg/": trsList(0, 50)}
	for k := 1; k < 50; k++ {
		fs[fmt.Sprintf("tzgg/index_%d.html", k)] = trsList(k, 50)
	}
	s := serve(t, fs, nil)
	opt := quick(s.URL())
	opt.ColumnBudget = 5
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	fetched := s.Hits("/tzgg/")
	for k := 1; k < 50; k++ {
		fetched += s.Hits(fmt.Sprintf("/tzgg/index_%d.html", k))
	}
	assert.Equal(t, 5, fetched, "list pages of one column, the first included")
	assert.Equal(t, 1, r.stats.CutShort)

	col := column(t, r.model(s.URL()), "通知公告")
	assert.False(t, col.Complete)
	assert.Contains(t, col.CutShort, "预算")
	assert.Contains(t, col.CutShort, "5")
}

func TestSiteBudgetCutRecorded(t *testing.T) {
	t.Parallel()
	fs := files{"": `<a href="/tzgg/">通知公告</a>`, "tzgg/": trsList(0, 20)}
	for k := 1; k < 20; k++ {
		fs[fmt.Sprintf("tzgg/index_%d.html", k)] = trsList(k, 20)
	}
	s := serve(t, fs, nil)
	opt := quick(s.URL())
	opt.MaxPages = 4
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)
	col := column(t, r.model(s.URL()), "通知公告")
	assert.False(t, col.Complete)
	assert.Contains(t, col.CutShort, "--max-pages 4")
}

func column(t *testing.T, s *site.Site, name string) *site.Column {
	t.Helper()
	for _, c := range s.Columns {
		if c.Name == name {
			return c
		}
	}
	var names []string
	for _, c := range s.Columns {
		names = append(names, c.Name+" "+c.URL)
	}
	require.Failf(t, "no column", "%s among %v", name, names)
	return nil
}

// hanwebServer is a Hanweb JCMS site: the column page carries the first
// records in a <script type="text/xml"> datastore and a jpage call; the
// rest comes from dataproxy.jsp, which honours page= (E.1).
func hanwebServer(t *testing.T, total, perPage int) (*httptest.Server, func(string) int) {
	var mu sync.Mutex
	hits := map[string]int{}
	record := func(n int) string {
		return fmt.Sprintf(`<record><![CDATA[<li><a href="/art/2026/9/%d/art_77278_%d.html" title="第%d条政策文件标题">第%d条政策文件标题</a><span>2026-09-%02d</span></li>]]></record>`, n%28+1, n, n, n, n%28+1)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path+"?page="+r.URL.Query().Get("page")]++
		mu.Unlock()
		switch {
		case r.URL.Path == "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body><a href="/col/col77278/index.html">政策文件</a></body></html>`)
		case r.URL.Path == "/col/col77278/index.html":
			w.Header().Set("Content-Type", "text/html")
			var recs strings.Builder
			for n := range 3 {
				recs.WriteString(record(n))
			}
			fmt.Fprintf(w, `<html><head><meta charset="utf-8"><title>政策文件</title></head><body>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/col/col77278/index.html">政策文件</a></div>
<div id="77278"><script type="text/xml"><datastore><recordset>%s</recordset></datastore></script></div>
<script>$('#77278').jpage({proxyUrl:'/module/web/jpage/dataproxy.jsp', perPage:%d, totalRecord:%d,
 ajaxParam:{col:1, appid:1, webid:67, path:'/', columnid:77278, sourceContentType:1, unitid:303271, webname:'某某市政府', permissiontype:0}});</script>
</body></html>`, recs.String(), perPage, total)
		case r.URL.Path == "/module/web/jpage/dataproxy.jsp":
			q := r.URL.Query()
			if q.Get("columnid") != "77278" || q.Get("unitid") != "303271" || q.Get("webid") != "67" {
				http.Error(w, "bad params", 400)
				return
			}
			page, _ := strconv.Atoi(q.Get("page"))
			pages := (total + perPage - 1) / perPage
			w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
			var recs strings.Builder
			for n := (page - 1) * perPage; n < min(page*perPage, total); n++ {
				recs.WriteString(record(n))
			}
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>%d</totalrecord><totalpage>%d</totalpage><recordset>%s</recordset></datastore>`, total, pages, recs.String())
		case strings.HasPrefix(r.URL.Path, "/art/"):
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body><div id="zoom">正文</div></body></html>`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func(k string) int { mu.Lock(); defer mu.Unlock(); return hits[k] }
}

func TestHanwebDataproxy(t *testing.T) {
	t.Parallel()
	srv, hits := hanwebServer(t, 40, 15)
	r := crawl(t, context.Background(), quick(srv.URL+"/"))
	require.NoError(t, r.err)
	for p := 1; p <= 3; p++ {
		assert.Equal(t, 1, hits(fmt.Sprintf("/module/web/jpage/dataproxy.jsp?page=%d", p)), "page %d", p)
	}
	assert.Zero(t, hits("/module/web/jpage/dataproxy.jsp?page=4"))
	assert.Equal(t, 1, hits("/art/2026/9/12/art_77278_39.html?page="), "the last record's article is followed")

	m := r.model(srv.URL + "/")
	assert.Equal(t, cms.Hanweb, m.CMS)
	col := column(t, m, "政策文件")
	assert.Len(t, col.Items, 40, "the whole list, not the first datastore")
	assert.True(t, col.Complete)
	assert.Len(t, m.Columns, 1, "dataproxy answers join their column")
}

// jpaasServer answers the JPaaS list API: paging only inside paramJson,
// bare pageNo ignored (E.2).
func jpaasServer(t *testing.T, pages int) (*httptest.Server, func(int) int) {
	var mu sync.Mutex
	hits := map[int]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body><a href="/zwgk/zcwj/">政策文件</a></body></html>`)
		case "/zwgk/zcwj/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><head><meta charset="utf-8"><title>政策文件</title></head><body>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/zcwj/">政策文件</a></div>
<div id="list"></div>
<script src="/AuthorizedRead/unitbuild.js" id="unitbuild" url="/api-gateway/jpaas-publish-server/front/page/build/unit"
 queryData="{'webId':'8a2f','tplSetId':'52c0','pageType':'column','tagId':'当前栏目list','editType':'null','pageId':'ab12'}"></script>
</body></html>`)
		case "/api-gateway/jpaas-publish-server/front/page/build/unit":
			q := r.URL.Query()
			var pj struct {
				PageNo int `json:"pageNo"`
			}
			if q.Get("parseType") != "bulidstatic" || q.Get("webId") != "8a2f" || json.Unmarshal([]byte(q.Get("paramJson")), &pj) != nil {
				http.Error(w, "bad request", 400)
				return
			}
			mu.Lock()
			hits[pj.PageNo]++
			mu.Unlock()
			var html strings.Builder
			if pj.PageNo >= 1 && pj.PageNo <= pages {
				html.WriteString(`<ul class="list">`)
				for i := range 4 {
					n := pj.PageNo*10 + i
					fmt.Fprintf(&html, `<li><a href="/art/2026/8/%d/art_1_%d.html">第%d号政策文件的标题</a><span>2026-08-%02d</span></li>`, i+1, n, n, i+1)
				}
				html.WriteString(`</ul>`)
			}
			w.Header().Set("Content-Type", "application/json;charset=UTF-8")
			b, _ := json.Marshal(map[string]any{"success": true, "code": 200, "data": map[string]string{"html": html.String()}})
			_, _ = w.Write(b)
		default:
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body><div id="zoom">正文</div></body></html>`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func(p int) int { mu.Lock(); defer mu.Unlock(); return hits[p] }
}

func TestJPaaSListAPI(t *testing.T) {
	t.Parallel()
	srv, hits := jpaasServer(t, 3)
	r := crawl(t, context.Background(), quick(srv.URL+"/"))
	require.NoError(t, r.err)
	for p := 1; p <= 4; p++ {
		assert.Equal(t, 1, hits(p), "page %d (4 is the empty one that ends the list)", p)
	}
	assert.Zero(t, hits(5))
	m := r.model(srv.URL + "/")
	assert.Equal(t, cms.JPaaS, m.CMS)
	col := column(t, m, "政策文件")
	assert.Len(t, col.Items, 12)
	assert.True(t, col.Complete)
}

// Static-directory mode reads the site from disk and never leaves the
// directory: not through "..", not through a symlink.
func TestDirTransport(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	root := filepath.Join(base, "public")
	write := func(name, content string) {
		p := filepath.Join(base, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	write("secret.html", "TOP-SECRET")
	write("public/index.html", `<html><head><meta charset="utf-8"><title>某某市财政局</title></head><body>
<a href="/xxgk">信息公开</a> <a href="/../secret.html">up</a> <a href="/leak.html">leak</a> <a href="/gone.html">gone</a> <a href="/f/a.pdf">pdf</a> <a href="/etc/">dir</a></body></html>`)
	write("public/xxgk/index.html", `<html><body>xxgk</body></html>`)
	write("public/f/a.pdf", "%PDF-1.4")
	require.NoError(t, os.Symlink("../secret.html", filepath.Join(root, "leak.html")))
	write("outside/index.html", "TOP-SECRET dir")
	require.NoError(t, os.Symlink("../outside", filepath.Join(root, "etc")))

	start := mustURL(t, "https://www.example.gov.cn/")
	tr, err := DirTransport(root, start)
	require.NoError(t, err)
	opt := quick(start.String())
	opt.Transport = tr
	r := crawl(t, context.Background(), opt)
	require.NoError(t, r.err)

	assert.Equal(t, 301, r.one(t, "https://www.example.gov.cn/xxgk").Status)
	assert.Equal(t, 200, r.one(t, "https://www.example.gov.cn/xxgk/").Status)
	assert.Equal(t, 404, r.one(t, "https://www.example.gov.cn/gone.html").Status)
	leak := r.one(t, "https://www.example.gov.cn/leak.html")
	assert.Equal(t, site.OutcomeNotFetched, leak.Failure, "a symlink out of the directory is not followed")
	assert.Contains(t, leak.Reason, "拒绝读取站点目录之外的文件", "and the refusal is recorded")
	leakDir := r.one(t, "https://www.example.gov.cn/etc/")
	assert.Equal(t, site.OutcomeNotFetched, leakDir.Failure, "nor a directory symlink")
	assert.Equal(t, 2, r.stats.Refused)
	assert.Equal(t, "application/pdf", r.one(t, "https://www.example.gov.cn/f/a.pdf").Header.Get("Content-Type"))
	for _, e := range r.entries {
		assert.NotContains(t, string(e.Body), "TOP-SECRET", e.URL)
	}

	// ".." that reaches the transport (a hand-made request; links have
	// their dot segments resolved first) is refused with the reason too.
	req, err := http.NewRequest(http.MethodGet, "https://www.example.gov.cn/%2e%2e/secret.html", nil)
	require.NoError(t, err)
	_, err = tr.RoundTrip(req)
	var refused *RefusedError
	require.ErrorAs(t, err, &refused)
	assert.Equal(t, "/../secret.html", refused.Path)

	_, err = DirTransport(filepath.Join(base, "missing"), start)
	assert.Error(t, err)
	_, err = DirTransport(filepath.Join(base, "secret.html"), start)
	assert.ErrorContains(t, err, "not a directory")
}

// trueCMSServer answers a TrueCMS column: the page names the API in its
// jpage call; the API pages by startrecord/endrecord/perpage and answers
// {"result":"<datastore>…"} as text/html (as real ones do), or as JSONP
// with <totalrecord> when jsonp is set (E.4).
func trueCMSServer(t *testing.T, records int, jsonp bool) (*httptest.Server, func(string) int) {
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path+"?"+r.URL.Query().Get("startrecord")]++
		mu.Unlock()
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body><a href="/zwgk/zcwj/zcwj.html">政策文件</a></body></html>`)
		case "/zwgk/zcwj/zcwj.html":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><head><meta charset="utf-8"><title>政策文件</title></head><body>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/zcwj/zcwj.html">政策文件</a></div>
<div id="content"></div>
<script>$('#content').jpage({ dataStore: '', proxyUrl:'/TrueCMS/messageController/getMessage.do',
  perPage:10, groupSize:3, barPosition:'bottom', ajaxParam:{ columnId:'82e1eed4-ef97-4ba8' } });</script>
</body></html>`)
		case "/TrueCMS/messageController/getMessage.do":
			if !strings.HasPrefix(r.Referer(), "http://"+r.Host+"/") {
				http.NotFound(w, r) // 如皋 answers 404 without a Referer (E.4)
				return
			}
			q := r.URL.Query()
			start, _ := strconv.Atoi(q.Get("startrecord"))
			end, _ := strconv.Atoi(q.Get("endrecord"))
			per, _ := strconv.Atoi(q.Get("perpage"))
			if q.Get("columnId") != "82e1eed4-ef97-4ba8" || start < 1 || end-start+1 != per {
				http.Error(w, "bad request", 400)
				return
			}
			var ds strings.Builder
			ds.WriteString("<datastore>")
			if jsonp {
				fmt.Fprintf(&ds, "<totalrecord>%d</totalrecord>", records)
			}
			ds.WriteString("<recordset>")
			for n := start; n <= min(end, records); n++ {
				fmt.Fprintf(&ds, `<record><![CDATA[<li><a href="/zwgk/zcwj/content/post_%d.html" title="第%d号">第%d号政策文件的标题</a><span>2026-08-%02d</span></li>]]></record>`, n, n, n, n%28+1)
			}
			ds.WriteString("</recordset></datastore>")
			// As the Java servers write it: < and " in the HTML are not
			// \u003c-escaped, only the quotes are backslashed.
			var enc bytes.Buffer
			e := json.NewEncoder(&enc)
			e.SetEscapeHTML(false)
			_ = e.Encode(map[string]string{"result": ds.String()})
			b := bytes.TrimSpace(enc.Bytes())
			if jsonp {
				w.Header().Set("Content-Type", "application/javascript;charset=UTF-8")
				fmt.Fprintf(w, "jQuery1234_5678(%s);", b)
				return
			}
			w.Header().Set("Content-Type", "text/html;charset=UTF-8")
			_, _ = w.Write(b)
		default:
			if !strings.HasPrefix(r.URL.Path, "/zwgk/zcwj/content/post_") {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body><div id="zoom">正文</div></body></html>`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func(k string) int { mu.Lock(); defer mu.Unlock(); return hits[k] }
}

func TestTrueCMSListAPI(t *testing.T) {
	t.Parallel()
	for _, jsonp := range []bool{false, true} {
		t.Run(fmt.Sprintf("jsonp=%v", jsonp), func(t *testing.T) {
			t.Parallel()
			srv, hits := trueCMSServer(t, 25, jsonp)
			r := crawl(t, context.Background(), quick(srv.URL+"/"))
			require.NoError(t, r.err)
			const api = "/TrueCMS/messageController/getMessage.do?"
			for _, start := range []string{"1", "11", "21"} {
				assert.Equal(t, 1, hits(api+start), "records from %s", start)
			}
			assert.Zero(t, hits(api+"31"), "no page past the last")
			assert.Equal(t, 1, hits("/zwgk/zcwj/content/post_25.html?"), "the last record's article is followed")
			assert.Zero(t, r.stats.Dead, "no junk links read out of the JSON answers")

			m := r.model(srv.URL + "/")
			assert.Equal(t, cms.TrueCMS, m.CMS)
			col := column(t, m, "政策文件")
			assert.Len(t, col.Items, 25, "the whole list from the API")
			assert.True(t, col.Complete)
			assert.Len(t, m.Columns, 1, "API answers join their column")
		})
	}
}

// webBuilderServer answers a WebBuilder (EWB) column as 徐州's does: the
// column page is a shell (govInfoPub.html?categorynum=…) loading
// /js/webBuilderCommon.js, whose `var siteInfo` names projectName and
// siteGuid; the list comes only from a POST of JSON to
// {projectName}/rest/lightfrontaction/getgovinfolist with 0-based
// pageIndex, answering {"custom":{"total":N,"data":[…]}} (E.4). A GET, a
// form body, a wrong siteGuid or category get an error, as they do there.
func webBuilderServer(t *testing.T, records int) (*httptest.Server, func(int) int) {
	const guid = "7eb5f7f1-9041-43ad-8e13-8fcb82ea831a"
	var mu sync.Mutex
	hits := map[int]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body><a href="/dynamic/zwgk/govInfoPub.html?categorynum=003001003&amp;deptcode=">市政府文件</a></body></html>`)
		case "/dynamic/zwgk/govInfoPub.html":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><head><meta charset="utf-8"><title>市政府文件</title>
<script src="/js/webBuilderCommon.js"></script><script src="/js/govInfoPub.js"></script></head><body>
<div class="ewb-location">当前位置：<a href="/">首页</a> &gt; <a href="/dynamic/zwgk/govInfoPub.html?categorynum=003001003">市政府文件</a></div>
<ul id="infolist"></ul><div id="pager"></div></body></html>`)
		case "/js/webBuilderCommon.js":
			w.Header().Set("Content-Type", "application/javascript")
			fmt.Fprintf(w, `var siteInfo = {"projectName":"/EWB-FRONT","siteGuid":"%s","siteName":"徐州市人民政府"};
var Util = {};`, guid)
		case "/EWB-FRONT/rest/lightfrontaction/getgovinfolist":
			var req struct {
				SiteGUID    string `json:"siteGuid"`
				CategoryNum string `json:"categorynum"`
				PageIndex   int    `json:"pageIndex"`
				PageSize    int    `json:"pageSize"`
			}
			if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") ||
				json.NewDecoder(r.Body).Decode(&req) != nil || req.SiteGUID != guid || req.CategoryNum != "003001003" || req.PageSize < 1 {
				http.Error(w, `{"status":{"code":500,"text":"参数错误"}}`, 500)
				return
			}
			mu.Lock()
			hits[req.PageIndex]++
			mu.Unlock()
			type rec struct {
				Title    string `json:"title"`
				InfoURL  string `json:"infourl"`
				InfoDate string `json:"infodate"`
			}
			var data []rec
			for n := req.PageIndex*req.PageSize + 1; n <= min((req.PageIndex+1)*req.PageSize, records); n++ {
				data = append(data, rec{fmt.Sprintf("徐州市人民政府关于第%d项工作的通知", n),
					fmt.Sprintf("/xxgk/zfwj/003001003/2026/%d.html", n), fmt.Sprintf("2026-07-%02d", n%28+1)})
			}
			w.Header().Set("Content-Type", "application/json;charset=UTF-8")
			_ = json.NewEncoder(w).Encode(map[string]any{"custom": map[string]any{"total": records, "data": data},
				"status": map[string]any{"code": 200}})
		default:
			if !strings.HasPrefix(r.URL.Path, "/xxgk/zfwj/003001003/") {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><body><div class="ewb-article-content">正文</div></body></html>`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func(k int) int { mu.Lock(); defer mu.Unlock(); return hits[k] }
}

func TestWebBuilderListAPI(t *testing.T) {
	t.Parallel()
	srv, hits := webBuilderServer(t, 45)
	r := crawl(t, context.Background(), quick(srv.URL+"/"))
	require.NoError(t, r.err)
	for k := range 3 {
		assert.Equal(t, 1, hits(k), "pageIndex %d asked once", k)
	}
	assert.Zero(t, hits(3), "no page past the last")
	assert.Zero(t, r.stats.Dead, "no junk links read out of the JSON answers")

	m := r.model(srv.URL + "/")
	assert.Equal(t, cms.WebBuilder, m.CMS)
	col := column(t, m, "市政府文件")
	assert.Len(t, col.Items, 45, "the whole list from the API")
	assert.True(t, col.Complete)
	assert.Len(t, m.Columns, 1, "API answers join their column")
}
