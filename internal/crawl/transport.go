package crawl

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/cms"
	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/snapshot"
)

// Private headers on the response handed to colly. They carry what the
// recorder learned to the OnResponse callback and never reach the snapshot.
const (
	hdrOutcome     = "X-Govlint-Outcome"
	hdrContentType = "X-Govlint-Content-Type" // the Content-Type as received
	hdrDecoded     = "X-Govlint-Decoded"      // the body colly holds is already UTF-8 text
	hdrReading     = "X-Govlint-Reading"      // the key of the answer's Reading in crawler.readings
)

// recorder is the crawler's RoundTripper. For every request it waits its
// politeness turn, applies the timeout, reads the body up to the limit,
// records the answer (or the failure) in the snapshot, and hands colly a
// copy it cannot mangle.
type recorder struct {
	cr            *crawler
	base          http.RoundTripper
	pace          *pacer
	timeout       time.Duration
	max           int64 // body limit of pages
	maxAttachment int64 // body limit of attachments
}

// retryBackoff is the first wait before asking a 429/503 again when the
// server gives no Retry-After; it doubles per attempt.
const retryBackoff = 500 * time.Millisecond

func (t *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	crawlCtx := t.cr.ctx
	target := recordURL(req.URL)
	if !isRobots(req.URL) && !t.cr.isAux(req.URL) && t.cr.overBytes(req.URL) {
		// Scheduled before the budget ran out, asked for after.
		return nil, errMaxBytes
	}
	for attempt := 0; ; attempt++ {
		if err := crawlCtx.Err(); err != nil {
			return nil, err
		}
		if err := t.pace.wait(req.Context(), crawlCtx, siteKey(req.URL.Hostname())); err != nil {
			return nil, err
		}
		a, err := t.fetch(req)
		if err != nil {
			t.failure(req, target, a.at, err)
			return nil, err
		}
		if wait, ok := t.retryWait(req, a.resp, attempt); ok {
			// The answer is not recorded: the retry's answer is the
			// one the page gets, and a snapshot keeps one per URL.
			t.cr.stats.retried(nil)
			if t.cr.opt.Politeness {
				t.pace.setDelay(siteKey(req.URL.Hostname()), min(wait, maxCrawlDelay))
			}
			if err := sleepCtx(wait, req.Context(), crawlCtx); err != nil {
				return nil, err
			}
			continue
		}
		return t.record(req, target, a)
	}
}

// answer is one HTTP answer read to the limit.
type answer struct {
	resp      *http.Response
	body      []byte
	truncated bool
	at        time.Time
}

// fetch makes one request and reads its body, under one deadline for
// headers and body, cancelled with the crawl too: robots.txt requests
// carry no crawl context of their own.
func (t *recorder) fetch(req *http.Request) (answer, error) {
	crawlCtx := t.cr.ctx
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	defer cancel()
	stop := context.AfterFunc(crawlCtx, cancel)
	defer stop()

	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	a := answer{resp: resp, at: time.Now()}
	if err != nil {
		return a, t.explain(ctx, req, err)
	}
	a.body, a.truncated, err = t.readBody(req.URL, resp)
	resp.Body.Close()
	if err != nil {
		err = t.explain(ctx, req, err)
		if crawlCtx.Err() != nil || req.Context().Err() != nil {
			return a, err // the crawl is over; nothing was learned
		}
		// The server answered but the body broke off (timeout, reset,
		// a cut gzip stream). Keep what arrived: the status is real,
		// the body incomplete.
		a.truncated = true
	}
	return a, nil
}

// record writes an answer to the snapshot and hands colly its copy. With
// Options.ReadAnswer the answer is read once, by the model's extraction,
// and an HTML page's outcome, links and list plan come from that reading.
// A page the crawler would take the reading of is not written here but
// when colly hands it to onResponse (settle): colly holds one of its
// Parallelism slots for as long as the transport runs, and the extraction
// should not keep the next request waiting on a distant server.
func (t *recorder) record(req *http.Request, target string, a answer) (*http.Response, error) {
	e := answerEntry(req, target, a)
	if t.defers(req, a) {
		id := strconv.FormatUint(t.cr.readingID.Add(1), 10)
		t.cr.readings.Store(id, &deferred{req: req, e: e, a: a})
		out := t.handOver(req.URL, a.resp, nil, "", "")
		out.Header.Set(hdrReading, id)
		return out, nil
	}
	rd, outcome, text, err := t.write(req, e, a)
	if err != nil {
		return nil, err
	}
	out := t.handOver(req.URL, a.resp, a.body, text, outcome)
	if rd != nil && outcome == site.OutcomeOK {
		// Only 2xx answers classify as ok, so this one is no redirect hop
		// net/http follows, and it was asked for by colly (takesReading):
		// it reaches onResponse, which takes it.
		id := strconv.FormatUint(t.cr.readingID.Add(1), 10)
		t.cr.readings.Store(id, rd)
		out.Header.Set(hdrReading, id)
	}
	return out, nil
}

