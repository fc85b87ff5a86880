// Package dashboard is `govlint serve`: a read-only web dashboard over the
// history store — the latest batch's league, each site's trend,
// availability and changes, every run's full report (HTML and PDF) and the
// archived evidence of every finding, replayed from the run's WARC
// snapshot in a sandbox. Pages are server-rendered Chinese HTML with
// inline SVG charts; every asset is embedded, so it works offline.
package dashboard

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/chrome"
	"github.com/govlint/govlint/internal/history"
	"github.com/govlint/govlint/internal/report"
)

//go:embed templates/*.tmpl static/*
var assets embed.FS

// Options configure the dashboard.
type Options struct {
	Store history.Store
	// OutDir is where batch outputs live: snapshots are looked up under it
	// when the paths the store recorded no longer exist.
	OutDir string
	// Token, when set, is required of every request: as a bearer token, or
	// through the login form, which sets a session cookie.
	Token string
	// PDF prints HTML to PDF; default chrome.PDF.
	PDF func(ctx context.Context, html []byte) ([]byte, error)
	// Log receives server-side errors; default the standard logger.
	Log *log.Logger
}

// Server serves the dashboard.
type Server struct {
	opt     Options
	mux     *http.ServeMux
	tmpl    map[string]*template.Template
	cache   summaryCache
	session string // the cookie value a valid login sets
}

const cookieName = "govlint_session"

// New builds the dashboard handler.
func New(opt Options) (*Server, error) {
	if opt.Store == nil {
		return nil, errors.New("dashboard: no history store")
	}
	if opt.PDF == nil {
		opt.PDF = chrome.PDF
	}
	if opt.Log == nil {
		opt.Log = log.Default()
	}
	s := &Server{opt: opt, tmpl: map[string]*template.Template{}}
	if opt.Token != "" {
		// The cookie holds a digest of the token, never the token.
		sum := sha256.Sum256([]byte("govlint-dashboard-session\x00" + opt.Token))
		s.session = hex.EncodeToString(sum[:])
	}
	for _, page := range []string{"league", "site", "login", "message"} {
		t, err := template.New("layout.tmpl").Funcs(funcs).ParseFS(assets, "templates/layout.tmpl", "templates/"+page+".tmpl")
		if err != nil {
			return nil, fmt.Errorf("dashboard: template %s: %w", page, err)
		}
		s.tmpl[page] = t
	}
	static, _ := fs.Sub(assets, "static")
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.Handle("GET /{$}", s.auth(s.league))
	mux.Handle("GET /sites/{key}", s.auth(s.site))
	mux.Handle("GET /runs/{id}", s.auth(s.run))
	mux.Handle("GET /runs/{id}/pdf", s.auth(s.runPDF))
	mux.Handle("GET /runs/{id}/evidence/{n}", s.auth(s.evidence))
	mux.Handle("GET /runs/{id}/archive", s.auth(s.archive))
	mux.Handle("/", s.auth(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			s.message(w, r, http.StatusMethodNotAllowed, "只读看板", "govlint 看板是只读的，不接受修改请求。")
			return
		}
		s.message(w, r, http.StatusNotFound, "页面不存在", "没有这个页面。")
	}))
	s.mux = mux
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Cache-Control", "no-store")
	// Dashboard pages load only their own stylesheet; no script at all.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'self'")
	s.mux.ServeHTTP(w, r)
}

// authorized says whether r carries the token (bearer) or a session cookie
// set by a login with it; both compared in constant time.
func (s *Server) authorized(r *http.Request) bool {
	if s.opt.Token == "" {
		return true
	}
	if a := r.Header.Get("Authorization"); a != "" {
		scheme, tok, ok := strings.Cut(a, " ")
		return ok && strings.EqualFold(scheme, "Bearer") &&
			subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.opt.Token)) == 1
	}
	if c, err := r.Cookie(cookieName); err == nil {
		return subtle.ConstantTimeCompare([]byte(c.Value), []byte(s.session)) == 1
	}
	return false
}

