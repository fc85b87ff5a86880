package checks

import (
	"iter"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/site"
)

// PrivacyIDNumber reports pages that publish unmasked 18-digit resident ID
// numbers (valid GB 11643 MOD 11-2 check digit and a plausible birth date).
// Reports show the number masked, never in full.
var PrivacyIDNumber = &Check{ID: "privacy.id-number", Run: runPrivacyIDNumber, Args: map[string][]string{
	"message": {"title", "count", "sample"},
}}

// PrivacyBankCard reports unmasked bank card numbers (Luhn-valid, next to
// 卡号/账号/开户).
var PrivacyBankCard = &Check{ID: "privacy.bank-card", Run: runPrivacyBankCard, Args: map[string][]string{
	"message": {"title", "count", "sample"},
}}

// PrivacyMobile reports personal mobile numbers in the tables of 公示/名单
// pages, leaving out the agency's own contact numbers.
var PrivacyMobile = &Check{ID: "privacy.mobile", Run: runPrivacyMobile, Args: map[string][]string{
	"message": {"title", "count", "sample"},
}}

var (
	// Digit runs: a candidate must not be part of a longer number.
	digitsRe = regexp.MustCompile(`\d+`)
	mobileRe = regexp.MustCompile(`^1[3-9]\d{9}$`)
)

// idWeights are the GB 11643-1999 weights; idCheck maps sum mod 11 to the
// check character.
var (
	idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheck   = "10X98765432"
)

// validID says whether s is an 18-character ID with a correct check digit
// and a birth date between 1900 and asOf.
func validID(s string, asOf time.Time) bool {
	if len(s) != 18 || s[0] == '0' {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		sum += int(s[i]-'0') * idWeights[i]
	}
	if strings.ToUpper(s[17:]) != string(idCheck[sum%11]) {
		return false
	}
	y, _ := strconv.Atoi(s[6:10])
	m, _ := strconv.Atoi(s[10:12])
	d, _ := strconv.Atoi(s[12:14])
	birth := time.Date(y, time.Month(m), d, 0, 0, 0, 0, bjtime.Zone)
	return y >= 1900 && birth.Month() == time.Month(m) && birth.Day() == d && !birth.After(asOf)
}

