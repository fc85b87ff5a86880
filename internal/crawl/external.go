package crawl

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
)

// maxExternal caps the external link targets checked per crawl.
const maxExternal = 1000

// externals checks the targets of links that leave the site, once each,
// when Options.CheckExternal is set: a HEAD request (GET when the server
// refuses HEAD), recorded like any answer, never followed further.
type externals struct {
	client *http.Client
	sem    chan struct{}
	wg     sync.WaitGroup
	seen   sync.Map // URL → struct{}
	n      atomic.Int64
}

// offsite handles a link that leaves the crawl's scope. A link to an
// internal address from a public site is recorded and never requested;
// other targets are checked when CheckExternal asks for it.
func (cr *crawler) offsite(u *url.URL) {
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return
	}
	if cr.internalTarget(u) {
		cr.refuse(refusePrivate, recordURL(u), fmt.Sprintf("链接指向内网、本机或链路本地地址 %s，站点为公网站点，不访问 (link to an internal address from a public site; not requested)", u.Hostname()),
			func(s *Stats) { s.Internal++ })
		return
	}
	if !cr.opt.CheckExternal || cr.ext == nil {
		return
	}
	target := recordURL(u)
	if n, err := Normalize(target); err == nil {
		target = n.String()
	}
	if len(target) > cr.opt.MaxURLLength {
		return
	}
	if _, dup := cr.ext.seen.LoadOrStore(target, struct{}{}); dup {
		return
	}
	if cr.ext.n.Add(1) > maxExternal {
		return
	}
	cr.ext.wg.Add(1)
	go func() {
		defer cr.ext.wg.Done()
		select {
		case cr.ext.sem <- struct{}{}:
		case <-cr.ctx.Done():
			return
		}
		defer func() { <-cr.ext.sem }()
		cr.checkExternal(target)
	}()
}

// checkExternal asks for one external target with HEAD: the answer's
// status is all a link check needs, and a HEAD carries no body to bound.
// A server that refuses HEAD (405, 501) keeps that answer: it is not
// asked again with GET, so the snapshot holds one answer per URL.
func (cr *crawler) checkExternal(target string) {
	req, err := http.NewRequestWithContext(cr.ctx, http.MethodHead, target, nil)
	if err != nil {
		return
	}
	req.Header.Set("User-Agent", cr.opt.UserAgent)
	resp, err := cr.ext.client.Do(req)
	if err != nil {
		return // recorded by the recorder
	}
	resp.Body.Close()
}

// isExternal says whether a request leaves the crawl's scope (an external
// link check), so its answer counts apart from the site's pages.
func (cr *crawler) isExternal(u *url.URL) bool { return !cr.scope.contains(u) }
