package htmlread

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/govlint/govlint/internal/bjtime"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const realPagesDir = "../../fixtures/realpages"

func readRealPage(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(realPagesDir, name))
	require.NoError(t, err)
	return b
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	require.NoError(t, err)
	return b
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, bjtime.Zone) }
