package checks

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/site"
)

// normText prepares running text for pattern matching: no spaces, quotes
// or brackets (the same marks NormalizeName drops), ASCII upper case.
func normText(s string) string { return strings.ToUpper(nameStrip.Replace(s)) }

var (
	dateTextRe = regexp.MustCompile(`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)
	cnDigits   = map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9, '十': 10}
)

// parseDateText reads the first date (2026-03-01, 2026年3月1日, 2026/3/1)
// in s, in Beijing time; zero when there is none or it does not exist.
func parseDateText(s string) time.Time {
	for _, m := range dateTextRe.FindAllStringSubmatch(s, 5) {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if y < 1949 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 {
			continue
		}
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, bjtime.Zone)
		if t.Day() == d {
			return t
		}
	}
	return time.Time{}
}

// smallNumber reads "5", "十" or "五" (the years of an 有效期).
func smallNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	n := 0
	for _, r := range s {
		v, ok := cnDigits[r]
		if !ok {
			return 0
		}
		if v == 10 {
			if n == 0 {
				n = 1
			}
			n *= 10
		} else {
			n += v
		}
	}
	return n
}

// dayOf drops the time of day.
func dayOf(t time.Time) time.Time { return bjtime.Day(t) }

// snippetAround returns up to n runes of s on each side of byte offset
// [a, b).
func snippetAround(s string, a, b, n int) string {
	pre := []rune(s[:a])
	post := []rune(s[b:])
	if len(pre) > n {
		pre = pre[len(pre)-n:]
	}
	if len(post) > n {
		post = post[:n]
	}
	return strings.TrimSpace(string(pre) + s[a:b] + string(post))
}

// docDate is a page's publication date as a day (zero when unknown).
func docDate(pg *site.Page) time.Time {
	t := pg.PubDate
	if pg.Doc != nil && !pg.Doc.PubDate.IsZero() {
		t = pg.Doc.PubDate
	}
	if t.IsZero() {
		return t
	}
	return dayOf(t)
}
