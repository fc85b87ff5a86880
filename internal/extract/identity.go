package extract

import (
	"regexp"
	"strings"

	"github.com/govlint/govlint/internal/site"
)

var (
	siteCodeRe = regexp.MustCompile(`网站标识码\s*[：:]?\s*([0-9A-Za-z]{6,12})`)
	icpRe      = regexp.MustCompile(`([` + provinces + `])\s*ICP\s*([备证])\s*(?:[：:]\s*)?(\d{5,12})\s*号(?:\s*[-－—]\s*(\d{1,3}))?`)
	psbRe      = regexp.MustCompile(`([` + provinces + `])\s*公\s*网\s*安\s*备\s*(?:[：:]\s*)?(\d{8,17})\s*(号?)`)
)

// identity reads the site identifiers from the page text (footer
// included) and the SiteIDCode meta tag.
func identity(text string, meta map[string]string) site.Identity {
	var id site.Identity
	if m := siteCodeRe.FindStringSubmatchIndex(text); m != nil && !alnumAt(text, m[3]) {
		id.SiteCode = text[m[2]:m[3]]
	}
	if m := submatchNear(icpRe, text, "ICP", 32, 96); m != nil {
		id.ICP = m[1] + "ICP" + m[2] + m[3] + "号"
		if m[4] != "" {
			id.ICP += "-" + m[4]
		}
	}
	if m := submatchNear(psbRe, text, "备", 48, 80); m != nil {
		id.PSB = m[1] + "公网安备" + m[2] + "号"
	}
	id.MetaSiteCode = strings.TrimSpace(metaValue(meta, "SiteIDCode"))
	return id
}

// submatchNear is re.FindStringSubmatch(text) for a pattern that must
// contain the literal anchor: it runs re only on windows of before/after
// bytes around each anchor, in text order, so the match found first is the
// leftmost. A pattern that starts with a character class (a province) has
// no literal prefix for the regexp engine to skip ahead with, and running
// it over every position of a 30 KB page text was most of the model build
// (measured with cmd/govlint-bench -cpuprofile). The window only finds
// where the match starts; it is then matched on the rest of the text, since
// the window's end may cut it short (digits, an optional 号 or -N).
func submatchNear(re *regexp.Regexp, text, anchor string, before, after int) []string {
	for off := 0; off < len(text); {
		i := strings.Index(text[off:], anchor)
		if i < 0 {
			return nil
		}
		i += off
		lo, hi := max(0, i-before), min(len(text), i+len(anchor)+after)
		if loc := re.FindStringIndex(text[lo:hi]); loc != nil {
			return re.FindStringSubmatch(text[lo+loc[0]:])
		}
		off = i + len(anchor)
	}
	return nil
}

// alnumAt reports whether an ASCII letter or digit follows at i, which
// would mean the code ran on (a longer token is not a 网站标识码).
func alnumAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	c := s[i]
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z')
}