// answerEntry is the snapshot entry of an answer.
func answerEntry(req *http.Request, target string, a answer) snapshot.Entry {
	resp := a.resp
	header := resp.Header.Clone()
	if ce := resp.Header.Get("Content-Encoding"); ce != "" && !decodable(ce) {
		// The body could not be decoded; keep the fact, since the
		// snapshot drops Content-Encoding as describing the wire.
		header.Set("X-Govlint-Undecoded-Content-Encoding", ce)
	}
	return snapshot.Entry{
		URL:       target,
		Method:    req.Method,
		Status:    resp.StatusCode,
		Header:    header,
		Body:      a.body,
		FetchedAt: a.at,
		Truncated: a.truncated,
	}
}

// write records an answer in the snapshot, read by Options.ReadAnswer when
// set, and counts it. It returns the reading when the crawler takes it
// (takesReading), the answer's outcome and its text when it is HTML.
func (t *recorder) write(req *http.Request, e snapshot.Entry, a answer) (*cms.Reading, site.Outcome, string, error) {
	resp := a.resp
	var rd *cms.Reading
	var werr error
	if read := t.cr.opt.ReadAnswer; read != nil {
		_, werr = t.cr.w.WriteResponseRead(e, func(as snapshot.Entry) any {
			r, value := read(as)
			rd = &r
			return value
		})
		if rd != nil && !t.takesReading(req, resp, a.body, rd) {
			rd = nil
		}
	} else {
		_, werr = t.cr.w.WriteResponse(e)
	}
	if werr != nil {
		t.cr.failed(werr)
		return nil, "", "", werr
	}
	var outcome site.Outcome
	var text string
	if rd != nil {
		outcome, text = rd.Outcome, rd.Text
	} else {
		outcome, _, text = classify(resp, a.body)
	}
	t.cr.current.Store(req.URL.Path)
	t.cr.stats.answer(t.cr.isAux(req.URL), t.cr.isExternal(req.URL), outcome, a.truncated, int64(len(a.body)), t.cr.progress)
	return rd, outcome, text, nil
}

// deferred is an answer whose writing and reading wait for onResponse
// (or OnError, or the end of the crawl: whichever settles it first).
type deferred struct {
	req *http.Request
	e   snapshot.Entry
	a   answer
}

// defers says whether an answer is written when colly hands it over
// rather than now: a 2xx HTML page of the site asked for by colly, the
// kind whose reading the crawler may take. A redirect hop never is, so
// every deferred answer reaches onResponse or OnError.
func (t *recorder) defers(req *http.Request, a answer) bool {
	if t.cr.opt.ReadAnswer == nil || a.resp.StatusCode < 200 || a.resp.StatusCode > 299 {
		return false
	}
	return t.sitePage(req, a.resp, a.body)
}

// settle writes (and reads) a deferred answer that will not be followed.
func (t *recorder) settle(d *deferred) {
	_, _, _, _ = t.write(d.req, d.e, d.a)
}

// settleLeft settles what no callback took: the crawl ended, or colly
// gave up on the answer, before it got to onResponse.
func (cr *crawler) settleLeft() {
	cr.readings.Range(func(k, v any) bool {
		if d, ok := v.(*deferred); ok {
			if _, mine := cr.readings.LoadAndDelete(k); mine {
				cr.tr.settle(d)
			}
		}
		return true
	})
}

// notColly marks, in its context, a request the crawler makes itself
// (robots.txt) whose answers never reach onResponse.
type notColly struct{}

// takesReading says whether the crawler follows an answer from the
// extraction's reading: an HTML page of the site that the crawler reads
// for links, and that the extraction read as HTML (so its links and plan
// are the page's), not as a redirect shell (whose target the crawler
// does not follow), and asked for by colly. Everything else the crawler
// reads itself, as without ReadAnswer.
func (t *recorder) takesReading(req *http.Request, resp *http.Response, body []byte, rd *cms.Reading) bool {
	return rd.HTML && !rd.Shell && t.sitePage(req, resp, body)
}

// sitePage says whether an answer is an HTML page of the site that colly
// asked for and the crawler reads for links: not robots.txt, a sitemap,
// an external check, a list API's answer or an attachment.
func (t *recorder) sitePage(req *http.Request, resp *http.Response, body []byte) bool {
	u, ct := req.URL, resp.Header.Get("Content-Type")
	return req.Context().Value(notColly{}) == nil && !isRobots(u) && !t.cr.isAux(u) && !t.cr.isExternal(u) &&
		!cms.IsListAPI(u) && readable(u, resp.Header, ct, body) && isHTML(ct, body)
}

