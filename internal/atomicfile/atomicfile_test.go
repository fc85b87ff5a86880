package atomicfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAbortLeavesOldFileAndNoTemp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	require.NoError(t, WriteFile(path, []byte("old")))

	f, err := Create(path)
	require.NoError(t, err)
	_, err = f.Write([]byte("half of the new"))
	require.NoError(t, err)
	f.Abort()

	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "old", string(b), "a failed write keeps the earlier file")
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, ents, 1, "no temporary file is left behind")

	require.NoError(t, WriteFile(path, []byte("new")))
	b, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new", string(b))
}

func TestWriteFileMissingDirIsAnError(t *testing.T) {
	t.Parallel()
	err := WriteFile(filepath.Join(t.TempDir(), "no", "such", "dir", "r.json"), []byte("x"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "r.json")
}
