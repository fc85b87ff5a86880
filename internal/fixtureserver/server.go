// Package fixtureserver serves a fixture site from a directory on the
// loopback interface, with per-path fault injection, for tests and the demo.
//
// It behaves like the static servers many agency sites run on: "/" and
// "/dir/" serve index.html, "/dir" redirects to "/dir/", a missing file is
// 404, and HTML goes out as "text/html" with no charset, so pages must
// declare their charset in <meta> as real gov pages do. A sidecar file
// "<name>.headers" next to a file adds or overrides response headers for
// it, one "Key: Value" per line; the pseudo-header "Status: 412" sets the
// status code, so a fixture can hold a WAF challenge or an error page.
package fixtureserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"
)

// Options configures a fixture server.
type Options struct {
	// Dir is the site root.
	Dir string
	// Faults replace or delay the answer for a URL path ("/list/2.html").
	Faults map[string]Fault
	// Addr is the listen address; default "127.0.0.1:0" (a random port).
	Addr string
	// Latency delays every answer, like a distant, slow server (benches).
	Latency time.Duration
}

// Fault changes the answer for one path.
//
// RedirectTo answers with a redirect (Status, default 302). Otherwise a
// non-zero Status answers with Status, Header and Body instead of the file.
// A Fault with only Delay (and Header) delays the normal answer. Delay
// applies before any answer.
type Fault struct {
	Status     int
	Header     map[string]string
	Body       string
	Delay      time.Duration
	RedirectTo string

	// Times limits the fault to the first Times requests for the path;
	// later ones are served normally (a 429 that clears on retry). 0
	// means every request.
	Times int
	// BodySize, when set, answers Status (default 200) with a generated
	// HTML body of that many bytes, streamed, so a 30 MB answer costs
	// the server no memory.
	BodySize int64
	// Stall sends the headers and the first part of the body (Body, or
	// the file), then waits Stall before the rest: a server that hangs
	// mid-answer.
	Stall time.Duration
	// TruncatedGzip sends the body (Body, or the file) gzip-compressed
	// with Content-Encoding: gzip, cut off in the middle of the stream.
	TruncatedGzip bool
	// Handler, when set, answers the request itself: the generated
	// hostile answers of hostile.go (bombs, traps, endless pages).
	Handler http.HandlerFunc
}

// Server is a running fixture server.
type Server struct {
	root    string // absolute, symlinks resolved
	faults  map[string]Fault
	latency time.Duration
	url     string
	srv     *http.Server
	ln      net.Listener
	done    chan struct{}

	stop context.CancelFunc
	ctx  context.Context

	mu   sync.Mutex
	hits map[string]int
}

// Start serves opt.Dir until Close.
func Start(opt Options) (*Server, error) {
	if opt.Dir == "" {
		return nil, errors.New("fixtureserver: no directory given")
	}
	abs, err := filepath.Abs(opt.Dir)
	if err != nil {
		return nil, fmt.Errorf("fixtureserver: %w", err)
	}
	root, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("fixtureserver: site directory: %w", err)
	}
	addr := opt.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("fixtureserver: listen %s: %w", addr, err)
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &Server{
		root:    root,
		faults:  make(map[string]Fault, len(opt.Faults)),
		latency: opt.Latency,
		url:     "http://" + ln.Addr().String() + "/",
		ln:      ln,
		done:    make(chan struct{}),
		ctx:     ctx,
		stop:    stop,
		hits:    map[string]int{},
	}
	for p, f := range opt.Faults {
		s.faults[p] = f
	}
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(ln) // returns ErrServerClosed on Close
	}()
	return s, nil
}

// URL is the site root, e.g. "http://127.0.0.1:41234/".
func (s *Server) URL() string { return s.url }

// Close stops the server; requests waiting in a Delay end at once.
func (s *Server) Close() {
	s.stop()
	_ = s.srv.Close()
	<-s.done
}

// Hits returns how many requests arrived for a URL path, whatever their
// answer. The path is the decoded request path ("/a/b.html").
func (s *Server) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// count records a request and returns how many arrived for path so far.
func (s *Server) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits[path]++
	return s.hits[path]
}
