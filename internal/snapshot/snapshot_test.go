package snapshot

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/site"
)

var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.FixedZone("CST", 8*3600))

func testInfo() Info {
	return Info{
		StartURL:   "http://www.czt.example.gov.cn/",
		Profile:    "finance-bureau",
		AsOf:       "2025-03-14",
		StartedAt:  t0,
		Tool:       "govlint test",
		MaxPages:   500,
		MaxDepth:   6,
		Politeness: true,
		Extra:      map[string]string{"batch": "江苏 2025", "odd key=x": "a=b&c\nd"},
	}
}

// gbkPage is "<meta charset=gbk>财政预决算" in GBK bytes: not valid UTF-8, so
// any decoding on the way would change it.
var gbkPage = append([]byte(`<html><head><meta charset="gbk"></head><body>`),
	0xb2, 0xc6, 0xd5, 0xfe, 0xd4, 0xa4, 0xbe, 0xf6, 0xcb, 0xe3, '<', '/', 'b', 'o', 'd', 'y', '>')

func sampleEntries() []Entry {
	bin := make([]byte, 300<<10) // > gowarc's in-memory buffer would be 1 MiB; keep tests quick
	rand.New(rand.NewSource(1)).Read(bin)
	big := bytes.Repeat([]byte("0123456789abcdef"), 80<<10) // 1.25 MiB, spills to disk buffer
	return []Entry{
		{URL: "http://www.czt.example.gov.cn/", Status: 200, Body: gbkPage, FetchedAt: t0.Add(time.Second),
			Header: http.Header{"Content-Type": {"text/html"}, "Server": {"TRS WCM"}, "Set-Cookie": {"a=1", "b=2"}}},
		{URL: "http://www.czt.example.gov.cn/old/", Status: 301, FetchedAt: t0.Add(2 * time.Second),
			Header: http.Header{"Location": {"/new/"}, "Content-Encoding": {"gzip"}, "Transfer-Encoding": {"chunked"}, "Content-Length": {"999"}}},
		{URL: "http://www.czt.example.gov.cn/files/yjs.pdf", Status: 200, Body: bin, FetchedAt: t0.Add(3 * time.Second),
			Header: http.Header{"Content-Type": {"application/pdf"}}},
		{URL: "http://www.czt.example.gov.cn/big.xlsx", Status: 200, Body: big, Truncated: true, FetchedAt: t0.Add(4 * time.Second),
			Header: http.Header{"Content-Type": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}}},
		{URL: "http://www.czt.example.gov.cn/slow.html", Failure: site.OutcomeTimeout, Reason: "请求超时 (timeout after 20s)", FetchedAt: t0.Add(5 * time.Second)},
		{URL: "http://www.czt.example.gov.cn/admin/", Failure: site.OutcomeRobotsExcluded, Reason: "robots.txt 禁止抓取 =?utf-8?q?x?=", FetchedAt: t0.Add(6 * time.Second)},
		{URL: "http://www.czt.example.gov.cn/waf", Status: 521, Body: []byte("<script>document.cookie='x'</script>"), FetchedAt: t0.Add(7 * time.Second),
			Header: http.Header{"Content-Type": {"text/html; charset=gb2312"}}},
		{URL: "http://www.czt.example.gov.cn/search?q=%E8%B4%A2%E6%94%BF&p=2", Method: "POST", Status: 404, FetchedAt: t0.Add(8 * time.Second)},
	}
}

func writeAll(t *testing.T, path string, info Info, entries []Entry) []string {
	t.Helper()
	w, err := Create(path, info)
	require.NoError(t, err)
	ids := make([]string, len(entries))
	for i, e := range entries {
		if e.Failure != "" {
			require.NoError(t, w.WriteFailure(e))
			continue
		}
		ids[i], err = w.WriteResponse(e)
		require.NoError(t, err)
		require.NotEmpty(t, ids[i])
	}
	require.NoError(t, w.Close(t0.Add(time.Hour)))
	return ids
}

