package dashboard

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/report"
	"github.com/govlint/govlint/internal/snapshot"
)

// replayCSP keeps an archived page inert: sandboxed (no script runs, no
// form posts, no popups) and unable to load anything but what this server
// serves from the archive, so no request reaches the original site.
const replayCSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

var (
	errNoSnapshot = errors.New("no snapshot")
	errFound      = errors.New("found")
)

// snapshotCandidates lists where a run's WARC file may be, best first: the
// absolute path the store recorded, the report's path, and the same paths'
// tails under --out (a batch directory moved or mounted elsewhere).
func (s *Server) snapshotCandidates(run history.Run, r *report.Report, key string) []string {
	var out []string
	add := func(p string) {
		if p == "" {
			return
		}
		for _, o := range out {
			if o == p {
				return
			}
		}
		out = append(out, p)
	}
	stored := []string{run.Snapshot, r.Site.Snapshot}
	for _, p := range stored {
		add(p)
	}
	if s.opt.OutDir != "" {
		for _, p := range stored {
			parts := strings.Split(filepath.ToSlash(p), "/")
			for i := range parts {
				tail := filepath.Join(parts[i:]...)
				if tail != "" {
					add(filepath.Join(s.opt.OutDir, tail))
				}
			}
		}
		add(filepath.Join(s.opt.OutDir, "sites", key, "snapshot.warc.gz"))
		if run.Batch != "" {
			add(filepath.Join(s.opt.OutDir, run.Batch, "sites", key, "snapshot.warc.gz"))
		}
	}
	return out
}

// sameRun says whether a snapshot's warcinfo describes the run of report r
// (a later batch into the same directory overwrites the file).
func sameRun(info snapshot.Info, r *report.Report) bool {
	if info.StartURL != "" && r.Site.URL != "" && info.StartURL != r.Site.URL {
		return false
	}
	t, err := time.Parse(time.RFC3339, r.Site.StartedAt)
	if err != nil || info.StartedAt.IsZero() {
		return true
	}
	return info.StartedAt.Truncate(time.Second).Equal(t.Truncate(time.Second))
}

// found is what lookup found in a run's snapshot.
type found struct {
	ByID, ByURL *snapshot.Entry
	Path        string
}

// lookup reads the run's snapshot for the record with recordID and the
// last answer for rawURL (either may be ""): a finding's record can be the
// answer it judged (a dead link's 404) while its snippet is on the page
// the finding is about.
func (s *Server) lookup(run history.Run, r *report.Report, key, recordID, rawURL string) (found, error) {
	var tried []string
	for _, path := range s.snapshotCandidates(run, r, key) {
		if st, err := os.Stat(path); err != nil || st.IsDir() {
			continue
		}
		tried = append(tried, path)
		var res found
		info, err := snapshot.Read(path, func(e snapshot.Entry) error {
			if e.Status == 0 {
				return nil
			}
			if recordID != "" && e.RecordID == recordID {
				res.ByID = &e
				if rawURL == "" || sameURL(e.URL, rawURL) {
					return errFound // the record is the page: read no further
				}
			}
			if rawURL != "" && sameURL(e.URL, rawURL) {
				res.ByURL = &e
			}
			return nil
		})
		if errors.Is(err, errFound) {
			// Stopped early: the warcinfo record, read first, is in info.
			err = nil
		}
		if err != nil || !sameRun(info, r) {
			continue
		}
		// Record IDs are unique to a crawl: a snapshot without the
		// finding's record is another run's, even one started in the same
		// second (which sameRun cannot tell apart).
		if recordID != "" && res.ByID == nil {
			continue
		}
		if res.ByID == nil && res.ByURL == nil {
			return res, fmt.Errorf("snapshot %s holds no record %s and no answer for %s", path, recordID, rawURL)
		}
		res.Path = path
		return res, nil
	}
	if len(tried) == 0 {
		return found{}, errNoSnapshot
	}
	return found{}, fmt.Errorf("no snapshot of this run found (looked at %s)", strings.Join(tried, ", "))
}

