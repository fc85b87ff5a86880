package bjtime

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// 2026-11-19T20:00Z is already 2026-11-20 in Beijing: a date taken in UTC
// would be a day early.
func TestBeijingCalendarDay(t *testing.T) {
	t.Parallel()
	utc := time.Date(2026, 11, 19, 20, 0, 0, 0, time.UTC)
	assert.Equal(t, "2026-11-20", Date(utc))
	d := Day(utc)
	assert.Equal(t, time.Date(2026, 11, 20, 0, 0, 0, 0, Zone), d)
	p, err := ParseDate("2026-11-20")
	require.NoError(t, err)
	assert.True(t, p.Equal(d))
	assert.Equal(t, "2026-11-19T16:00:00Z", p.UTC().Format(time.RFC3339))
	_, err = ParseDate("2026-13-01")
	assert.Error(t, err)
}
