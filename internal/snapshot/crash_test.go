package snapshot

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProcessDiesBeforeClose runs a child process that starts a snapshot
// over an existing file, writes a record and exits without Close, as a
// crawl killed mid-way would. The existing file must be untouched.
func TestProcessDiesBeforeClose(t *testing.T) {
	if path := os.Getenv("GOVLINT_SNAPSHOT_CHILD"); path != "" {
		w, err := Create(path, Info{StartURL: "http://new.example/"})
		if err != nil {
			os.Exit(3)
		}
		if _, err := w.WriteResponse(Entry{URL: "http://new.example/", Status: 200, Body: []byte("new")}); err != nil {
			os.Exit(4)
		}
		os.Exit(1) // die: no Close, no Abort
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "crawl.warc.gz")
	writeAll(t, path, testInfo(), sampleEntries()[:2])
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	cmd := exec.Command(os.Args[0], "-test.run=^TestProcessDiesBeforeClose$")
	cmd.Env = append(os.Environ(), "GOVLINT_SNAPSHOT_CHILD="+path)
	err = cmd.Run()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	require.Equal(t, 1, exit.ExitCode(), "child failed before it could die as planned")

	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the existing snapshot changed")
	info, entries := readAll(t, path)
	assert.Equal(t, testInfo().StartURL, info.StartURL)
	assert.Len(t, entries, 2)
}
