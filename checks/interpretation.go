package checks

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/workday"
)

// InterpretationMissing reports policy files for which no 解读 exists anywhere
// on the site.
var InterpretationMissing = &Check{ID: "policy.interpretation-missing", Run: runInterpretationMissing, Args: map[string][]string{
	"message": {"title", "docno"},
}}

// InterpretationUnlinked reports policy files whose 解读 exists (found by
// title, 文号 or a one-way link) but the two pages do not link each other.
var InterpretationUnlinked = &Check{ID: "policy.interpretation-unlinked", Run: runInterpretationUnlinked, Args: map[string][]string{
	"message":            {"title", "docno", "interp", "interp_url", "missing"},
	"message_no_forward": {},
	"message_no_back":    {},
}}

// InterpretationLate reports 解读 published more than N working days after
// their file.
var InterpretationLate = &Check{ID: "policy.interpretation-late", Run: runInterpretationLate, Args: map[string][]string{
	"message":           {"title", "docno", "pub", "interp", "interp_pub", "days", "limit", "note"},
	"message_uncovered": {},
}}

// InterpretationCopy reports 解读 whose text is mostly the file's own text.
var InterpretationCopy = &Check{ID: "policy.interpretation-copy", Run: runInterpretationCopy, Args: map[string][]string{
	"message": {"interp", "title", "ratio"},
}}

// interpretationIndex is what is known about the site's 解读 pages.
type interpretationIndex struct {
	pages    []*site.Page
	isInterp map[string]bool // final URLs of 解读 pages
	// titles[i] is NormalizeName(pages[i].Title); linksTo[i] holds the
	// final URLs of pages[i]'s content links. Computed once: pairsOf
	// looks at every 解读 for every policy file.
	titles  []string
	linksTo []map[string]bool
}

func interpretations(p *Pass) *interpretationIndex {
	return p.memo("interpretations", func() any {
		ix := &interpretationIndex{isInterp: map[string]bool{}}
		for _, pg := range p.Site.PagesOf(site.KindInterpretation) {
			ix.pages = append(ix.pages, pg)
			ix.isInterp[pg.URL] = true
			ix.titles = append(ix.titles, NormalizeName(pg.Title))
			to := map[string]bool{}
			for _, l := range pg.Links {
				if contentLink(l) {
					to[finalURL(p.Site, l.URL)] = true
				}
			}
			ix.linksTo = append(ix.linksTo, to)
		}
		return ix
	}).(*interpretationIndex)
}

// policyTitle is the title a policy file is known by.
func policyTitle(pg *site.Page) string {
	if pg.Doc != nil && pg.Doc.Title != "" {
		return pg.Doc.Title
	}
	return pg.Title
}

// interpPair ties a policy file to one 解读 and says how.
type interpPair struct {
	Interp     *site.Page
	FromPolicy bool // the file links the 解读
	FromInterp bool // the 解读 links the file
	ByName     bool // the 解读's title names the file (title, 《name》 or 文号)
}

var bookTitleRe = regexp.MustCompile(`《([^》]{4,60})》`)

// pairsOf finds every 解读 of a policy file: a content link from the file
// (to a 解读 page, or labelled 解读/图解 …), a content link back from a 解读,
// or a 解读 title that contains the file's title, the 《name》 it issues, or
// its 文号. Shared by the policy.interpretation-* checks.
func pairsOf(p *Pass, pg *site.Page) []*interpPair {
	key := "pairs:" + pg.URL
	return p.memo(key, func() any {
		ix := interpretations(p)
		byURL := map[string]*interpPair{}
		var order []*interpPair
		get := func(ip *site.Page) *interpPair {
			if pr, ok := byURL[ip.URL]; ok {
				return pr
			}
			pr := &interpPair{Interp: ip}
			byURL[ip.URL] = pr
			order = append(order, pr)
			return pr
		}
		for _, l := range pg.Links {
			if !contentLink(l) {
				continue
			}
			t := target(p.Site, l.URL)
			if t == nil || t == pg {
				continue
			}
			if ix.isInterp[t.URL] {
				get(t).FromPolicy = true
				continue
			}
			// A link labelled 解读/图解 to a page that exists counts even when
			// the target's own markup did not reveal it as a 解读.
			if containsAnyOf(l.Text, policyRules.Of(p.Rules).LinkWords) && t.Outcome == site.OutcomeOK &&
				t.Kind != site.KindColumn && t.Kind != site.KindHome && t.Kind != site.KindPolicy {
				get(t).FromPolicy = true
			}
		}
		title := NormalizeName(policyTitle(pg))
		var names []string
		for _, m := range bookTitleRe.FindAllStringSubmatch(policyTitle(pg), -1) {
			names = append(names, NormalizeName(m[1]))
		}
		docNo := ""
		if pg.Doc != nil && !isNone(pg.Doc.DocNo) {
			docNo = NormalizeName(pg.Doc.DocNo)
		}
		for i, ip := range ix.pages {
			if ix.linksTo[i][pg.URL] {
				get(ip).FromInterp = true
			}
			t := ix.titles[i]
			named := (len([]rune(title)) >= 6 && strings.Contains(t, title)) || (docNo != "" && strings.Contains(t, docNo))
			for _, n := range names {
				named = named || strings.Contains(t, n)
			}
			if named {
				get(ip).ByName = true
			}
		}
		return order
	}).([]*interpPair)
}

