package extract

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/govlint/govlint/internal/htmlread"
	"github.com/govlint/govlint/internal/site"
)

const (
	docMinLabels  = 2   // fewer known labels is an ordinary article
	docMaxValue   = 200 // longer "values" are prose, not metadata
	shortLabelLen = 2   // 文号, 分类 … must stand alone, not end a longer word
)

var (
	// docLabelRe matches any known label, spaced or not (索 引 号), with an
	// optional 【】 and the colon or cell edge that ends it.
	docLabelRe = buildLabelRe()
	// nextLabelRe cuts a value where another "label：" starts after a space.
	nextLabelRe = regexp.MustCompile(`[ \t]+[^ \t:：]{1,8}[:：]`)
	labelSpace  = strings.NewReplacer(" ", "", "\u00a0", "", "\u3000", "", "\t", "")
	labelIndex  = indexLabels()
	// labelEnds are the last runes of the labels: docLabelRe can match
	// only where one of them stands before a colon or tab.
	labelEnds = lastRunes()
)

func lastRunes() map[rune]bool {
	m := map[rune]bool{}
	for _, l := range docLabels {
		r, _ := utf8.DecodeLastRuneInString(l.label)
		m[r] = true
	}
	return m
}

// mayHaveLabel is a necessary condition of a docLabelRe match in line: a
// label's last rune, then at most a closing bracket and spaces, then a
// colon or tab. Most lines of an article's text fail it, and it costs a
// fraction of running the regexp over them.
//
// It scans bytes, not runes: ':' and '\t' are single bytes and "：" is the
// only rune whose encoding starts EF BC 9A, so it finds the same colons
// without decoding every rune of every line (with strings.ContainsAny's
// rune-by-rune path for a non-ASCII set, that was half the metadata pass).
func mayHaveLabel(line string) bool {
	for i := 0; i < len(line); i++ {
		if c := line[i]; c != ':' && c != '\t' && (c != 0xEF || !strings.HasPrefix(line[i:], "：")) {
			continue
		}
		j := i
		for j > 0 {
			q, n := utf8.DecodeLastRuneInString(line[:j])
			if q != ' ' && q != '\u00a0' && q != '\u3000' {
				break
			}
			j -= n
		}
		if j > 0 {
			if q, n := utf8.DecodeLastRuneInString(line[:j]); q == '】' || q == ']' {
				j -= n
			}
		}
		if j > 0 {
			if q, _ := utf8.DecodeLastRuneInString(line[:j]); labelEnds[q] {
				return true
			}
		}
	}
	return false
}

func buildLabelRe() *regexp.Regexp {
	labels := make([]string, 0, len(docLabels))
	for _, l := range docLabels {
		labels = append(labels, l.label)
	}
	sort.SliceStable(labels, func(i, j int) bool { return htmlread.RuneLen(labels[i]) > htmlread.RuneLen(labels[j]) })
	alts := make([]string, len(labels))
	for i, l := range labels {
		var parts []string
		for _, r := range l {
			parts = append(parts, regexp.QuoteMeta(string(r)))
		}
		alts[i] = strings.Join(parts, `[ \x{00a0}\x{3000}]*`)
	}
	return regexp.MustCompile(`[【\[]?(` + strings.Join(alts, "|") + `)[】\]]?[ \x{00a0}\x{3000}]*([:：\t])`)
}

func indexLabels() map[string]docLabel {
	m := make(map[string]docLabel, len(docLabels))
	for _, l := range docLabels {
		m[l.label] = l
	}
	return m
}

type labelHit struct {
	label      docLabel
	start, end int // label start; value start
}

// metadataTable reads the 信息公开 label/value table from rendered text
// (cells separated by tabs, blocks by newlines). It returns nil unless two
// known labels, one of them policy-specific, are present.
func metadataTable(lines string, pageTitle string) *site.Document {
	fields := map[string]string{}
	var order []docLabel
	for _, line := range strings.Split(lines, "\n") {
		for _, pair := range linePairs(line) {
			if _, dup := fields[pair.label.label]; dup {
				continue
			}
			fields[pair.label.label] = pair.value
			order = append(order, pair.label)
		}
	}
	if !enoughLabels(order) {
		return nil
	}
	return buildDocument(fields, order, pageTitle)
}