// retryWait decides whether a 429 or 503 answer is asked again, and after
// how long: the Retry-After the server gave (seconds or a date), else a
// short doubling back-off. A server that asks for longer than MaxRetryWait
// keeps its answer.
func (t *recorder) retryWait(req *http.Request, resp *http.Response, attempt int) (time.Duration, bool) {
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
		return 0, false
	}
	if attempt >= t.cr.opt.MaxRetries || (req.Method != http.MethodGet && req.Method != http.MethodHead) {
		return 0, false
	}
	wait := retryBackoff << attempt
	if v := strings.TrimSpace(resp.Header.Get("Retry-After")); v != "" {
		if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
			wait = time.Duration(secs) * time.Second
		} else if at, err := http.ParseTime(v); err == nil {
			wait = max(0, time.Until(at))
		}
	}
	return wait, wait <= t.cr.opt.MaxRetryWait
}

func sleepCtx(d time.Duration, a, b context.Context) error {
	if d <= 0 {
		return nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-a.Done():
		return a.Err()
	case <-b.Done():
		return b.Err()
	}
}

// explain turns the deadline of our own per-request timeout into an error
// that says so; other errors pass unchanged.
func (t *recorder) explain(ctx context.Context, req *http.Request, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) && t.cr.ctx.Err() == nil && req.Context().Err() == nil {
		return fmt.Errorf("no complete answer within %s: %w", t.timeout, context.DeadlineExceeded)
	}
	return err
}

// failure records a fetch that got no HTTP answer, unless the crawl itself
// was stopped: a request we cancelled says nothing about the site.
func (t *recorder) failure(req *http.Request, target string, at time.Time, err error) {
	if t.cr.ctx.Err() != nil || req.Context().Err() != nil {
		return
	}
	outcome, reason := cms.ClassifyError(err)
	var refused *RefusedError
	if errors.As(err, &refused) {
		outcome, reason = site.OutcomeNotFetched, refused.Error()
	}
	if werr := t.cr.w.WriteFailure(snapshot.Entry{
		URL:       target,
		Method:    req.Method,
		FetchedAt: at,
		Failure:   outcome,
		Reason:    reason,
	}); werr != nil {
		t.cr.failed(werr)
		return
	}
	t.cr.stats.failure(outcome, refused != nil, t.cr.progress)
}

// readBody reads at most max bytes, decoding a Content-Encoding the Go
// transport left in place. One byte more than the limit is read so a body
// of exactly max bytes is not taken for a cut one.
func (t *recorder) readBody(u *url.URL, resp *http.Response) ([]byte, bool, error) {
	limit := t.max
	if htmlread.IsAttachment(u, resp.Header.Get("Content-Type"), resp.Header) {
		limit = t.maxAttachment
	}
	var r io.Reader = resp.Body
	if ce := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); ce != "" && !resp.Uncompressed {
		dr, err := decoder(ce, resp.Body)
		if err != nil {
			return nil, false, fmt.Errorf("decode %s body: %w", ce, err)
		}
		if dr != nil {
			defer dr.Close()
			r = dr
		}
	}
	hint := int64(-1)
	if r == resp.Body {
		hint = resp.ContentLength
	}
	body, err := readAll(io.LimitReader(r, limit+1), hint)
	truncated := int64(len(body)) > limit
	if truncated {
		body = body[:limit]
	}
	return body, truncated, err
}

// readAll is io.ReadAll with a first buffer of the announced length (and
// one byte more, to read EOF without growing): io.ReadAll starts at 512
// bytes and doubles, leaving about twice the body as garbage per answer.
// hint < 0 (unknown) or larger than the read allows starts as io.ReadAll.
func readAll(r io.Reader, hint int64) ([]byte, error) {
	if hint < 0 || hint > 8<<20 {
		return io.ReadAll(r)
	}
	b := make([]byte, 0, hint+1)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // a lying Content-Length: grow as io.ReadAll does
		}
	}
}

func decodable(ce string) bool {
	switch strings.ToLower(strings.TrimSpace(ce)) {
	case "gzip", "x-gzip", "deflate", "identity":
		return true
	}
	return false
}

// decoder returns a reader for the encodings net/http does not undo
// itself (it only does gzip, and only when it asked for it). nil means
// "read the body as it is".
func decoder(ce string, body io.Reader) (io.ReadCloser, error) {
	switch ce {
	case "gzip", "x-gzip":
		return gzip.NewReader(body)
	case "deflate":
		// "deflate" is zlib-wrapped by the spec and raw by some servers.
		br := newPeekReader(body)
		if zr, err := zlib.NewReader(br); err == nil {
			return zr, nil
		}
		return flate.NewReader(br.rewind()), nil
	}
	return nil, nil
}

