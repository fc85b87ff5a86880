package workday

import (
	"testing"
	"time"

	"github.com/govlint/govlint/internal/bjtime"
)

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, bjtime.Zone)
	if err != nil {
		panic(err)
	}
	return t
}

func TestIsWorkday(t *testing.T) {
	t.Parallel()
	cases := []struct {
		date string
		want bool
		why  string
	}{
		{"2024-10-08", true, "first day back after 国庆 2024"},
		{"2024-10-01", false, "国庆节"},
		{"2024-10-07", false, "last day of the 国庆 holiday (a Monday)"},
		{"2024-09-29", true, "Sunday worked in exchange (调休)"},
		{"2024-10-12", true, "Saturday worked in exchange (调休)"},
		{"2024-10-13", false, "ordinary Sunday"},
		{"2024-10-09", true, "ordinary Wednesday"},
		{"2024-02-10", false, "春节"},
		{"2024-02-04", true, "Sunday worked before 春节 2024"},
		{"2017-10-04", false, "国庆+中秋 2017"},
		{"2017-09-30", true, "Saturday worked before 国庆 2017"},
		{"2020-01-31", false, "春节 extended in 2020"},
		{"2026-10-01", false, "国庆 2026"},
		{"2027-01-01", false, "元旦 2027"},
	}
	for _, c := range cases {
		if got := IsWorkday(day(c.date)); got != c.want {
			t.Errorf("IsWorkday(%s) = %v, want %v (%s)", c.date, got, c.want, c.why)
		}
	}
}

func TestAfter(t *testing.T) {
	t.Parallel()
	cases := []struct {
		from, to string
		want     int
	}{
		{"2024-09-30", "2024-10-08", 1}, // the whole 国庆 week is rest
		{"2024-09-27", "2024-09-30", 2}, // Sat 28 rest, Sun 29 调休 worked, Mon 30
		{"2026-10-15", "2026-10-16", 1},
		{"2026-10-16", "2026-10-15", 0},
		{"2026-10-15", "2026-10-15", 0},
		{"2026-11-13", "2026-11-20", 5}, // Fri to Fri
	}
	for _, c := range cases {
		if got := After(day(c.from), day(c.to)); got != c.want {
			t.Errorf("After(%s, %s) = %d, want %d", c.from, c.to, got, c.want)
		}
	}
}

func TestAdd(t *testing.T) {
	t.Parallel()
	if got := Add(day("2024-09-30"), 1); !got.Equal(day("2024-10-08")) {
		t.Errorf("Add(2024-09-30, 1) = %s, want 2024-10-08", got.Format("2006-01-02"))
	}
	if got := Add(day("2024-09-27"), 1); !got.Equal(day("2024-09-29")) {
		t.Errorf("Add(2024-09-27, 1) = %s, want the 调休 Sunday 2024-09-29", got.Format("2006-01-02"))
	}
	if got := Add(day("2026-03-02"), 0); !got.Equal(day("2026-03-02")) {
		t.Errorf("Add(t, 0) = %s", got)
	}
}

func TestCovers(t *testing.T) {
	t.Parallel()
	if !Covers(day("2017-01-01")) || !Covers(day("2027-12-31")) || Covers(day("2016-12-31")) || Covers(day("2028-01-01")) {
		t.Error("Covers must be exactly 2017–2027")
	}
	// Outside the table only weekends rest: 2028-01-03 is a Monday.
	if !IsWorkday(day("2028-01-03")) || IsWorkday(day("2028-01-01")) {
		t.Error("outside the table weekdays work and weekends rest")
	}
}
