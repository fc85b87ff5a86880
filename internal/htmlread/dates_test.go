package htmlread

import (
	"testing"
	"time"

	"github.com/govlint/govlint/internal/bjtime"
	"github.com/stretchr/testify/assert"
)

func TestParseDate(t *testing.T) {
	cases := []struct {
		in       string
		want     time.Time
		wantText string
	}{
		{"2024-05-01", day(2024, 5, 1), "2024-05-01"},
		{"2024/5/1", day(2024, 5, 1), "2024/5/1"},
		{"2024.05.01", day(2024, 5, 1), "2024.05.01"},
		{"2024年5月1日", day(2024, 5, 1), "2024年5月1日"},
		{"成文日期：2024年05月01日", day(2024, 5, 1), "2024年05月01日"},
		{"[2024-05-01]", day(2024, 5, 1), "2024-05-01"},
		{"(2018-10-12)", day(2018, 10, 12), "2018-10-12"},
		{"2024-05-01 10:30:00", time.Date(2024, 5, 1, 10, 30, 0, 0, bjtime.Zone), "2024-05-01 10:30:00"},
		{"2019-09-18 06:23", time.Date(2019, 9, 18, 6, 23, 0, 0, bjtime.Zone), "2019-09-18 06:23"},
		{"2007-08-20-23:59:59", time.Date(2007, 8, 20, 23, 59, 59, 0, bjtime.Zone), "2007-08-20-23:59:59"},
		{"2024 年 5 月 1 日", day(2024, 5, 1), "2024 年 5 月 1 日"},
		{"第二段 2023-02-29 无效 2023-03-01", day(2023, 3, 1), "2023-03-01"},
		{"2024-13-01", time.Time{}, ""},
		{"12024-05-01", time.Time{}, ""},
		{"2024-05-011", time.Time{}, ""},
		{"1800-01-01", time.Time{}, ""},
		{"20240501", time.Time{}, ""},
		{"05-01", time.Time{}, ""},
		{"2024-05-01 25:99", day(2024, 5, 1), "2024-05-01 25:99"},
		{"", time.Time{}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, text := ParseDate(tc.in)
			assert.True(t, tc.want.Equal(got), "got %v want %v", got, tc.want)
			assert.Equal(t, tc.wantText, text)
			if !got.IsZero() {
				_, off := got.Zone()
				assert.Equal(t, 8*3600, off)
			}
		})
	}
}