// metadataColumns reads a metadata table laid out by columns (上海卫健委:
// a row of labels, 索取号 | 发布时间 | 发布机构 | 文件编号, with the values in
// the row below), which the label：value reading of lines cannot pair. The
// header must hold an index label (索引号/索取号) and no title or 序号
// column, which a list of files has.
func metadataColumns(tables []site.Table, pageTitle string) *site.Document {
	for _, t := range tables {
		for i := 0; i+1 < len(t.Rows); i++ {
			head, vals := t.Rows[i], t.Rows[i+1]
			if len(head) < 2 || len(head) != len(vals) {
				continue
			}
			fields := map[string]string{}
			var order []docLabel
			known, index, list := 0, false, false
			for j, h := range head {
				l, ok := columnLabel(h)
				if !ok {
					// A file list (序号 名称 文号 …) is no document's metadata.
					list = list || strings.Contains(h, "序号")
					continue
				}
				known++
				index = index || l.field == "index"
				list = list || l.field == "title"
				if v := htmlread.Collapse(vals[j]); v != "" && htmlread.RuneLen(v) <= docMaxValue {
					if _, dup := fields[l.label]; !dup {
						fields[l.label] = v
						order = append(order, l)
					}
				}
			}
			if known*2 > len(head) && index && !list && enoughLabels(order) {
				return buildDocument(fields, order, pageTitle)
			}
		}
	}
	return nil
}

// columnLabel reads a header cell as a metadata label; a publication-time
// header (发布时间) counts as 发布日期.
func columnLabel(cell string) (docLabel, bool) {
	name := labelSpace.Replace(strings.TrimRight(htmlread.Collapse(cell), ":："))
	if l, ok := labelIndex[name]; ok {
		return l, true
	}
	if htmlread.InList(name, pubDateLabels.long) {
		return labelIndex["发布日期"], true
	}
	return docLabel{}, false
}

type labelPair struct {
	label docLabel
	value string
}

func linePairs(line string) []labelPair {
	if !mayHaveLabel(line) { // implies a colon or tab
		return nil
	}
	var hits []labelHit
	for _, m := range docLabelRe.FindAllStringSubmatchIndex(line, -1) {
		l, ok := labelIndex[labelSpace.Replace(line[m[2]:m[3]])]
		if !ok || (utf8.RuneCountInString(l.label) <= shortLabelLen && !standsAlone(line, m[0])) {
			continue
		}
		hits = append(hits, labelHit{label: l, start: m[0], end: m[1]})
	}
	var out []labelPair
	for i, h := range hits {
		stop := len(line)
		if i+1 < len(hits) {
			stop = hits[i+1].start
		}
		v := cleanValue(line[h.end:stop])
		if _, isLabel := columnLabel(v); isLabel {
			return nil // a header row of labels (索取号 发布时间 …), values below
		}
		if v != "" {
			out = append(out, labelPair{h.label, v})
		}
	}
	return out
}

// standsAlone: a short label must start the line or follow a space or
// punctuation, so 行政处罚决定书文号 is not read as 文号.
func standsAlone(line string, at int) bool {
	if at == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(line[:at])
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// cleanValue takes the first cell of what follows a label.
func cleanValue(s string) string {
	s = strings.TrimLeft(s, " \t\u00a0\u3000")
	if i := strings.IndexByte(s, '\t'); i >= 0 {
		s = s[:i]
	}
	if loc := nextLabelRe.FindStringIndex(s); loc != nil {
		s = s[:loc[0]]
	}
	s = htmlread.Collapse(s)
	if htmlread.RuneLen(s) > docMaxValue {
		return ""
	}
	return s
}

func enoughLabels(order []docLabel) bool {
	kinds := map[string]bool{}
	strong := false
	for _, l := range order {
		key := l.field
		if key == "" {
			key = l.label
		}
		kinds[key] = true
		strong = strong || l.strong
	}
	return len(kinds) >= docMinLabels && strong
}

func buildDocument(fields map[string]string, order []docLabel, pageTitle string) *site.Document {
	d := &site.Document{Fields: fields}
	for _, l := range order {
		v := fields[l.label]
		switch l.field {
		case "index":
			setOnce(&d.IndexNo, v)
		case "publisher":
			setOnce(&d.Publisher, v)
		case "docno":
			setOnce(&d.DocNo, v)
		case "validity":
			setOnce(&d.Validity, v)
		case "title":
			setOnce(&d.Title, v)
		case "written":
			if d.WrittenDate.IsZero() {
				d.WrittenDate, _ = htmlread.ParseDate(v)
			}
		case "pub":
			if d.PubDate.IsZero() {
				d.PubDate, _ = htmlread.ParseDate(v)
			}
		}
	}
	if d.Title == "" {
		d.Title = pageTitle
	}
	return d
}

func setOnce(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}
