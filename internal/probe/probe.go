// Package probe does the cheap check `govlint probe` schedules every few
// hours: fetch a site's home page once, within the 15 s of 国办秘函〔2019〕19号,
// and read the newest date it shows. It also reads the same facts from the
// home page of an audit's snapshot, so every audit is an observation too.
package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/govlint/govlint/internal/cms"
	"github.com/govlint/govlint/internal/extract"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/snapshot"
)

// maxBody bounds the home page read; a home page larger than this is read
// as truncated, which still counts as reachable.
const maxBody = 4 << 20

// Options configure a probe.
type Options struct {
	// Timeout bounds the whole fetch, redirects and body included; a site
	// that does not answer in time did not open. Default 15 s.
	Timeout   time.Duration
	UserAgent string
	// Client replaces the HTTP client (tests).
	Client *http.Client
}

// Probe fetches rawURL once and says whether the home page opened.
func Probe(ctx context.Context, rawURL string, opt Options) history.Probe {
	if opt.Timeout <= 0 {
		opt.Timeout = 15 * time.Second
	}
	client := opt.Client
	if client == nil {
		client = &http.Client{}
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	start := time.Now()
	p := history.Probe{At: start.UTC(), Source: "probe"}
	fail := func(err error) history.Probe {
		p.Latency = time.Since(start)
		o, why := cms.ClassifyError(err)
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			o, why = site.OutcomeTimeout, fmt.Sprintf("%s内未打开", opt.Timeout)
		}
		p.Outcome, p.Reason = string(o), why
		return p
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return fail(err)
	}
	if opt.UserAgent != "" {
		req.Header.Set("User-Agent", opt.UserAgent)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fail(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return fail(err)
	}
	p.Latency = time.Since(start)
	truncated := len(body) > maxBody
	if truncated {
		body = body[:maxBody]
	}
	page := extract.Page(extract.Response{URL: resp.Request.URL.String(), Status: resp.StatusCode, Header: resp.Header,
		Body: body, FetchedAt: start, Truncated: truncated})
	return fromPage(p, page)
}

func fromPage(p history.Probe, page *site.Page) history.Probe {
	p.Status = page.Status
	p.Outcome, p.Reason = string(page.Outcome), page.Reason
	p.OK = page.Outcome == site.OutcomeOK || page.Outcome == site.OutcomeTruncated
	if p.OK {
		p.HomeNewest = HomeNewest(page)
	}
	return p
}

// HomeNewest is the newest date of the items a home page lists, or "" when
// it lists none with a date.
func HomeNewest(p *site.Page) string {
	var newest time.Time
	for _, it := range p.Items {
		if it.Date.After(newest) {
			newest = it.Date
		}
	}
	if newest.IsZero() {
		return ""
	}
	return newest.Format(time.DateOnly)
}

var errFound = errors.New("home found")

// FromSnapshot reads the home page of an audit's snapshot, following
// redirects from startURL (the report's site URL), as a probe with Source
// "audit". ok is false when the snapshot holds no answer for the start URL.
func FromSnapshot(path, startURL string) (p history.Probe, ok bool, err error) {
	want := site.Canonical(startURL)
	hops := 0
	var home *site.Page
	_, err = snapshot.Read(path, func(e snapshot.Entry) error {
		if e.URL != want {
			return nil
		}
		if e.Failure != "" {
			home = &site.Page{URL: e.URL, Outcome: e.Failure, Reason: e.Reason, FetchedAt: e.FetchedAt}
			return errFound
		}
		if loc := e.Header.Get("Location"); e.Status >= 300 && e.Status < 400 && loc != "" && hops < 10 {
			if base, perr := url.Parse(e.URL); perr == nil {
				if next, perr := base.Parse(loc); perr == nil {
					want, hops = site.Canonical(next.String()), hops+1
					return nil
				}
			}
		}
		home = extract.Page(extract.Response{URL: e.URL, Status: e.Status, Header: e.Header, Body: e.Body,
			FetchedAt: e.FetchedAt, RecordID: e.RecordID, Truncated: e.Truncated})
		return errFound
	})
	if home == nil {
		if err != nil {
			return p, false, err
		}
		return p, false, nil
	}
	p = fromPage(history.Probe{At: home.FetchedAt.UTC(), Source: "audit"}, home)
	return p, true, nil
}