func readAll(t *testing.T, path string) (Info, []Entry) {
	t.Helper()
	var got []Entry
	info, err := Read(path, func(e Entry) error { got = append(got, e); return nil })
	require.NoError(t, err)
	return info, got
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	want := sampleEntries()
	ids := writeAll(t, path, testInfo(), want)

	info, got := readAll(t, path)
	wantInfo := testInfo()
	wantInfo.FinishedAt = t0.Add(time.Hour)
	assert.True(t, wantInfo.StartedAt.Equal(info.StartedAt), "StartedAt %v", info.StartedAt)
	assert.True(t, wantInfo.FinishedAt.Equal(info.FinishedAt), "FinishedAt %v", info.FinishedAt)
	info.StartedAt, info.FinishedAt, wantInfo.StartedAt, wantInfo.FinishedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	assert.Equal(t, wantInfo, info)

	require.Len(t, got, len(want))
	for i, w := range want {
		g := got[i]
		assert.Equal(t, w.URL, g.URL, "entry %d", i)
		assert.True(t, w.FetchedAt.Equal(g.FetchedAt), "entry %d FetchedAt %v", i, g.FetchedAt)
		if w.Failure != "" {
			assert.Equal(t, w.Failure, g.Failure)
			assert.Equal(t, 0, g.Status)
			assert.Contains(t, g.Reason, w.Reason[:10])
			assert.NotEmpty(t, g.RecordID)
			continue
		}
		method := w.Method
		if method == "" {
			method = "GET"
		}
		assert.Equal(t, method, g.Method, "entry %d", i)
		assert.Equal(t, ids[i], g.RecordID, "entry %d", i)
		assert.Equal(t, w.Status, g.Status, "entry %d", i)
		assert.Equal(t, w.Truncated, g.Truncated, "entry %d", i)
		assert.True(t, bytes.Equal(w.Body, g.Body), "entry %d: body differs (%d vs %d bytes)", i, len(w.Body), len(g.Body))
		for k, v := range w.Header {
			if wireHeaders[k] {
				continue
			}
			assert.Equal(t, v, g.Header[k], "entry %d header %s", i, k)
		}
		assert.Equal(t, fmt.Sprint(len(w.Body)), g.Header.Get("Content-Length"), "entry %d", i)
		assert.Empty(t, g.Header.Get("Content-Encoding"))
		assert.Empty(t, g.Header.Get("Transfer-Encoding"))
		assert.Equal(t, len(w.Header)+1-countWire(w.Header), len(g.Header), "entry %d: %v", i, g.Header)
	}
}

func countWire(h http.Header) int {
	n := 0
	for k := range h {
		if wireHeaders[k] {
			n++
		}
	}
	return n
}

// The file must be valid WARC for other tools, not just readable by us.
func TestStrictlyValidWARC(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	writeAll(t, path, testInfo(), sampleEntries())

	r, err := gowarc.NewWarcFileReader(path, 0, gowarc.WithStrictValidation(), gowarc.WithBlockErrorPolicy(gowarc.ErrFail))
	require.NoError(t, err)
	defer r.Close()
	types := map[gowarc.RecordType]int{}
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		assert.Empty(t, rec.Validation)
		types[rec.WarcRecord.Type()]++
		assert.NotEmpty(t, rec.WarcRecord.WarcHeader().Get(gowarc.WarcBlockDigest))
		_ = rec.Close()
	}
	assert.Equal(t, map[gowarc.RecordType]int{gowarc.Warcinfo: 1, gowarc.Request: 6, gowarc.Response: 6, gowarc.Metadata: 3}, types)
}

func TestOneGzipMemberPerRecord(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	writeAll(t, path, testInfo(), sampleEntries())
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	br := bufio.NewReader(bytes.NewReader(raw))
	zr, err := gzip.NewReader(br)
	require.NoError(t, err)
	members := 0
	for {
		zr.Multistream(false)
		out, err := io.ReadAll(zr)
		require.NoError(t, err)
		assert.True(t, bytes.HasPrefix(out, []byte("WARC/1.1\r\n")), "member %d starts with %q", members, out[:min(20, len(out))])
		assert.Equal(t, 1, bytes.Count(out, []byte("WARC/1.1\r\nWARC-")), "member %d holds one record", members)
		members++
		if err := zr.Reset(br); errors.Is(err, io.EOF) {
			break
		} else {
			require.NoError(t, err)
		}
	}
	assert.Equal(t, 1+6*2+3, members) // warcinfo, request+response pairs, 2 failures + crawl-end
}

func TestConcurrentWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	w, err := Create(path, testInfo())
	require.NoError(t, err)

	const workers, each = 8, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				url := fmt.Sprintf("http://example.gov.cn/w%d/p%d.html", g, i)
				body := bytes.Repeat([]byte(url), 50+i)
				if i%7 == 0 {
					errs <- w.WriteFailure(Entry{URL: url, Failure: site.OutcomeTimeout, Reason: "timeout"})
					continue
				}
				_, err := w.WriteResponse(Entry{URL: url, Status: 200, Body: body, Header: http.Header{"X-N": {url}}})
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.NoError(t, w.Close(time.Now()))

	seen := map[string]bool{}
	_, err = Read(path, func(e Entry) error {
		if seen[e.URL] {
			return fmt.Errorf("duplicate %s", e.URL)
		}
		seen[e.URL] = true
		if e.Failure == "" {
			// Body and headers must belong to the same URL: records of
			// different goroutines must not interleave.
			if !bytes.HasPrefix(e.Body, []byte(e.URL)) || e.Header.Get("X-N") != e.URL {
				return fmt.Errorf("mixed record for %s", e.URL)
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Len(t, seen, workers*each)
}

func TestAbortKeepsExistingFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "crawl.warc.gz")
	writeAll(t, path, testInfo(), sampleEntries()[:1])
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	w, err := Create(path, Info{StartURL: "http://other.example/"})
	require.NoError(t, err)
	_, err = w.WriteResponse(Entry{URL: "http://other.example/", Status: 200})
	require.NoError(t, err)
	require.NoError(t, w.Abort())

	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after)
	assert.Equal(t, []string{"crawl.warc.gz"}, dirNames(t, dir), "temp file left behind")

	_, err = w.WriteResponse(Entry{URL: "http://other.example/x", Status: 200})
	assert.ErrorIs(t, err, ErrClosed)
	assert.ErrorIs(t, w.Close(time.Now()), ErrClosed)
	assert.NoError(t, w.Abort(), "second Abort is a no-op")
}

// A process that dies before Close leaves the old file intact and a
// temporary file that Read refuses as incomplete.
func TestCrashBeforeClose(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "crawl.warc.gz")
	writeAll(t, path, testInfo(), sampleEntries()[:2])
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	w, err := Create(path, Info{StartURL: "http://other.example/"})
	require.NoError(t, err)
	_, err = w.WriteResponse(Entry{URL: "http://other.example/", Status: 200, Body: []byte("new")})
	require.NoError(t, err)
	// "Die": never Close. The writer flushed its records, so the temp file
	// holds them, but the target path is untouched.
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after)

	var n int
	_, err = Read(w.tmp, func(Entry) error { n++; return nil })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "incomplete")
	assert.Equal(t, 1, n, "records before the crash are still delivered")
	_ = w.Abort()
}

func TestCloseReplacesExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	writeAll(t, path, testInfo(), sampleEntries()[:1])
	info := testInfo()
	info.Profile = "department"
	writeAll(t, path, info, sampleEntries()[2:3])
	got, entries := readAll(t, path)
	assert.Equal(t, "department", got.Profile)
	require.Len(t, entries, 1)
	assert.Equal(t, sampleEntries()[2].URL, entries[0].URL)
}

// A snapshot is shared like the reports beside it: readable by all, not
// the 0600 of the temporary file it was written as.
func TestSnapshotIsWorldReadable(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits")
	}
	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	writeAll(t, path, testInfo(), sampleEntries()[:1])
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())
}

func TestCreateInMissingDirectory(t *testing.T) {
	_, err := Create(filepath.Join(t.TempDir(), "no", "such", "x.warc.gz"), testInfo())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "create snapshot")
}

func TestCallbackErrorStopsRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	writeAll(t, path, testInfo(), sampleEntries())
	stop := errors.New("stop here")
	n := 0
	_, err := Read(path, func(Entry) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 2, n)
}

