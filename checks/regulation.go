package checks

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

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
		// repeals the files it names.
		var units []string
		for _, t := range pg.Tables {
			for _, row := range t.Rows {
				units = append(units, strings.Join(row, " "))
			}
		}
		if len(pg.Tables) == 0 {
			units = strings.FieldsFunc(text, func(r rune) bool { return r == '。' || r == '；' || r == '\n' })
		}
		for _, u := range units {
			if !containsAnyOf(u, r.Repeal.NoticeWords) {
				continue
			}
			names := bookTitleRe.FindAllStringSubmatch(u, -1)
			nos := docNoRe.FindAllString(u, -1)
			for i := 0; i < max(len(names), len(nos)); i++ {
				rp := repeal{from: pg, why: Clip(u, 60)}
				if i < len(names) {
					rp.name = names[i][1]
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
			loc := sp.re.FindStringIndex(text)
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

// StalePattern is superseded text a page must no longer cite.
type StalePattern struct {
	ID           string   `yaml:"id"`
	Name         string   `yaml:"name"`
	Regex        string   `yaml:"regex"`
	Unless       string   `yaml:"unless"`
	SupersededBy string   `yaml:"superseded_by"`
	Citation     Citation `yaml:"citation"`

	re, unless *regexp.Regexp
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
		TermYears    string   `yaml:"term_years"`
		TermUntil    string   `yaml:"term_until"`
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
		if err := sp.compile(); err != nil {
			return fmt.Errorf("pattern %s: %w", sp.ID, err)
		}
	}
	return nil
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
	return nil
}