// classify decides the outcome of an answer for the stats and for link
// following. The snapshot does not store it: extract decides again (with the same htmlread.Classify)
// when it builds the model.
// It returns the decoded text too, so an HTML page is decoded once.
func classify(resp *http.Response, body []byte) (site.Outcome, string, string) {
	text, _, _ := htmlread.Decode(body, resp.Header.Get("Content-Type"))
	outcome, reason := htmlread.Classify(resp.StatusCode, resp.Header, text)
	return outcome, reason, text
}

// handOver builds the response colly sees: no charset (so colly leaves the
// bytes alone), no Content-Encoding (already decoded), and a body only
// when someone reads it: HTML for links, robots.txt for rules. An HTML
// body is handed over as the UTF-8 text classify decoded (marked with
// hdrDecoded), so onResponse does not decode a GBK page a second time.
func (t *recorder) handOver(u *url.URL, resp *http.Response, body []byte, text string, outcome site.Outcome) *http.Response {
	h := resp.Header.Clone()
	ct := h.Get("Content-Type")
	h.Set(hdrContentType, ct)
	h.Set(hdrOutcome, string(outcome))
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		h.Set("Content-Type", mt)
	} else if ct != "" {
		mt, _, _ := strings.Cut(ct, ";")
		h.Set("Content-Type", strings.TrimSpace(mt))
	}
	h.Del("Content-Encoding")
	body, decoded := handedBody(u, resp.Header, ct, body, text)
	if decoded {
		h.Set(hdrDecoded, "utf-8")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	out := *resp
	out.Header = h
	out.Body = io.NopCloser(bytes.NewReader(body))
	out.ContentLength = int64(len(body))
	out.TransferEncoding = nil
	out.Uncompressed = true // or colly gunzips ".xml.gz" and gzip types again
	return &out
}

// handedBody is the body colly holds of an answer: none unless the
// crawler reads it, and an HTML page as the UTF-8 text classify decoded.
func handedBody(u *url.URL, h http.Header, ct string, body []byte, text string) ([]byte, bool) {
	switch {
	case !readable(u, h, ct, body):
		return nil, false
	case !isRobots(u) && isHTML(ct, body):
		return []byte(text), true
	}
	return body, false
}

// readable says whether the crawler reads a body: HTML for links,
// robots.txt for rules, XML and JSON for sitemaps and list APIs. Never an
// attachment, whatever its Content-Type says (colly v2.3.0 would parse an
// .xlsx as XML).
func readable(u *url.URL, h http.Header, ct string, body []byte) bool {
	if isRobots(u) {
		return true
	}
	if htmlread.IsAttachment(u, ct, h) {
		return false
	}
	if isHTML(ct, body) {
		return true
	}
	mt, _, _ := strings.Cut(strings.ToLower(ct), ";")
	mt = strings.TrimSpace(mt)
	// JavaScript types: JSONP answers of list APIs (TrueCMS).
	return mt == "text/xml" || mt == "application/xml" || mt == "application/json" ||
		mt == "application/javascript" || mt == "text/javascript" || mt == "application/x-javascript" ||
		mt == "text/plain" || mt == "text/json" || mt == "application/x-gzip" || mt == "application/gzip" ||
		strings.HasSuffix(mt, "+xml") && mt != "image/svg+xml"
}

// isHTML says whether links should be looked for in a body.
func isHTML(contentType string, body []byte) bool {
	mt, _, _ := strings.Cut(strings.ToLower(contentType), ";")
	switch strings.TrimSpace(mt) {
	case "text/html", "application/xhtml+xml":
		return true
	case "", "text/plain", "application/octet-stream":
		return strings.HasPrefix(http.DetectContentType(body), "text/html")
	}
	return false
}

func isRobots(u *url.URL) bool { return u != nil && u.Path == "/robots.txt" }

// recordURL is the URL as requested, without a fragment (never sent).
func recordURL(u *url.URL) string {
	c := *u
	c.Fragment, c.RawFragment = "", ""
	return c.String()
}

// peekReader buffers what a first decoding attempt reads so a second one
// can start over.
type peekReader struct {
	r   io.Reader
	buf bytes.Buffer
}

func newPeekReader(r io.Reader) *peekReader { return &peekReader{r: r} }

func (p *peekReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.buf.Write(b[:n])
	return n, err
}

func (p *peekReader) rewind() io.Reader { return io.MultiReader(&p.buf, p.r) }
