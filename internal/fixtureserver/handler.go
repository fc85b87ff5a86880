package fixtureserver

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/gzip"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ServeHTTP answers one request: fault first, then the file.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.latency > 0 {
		select {
		case <-time.After(s.latency):
		case <-r.Context().Done():
			return
		}
	}
	n := s.count(r.URL.Path)
	if f, ok := s.faults[r.URL.Path]; ok && (f.Times == 0 || n <= f.Times) {
		if s.serveFault(w, r, f) {
			return
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.serveFile(w, r)
}

// serveFault answers with f and reports whether it did; a fault with only
// a Delay or Header leaves the answer to the file.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	if f.Delay > 0 && !s.sleep(r, f.Delay) {
		return true
	}
	for k, v := range f.Header {
		w.Header().Set(k, v)
	}
	status := f.Status
	switch {
	case f.Handler != nil:
		f.Handler(w, r)
	case f.RedirectTo != "":
		if status == 0 {
			status = http.StatusFound
		}
		w.Header().Set("Location", f.RedirectTo)
		w.WriteHeader(status)
	case f.BodySize > 0:
		s.serveLarge(w, r, f.BodySize, cmp.Or(status, http.StatusOK))
	case f.Stall > 0 || f.TruncatedGzip:
		body := []byte(f.Body)
		if f.Body == "" {
			b, ok := s.fileBody(r)
			if !ok {
				http.NotFound(w, r)
				return true
			}
			body = b
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "text/html")
		}
		if f.TruncatedGzip {
			body = cutGzip(body)
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(cmp.Or(status, http.StatusOK))
		if r.Method == http.MethodHead {
			return true
		}
		if f.Stall > 0 {
			half := len(body) / 2
			_, _ = w.Write(body[:half])
			if fl, ok := w.(http.Flusher); ok {
				fl.Flush()
			}
			if !s.sleep(r, f.Stall) {
				return true
			}
			body = body[half:]
		}
		_, _ = w.Write(body)
	case status != 0:
		if w.Header().Get("Content-Type") == "" && f.Body != "" {
			w.Header().Set("Content-Type", "text/html")
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(f.Body)))
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			_, _ = w.Write([]byte(f.Body))
		}
	default:
		return false
	}
	return true
}

// serveLarge streams a generated HTML page of exactly size bytes.
func (s *Server) serveLarge(w http.ResponseWriter, r *http.Request, size int64, status int) {
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "text/html")
	}
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	line := "<p>财政预算执行情况表，单位：万元。</p>\n"
	first := "<html><head><meta charset=\"utf-8\"><title>大文件</title></head><body>\n" + strings.Repeat(line, 1500)
	rest := []byte(strings.Repeat(line, 1500))
	chunk := []byte(first)
	for left := size; left > 0; chunk = rest {
		n := min(left, int64(len(chunk)))
		if _, err := w.Write(chunk[:n]); err != nil || s.ctx.Err() != nil {
			return
		}
		left -= n
	}
}

// cutGzip compresses body and returns the first half of the stream: the
// trailer and the end of the data are missing.
func cutGzip(body []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(body)
	_ = zw.Close()
	b := buf.Bytes()
	return b[:max(len(b)/2, 11)]
}

// fileBody reads the file a request names (index.html for a directory).
func (s *Server) fileBody(r *http.Request) ([]byte, bool) {
	name, ok := s.resolve(r)
	if !ok {
		return nil, false
	}
	if st, err := os.Stat(name); err == nil && st.IsDir() {
		if name, ok = s.inside(filepath.Join(name, "index.html")); !ok {
			return nil, false
		}
	}
	b, err := os.ReadFile(name)
	return b, err == nil
}

// sleep waits d, or less when the client goes away or the server closes.
func (s *Server) sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.ctx.Done():
		return false
	}
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	name, ok := s.resolve(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	st, err := os.Stat(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	if st.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			// Real servers send "/dir" to "/dir/"; relative links on the
			// index page depend on the trailing slash.
			w.Header().Set("Location", r.URL.Path+"/")
			w.WriteHeader(http.StatusMovedPermanently)
			return
		}
		name = filepath.Join(name, "index.html")
		if name, ok = s.inside(name); !ok {
			http.NotFound(w, r)
			return
		}
	}
	body, err := os.ReadFile(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	status := http.StatusOK
	w.Header().Set("Content-Type", contentType(name))
	if extra, code, err := readSidecar(name + ".headers"); err == nil {
		for k, v := range extra {
			w.Header()[k] = v
		}
		if code != 0 {
			status = code
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		http.Error(w, "bad sidecar: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// resolve maps a request path to a file under the root, refusing anything
// that could leave it: ".." segments, encoded slashes or backslashes, NUL,
// sidecar files, and symlinks that point outside.
func (s *Server) resolve(r *http.Request) (string, bool) {
	p := r.URL.Path
	raw := strings.ToLower(r.URL.EscapedPath())
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") ||
		strings.Contains(raw, "%2f") || strings.Contains(raw, "%5c") {
		return "", false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return "", false
		}
	}
	if strings.HasSuffix(p, ".headers") {
		return "", false
	}
	return s.inside(filepath.Join(s.root, filepath.FromSlash(path.Clean(p))))
}

// inside resolves symlinks and reports whether the target is still under
// the root. A missing file is fine (the caller answers 404).
func (s *Server) inside(name string) (string, bool) {
	real, err := filepath.EvalSymlinks(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return name, within(s.root, name)
		}
		return "", false
	}
	return real, within(s.root, real)
}

func within(root, name string) bool {
	rel, err := filepath.Rel(root, name)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// readSidecar parses "<file>.headers": "Key: Value" lines, blank lines and
// "#" comments ignored; "Status: NNN" sets the status code.
func readSidecar(name string) (http.Header, int, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, 0, err
	}
	h := http.Header{}
	status := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, 0, &sidecarError{name, n, "want \"Key: Value\""}
		}
		if strings.EqualFold(k, "Status") {
			code, err := strconv.Atoi(v)
			if err != nil || code < 100 || code > 999 {
				return nil, 0, &sidecarError{name, n, "bad status " + strconv.Quote(v)}
			}
			status = code
			continue
		}
		k = http.CanonicalHeaderKey(k)
		if _, set := h[k]; !set {
			h[k] = nil // a sidecar value replaces the default, not appends
		}
		h[k] = append(h[k], v)
	}
	return h, status, sc.Err()
}

type sidecarError struct {
	file string
	line int
	msg  string
}

func (e *sidecarError) Error() string {
	return e.file + ":" + strconv.Itoa(e.line) + ": " + e.msg
}

// Content types by extension. HTML deliberately has no charset parameter.
var types = map[string]string{
	".html":  "text/html",
	".htm":   "text/html",
	".shtml": "text/html",
	".txt":   "text/plain",
	".css":   "text/css",
	".js":    "application/javascript",
	".json":  "application/json",
	".xml":   "text/xml",
	".pdf":   "application/pdf",
	".doc":   "application/msword",
	".docx":  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls":   "application/vnd.ms-excel",
	".xlsx":  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".wps":   "application/kswps",
	".et":    "application/kset",
	".ofd":   "application/ofd",
	".zip":   "application/zip",
	".rar":   "application/x-rar-compressed",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".jpeg":  "image/jpeg",
	".gif":   "image/gif",
	".svg":   "image/svg+xml",
	".ico":   "image/x-icon",
}

func contentType(name string) string {
	if t, ok := types[strings.ToLower(filepath.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}
