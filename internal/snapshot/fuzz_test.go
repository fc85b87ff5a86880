package snapshot

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// validSnapshot writes a small real snapshot and returns its bytes.
func validSnapshot(f *testing.F) []byte {
	f.Helper()
	p := filepath.Join(f.TempDir(), "seed.warc.gz")
	w, err := Create(p, Info{StartURL: "http://x.gov.cn/", Profile: "finance-bureau", AsOf: "2026-11-20", StartedAt: time.Unix(1, 0)})
	if err != nil {
		f.Fatal(err)
	}
	if _, err := w.WriteResponse(Entry{URL: "http://x.gov.cn/", Method: "GET", Status: 200,
		Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte("<title>首页</title>"), FetchedAt: time.Unix(2, 0)}); err != nil {
		f.Fatal(err)
	}
	if err := w.WriteFailure(Entry{URL: "http://x.gov.cn/slow", Method: "GET", FetchedAt: time.Unix(3, 0), Failure: site.OutcomeTimeout, Reason: "超时"}); err != nil {
		f.Fatal(err)
	}
	if err := w.Close(time.Unix(4, 0)); err != nil {
		f.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		f.Fatal(err)
	}
	return b
}

// FuzzRead: whatever bytes a snapshot file holds, Read returns entries or an
// error and never panics or hangs.
func FuzzRead(f *testing.F) {
	good := validSnapshot(f)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 999999999\r\n\r\n"))
	f.Add([]byte{0x1f, 0x8b, 0x08, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.warc.gz")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		n := 0
		_, _ = Read(p, func(e Entry) error {
			n++
			if n > 1e6 {
				t.Fatal("runaway entries")
			}
			return nil
		})
	})
}
