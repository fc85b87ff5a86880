package htmlread

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/bjtime"
)

// dateRe matches 2024-05-01, 2024/5/1, 2024.05.01, 2024年5月1日 with an
// optional time (10:30, 10:30:00; "2007-08-20-23:59:59" as gov.cn writes;
// 上海 writes the ratio sign "10∶08").
var dateRe = regexp.MustCompile(`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(\s*日)?(?:(?:[\s\x{00a0}\x{3000}]*|T|-)(\d{1,2})[:：∶](\d{2})(?:[:：∶](\d{2}))?)?`)

const (
	minYear = 1949
	maxYear = 2100
)

// ParseDate returns the first valid date in s (in +08:00, at midnight or at
// the given time) and the matched text; zero and "" when there is none.
func ParseDate(s string) (time.Time, string) {
	for _, m := range dateRe.FindAllStringSubmatchIndex(s, 20) {
		if t, ok := dateAt(s, m); ok {
			return t, strings.TrimSpace(s[m[0]:m[1]])
		}
	}
	return time.Time{}, ""
}

// dateAt validates one match: digits must not run on either side, and the
// day must exist.
func dateAt(s string, m []int) (time.Time, bool) {
	if m[0] > 0 && IsDigit(s[m[0]-1]) {
		return time.Time{}, false
	}
	dayEnd := m[7]
	if m[8] >= 0 {
		dayEnd = m[9]
	}
	if m[10] < 0 && dayEnd < len(s) && IsDigit(s[dayEnd]) {
		return time.Time{}, false
	}
	y, mo, d := atoi(s, m, 1), atoi(s, m, 2), atoi(s, m, 3)
	if y < minYear || y > maxYear || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, bjtime.Zone)
	if t.Day() != d {
		return time.Time{}, false // 2月30日
	}
	if m[10] >= 0 {
		h, mi, sec := atoi(s, m, 5), atoi(s, m, 6), max(atoi(s, m, 7), 0)
		if h <= 23 && mi <= 59 && sec <= 59 {
			t = time.Date(y, time.Month(mo), d, h, mi, sec, 0, bjtime.Zone)
		}
	}
	return t, true
}

func atoi(s string, m []int, group int) int {
	a, b := m[2*group], m[2*group+1]
	if a < 0 {
		return -1
	}
	n, err := strconv.Atoi(s[a:b])
	if err != nil {
		return -1
	}
	return n
}

// IsDigit says whether c is an ASCII digit.
func IsDigit(c byte) bool { return c >= '0' && c <= '9' }
