package checks

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/site"
	"github.com/govlint/govlint/internal/textsim"
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

// interpretationIndex is what is known about the site's 解读 pages, indexed
// so that finding a policy file's 解读s costs what it finds, not a look at
// every 解读 (pairsOf runs for every policy file).
type interpretationIndex struct {
	pages    []*site.Page
	isInterp map[string]bool // final URLs of 解读 pages
	// titles[i] is NormalizeName(pages[i].Title).
	titles []string
	// linkedFrom maps a page's final URL to the indexes of the 解读s whose
	// content links point at it, ascending.
	linkedFrom map[string][]int
	// grams[k] maps each k-rune substring of a title to the indexes of the
	// titles that hold it, ascending; built on first use for each k.
	grams map[int]map[string][]int
}

// titleGram is the substring length the title index is looked up by; a
// shorter needle uses an index of its own length.
const titleGram = 4

func interpretations(p *Pass) *interpretationIndex {
	return p.memo("interpretations", func() any {
		ix := &interpretationIndex{isInterp: map[string]bool{}, linkedFrom: map[string][]int{}, grams: map[int]map[string][]int{}}
		for i, pg := range p.Site.PagesOf(site.KindInterpretation) {
			ix.pages = append(ix.pages, pg)
			ix.isInterp[pg.URL] = true
			ix.titles = append(ix.titles, NormalizeName(pg.Title))
			for _, l := range pg.Links {
				if !contentLink(l) {
					continue
				}
				u := finalURL(p.Site, l.URL)
				if to := ix.linkedFrom[u]; len(to) == 0 || to[len(to)-1] != i {
					ix.linkedFrom[u] = append(to, i)
				}
			}
		}
		return ix
	}).(*interpretationIndex)
}

// containing returns the indexes of the titles that contain needle,
// ascending: the postings of needle's rarest k-gram, each confirmed.
func (ix *interpretationIndex) containing(needle string) []int {
	r := []rune(needle)
	if len(r) == 0 {
		return nil
	}
	k := min(titleGram, len(r))
	idx := ix.grams[k]
	if idx == nil {
		idx = map[string][]int{}
		for i, t := range ix.titles {
			starts := runeStarts(t)
			for j := 0; j+k < len(starts); j++ {
				g := t[starts[j]:starts[j+k]]
				if ps := idx[g]; len(ps) == 0 || ps[len(ps)-1] != i {
					idx[g] = append(ps, i)
				}
			}
		}
		ix.grams[k] = idx
	}
	var best []int
	for j := 0; j+k <= len(r); j++ {
		ps, ok := idx[string(r[j:j+k])]
		if !ok {
			return nil
		}
		if best == nil || len(ps) < len(best) {
			best = ps
		}
	}
	var out []int
	for _, i := range best {
		if strings.Contains(ix.titles[i], needle) {
			out = append(out, i)
		}
	}
	return out
}

// runeStarts is the byte offset of each rune of s, then len(s).
func runeStarts(s string) []int {
	out := make([]int, 0, len(s)+1)
	for i := range s {
		out = append(out, i)
	}
	return append(out, len(s))
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
		// The 解读s that link back or are named, in index order (the
		// order a scan of every 解读 would meet them).
		back := ix.linkedFrom[pg.URL]
		var named []int
		if len([]rune(title)) >= 6 {
			named = append(named, ix.containing(title)...)
		}
		if docNo != "" {
			named = append(named, ix.containing(docNo)...)
		}
		for _, n := range names {
			named = append(named, ix.containing(n)...)
		}
		cand := append(append([]int(nil), back...), named...)
		slices.Sort(cand)
		cand = slices.Compact(cand)
		isBack := map[int]bool{}
		for _, i := range back {
			isBack[i] = true
		}
		isNamed := map[int]bool{}
		for _, i := range named {
			isNamed[i] = true
		}
		for _, i := range cand {
			ip := ix.pages[i]
			if isBack[i] {
				get(ip).FromInterp = true
			}
			if isNamed[i] {
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
	case site.AreaNav, site.AreaBreadcrumb, site.AreaFooter:
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
		// Only a file's own 解读s are compared with it, each by one merge
		// of two fingerprints made once per page.
		var src *textsim.Print
		for _, pr := range pairsOf(p, pg) {
			own := printOf(p, pr.Interp, r.CopyShingle)
			if own.Len < r.CopyMinChars {
				continue
			}
			if src == nil {
				src = printOf(p, pg, r.CopyShingle)
			}
			if len(src.Hashes) == 0 {
				break
			}
			ratio := textsim.Containment(own, src)
			if ratio < r.CopyRatio {
				continue
			}
			pct := strconv.Itoa(int(ratio*100 + 0.5))
			p.Report(Finding{
				Subject:  pr.Interp.Title,
				URL:      pr.Interp.URL,
				Message:  p.Message("", Args{"interp": pr.Interp.Title, "title": policyTitle(pg), "ratio": pct}),
				Evidence: PageEvidence(pr.Interp, Clip(textsim.Compact(pr.Interp.ReadText()), 80)),
			})
		}
	}
}

// printOf is pg's fingerprint with k-rune shingles: the one extraction
// made, else (a page extraction did not expect to be compared, a model
// built by hand, another shingle length) one made from its text, once.
func printOf(p *Pass, pg *site.Page, k int) *textsim.Print {
	if k == textsim.Runes {
		if pr := pg.Fingerprint(); pr != nil {
			return pr
		}
	}
	return p.memo("print:"+pg.URL, func() any {
		return textsim.New(pg.ReadText(), k)
	}).(*textsim.Print)
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

func init() {
	Register(InterpretationMissing, InterpretationUnlinked, InterpretationLate, InterpretationCopy)
}
