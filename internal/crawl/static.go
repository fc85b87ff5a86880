package crawl

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
)

// DirTransport answers requests for base's site from a directory on disk,
// the way a static web server would: "/" and "/dir/" serve index.html,
// "/dir" redirects to "/dir/", a missing file is 404, HTML goes out as
// "text/html" without a charset (pages declare it in <meta>). With it the
// crawl of a site build is the crawl of the live site: same snapshot, same
// model, same checks.
//
// Nothing outside dir is ever read: paths are opened through os.Root,
// which refuses ".." and symlinks that leave the directory, and requests
// for any other host fail. A refused path fails with a *RefusedError,
// which the crawler records as not-fetched with the reason, so the report
// shows what the build tried to reach.
func DirTransport(dir string, base *url.URL) (http.RoundTripper, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("site directory: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("site directory %s: not a directory", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("site directory: %w", err)
	}
	return &dirTransport{root: root, scope: newScope(base)}, nil
}

type dirTransport struct {
	root  *os.Root
	scope scope
}

// maxStaticFile bounds what one answer reads into memory; the crawler's
// body limits cut far below it.
const maxStaticFile = 256 << 20

func (t *dirTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	if !t.scope.contains(req.URL) {
		return nil, fmt.Errorf("static site: %s is not the site's host", req.URL.Host)
	}
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return staticAnswer(req, http.StatusMethodNotAllowed, "text/plain", nil, nil), nil
	}
	p := req.URL.Path
	if p == "" {
		p = "/"
	}
	name, ok := cleanStaticPath(p)
	if !ok {
		return nil, &RefusedError{Path: p, Why: "“..”或非法字符 (\"..\" segment or a forbidden character)"}
	}
	st, err := t.root.Stat(name)
	if err == nil && st.IsDir() {
		if !strings.HasSuffix(p, "/") {
			loc := &url.URL{Path: p + "/", RawQuery: req.URL.RawQuery}
			return staticAnswer(req, http.StatusMovedPermanently, "text/html", nil, http.Header{"Location": {loc.String()}}), nil
		}
		name = path.Join(name, "index.html")
		st, err = t.root.Stat(name)
	}
	if err != nil && escapes(err) {
		return nil, &RefusedError{Path: p, Why: "符号链接指向目录之外 (a symlink leads out of the directory)"}
	}
	if err != nil || !st.Mode().IsRegular() {
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("static site %s: %w", name, err)
		}
		return staticAnswer(req, http.StatusNotFound, "text/html", []byte("<html><body>404 Not Found</body></html>"), nil), nil
	}
	f, err := t.root.Open(name)
	if err != nil {
		if escapes(err) {
			return nil, &RefusedError{Path: p, Why: "符号链接指向目录之外 (a symlink leads out of the directory)"}
		}
		return staticAnswer(req, http.StatusNotFound, "text/html", nil, nil), nil
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxStaticFile))
	if err != nil {
		return nil, fmt.Errorf("static site %s: %w", name, err)
	}
	return staticAnswer(req, http.StatusOK, staticType(name), body, nil), nil
}

// RefusedError is a static-directory request for a path that would leave
// the directory.
type RefusedError struct {
	Path string // the URL path asked for
	Why  string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("静态目录模式拒绝读取站点目录之外的文件：%s (refused: path %s leaves the site directory)", e.Why, e.Path)
}

// escapes says whether an os.Root error is its refusal to leave the root.
// os.Root reports it with an unexported error, so the message is matched.
func escapes(err error) bool {
	return err != nil && strings.Contains(err.Error(), "path escapes from parent")
}

// cleanStaticPath maps a URL path to a name relative to the root. ".."
// segments are refused outright rather than cleaned away: a link that
// climbs out of the site is a broken link on the live site too.
func cleanStaticPath(p string) (string, bool) {
	if strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return "", false
		}
	}
	name := strings.TrimPrefix(path.Clean("/"+p), "/")
	if name == "" {
		name = "."
	}
	return name, true
}

func staticAnswer(req *http.Request, status int, contentType string, body []byte, h http.Header) *http.Response {
	if h == nil {
		h = http.Header{}
	}
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if req.Method == http.MethodHead {
		body = nil
	}
	return &http.Response{
		Status:        strconv.Itoa(status) + " " + http.StatusText(status),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

// staticTypes are the types a static server sends for gov-site files that
// the system MIME table may not know. HTML carries no charset.
var staticTypes = map[string]string{
	".html": "text/html", ".htm": "text/html", ".shtml": "text/html",
	".xml": "text/xml", ".txt": "text/plain", ".pdf": "application/pdf",
	".doc": "application/msword", ".xls": "application/vnd.ms-excel",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".wps":  "application/kswps", ".et": "application/kset", ".ofd": "application/ofd",
}

func staticType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := staticTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}