// plainPage wraps an answer that is not HTML (a 404 text, a JSON list) in
// a page that shows its status and text, so it can be highlighted and read
// like the rest; binary bodies are left out.
func plainPage(e snapshot.Entry) snapshot.Entry {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><title>` + html.EscapeString(e.URL) + `</title></head><body style="font:13px monospace;padding:8px">`)
	fmt.Fprintf(&b, "<p><b>HTTP %d</b> %s</p>", e.Status, html.EscapeString(e.Header.Get("Content-Type")))
	text, _, _ := htmlread.Decode(e.Body, e.Header.Get("Content-Type"))
	if isText(e) {
		if len(text) > 200<<10 {
			text = text[:200<<10] + "\n…"
		}
		b.WriteString(`<pre style="white-space:pre-wrap">` + html.EscapeString(text) + `</pre>`)
	} else {
		fmt.Fprintf(&b, "<p>（%d 字节的二进制内容，未显示）</p>", len(e.Body))
	}
	b.WriteString(`</body></html>`)
	out := e
	out.Body = []byte(b.String())
	out.Header = e.Header.Clone()
	if out.Header == nil {
		out.Header = map[string][]string{}
	}
	out.Header.Set("Content-Type", "text/html; charset=utf-8")
	return out
}

func isText(e snapshot.Entry) bool {
	ct := strings.ToLower(e.Header.Get("Content-Type"))
	return ct == "" || strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || strings.Contains(ct, "javascript") || strings.Contains(ct, "xml")
}

func sameURL(a, b string) bool {
	if a == b {
		return true
	}
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil {
		return false
	}
	ua.Fragment, ub.Fragment = "", ""
	return ua.String() == ub.String()
}

func isHTML(e snapshot.Entry) bool {
	ct := strings.ToLower(e.Header.Get("Content-Type"))
	if strings.Contains(ct, "html") {
		return true
	}
	if ct == "" {
		head := bytes.ToLower(e.Body[:min(len(e.Body), 512)])
		return bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<!doctype html"))
	}
	return false
}

// banner is what the replay shows above the archived page.
type banner struct {
	Title    string // the finding's title, "" for a plain archive view
	Message  string
	URL      string
	Fetched  string
	RecordID string
	Back     string // local link back to the dashboard
	Found    bool   // the snippet was found and highlighted
	Snippet  string
	// Record is the finding's own record when it is another answer than
	// the page shown (the 404 of a dead link), RecordHref its replay.
	Record     *snapshot.Entry
	RecordHref string
}

// urlAttrs are the attributes that make a browser fetch or navigate.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "poster": true,
	"background": true, "data": true, "cite": true, "longdesc": true, "xlink:href": true,
	"lowsrc": true, "dynsrc": true, "manifest": true, "codebase": true, "archive": true, "ping": true,
}

var cssURL = regexp.MustCompile(`(?i)url\s*\(\s*(?:"[^"]*"|'[^']*'|[^)]*)\s*\)|@import[^;]*;?|expression\s*\(`)

// replay rewrites an archived HTML page for safe viewing: no scripts,
// frames, plugins, base or refresh; every link and resource pointing into
// the archive route (archive(u) gives the local URL for an absolute URL);
// CSS url() and @import dropped; the snippet wrapped in <mark>.
func replay(e snapshot.Entry, archive func(string) string, b banner, snippet string) ([]byte, bool, error) {
	text, _, _ := htmlread.Decode(e.Body, e.Header.Get("Content-Type"))
	doc, err := html.ParseWithOptions(strings.NewReader(text), html.ParseOptionEnableScripting(false))
	if err != nil {
		return nil, false, fmt.Errorf("parse archived page %s: %w", e.URL, err)
	}
	base, _ := url.Parse(e.URL)
	sanitize(doc, base, archive)
	found := false
	if snippet != "" {
		found = highlight(doc, snippet)
	}
	b.Found = found
	var head, body *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Head && head == nil {
			head = n
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Body && body == nil {
			body = n
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if head != nil {
		meta := &html.Node{Type: html.ElementNode, Data: "meta", DataAtom: atom.Meta, Attr: []html.Attribute{{Key: "charset", Val: "utf-8"}}}
		style := &html.Node{Type: html.ElementNode, Data: "style", DataAtom: atom.Style}
		style.AppendChild(&html.Node{Type: html.TextNode, Data: replayStyle})
		head.InsertBefore(style, head.FirstChild)
		head.InsertBefore(meta, head.FirstChild)
	}
	if body != nil {
		frag, err := bannerNodes(b)
		if err != nil {
			return nil, false, err
		}
		first := body.FirstChild
		for _, n := range frag {
			body.InsertBefore(n, first)
		}
	}
	var out bytes.Buffer
	if err := html.Render(&out, doc); err != nil {
		return nil, false, fmt.Errorf("render archived page %s: %w", e.URL, err)
	}
	return out.Bytes(), found, nil
}

const replayStyle = `mark.govlint-hit{background:#ffeb3b!important;color:#000!important;outline:3px solid #e53935;outline-offset:1px}
#govlint-banner{all:initial;display:block;position:sticky;top:0;z-index:2147483647;background:#263238;color:#fff;font:14px/1.5 "Noto Sans CJK SC","Microsoft YaHei",sans-serif;padding:8px 14px;border-bottom:3px solid #ffb300}
#govlint-banner *{all:revert;color:inherit;font:inherit}
#govlint-banner a{color:#ffe082;text-decoration:underline}
#govlint-banner .gv-t{font-weight:bold;color:#ffe082}
#govlint-banner .gv-m{display:block;color:#eceff1}
#govlint-banner .gv-s{display:block;font-size:12px;color:#b0bec5}`

func bannerNodes(b banner) ([]*html.Node, error) {
	var s strings.Builder
	s.WriteString(`<div id="govlint-banner" role="note">`)
	s.WriteString(`<span class="gv-t">govlint 证据回放</span> · 存档页面，仅供查看，不访问原网站`)
	if b.Back != "" {
		s.WriteString(` · <a href="` + html.EscapeString(b.Back) + `">返回看板</a>`)
	}
	if b.Title != "" {
		s.WriteString(`<span class="gv-m">问题：` + html.EscapeString(b.Title))
		if b.Message != "" {
			s.WriteString(` — ` + html.EscapeString(shorten(b.Message, 160)))
		}
		s.WriteString(`</span>`)
	}
	meta := `<span class="gv-s">原地址：` + html.EscapeString(shorten(b.URL, 120)) + `　抓取时间：` + html.EscapeString(b.Fetched)
	if b.RecordID != "" {
		meta += `　WARC 记录：` + html.EscapeString(b.RecordID)
	}
	if b.Snippet != "" {
		if b.Found {
			meta += `　证据片段已用黄色标出`
		} else {
			meta += `　未能在页面中定位证据片段：“` + html.EscapeString(shorten(b.Snippet, 60)) + `”`
		}
	}
	if b.Record != nil {
		meta += `<br>检查依据的应答：<a href="` + html.EscapeString(b.RecordHref) + `">` + html.EscapeString(shorten(b.Record.URL, 100)) +
			`</a> 返回 HTTP ` + fmt.Sprint(b.Record.Status) + `（WARC 记录：` + html.EscapeString(b.Record.RecordID) + `）`
	}
	s.WriteString(meta + `</span></div>`)
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	return html.ParseFragment(strings.NewReader(s.String()), ctx)
}

// dropElements are removed with their content.
var dropElements = map[atom.Atom]bool{
	atom.Script: true, atom.Iframe: true, atom.Frame: true, atom.Object: true, atom.Embed: true,
	atom.Applet: true, atom.Base: true, atom.Template: true,
}

func sanitize(n *html.Node, base *url.URL, archive func(string) string) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode && drop(c) {
			n.RemoveChild(c)
			c = next
			continue
		}
		if c.Type == html.ElementNode {
			if c.DataAtom == atom.Svg || c.Data == "svg" {
				// Inline SVG can carry script and external references in
				// ways the attribute walk below may miss.
				n.RemoveChild(c)
				c = next
				continue
			}
			c.Attr = cleanAttrs(c, base, archive)
			if c.DataAtom == atom.Style {
				for t := c.FirstChild; t != nil; t = t.NextSibling {
					if t.Type == html.TextNode {
						t.Data = cssURL.ReplaceAllString(t.Data, "none")
					}
				}
			}
		}
		sanitize(c, base, archive)
		c = next
	}
}

func drop(c *html.Node) bool {
	if dropElements[c.DataAtom] {
		return true
	}
	switch c.DataAtom {
	case atom.Meta:
		for _, a := range c.Attr {
			k := strings.ToLower(a.Key)
			if k == "charset" || k == "http-equiv" {
				return true
			}
		}
	case atom.Link:
		rel := ""
		for _, a := range c.Attr {
			if strings.EqualFold(a.Key, "rel") {
				rel = strings.ToLower(a.Val)
			}
		}
		return !strings.Contains(rel, "stylesheet")
	}
	return false
}

func cleanAttrs(c *html.Node, base *url.URL, archive func(string) string) []html.Attribute {
	out := c.Attr[:0]
	for _, a := range c.Attr {
		k := strings.ToLower(a.Key)
		switch {
		case strings.HasPrefix(k, "on"), k == "srcset", k == "imagesrcset", k == "integrity", k == "nonce", k == "target":
			continue
		case k == "style":
			a.Val = cssURL.ReplaceAllString(a.Val, "none")
		case urlAttrs[k]:
			local := localURL(a.Val, base, archive)
			if local == "" {
				continue
			}
			a.Val = local
		}
		out = append(out, a)
	}
	return out
}

// localURL maps a link of the archived page to this server's archive
// route; "" drops it (javascript:, data:, mailto: and the like).
func localURL(raw string, base *url.URL, archive func(string) string) string {
	raw = strings.TrimFunc(raw, unicode.IsSpace)
	if raw == "" || strings.HasPrefix(raw, "#") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return archive(u.String())
}

// squeeze drops whitespace and the ellipsis a snippet may carry, so text
// split over lines and elements still matches.
func squeeze(s string) []rune {
	var out []rune
	for _, r := range s {
		if unicode.IsSpace(r) || r == '…' || r == '\u00a0' {
			continue
		}
		out = append(out, r)
	}
	return out
}

// highlight wraps the first occurrence of snippet in the page text (across
// elements) in <mark class="govlint-hit">; the first mark gets the id
// govlint-hit so a #govlint-hit link scrolls to it. Long snippets that are
// not found whole are tried by their first 30 and then 12 characters.
func highlight(doc *html.Node, snippet string) bool {
	if mark(doc, squeeze(snippet), true) {
		return true
	}
	// A snippet joined from several elements in another order (a list
	// item's date and title): mark each part that is long enough to mean
	// something.
	any := false
	for _, part := range strings.Fields(snippet) {
		if p := squeeze(part); len(p) >= 4 && mark(doc, p, !any) {
			any = true
		}
	}
	return any
}

// mark wraps the first occurrence of want in <mark>; withID gives the
// first mark the id govlint-hit.
func mark(doc *html.Node, want []rune, withID bool) bool {
	type pos struct {
		node *html.Node
		off  int // byte offset in node.Data
		end  int
	}
	var text []rune
	var where []pos
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.DataAtom == atom.Style || n.DataAtom == atom.Title || n.DataAtom == atom.Head || n.DataAtom == atom.Textarea) {
			return
		}
		if n.Type == html.TextNode {
			for i, r := range n.Data {
				if unicode.IsSpace(r) || r == '\u00a0' || r == '…' {
					continue
				}
				text = append(text, r)
				where = append(where, pos{n, i, i + len(string(r))})
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	var start, n int = -1, 0
	for _, l := range []int{len(want), 30, 12} {
		if l > len(want) || l == 0 {
			continue
		}
		if i := indexRunes(text, want[:l]); i >= 0 {
			start, n = i, l
			break
		}
	}
	if start < 0 {
		return false
	}
	// Group the matched runes by text node, then split each node.
	type span struct {
		node       *html.Node
		from, upto int
	}
	var spans []span
	for _, p := range where[start : start+n] {
		if len(spans) > 0 && spans[len(spans)-1].node == p.node {
			spans[len(spans)-1].upto = p.end
			continue
		}
		spans = append(spans, span{p.node, p.off, p.end})
	}
	for i, sp := range spans {
		t := sp.node
		before, mid, after := t.Data[:sp.from], t.Data[sp.from:sp.upto], t.Data[sp.upto:]
		m := &html.Node{Type: html.ElementNode, Data: "mark", DataAtom: atom.Mark, Attr: []html.Attribute{{Key: "class", Val: "govlint-hit"}}}
		if i == 0 && withID {
			m.Attr = append(m.Attr, html.Attribute{Key: "id", Val: "govlint-hit"})
		}
		m.AppendChild(&html.Node{Type: html.TextNode, Data: mid})
		parent := t.Parent
		if before != "" {
			parent.InsertBefore(&html.Node{Type: html.TextNode, Data: before}, t)
		}
		parent.InsertBefore(m, t)
		if after != "" {
			t.Data = after
		} else {
			parent.RemoveChild(t)
		}
	}
	return true
}

func indexRunes(hay, needle []rune) int {
	if len(needle) == 0 {
		return -1
	}
outer:
	for i := 0; i+len(needle) <= len(hay); i++ {
		for j, r := range needle {
			if hay[i+j] != r {
				continue outer
			}
		}
		return i
	}
	return -1
}
