package checks

import (
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// RegulationValidityMissing reports policy-file pages that do not say
// whether the file is in force (有效性/时效/效力状态).
var RegulationValidityMissing = &Check{ID: "regulation.validity-missing", Run: runValidityMissing}

// RegulationRepealedUnmarked reports files declared repealed or expired —
// by a 清理结果 notice, a "原《…》同时废止" clause in a newer file, or their
// own 有效期 — whose page is not marked so.
var RegulationRepealedUnmarked = &Check{ID: "regulation.repealed-unmarked", Run: runRepealedUnmarked}

// RegulationStaleCitation reports 指南 and 依申请公开 pages that still cite
// superseded rules (the 2007 条例, 15个工作日, 检索费 …).
var RegulationStaleCitation = &Check{ID: "regulation.stale-citation", Run: runStaleCitation}

// markedRepealed says whether a policy page says it is no longer in force.
func markedRepealed(p *Pass, pg *site.Page) bool {
	v := p.Rules.Regulation.Validity
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
			Message:  p.Message("", "{title}", title, "{docno}", docNoSuffix(pg)),
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
	r := p.Rules.Regulation
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
	r := p.Rules.Regulation
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
			reason = p.Message("message_by", "{source}", rp.from.Title, "{source_url}", rp.from.URL, "{clause}", rp.why)
			ev, at = rp.why, rp.from
			break
		}
		if reason == "" {
			if end, clause := expiry(p, pg); !end.IsZero() && !asOf.Before(end) {
				reason = p.Message("message_expired", "{clause}", clause, "{end}", end.AddDate(0, 0, -1).Format(time.DateOnly),
					"{as_of}", asOf.Format(time.DateOnly))
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
			Message:  p.Message("", "{title}", title, "{docno}", docNoSuffix(pg), "{reason}", reason, "{validity}", validity),
			Evidence: PageEvidence(at, ev),
		})
	}
}

func runStaleCitation(p *Pass) {
	r := p.Rules.Regulation.StaleCitation
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
				Message:  p.Message("", "{page}", pg.Title, "{what}", sp.Name, "{quote}", quote, "{rule}", sp.SupersededBy),
				Evidence: PageEvidence(pg, quote),
				Citation: sp.Citation.String(),
			})
		}
	}
}
