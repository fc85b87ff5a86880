// Package bjtime is govlint's one clock convention: dates are calendar days
// in Beijing time, written YYYY-MM-DD (time.DateOnly). Every date rule, the
// --as-of date and the times reports show use it.
package bjtime

import "time"

// Zone is China Standard Time. A fixed offset keeps results independent of
// the host's tz database (Asia/Shanghai has had no DST since 1991).
var Zone = time.FixedZone("CST", 8*3600)

// ParseDate reads a YYYY-MM-DD date as the start of that day in Beijing time.
func ParseDate(s string) (time.Time, error) {
	return time.ParseInLocation(time.DateOnly, s, Zone)
}

// Day is the start of t's calendar day in Beijing time.
func Day(t time.Time) time.Time {
	y, m, d := t.In(Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Zone)
}

// Date writes t's calendar day in Beijing time as YYYY-MM-DD.
func Date(t time.Time) string { return t.In(Zone).Format(time.DateOnly) }