// contentLink says whether a link belongs to the page's own content: the
// site-wide navigation ("政策解读" in every header) ties no file to a 解读.
func contentLink(l site.Link) bool {
	if !l.Internal {
		return false
	}
	switch l.Area {
	case "nav", "breadcrumb", "footer":
		return false
	}
	return true
}

// isNone says whether a 文号 value means "no number" (文号 无 is valid).
func isNone(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "无", "—", "-", "/", "暂无":
		return true
	}
	return false
}

func docNoSuffix(pg *site.Page) string {
	if pg.Doc != nil && !isNone(pg.Doc.DocNo) {
		return "（" + pg.Doc.DocNo + "）"
	}
	return ""
}

func runInterpretationMissing(p *Pass) {
	for _, pg := range p.Site.PagesOf(site.KindPolicy) {
		if len(pairsOf(p, pg)) > 0 {
			continue
		}
		title, docNo := policyTitle(pg), docNoSuffix(pg)
		p.Report(Finding{
			Subject:  title,
			URL:      pg.URL,
			Message:  p.Message("", Args{"title": title, "docno": docNo}),
			Evidence: PageEvidence(pg, title+docNo),
		})
	}
}

func runInterpretationUnlinked(p *Pass) {
	for _, pg := range p.Site.PagesOf(site.KindPolicy) {
		pairs := pairsOf(p, pg)
		if len(pairs) == 0 {
			continue // policy.interpretation-missing
		}
		var best *interpPair
		for _, pr := range pairs {
			if pr.FromPolicy && pr.FromInterp {
				best = nil
				break
			}
			if best == nil || (pr.FromPolicy || pr.FromInterp) && !(best.FromPolicy || best.FromInterp) {
				best = pr
			}
		}
		if best == nil {
			continue
		}
		var missing []string
		if !best.FromPolicy {
			missing = append(missing, p.Message("message_no_forward", nil))
		}
		if !best.FromInterp {
			missing = append(missing, p.Message("message_no_back", nil))
		}
		title := policyTitle(pg)
		p.Report(Finding{
			Subject:  title,
			URL:      pg.URL,
			Message:  p.Message("", Args{"title": title, "docno": docNoSuffix(pg), "interp": best.Interp.Title, "interp_url": best.Interp.URL, "missing": strings.Join(missing, "；")}),
			Evidence: PageEvidence(pg, "解读：《"+best.Interp.Title+"》 "+best.Interp.URL),
		})
	}
}