func (s *Server) auth(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.authorized(r) {
			h(w, r)
			return
		}
		// A browser without credentials goes to the login form; a client
		// that sent a wrong token gets 401.
		if r.Header.Get("Authorization") == "" && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="govlint"`)
		s.message(w, r, http.StatusUnauthorized, "需要登录", "请提供访问令牌（Authorization: Bearer …）或通过登录页登录。")
	})
}

// safeNext keeps a post-login redirect on this server.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if s.opt.Token == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", map[string]any{"Title": "登录", "Next": safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if s.opt.Token == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		s.message(w, r, http.StatusBadRequest, "请求无效", "登录表单无法读取。")
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("token")), []byte(s.opt.Token)) != 1 {
		s.render(w, r, http.StatusUnauthorized, "login", map[string]any{"Title": "登录", "Next": next, "Error": "访问令牌不正确。"})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: s.session, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil, MaxAge: 12 * 3600})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// render executes a page template into a buffer first, so a template error
// is a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, page string, data any) {
	var buf bytes.Buffer
	if err := s.tmpl[page].Execute(&buf, data); err != nil {
		s.opt.Log.Printf("govlint serve: render %s for %s: %v", page, r.URL.Path, err)
		http.Error(w, "页面生成失败", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

func (s *Server) message(w http.ResponseWriter, r *http.Request, code int, title, text string) {
	s.render(w, r, code, "message", map[string]any{"Title": title, "Text": text, "Code": code})
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.opt.Log.Printf("govlint serve: %s: %v", r.URL.Path, err)
	s.message(w, r, http.StatusInternalServerError, "读取历史库出错", err.Error())
}

// runOf reads the run in the path with its report and site.
func (s *Server) runOf(w http.ResponseWriter, r *http.Request) (history.Run, *report.Report, *siteInfo, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.message(w, r, http.StatusNotFound, "没有这次检查", "检查编号无效。")
		return history.Run{}, nil, nil, false
	}
	rep, err := s.opt.Store.Report(r.Context(), id)
	if err != nil {
		s.message(w, r, http.StatusNotFound, "没有这次检查的报告", err.Error())
		return history.Run{}, nil, nil, false
	}
	sites, err := s.loadSites(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return history.Run{}, nil, nil, false
	}
	for _, si := range sites {
		for _, run := range si.Runs {
			if run.ID == id {
				return run, rep, si, true
			}
		}
	}
	s.message(w, r, http.StatusNotFound, "没有这次检查", fmt.Sprintf("历史库中没有编号为 %d 的检查。", id))
	return history.Run{}, nil, nil, false
}

// run serves a run's full report, rendered by the same code as
// `--format html`.
func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	_, rep, _, ok := s.runOf(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := report.HTML(&buf, rep); err != nil {
		s.fail(w, r, err)
		return
	}
	// The report is self-contained with inline style and script.
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

func (s *Server) runPDF(w http.ResponseWriter, r *http.Request) {
	run, rep, si, ok := s.runOf(w, r)
	if !ok {
		return
	}
	var buf bytes.Buffer
	if err := report.HTML(&buf, rep); err != nil {
		s.fail(w, r, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Minute)
	defer cancel()
	pdf, err := s.opt.PDF(ctx, buf.Bytes())
	if errors.Is(err, chrome.ErrNotFound) {
		s.message(w, r, http.StatusServiceUnavailable, "无法生成 PDF", "生成 PDF 需要 Chromium 浏览器，本机未安装：请安装 Debian 软件包 chromium（apt-get install -y chromium）。")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := fmt.Sprintf("govlint-%s-%s.pdf", si.Key, run.AsOf)
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s"`, name))
	w.Write(pdf)
}

