package dashboard

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func get(t *testing.T, c *http.Client, u string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestSmoke(t *testing.T) {
	h := buildHistory(t)
	ts, _ := newServer(t, h, "")
	_, body := get(t, ts.Client(), ts.URL+"/")
	if !strings.Contains(body, "云岭省某财政局") {
		t.Fatal(body)
	}
	t.Log(ts.URL, h.out)
}
