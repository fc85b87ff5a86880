package htmlread

import (
	"testing"
	"time"

	"github.com/govlint/govlint/internal/testpages"

	"github.com/govlint/govlint/internal/bjtime"
)

const realPagesDir = testpages.RealPagesDir

func readRealPage(t *testing.T, name string) []byte { return testpages.RealPage(t, name) }

func gbk(t *testing.T, s string) []byte { return testpages.GBK(t, s) }

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, bjtime.Zone) }