// evidence replays the archived page a finding rests on, the evidence
// snippet highlighted.
func (s *Server) evidence(w http.ResponseWriter, r *http.Request) {
	run, rep, si, ok := s.runOf(w, r)
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(rep.Findings) {
		s.message(w, r, http.StatusNotFound, "没有这条问题", "问题编号无效。")
		return
	}
	f := rep.Findings[n-1]
	res, err := s.lookup(run, rep, si.Key, f.Evidence.WARCRecordID, f.URL)
	if err != nil {
		msg := "这次检查的 WARC 快照找不到了（文件被移动或删除）。用 --out 指向批量检查的输出目录后重试。"
		if !errors.Is(err, errNoSnapshot) {
			msg = "快照中没有这条证据的记录：" + err.Error()
		}
		s.message(w, r, http.StatusNotFound, "证据不可用", msg)
		return
	}
	b := banner{Title: f.Title, Message: f.Message, Back: "/sites/" + url.PathEscape(si.Key), Snippet: f.Evidence.Snippet}
	// Show the page the finding is about. When its record is another
	// answer (the 404 of a dead link), the page is shown and the banner
	// links to that answer.
	e := res.ByID
	if e == nil || (res.ByURL != nil && !sameURL(e.URL, f.URL)) {
		if res.ByID != nil {
			b.Record = res.ByID
			b.RecordHref = s.archiveHref(run.ID, res.ByID.URL)
		}
		e = res.ByURL
	}
	b.URL, b.Fetched, b.RecordID = e.URL, beijing(e.FetchedAt), e.RecordID
	s.serveArchived(w, r, run.ID, *e, b, f.Evidence.Snippet)
}

func (s *Server) archiveHref(runID int64, u string) string {
	return fmt.Sprintf("/runs/%d/archive?url=%s", runID, url.QueryEscape(u))
}

// archive serves the archived answer for a URL of a run's snapshot: the
// pages and resources an archived page links to.
func (s *Server) archive(w http.ResponseWriter, r *http.Request) {
	run, rep, si, ok := s.runOf(w, r)
	if !ok {
		return
	}
	target := r.URL.Query().Get("url")
	if target == "" {
		s.message(w, r, http.StatusBadRequest, "缺少地址", "请给出要查看的存档地址。")
		return
	}
	res, err := s.lookup(run, rep, si.Key, "", target)
	if err != nil || res.ByURL == nil {
		w.Header().Set("Content-Security-Policy", replayCSP)
		s.message(w, r, http.StatusNotFound, "存档中没有该地址", "这次检查没有抓取该地址（govlint 不会替您访问原网站）："+target)
		return
	}
	e := *res.ByURL
	s.serveArchived(w, r, run.ID, e, banner{URL: e.URL, Fetched: beijing(e.FetchedAt), RecordID: e.RecordID,
		Back: "/sites/" + url.PathEscape(si.Key)}, "")
}

func (s *Server) serveArchived(w http.ResponseWriter, r *http.Request, runID int64, e snapshotEntry, b banner, snippet string) {
	h := w.Header()
	h.Set("Content-Security-Policy", replayCSP)
	if !isHTML(e) {
		ct := strings.ToLower(e.Header.Get("Content-Type"))
		switch {
		// Images and style sheets are shown as they were (SVG can carry
		// script, so it is not among them).
		case strings.HasPrefix(ct, "image/") && !strings.Contains(ct, "svg") || strings.HasPrefix(ct, "text/css"):
			h.Set("Content-Type", ct)
			w.Write(e.Body)
			return
		case !isText(e) && r.URL.Query().Get("download") == "1":
			h.Set("Content-Type", "application/octet-stream")
			h.Set("Content-Disposition", "attachment")
			w.Write(e.Body)
			return
		}
		e = plainPage(e)
	}
	archive := func(u string) string { return s.archiveHref(runID, u) }
	page, _, err := replay(e, archive, b, snippet)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.Write(page)
}
