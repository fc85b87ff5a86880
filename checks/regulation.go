package checks

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govlint/govlint/internal/site"
)

// RegulationValidityMissing reports policy-file pages that do not say
// whether the file is in force (有效性/时效/效力状态).
var RegulationValidityMissing = &Check{ID: "regulation.validity-missing", Run: runValidityMissing, Args: map[string][]string{
	"message": {"title", "docno"},
}}

// RegulationRepealedUnmarked reports files declared repealed or expired —
// by a 清理结果 notice, a "原《…》同时废止" clause in a newer file, or their
// own 有效期 — whose page is not marked so.
var RegulationRepealedUnmarked = &Check{ID: "regulation.repealed-unmarked", Run: runRepealedUnmarked, Args: map[string][]string{
	"message":         {"title", "docno", "reason", "validity"},
	"message_by":      {"source", "source_url", "clause"},
	"message_expired": {"clause", "end", "as_of"},
}}

// RegulationStaleCitation reports 指南 and 依申请公开 pages that still cite
// superseded rules (the 2007 条例, 15个工作日, 检索费 …).
var RegulationStaleCitation = &Check{ID: "regulation.stale-citation", Run: runStaleCitation, Args: map[string][]string{
	"message": {"page", "what", "quote", "rule"},
}}

// markedRepealed says whether a policy page says it is no longer in force.
func markedRepealed(p *Pass, pg *site.Page) bool {
	v := regulationRules.Of(p.Rules).Validity
	if pg.Doc != nil && containsAnyOf(pg.Doc.Validity, v.RepealedValues) {
		return true
	}
	for _, m := range bracketRe.FindAllStringSubmatch(pg.Title, -1) {
		if containsAnyOf(m[1], v.TitleMarkers) {
			return true
		}
	}
	return false
}

var bracketRe = regexp.MustCompile(`[【\[（(]([^】\]）)]{1,8})[】\]）)]`)

func runValidityMissing(p *Pass) {
	for _, pg := range p.Site.PagesOf(site.KindPolicy) {
		if pg.Doc == nil || pg.Doc.Validity != "" || markedRepealed(p, pg) {
			continue
		}
		title := policyTitle(pg)
		p.Report(Finding{
			Subject:  title,
			URL:      pg.URL,
			Message:  p.Message("", Args{"title": title, "docno": docNoSuffix(pg)}),
			Evidence: PageEvidence(pg, "元数据：索引号 "+pg.Doc.IndexNo+"，未见有效性/时效字段"),
		})
	}
}

// repeal is one statement that a file is no longer in force.
type repeal struct {
	name, docNo string // the repealed file, by 《name》 and/or 文号
	from        *site.Page
	why         string
}

var docNoRe = regexp.MustCompile(`[\p{Han}]{1,10}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号`)

// repealStatements collects clauses and 清理结果 notices from every page.
func repealStatements(p *Pass) []repeal {
	r := regulationRules.Of(p.Rules)
	var out []repeal
	for _, pg := range htmlPages(p.Site) {
		text := pg.ReadText()
		for _, re := range r.clauses {
			for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
				rp := repeal{from: pg, why: snippetAround(text, m[0], m[1], 10)}
				if i := re.SubexpIndex("name"); m[2*i] >= 0 {
					rp.name = text[m[2*i]:m[2*i+1]]
				}
				if i := re.SubexpIndex("docno"); i >= 0 && m[2*i] >= 0 {
					rp.docNo = text[m[2*i]:m[2*i+1]]
				}
				out = append(out, rp)
			}
		}
		if !containsAnyOf(pg.Title, r.Repeal.NoticeTitles) {
			continue
		}
		// A 清理结果 notice: each table row or sentence that says 废止/失效
		// repeals the files it names — not the file that replaces them.
		var units [][]string
		for _, t := range pg.Tables {
			units = append(units, t.Rows...)
		}
		if len(pg.Tables) == 0 {
			for _, u := range strings.FieldsFunc(text, func(r rune) bool { return r == '。' || r == '；' || r == '\n' }) {
				units = append(units, []string{u})
			}
		}
		for _, cells := range units {
			u := strings.Join(cells, " ")
			if !containsAnyOf(u, r.Repeal.NoticeWords) {
				continue
			}
			names, nos := r.repealedRefs(cells)
			for i := 0; i < max(len(names), len(nos)); i++ {
				rp := repeal{from: pg, why: Clip(u, 60)}
				if i < len(names) {
					rp.name = names[i]
				}
				if i < len(nos) {
					rp.docNo = nos[i]
				}
				out = append(out, rp)
			}
		}
	}
	return out
}

