// Package workday answers whether a date is a working day in mainland China:
// Monday to Friday, minus the statutory holidays, plus the weekend days
// worked in exchange (调休). The holiday table is 6tail/lunar-go's
// HolidayUtil, which carries the State Council's annual notices; govlint
// relies on it for 2017–2027 (FirstYear..LastYear). Outside those years only
// weekends count as rest days, and Covers says so.
package workday

import (
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// The years whose holiday notices the embedded table holds.
const (
	FirstYear = 2017
	LastYear  = 2027
)

// Covers says whether t's year has a holiday table; outside it, IsWorkday
// only knows weekends.
func Covers(t time.Time) bool {
	y := t.Year()
	return y >= FirstYear && y <= LastYear
}

// IsWorkday says whether the calendar day of t (in t's location) is a
// working day.
func IsWorkday(t time.Time) bool {
	y, m, d := t.Date()
	if Covers(t) {
		if h := HolidayUtil.GetHolidayByYmd(y, int(m), d); h != nil {
			// IsWork: a 调休 weekend day that is worked.
			return h.IsWork()
		}
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// After counts the working days in (from, to]: the days after from up to
// and including to. It is 0 when to is not after from, so "published N
// working days later" is After(fileDate, interpretationDate).
func After(from, to time.Time) int {
	a := dayOf(from)
	b := dayOf(to)
	n := 0
	for d := a.AddDate(0, 0, 1); !d.After(b); d = d.AddDate(0, 0, 1) {
		if IsWorkday(d) {
			n++
		}
	}
	return n
}

// Add returns the date n working days after from (n ≥ 0); Add(t, 0) is
// t's day.
func Add(from time.Time, n int) time.Time {
	d := dayOf(from)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if IsWorkday(d) {
			n--
		}
	}
	return d
}

// dayOf drops the time of day, keeping the location.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}
