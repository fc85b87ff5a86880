package htmlread

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/govlint/govlint/internal/testpages"
)

// seedPages adds the real captured pages and some fixture pages to a fuzz
// corpus, so mutations start from markup that matters.
func seedPages(f *testing.F, add func(body []byte)) { testpages.FuzzSeeds(f, add) }

// FuzzDecode: any bytes and any Content-Type decode without panicking into
// valid UTF-8, and the decision names a known rule.
func FuzzDecode(f *testing.F) {
	seedPages(f, func(b []byte) { f.Add(b, "text/html") })
	f.Add([]byte("\xff\xfe<\x00h\x00"), "text/html; charset=utf-16")
	f.Add([]byte("abc"), "text/html; charset=no-such-charset")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		text, cs, src := Decode(body, ct)
		if !utf8.ValidString(text) {
			t.Fatalf("decoded text is not valid UTF-8 (charset %q, source %q)", cs, src)
		}
		switch src {
		case "bom", "header", "meta", "utf8-valid", "gb18030-fallback", "binary":
		default:
			t.Fatalf("unknown charset source %q", src)
		}
	})
}

// FuzzParseDate: no date string panics the parser, and what it accepts is a
// real calendar date.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-05-01", "2024/5/1", "2024年5月1日", "[2024-05-01]", "2024-05-01 10:30:00",
		"2024-02-30", "9999-99-99", "发布日期：2026年11月20日", "２０２４－０５－０１"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, raw := ParseDate(s)
		if d.IsZero() {
			return
		}
		if raw == "" {
			t.Fatalf("date %v parsed from %q without its source text", d, s)
		}
		y, m, day := d.Date()
		if again := time.Date(y, m, day, 0, 0, 0, 0, d.Location()); again.Year() != y || again.Month() != m || again.Day() != day {
			t.Fatalf("not a calendar date: %v", d)
		}
	})
}

// collapse is a hand-written single pass; it must equal the Fields/Join
// definition on any input, including invalid UTF-8 and Unicode spaces.
func FuzzCollapse(f *testing.F) {
	for _, s := range []string{"", " ", "a", " a", "a ", "a  b", "a\tb", "通知\u3000公告", "\u00a0x\u00a0", "a\u0085b", "x\xffy \xff", "a b c", "  多  个  空格  ", "\n\r\v\f", "a \u2028 b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.Join(strings.Fields(s), " ")
		if got := Collapse(s); got != want {
			t.Fatalf("Collapse(%q) = %q, want %q", s, got, want)
		}
	})
}
