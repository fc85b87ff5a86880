package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
)

var (
	siteCodeRe = regexp.MustCompile(`网站标识码\s*[：:]?\s*([0-9A-Za-z]{6,12})`)
	// The 号 is optional ("蒙ICP备05006530"), and so is 案 in "ICP备案…";
	// identity folds full-width letters, digits and spaces first.
	icpRe = regexp.MustCompile(`([` + provinces + `])\s*ICP\s*([备证])\s*(?:案\s*(?:编\s*)?号?\s*)?(?:[：:]\s*)?(\d{5,12})\s*号?(?:\s*[-－—]\s*(\d{1,3}))?`)
	// 深圳 writes "粤公网安备号44030402003007", the 号 before the number.
	psbRe = regexp.MustCompile(`([` + provinces + `])\s*公\s*网\s*安\s*备\s*(?:号\s*)?(?:[：:]\s*)?(\d{8,17})\s*(号?)`)
	// 南昌文广旅 writes only "公安机关备案号：36010802000157"; the record's
	// 赣公网安备 follows from the number (psbProvince).
	psbLabelRe = regexp.MustCompile(`公安(?:机关)?\s*备案\s*(?:编号|号)?\s*[：:]?\s*(\d{14})(?:\D|$)`)
)

// psbProvince names the province of a 公安备案 record by its number's first
// two digits, the province's administrative division code (GB/T 2260), as
// the record's own name (京公网安备…) does.
var psbProvince = map[string]string{
	"11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑",
	"31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁",
	"41": "豫", "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼",
	"50": "渝", "51": "川", "52": "贵", "53": "滇", "54": "藏",
	"61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新",
}

// identity reads the site identifiers from the page text (footer
// included) and the SiteIDCode meta tag.
func identity(text string, meta map[string]string) site.Identity {
	return identityFolded(foldIdentity(text), meta)
}

// identityFolded is identity on a text foldIdentity already folded (the
// extraction folds the rendering in its buffer: TextOpts.Fold).
func identityFolded(text string, meta map[string]string) site.Identity {
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
	} else if m := submatchNear(psbLabelRe, text, "备案", 24, 48); m != nil {
		if prov := psbProvince[m[1][:2]]; prov != "" {
			id.PSB = prov + "公网安备" + m[1] + "号"
		}
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
	return htmlread.IsDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// foldIdentity maps the spellings real footers use onto the ones the
// identifier patterns expect: full-width ASCII (ＩＣＰ, ０５００６５３０, －)
// becomes ASCII (full-width colons stay as they are), then "icp"/"Icp"
// become "ICP", U+00A0, U+3000, U+2002 and U+2003 a space (the &nbsp;
// between 备 and the digits) and U+200B nothing. It returns text itself when
// there is nothing to do.
//
// It is strings.Map of the full-width mapping followed by a strings.Replacer
// of those pairs (the test keeps that reference), done in one pass: nearly
// every Chinese page has a full-width comma, so both ran on every page's
// whole text and left three copies of it as garbage.
func foldIdentity(text string) string {
	if !foldNeeded(text) {
		return text
	}
	return string(foldIdentityBytes([]byte(text)))
}

// foldIdentityBytes is foldIdentity on b, in place: every mapping but one
// writes no more bytes than it reads, so the page's rendering is folded in
// its own (pooled) buffer instead of into a copy (a copy of every page's
// text, 0.5 GB at 20,000 pages). The one that writes more, an invalid byte
// becoming U+FFFD, moves the rest to a new buffer when it would overtake
// the bytes still to be read.
func foldIdentityBytes(b []byte) []byte {
	if !foldNeeded(unsafe.String(unsafe.SliceData(b), len(b))) {
		return b
	}
	dst, inPlace := b[:0], true
	put := func(next int, add ...byte) {
		// next: where reading goes on; bytes before it are read.
		if inPlace && len(dst)+len(add) > next {
			nb := make([]byte, len(dst), len(b)+2*(len(b)-len(dst)))
			copy(nb, dst)
			dst, inPlace = nb, false
		}
		dst = append(dst, add...)
	}
	var enc [utf8.UTFMax]byte
	for i := 0; i < len(b); {
		// Most of a page is ASCII other than i/I and CJK ideographs
		// (E4–E9 lead bytes), which map to themselves: copied as bytes
		// (or left where they are), not decoded and encoded again.
		n := 0
		switch c := b[i]; {
		case c < utf8.RuneSelf && c != 'i' && c != 'I':
			n = 1
		case c >= 0xE4 && c <= 0xE9 && i+2 < len(b) && b[i+1]&0xC0 == 0x80 && b[i+2]&0xC0 == 0x80:
			n = 3
		}
		if n > 0 {
			if inPlace && len(dst) == i {
				dst = dst[:i+n]
			} else {
				dst = append(dst, b[i:i+n]...)
			}
			i += n
			continue
		}
		r, n := foldedRuneBytes(b, i)
		if r == 'i' || r == 'I' {
			if r2, n2 := foldedRuneBytes(b, i+n); r2 == 'c' {
				if r3, n3 := foldedRuneBytes(b, i+n+n2); r3 == 'p' {
					i += n + n2 + n3
					put(i, 'I', 'C', 'P')
					continue
				}
			}
		}
		i += n
		switch r {
		case 0x00a0, 0x3000, 0x2002, 0x2003:
			put(i, ' ')
		case 0x200b:
		default:
			put(i, enc[:utf8.EncodeRune(enc[:], r)]...)
		}
	}
	return dst
}

// foldNeeded says whether foldIdentity changes text.
func foldNeeded(text string) bool {
	for _, r := range text {
		if (r >= 0xFF01 && r <= 0xFF5E && r != '：') || r == 0x00a0 || r == 0x3000 || r == 0x2002 || r == 0x2003 || r == 0x200b {
			return true
		}
	}
	return strings.Contains(text, "icp") || strings.Contains(text, "Icp")
}

// foldedRuneBytes is the rune at b[i:] with full-width ASCII mapped to
// ASCII (invalid UTF-8 reads as U+FFFD, as strings.Map writes it); -1 past
// the end.
func foldedRuneBytes(b []byte, i int) (rune, int) {
	if i >= len(b) {
		return -1, 0
	}
	r, n := utf8.DecodeRune(b[i:])
	if r >= 0xFF01 && r <= 0xFF5E && r != '：' {
		r -= 0xFEE0
	}
	return r, n
}

// footerScript says whether a <script> of the page looks like it writes
// the footer: its src names a footer (footerScriptSrc), or its inline code
// names a site identifier or writes a footer element.
func footerScript(doc *html.Node) bool {
	return htmlread.Find(doc, func(n *html.Node) bool {
		if n.Type != html.ElementNode || n.DataAtom != atom.Script {
			return false
		}
		if src := strings.ToLower(htmlread.Attr(n, "src")); src != "" {
			return htmlread.ContainsAny(src, footerScriptSrc)
		}
		var code strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				code.WriteString(c.Data)
			}
		}
		return htmlread.ContainsAny(code.String(), footerScriptCode)
	}) != nil
}