// repealedRefs are the 《names》 and 文号 a 清理结果 row or sentence declares
// repealed: those of every clause, except the ones a replacement clause
// ("已被《新办法》（〔2026〕5号）替代") names as the replacing file.
func (r *RegulationRules) repealedRefs(cells []string) (names, nos []string) {
	for _, cell := range cells {
		for _, cl := range strings.FieldsFunc(cell, func(c rune) bool { return strings.ContainsRune("，,；;。", c) }) {
			keep := cl
			if containsAnyOf(cl, r.Repeal.ReplacementWords) {
				keep = ""
				if m := firstIndexAny(cl, r.Repeal.ReplacementMarkers); m >= 0 {
					keep = cl[:m] // the subject before 被/由 is the replaced file
				}
			}
			for _, m := range bookTitleRe.FindAllStringSubmatch(keep, -1) {
				names = append(names, m[1])
			}
			nos = append(nos, docNoRe.FindAllString(keep, -1)...)
		}
	}
	return names, nos
}

// firstIndexAny is the byte offset of the earliest of the words in s, or -1.
func firstIndexAny(s string, words []string) int {
	best := -1
	for _, w := range words {
		if i := strings.Index(s, w); w != "" && i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	return best
}

// names says whether a repeal statement names the policy page.
func (rp repeal) names(pg *site.Page) bool {
	if rp.docNo != "" && pg.Doc != nil && !isNone(pg.Doc.DocNo) && NormalizeName(rp.docNo) == NormalizeName(pg.Doc.DocNo) {
		return true
	}
	if rp.name == "" {
		return false
	}
	n := NormalizeName(rp.name)
	t := NormalizeName(policyTitle(pg))
	if t == n {
		return true
	}
	for _, m := range bookTitleRe.FindAllStringSubmatch(policyTitle(pg), -1) {
		if NormalizeName(m[1]) == n {
			return true
		}
	}
	return false
}

// expiry reads the file's own 有效期 from its text; zero when it states none.
func expiry(p *Pass, pg *site.Page) (time.Time, string) {
	r := regulationRules.Of(p.Rules)
	text := pg.ReadText()
	if m := r.termUntil.FindStringSubmatch(text); m != nil {
		if t := parseDateText(m[r.termUntil.SubexpIndex("until")]); !t.IsZero() {
			return t.AddDate(0, 0, 1), m[0] // in force through that day
		}
	}
	if m := r.termYears.FindStringSubmatch(text); m != nil {
		from := parseDateText(m[r.termYears.SubexpIndex("from")])
		if n := smallNumber(m[r.termYears.SubexpIndex("years")]); !from.IsZero() && n > 0 {
			return from.AddDate(n, 0, 0), m[0]
		}
	}
	return time.Time{}, ""
}

func runRepealedUnmarked(p *Pass) {
	stmts := repealStatements(p)
	asOf := dayOf(p.AsOf)
	for _, pg := range p.Site.PagesOf(site.KindPolicy) {
		if markedRepealed(p, pg) {
			continue
		}
		title := policyTitle(pg)
		reason, ev, at := "", "", pg
		for _, rp := range stmts {
			if rp.from == pg || !rp.names(pg) {
				continue
			}
			// "原《X》同时废止" in a newer file repeals the older X only.
			if a, b := docDate(rp.from), docDate(pg); !a.IsZero() && !b.IsZero() && !b.Before(a) {
				continue
			}
			reason = p.Message("message_by", Args{"source": rp.from.Title, "source_url": rp.from.URL, "clause": rp.why})
			ev, at = rp.why, rp.from
			break
		}
		if reason == "" {
			if end, clause := expiry(p, pg); !end.IsZero() && !asOf.Before(end) {
				reason = p.Message("message_expired", Args{"clause": clause, "end": end.AddDate(0, 0, -1).Format(time.DateOnly), "as_of": asOf.Format(time.DateOnly)})
				ev = clause
			}
		}
		if reason == "" {
			continue
		}
		validity := "未标注"
		if pg.Doc != nil && pg.Doc.Validity != "" {
			validity = "“" + pg.Doc.Validity + "”"
		}
		p.Report(Finding{
			Subject:  title,
			URL:      pg.URL,
			Message:  p.Message("", Args{"title": title, "docno": docNoSuffix(pg), "reason": reason, "validity": validity}),
			Evidence: PageEvidence(at, ev),
		})
	}
}

func runStaleCitation(p *Pass) {
	r := regulationRules.Of(p.Rules).StaleCitation
	pages := htmlPages(p.Site)
	sort.SliceStable(pages, func(i, j int) bool { return pages[i].URL < pages[j].URL })
	for _, pg := range pages {
		where := pg.Title + " " + strings.Join(pg.Breadcrumb, " ")
		if pg.Kind == site.KindHome || pg.Kind == site.KindColumn || !containsAnyOf(where, r.PageWords) {
			continue
		}
		text := pg.ReadText()
		for _, sp := range r.Patterns {
			if !sp.InForce.Covers(p.AsOf) || containsAnyOf(pg.Title, sp.SkipTitles) {
				continue // not stale yet on the as-of date, or not this page's duty
			}
			loc := sp.firstMatch(text)
			if loc == nil || (sp.unless != nil && sp.unless.MatchString(text)) {
				continue
			}
			quote := snippetAround(text, loc[0], loc[1], 20)
			p.Report(Finding{
				Subject:  sp.Name,
				URL:      pg.URL,
				Message:  p.Message("", Args{"page": pg.Title, "what": sp.Name, "quote": quote, "rule": sp.SupersededBy}),
				Evidence: PageEvidence(pg, quote),
				Citation: sp.Citation.String(),
			})
		}
	}
}

// firstMatch is the first match of the pattern that is not inside a clause
// its skip_clause excludes; nil when none.
func (sp *StalePattern) firstMatch(text string) []int {
	for _, loc := range sp.re.FindAllStringIndex(text, -1) {
		if sp.skipClause == nil || !sp.skipClause.MatchString(clauseAround(text, loc[0], loc[1])) {
			return loc
		}
	}
	return nil
}

// StalePattern is superseded text a page must no longer cite.
type StalePattern struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	Regex  string `yaml:"regex"`
	Unless string `yaml:"unless"`
	// SkipClause: a match inside a clause (between 。；and line breaks)
	// that this matches does not count.
	SkipClause string `yaml:"skip_clause"`
	// SkipTitles: pages whose title contains one of these are not judged
	// by the pattern.
	SkipTitles   []string `yaml:"skip_titles"`
	SupersededBy string   `yaml:"superseded_by"`
	Citation     Citation `yaml:"citation"`
	// InForce is the legal life of the rule that made the text stale: a
	// page is held to it only from then.
	InForce InForce `yaml:"in_force"`

	re, unless, skipClause *regexp.Regexp
}