// luhn checks a card number's Luhn digit.
func luhn(s string) bool {
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// mask keeps the first keep and last 4 characters of a number.
func mask(s string, keep int) string {
	if len(s) <= keep+4 {
		return strings.Repeat("*", len(s))
	}
	return s[:keep] + strings.Repeat("*", len(s)-keep-4) + s[len(s)-4:]
}

// maskAll masks every long digit run in s, so no evidence or message
// carries a full personal number. A run is what the checks read as one
// number (digitRuns: all its digits, an ID's X after exactly 17), so a
// 19-digit card in the evidence is masked as its finding's subject is.
func maskAll(s string) string {
	var b strings.Builder
	last := 0
	for lo, hi := range digitRuns(s, true) {
		d := s[lo:hi]
		switch {
		case len(d) >= 15:
			d = mask(d, 4)
		case len(d) == 11 && d[0] == '1':
			d = mask(d, 3)
		default:
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:lo])
		b.WriteString(d)
		last = hi
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// scanPages are the pages whose text is read for personal data: HTML pages
// and attachments whose text was extracted.
func scanPages(s *site.Site) []*site.Page {
	var out []*site.Page
	for _, pg := range s.Pages {
		ok := pg.Outcome == site.OutcomeOK || pg.Outcome == site.OutcomeTruncated
		if ok && pg.HasText() && (pg.Kind == site.KindAttachment || pg.IsHTML()) {
			out = append(out, pg)
		}
	}
	return out
}

// pageText is everything a page shows in its content: the text and the
// table cells (joined so a number in its own cell stays apart).
func pageText(pg *site.Page) string { return pageTextOver(pg, 0) }

// pageTextOver is pageText for a check that looks for runs of at least
// minRun digits: the text of a page whose text holds no such run is not
// read (TextDigitRun), only its tables.
func pageTextOver(pg *site.Page, minRun int) string {
	text := textOver(pg, minRun)
	if len(pg.Tables) == 0 {
		return text // most pages: no copy
	}
	n := len(text)
	for _, t := range pg.Tables {
		for _, row := range t.Rows {
			n++
			for j, c := range row {
				if j > 0 {
					n += len(" | ")
				}
				n += len(c)
			}
		}
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(text)
	for _, t := range pg.Tables {
		for _, row := range t.Rows {
			b.WriteByte('\n')
			for j, c := range row {
				if j > 0 {
					b.WriteString(" | ")
				}
				b.WriteString(c)
			}
		}
	}
	return b.String()
}

// textOver is the page's text when it holds a run of at least minRun
// digits (TextDigitRun), else "" without reading it.
func textOver(pg *site.Page, minRun int) string {
	if pg.TextDigitRun() < minRun {
		return ""
	}
	return pg.ReadText()
}

// The shortest digit runs an ID number (17 digits and a check digit or
// X; validID) and a bank card number (16–19 digits) can be.
const (
	idMinDigits   = 17
	cardMinDigits = 16
)

func runPrivacyIDNumber(p *Pass) {
	for _, pg := range scanPages(p.Site) {
		text := pageTextOver(pg, idMinDigits)
		var hits []string
		first := -1
		for lo, hi := range digitRuns(text, true) {
			d := text[lo:hi]
			if !alone(text, lo, hi) {
				continue
			}
			if validID(d, p.AsOf) && !containsString(hits, d) {
				if first < 0 {
					first = lo
				}
				hits = append(hits, d)
			}
		}
		if len(hits) == 0 {
			continue
		}
		masked := mask(hits[0], 4)
		p.Report(Finding{
			Subject:  masked,
			URL:      pg.URL,
			Message:  p.Message("", Args{"title": pg.Title, "count": strconv.Itoa(len(hits)), "sample": masked}),
			Evidence: PageEvidence(pg, maskAll(snippetAround(text, first, first+18, 15))),
		})
	}
}

func runPrivacyBankCard(p *Pass) {
	r := privacyRules.Of(p.Rules)
	isCard := func(d string) bool { return len(d) >= cardMinDigits && len(d) <= 19 && luhn(d) }
	for _, pg := range scanPages(p.Site) {
		var hits []string
		snippet := ""
		add := func(d, context string) {
			if !containsString(hits, d) {
				if len(hits) == 0 {
					snippet = context
				}
				hits = append(hits, d)
			}
		}
		// In running text a card number follows its label (卡号：…).
		text := textOver(pg, cardMinDigits)
		for lo, hi := range digitRuns(text, false) {
			d := text[lo:hi]
			if !isCard(d) {
				continue
			}
			if containsAnyOf(lastRunes(text[:lo], r.BankWindow), r.BankWords) {
				add(d, snippetAround(text, lo, hi, 15))
			}
		}
		// In a table the label is the column's header cell.
		for _, t := range pg.Tables {
			if len(t.Rows) < 2 {
				continue
			}
			header := t.Rows[0]
			for _, row := range t.Rows[1:] {
				for j, c := range row {
					if j >= len(header) || !containsAnyOf(header[j], r.BankWords) {
						continue
					}
					for _, d := range digitsRe.FindAllString(c, -1) {
						if isCard(d) {
							add(d, strings.Join(row, " | "))
						}
					}
				}
			}
		}
		if len(hits) == 0 {
			continue
		}
		masked := mask(hits[0], 4)
		p.Report(Finding{
			Subject:  masked,
			URL:      pg.URL,
			Message:  p.Message("", Args{"title": pg.Title, "count": strconv.Itoa(len(hits)), "sample": masked}),
			Evidence: PageEvidence(pg, maskAll(snippet)),
		})
	}
}

// agencyNumbers are the numbers the agency publishes as its own: those on
// the home page (header and footer) and on its contact pages.
func agencyNumbers(p *Pass) map[string]bool {
	own := map[string]bool{}
	for _, pg := range htmlPages(p.Site) {
		if pg.Kind != site.KindHome && !containsAnyOf(pg.Title+" "+strings.Join(pg.Breadcrumb, " "), privacyRules.Of(p.Rules).ContactWords) {
			continue
		}
		for _, d := range digitsRe.FindAllString(pageText(pg), -1) {
			own[d] = true
		}
	}
	return own
}

func runPrivacyMobile(p *Pass) {
	r := privacyRules.Of(p.Rules)
	own := agencyNumbers(p)
	for _, pg := range htmlPages(p.Site) {
		if !containsAnyOf(pg.Title, r.ListWords) {
			continue
		}
		var hits []string
		var row []string
		for _, t := range pg.Tables {
			for _, cells := range t.Rows {
				for _, c := range cells {
					for _, d := range digitsRe.FindAllString(c, -1) {
						if mobileRe.MatchString(d) && !own[d] && !containsString(hits, d) {
							if len(hits) == 0 {
								row = cells
							}
							hits = append(hits, d)
						}
					}
				}
			}
		}
		if len(hits) == 0 {
			continue
		}
		masked := mask(hits[0], 3)
		p.Report(Finding{
			Subject:  masked,
			URL:      pg.URL,
			Message:  p.Message("", Args{"title": pg.Title, "count": strconv.Itoa(len(hits)), "sample": masked}),
			Evidence: PageEvidence(pg, maskAll(strings.Join(row, " | "))),
		})
	}
}

// alone says whether text[a:b] is not part of a longer run of digits or
// letters (an ID inside a 统一社会信用代码 or an order number is not an ID).
// digitRuns yields the [lo, hi) byte ranges of the runs of ASCII digits
// in s, in order; with idSuffix a run of exactly 17 digits takes a
// following X or x (an ID's check character). It does what a \d+ regexp
// does at a fraction of the cost: the privacy checks scan every page.
func digitRuns(s string, idSuffix bool) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		for i := 0; i < len(s); {
			if s[i] < '0' || s[i] > '9' {
				i++
				continue
			}
			lo := i
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				i++
			}
			if idSuffix && i-lo == 17 && i < len(s) && s[i]|0x20 == 'x' {
				i++
			}
			if !yield(lo, i) {
				return
			}
		}
	}
}

// lastRunes is the tail of s of at most n runes.
func lastRunes(s string, n int) string {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}

func alone(text string, a, b int) bool {
	isAlnum := func(c byte) bool { return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z' }
	return (a == 0 || !isAlnum(text[a-1])) && (b >= len(text) || !isAlnum(text[b]))
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// PrivacyRules say where personal numbers count.
type PrivacyRules struct {
	BankWords    []string `yaml:"bank_words"`
	BankWindow   int      `yaml:"bank_window"`
	ListWords    []string `yaml:"list_words"`
	ContactWords []string `yaml:"contact_words"`
}

var privacyRules = RegisterRules(RuleFile[PrivacyRules]{Name: "privacy.yaml"})

func init() { Register(PrivacyIDNumber, PrivacyBankCard, PrivacyMobile) }