// pageDate is a page's publication date: the metadata table's, else the
// page's own.
func pageDate(pg *site.Page) (d string, ok bool) {
	t := pg.PubDate
	if pg.Doc != nil && !pg.Doc.PubDate.IsZero() {
		t = pg.Doc.PubDate
	}
	if t.IsZero() {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

func runInterpretationLate(p *Pass) {
	n := policyRules.Of(p.Rules).LateWorkingDays
	for _, pg := range p.Site.PagesOf(site.KindPolicy) {
		if _, ok := pageDate(pg); !ok {
			continue
		}
		pd := docDate(pg)
		// The earliest dated 解读 decides: a later second 解读 is no delay.
		var first *site.Page
		for _, pr := range pairsOf(p, pg) {
			if _, ok := pageDate(pr.Interp); !ok {
				continue
			}
			if first == nil || docDate(pr.Interp).Before(docDate(first)) {
				first = pr.Interp
			}
		}
		if first == nil {
			continue
		}
		id := docDate(first)
		late := workday.After(pd, id)
		if late <= n {
			continue
		}
		title := policyTitle(pg)
		note := ""
		if !workday.Covers(pd) || !workday.Covers(id) {
			note = p.Message("message_uncovered", nil)
		}
		p.Report(Finding{
			Subject:  title,
			URL:      pg.URL,
			Message:  p.Message("", Args{"title": title, "docno": docNoSuffix(pg), "pub": pd.Format(time.DateOnly), "interp": first.Title, "interp_pub": id.Format(time.DateOnly), "days": strconv.Itoa(late), "limit": strconv.Itoa(n), "note": note}),
			Evidence: PageEvidence(first, id.Format(time.DateOnly)+" 《"+first.Title+"》"),
		})
	}
}

func runInterpretationCopy(p *Pass) {
	r := policyRules.Of(p.Rules)
	for _, pg := range p.Site.PagesOf(site.KindPolicy) {
		// Only a file's own 解读s are compared with it; its shingles are
		// made when the first long enough one turns up.
		var src map[string]bool
		for _, pr := range pairsOf(p, pg) {
			interpText := pr.Interp.ReadText()
			txt := compactText(interpText)
			if len([]rune(txt)) < r.CopyMinChars {
				continue
			}
			if src == nil {
				src = shingles(pg.ReadText(), r.CopyShingle)
			}
			if len(src) == 0 {
				break
			}
			own := shingles(interpText, r.CopyShingle)
			shared := 0
			for s := range own {
				if src[s] {
					shared++
				}
			}
			ratio := float64(shared) / float64(len(own))
			if ratio < r.CopyRatio {
				continue
			}
			pct := strconv.Itoa(int(ratio*100 + 0.5))
			p.Report(Finding{
				Subject:  pr.Interp.Title,
				URL:      pr.Interp.URL,
				Message:  p.Message("", Args{"interp": pr.Interp.Title, "title": policyTitle(pg), "ratio": pct}),
				Evidence: PageEvidence(pr.Interp, Clip(txt, 80)),
			})
		}
	}
}

// compactText keeps letters and digits only, so layout and punctuation do
// not hide a copy.
func compactText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// shingles is the set of k-rune substrings of compactText(s). The keys
// share the compacted string's bytes.
func shingles(s string, k int) map[string]bool {
	c := compactText(s)
	starts := make([]int, 0, len(c)/3+1)
	for i := range c {
		starts = append(starts, i)
	}
	starts = append(starts, len(c))
	out := make(map[string]bool, len(starts))
	for i := 0; i+k < len(starts); i++ {
		out[c[starts[i]:starts[i+k]]] = true
	}
	return out
}

// PolicyRules are the interpretation settings from policy.yaml.
type PolicyRules struct {
	LateWorkingDays int      `yaml:"late_working_days"`
	CopyShingle     int      `yaml:"copy_shingle"`
	CopyRatio       float64  `yaml:"copy_ratio"`
	CopyMinChars    int      `yaml:"copy_min_chars"`
	LinkWords       []string `yaml:"link_words"`
}

var policyRules = RegisterRules(RuleFile[PolicyRules]{
	Name: "policy.yaml",
	// The file keeps the interpretation settings under one key, room for
	// other policy-page rules.
	Decode: func(b []byte, v *PolicyRules) error {
		var f struct {
			Interpretation PolicyRules `yaml:"interpretation"`
		}
		err := decodeStrict(b, &f)
		*v = f.Interpretation
		return err
	},
	Validate: func(r *PolicyRules, _ *Rulebook) error {
		if r.LateWorkingDays < 0 || r.CopyShingle < 4 || r.CopyRatio <= 0 || r.CopyRatio > 1 {
			return fmt.Errorf("late_working_days ≥ 0, copy_shingle ≥ 4 and 0 < copy_ratio ≤ 1 are required")
		}
		return nil
	},
})
