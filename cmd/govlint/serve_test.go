package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/govlint/govlint/internal/chrome"
	"github.com/govlint/govlint/internal/history"
)

func TestServeRefusesNonLoopbackWithoutToken(t *testing.T) {
	db := filepath.Join(t.TempDir(), "govlint.db")
	st, err := history.Open(context.Background(), db)
	require.NoError(t, err)
	st.Close()
	for _, addr := range []string{"0.0.0.0:8080", ":8080", "192.0.2.1:8080", "[::]:8080", "example.org:80"} {
		t.Setenv("GOVLINT_AUTH_TOKEN", "")
		res := govlint(t, "serve", "--db", db, "--addr", addr)
		assert.Equal(t, exitError, res.code, addr)
		assert.Contains(t, res.stderr, "not a loopback address", addr)
		assert.Contains(t, res.stderr, "--auth-token", addr)
	}
	res := govlint(t, "serve", "--addr", "127.0.0.1:0")
	assert.Equal(t, exitError, res.code)
	assert.Contains(t, res.stderr, "--db is required")
	res = govlint(t, "serve", "--db", filepath.Join(t.TempDir(), "missing.db"))
	assert.Equal(t, exitError, res.code)
	assert.NoFileExists(t, filepath.Join(t.TempDir(), "missing.db"))
	res = govlint(t, "serve", "--db", db, "--addr", "nonsense")
	assert.Equal(t, exitError, res.code)
}

func TestLoopbackAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:80": true, "[::1]:8080": true, "127.1.2.3:1": true,
		"0.0.0.0:8080": false, ":8080": false, "10.0.0.1:80": false, "[::]:80": false, "gov.example:80": false,
	} {
		got, err := loopbackAddr(addr)
		require.NoError(t, err, addr)
		assert.Equal(t, want, got, addr)
	}
}

// syncBuf is a buffer the server goroutine writes while the test reads.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeWithTokenOnLoopback(t *testing.T) {
	db := filepath.Join(t.TempDir(), "govlint.db")
	st, err := history.Open(context.Background(), db)
	require.NoError(t, err)
	st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuf
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--auth-token", "tok"}, &out, &errb)
	}()
	var base string
	for i := 0; i < 100 && base == ""; i++ {
		if s := out.String(); strings.Contains(s, "http://") {
			base = strings.Fields(s[strings.Index(s, "http://"):])[0]
		}
		time.Sleep(50 * time.Millisecond)
	}
	require.NotEmpty(t, base, "serve printed no address: %s", errb.String())
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusSeeOther, resp.StatusCode, "a token applies on loopback too")
	req, _ := http.NewRequest("GET", base, nil)
	req.Header.Set("Authorization", "Bearer tok")
	resp, err = c.Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(b), "还没有检查记录")
	cancel()
	select {
	case code := <-done:
		assert.Equal(t, exitOK, code, errb.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on cancel")
	}
}

func TestFormatPDF(t *testing.T) {
	_, _ = sharedFlawed(t)
	jsonPath := filepath.Join(flawed.dir, "report.json")
	t.Run("without chromium", func(t *testing.T) {
		t.Setenv("GOVLINT_CHROMIUM", "/nonexistent/chromium")
		out := filepath.Join(t.TempDir(), "r.pdf")
		res := govlint(t, "report", jsonPath, "--format", "pdf="+out)
		assert.Equal(t, exitError, res.code)
		assert.Contains(t, res.stderr, "apt-get install -y chromium")
		assert.NoFileExists(t, out)
	})
	t.Run("with chromium", func(t *testing.T) {
		if _, err := chrome.Find(); err != nil {
			t.Skipf("######## SKIPPING browser test: %v ########", err)
		}
		out := filepath.Join(t.TempDir(), "r.pdf")
		res := govlint(t, "report", jsonPath, "--format", "pdf="+out)
		require.Contains(t, []int{exitOK, exitFailed}, res.code, res.stderr)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.True(t, bytes.HasPrefix(b, []byte("%PDF-")))
		assert.Greater(t, len(b), 20000, "a PDF of the whole report")
	})
}