func TestCorruptFiles(t *testing.T) {
	dir := t.TempDir()
	valid := filepath.Join(dir, "valid.warc.gz")
	writeAll(t, valid, testInfo(), sampleEntries())
	raw, err := os.ReadFile(valid)
	require.NoError(t, err)

	random := make([]byte, 64<<10)
	rand.New(rand.NewSource(7)).Read(random)
	var gzGarbage bytes.Buffer
	zw := gzip.NewWriter(&gzGarbage)
	_, _ = zw.Write(random[:4096])
	_ = zw.Close()
	var gzWarcPrefix bytes.Buffer
	zw = gzip.NewWriter(&gzWarcPrefix)
	_, _ = zw.Write([]byte("WARC/1.1\r\nWARC-Type: response\r\nContent-Length: 99999999\r\n\r\nshort"))
	_ = zw.Close()

	cases := map[string][]byte{
		"empty":              {},
		"random bytes":       random,
		"gzip of garbage":    gzGarbage.Bytes(),
		"half a valid file":  raw[:len(raw)/2],
		"all but last byte":  raw[:len(raw)-1],
		"valid minus tail":   raw[:len(raw)-40],
		"plain text":         []byte("this is not a warc file\n"),
		"warc lying length":  gzWarcPrefix.Bytes(),
		"gzip header only":   raw[:10],
		"flipped byte":       flip(raw, len(raw)/3),
		"first member only":  firstMember(t, raw),
		"html page":          []byte("<html><body>404</body></html>"),
		"json":               []byte(`{"pages":[]}`),
		"WARC magic garbage": []byte("WARC/1.1\r\n\x00\x01\x02\xff\xfe"),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name+".warc.gz")
			require.NoError(t, os.WriteFile(p, data, 0o644))
			var err error
			assert.NotPanics(t, func() {
				_, err = Read(p, func(Entry) error { return nil })
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "read snapshot "+p)
		})
	}

	t.Run("missing file", func(t *testing.T) {
		_, err := Read(filepath.Join(dir, "nope.warc.gz"), func(Entry) error { return nil })
		assert.ErrorIs(t, err, os.ErrNotExist)
	})
	t.Run("directory", func(t *testing.T) {
		_, err := Read(dir, func(Entry) error { return nil })
		assert.Error(t, err)
	})
}

func flip(b []byte, i int) []byte {
	c := bytes.Clone(b)
	c[i] ^= 0x55
	return c
}

// firstMember returns just the warcinfo record: a file cut exactly at a
// record boundary, which only the missing crawl-end record reveals.
func firstMember(t *testing.T, raw []byte) []byte {
	t.Helper()
	r, err := gowarc.NewWarcFileReaderFromStream(bytes.NewReader(raw), 0)
	require.NoError(t, err)
	defer r.Close()
	_, err = r.Next()
	require.NoError(t, err)
	rec, err := r.Next()
	require.NoError(t, err)
	return raw[:rec.Offset]
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// Extra learned during the run (SetExtra) travels in the crawl-end record
// and joins Info.Extra on reading, next to the warcinfo's own.
func TestSetExtraAfterCreate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crawl.warc.gz")
	w, err := Create(path, testInfo())
	require.NoError(t, err)
	w.SetExtra("ipv6", "aaaa=2001:db8::1;status=200")
	w.SetExtra("odd=key", "x\ny")
	require.NoError(t, w.Close(t0.Add(time.Hour)))
	info, _ := readAll(t, path)
	assert.Equal(t, "aaaa=2001:db8::1;status=200", info.Extra["ipv6"])
	assert.Equal(t, "x\ny", info.Extra["odd=key"])
	assert.Equal(t, "江苏 2025", info.Extra["batch"])
}