// RegulationRules are the validity and stale-citation rules.
type RegulationRules struct {
	Validity struct {
		RepealedValues []string `yaml:"repealed_values"`
		TitleMarkers   []string `yaml:"title_markers"`
	} `yaml:"validity"`
	Repeal struct {
		Clauses      []string `yaml:"clauses"`
		NoticeTitles []string `yaml:"notice_titles"`
		NoticeWords  []string `yaml:"notice_words"`
		// ReplacementWords and ReplacementMarkers find the replacing file
		// in a 清理结果 row ("已被《…》替代").
		ReplacementWords   []string `yaml:"replacement_words"`
		ReplacementMarkers []string `yaml:"replacement_markers"`
		TermYears          string   `yaml:"term_years"`
		TermUntil          string   `yaml:"term_until"`
	} `yaml:"repeal"`
	StaleCitation struct {
		PageWords []string       `yaml:"page_words"`
		Patterns  []StalePattern `yaml:"patterns"`
	} `yaml:"stale_citation"`

	clauses              []*regexp.Regexp
	termYears, termUntil *regexp.Regexp
}

var regulationRules = RegisterRules(RuleFile[RegulationRules]{Name: "regulation.yaml", Validate: validateRegulation})

func validateRegulation(reg *RegulationRules, _ *Rulebook) error {
	var err error
	for _, c := range reg.Repeal.Clauses {
		re, err := regexp.Compile(c)
		if err != nil || re.SubexpIndex("name") < 0 {
			return fmt.Errorf("repeal clause %q must compile and have a (?P<name>…) group: %v", c, err)
		}
		reg.clauses = append(reg.clauses, re)
	}
	if reg.termYears, err = regexp.Compile(reg.Repeal.TermYears); err != nil {
		return fmt.Errorf("term_years: %w", err)
	}
	if reg.termUntil, err = regexp.Compile(reg.Repeal.TermUntil); err != nil {
		return fmt.Errorf("term_until: %w", err)
	}
	for i := range reg.StaleCitation.Patterns {
		sp := &reg.StaleCitation.Patterns[i]
		if sp.ID == "" || sp.Name == "" || sp.SupersededBy == "" || sp.Citation.Document == "" {
			return fmt.Errorf("stale-citation pattern %q needs id, name, superseded_by and citation", sp.ID)
		}
		if sp.InForce.From.IsZero() {
			return fmt.Errorf("stale-citation pattern %s needs in_force from", sp.ID)
		}
		if err := sp.compile(); err != nil {
			return fmt.Errorf("pattern %s: %w", sp.ID, err)
		}
	}
	return nil
}

// clauseAround is the clause holding text[i:j]: from the previous 。；！？ or
// line break to the next.
func clauseAround(text string, i, j int) string {
	const stops = "。；;！？\n"
	lo := strings.LastIndexAny(text[:i], stops)
	if lo < 0 {
		lo = 0
	} else {
		_, w := utf8.DecodeRuneInString(text[lo:])
		lo += w
	}
	hi := strings.IndexAny(text[j:], stops)
	if hi < 0 {
		hi = len(text)
	} else {
		hi += j
	}
	return text[lo:hi]
}

// compile prepares the pattern's regular expressions.
func (sp *StalePattern) compile() error {
	var err error
	if sp.re, err = regexp.Compile(sp.Regex); err != nil {
		return err
	}
	if sp.Unless != "" {
		if sp.unless, err = regexp.Compile(sp.Unless); err != nil {
			return fmt.Errorf("unless: %w", err)
		}
	}
	if sp.SkipClause != "" {
		if sp.skipClause, err = regexp.Compile(sp.SkipClause); err != nil {
			return fmt.Errorf("skip_clause: %w", err)
		}
	}
	return nil
}

func init() { Register(RegulationValidityMissing, RegulationRepealedUnmarked, RegulationStaleCitation) }