// TestTeeEqualsRead holds the writer's tee to the reader: the audit builds
// its model from the teed entries and `govlint check` from Read, and the two
// must give the same report. Every kind of entry, written concurrently, must
// reach the tee exactly as Read returns it from the file, in file order,
// and ReadBack's Info must be Read's. WriteResponseRead's read must get
// that entry too (the crawl extracts the page from it), and the tee what
// read made of it.
func TestTeeEqualsRead(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "s.warc.gz")
	w, err := Create(path, testInfo())
	require.NoError(t, err)
	var teed []Entry
	var values []any
	w.Tee(func(e Entry, v any) { teed = append(teed, e); values = append(values, v) }) // under the file lock
	var mu sync.Mutex
	readArg := map[string]Entry{} // what read was given, by URL
	entries := sampleEntries()
	var wg sync.WaitGroup
	for round := range 3 {
		for _, e := range entries {
			e.URL += fmt.Sprintf("#%d", round)
			wg.Go(func() {
				switch {
				case e.Failure != "":
					assert.NoError(t, w.WriteFailure(e))
				case round == 1:
					_, err := w.WriteResponseRead(e, func(as Entry) any {
						mu.Lock()
						defer mu.Unlock()
						readArg[e.URL] = as
						return "read " + e.URL
					})
					assert.NoError(t, err)
				default:
					_, err := w.WriteResponse(e)
					assert.NoError(t, err)
				}
			})
		}
	}
	wg.Wait()
	w.SetExtra("ipv6", "yes=1")
	require.NoError(t, w.Close(t0.Add(time.Hour)))

	var read []Entry
	info, err := Read(path, func(e Entry) error { read = append(read, e); return nil })
	require.NoError(t, err)
	back, teeErr := w.ReadBack()
	require.NoError(t, teeErr)
	assert.Equal(t, info, back)
	require.Len(t, teed, 3*len(entries))
	require.Equal(t, len(read), len(teed))
	nread := 0
	for i := range read {
		require.Equal(t, read[i], teed[i], "entry %d (%s)", i, read[i].URL)
		if as, ok := readArg[read[i].URL]; ok {
			nread++
			require.Equal(t, read[i], as, "read's entry %d (%s)", i, read[i].URL)
			require.Equal(t, "read "+read[i].URL, values[i], "tee's value %d", i)
		} else {
			require.Nil(t, values[i], "tee's value %d", i)
		}
	}
	require.Positive(t, nread)
	require.Len(t, readArg, nread)
}

// TestMarshalEqualsGowarc holds marshal to gowarc's Marshaler byte for byte,
// for every kind of record the writer builds (bodies past the copy buffer
// and past gowarc's in-memory buffer included).
func TestMarshalEqualsGowarc(t *testing.T) {
	t.Parallel()
	w, err := Create(filepath.Join(t.TempDir(), "s.warc.gz"), testInfo())
	require.NoError(t, err)
	defer w.Abort()
	var recs []gowarc.WarcRecord
	for _, e := range sampleEntries() {
		rec, err := w.build(gowarc.Response, newRecordID(), func(b gowarc.WarcRecordBuilder) error {
			b.AddWarcHeader(gowarc.WarcTargetURI, e.URL)
			b.AddWarcHeaderTime(gowarc.WarcDate, t0)
			b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype=response")
			if _, err := b.Write(responseHead(max(e.Status, 200), e.Header, len(e.Body))); err != nil {
				return err
			}
			_, err := b.Write(e.Body)
			return err
		})
		require.NoError(t, err)
		recs = append(recs, rec)
	}
	rec, err := w.build(gowarc.Metadata, newRecordID(), func(b gowarc.WarcRecordBuilder) error {
		b.AddWarcHeaderTime(gowarc.WarcDate, t0)
		b.AddWarcHeader(gowarc.ContentType, gowarc.ApplicationWarcFields)
		_, err := b.Write(encodeFields([]field{{fieldRecord, recordFailure}, {fieldReason, "超时"}}))
		return err
	})
	require.NoError(t, err)
	recs = append(recs, rec)
	for i, rec := range recs {
		var ours, theirs bytes.Buffer
		require.NoError(t, marshal(&ours, rec, make([]byte, 1000)))
		_, _, err := gowarc.NewMarshaler().Marshal(&theirs, rec, 0)
		require.NoError(t, err)
		require.Greater(t, ours.Len(), 200, "record %d", i)
		require.True(t, bytes.Equal(theirs.Bytes(), ours.Bytes()), "record %d: marshal differs from gowarc's", i)
		rec.Close()
	}
}
