package checks

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/site"
)

// AnnualReportMissing reports a missing 政府信息公开工作年度报告 for the year
// before the as-of year once its deadline has passed (1月31日 for
// departments, 3月31日 for local governments).
var AnnualReportMissing = &Check{ID: "annual-report.missing", Run: runAnnualReportMissing, Args: map[string][]string{
	"message": {"year", "deadline", "as_of"},
}}

// AnnualReportFormat reports annual reports (2021 and later) that lack one
// of the six sections of 国办公开办函〔2021〕30号.
var AnnualReportFormat = &Check{ID: "annual-report.format", Run: runAnnualReportFormat, Args: map[string][]string{
	"message": {"title", "sections", "format"},
}}

// AnnualReportLate reports annual reports published after their deadline
// (条例 第四十九条): late is not missing.
var AnnualReportLate = &Check{ID: "annual-report.late", Run: runAnnualReportLate, Args: map[string][]string{
	"message": {"title", "published", "deadline", "days", "level"},
}}

// ReportDeadline is when the report on the year before is due (MM-DD), for
// the levels it binds, under the rule in force then.
type ReportDeadline struct {
	Date     string   `yaml:"date"`
	Levels   Levels   `yaml:"levels"`
	InForce  InForce  `yaml:"in_force"`
	Citation Citation `yaml:"citation"`
}

// ReportFormat is one annual-report format and its legal life.
type ReportFormat struct {
	ID       string   `yaml:"id"`
	InForce  InForce  `yaml:"in_force"`
	Citation Citation `yaml:"citation"`
	Sections []struct {
		Name     string   `yaml:"name"`
		Patterns []string `yaml:"patterns"`
	} `yaml:"sections"`
}

// deadline is the day the report on year-1 is due in year for an agency of
// the level: the rule in force on that day decides.
func (ar *AnnualReportRules) deadline(year int, level string) (time.Time, Citation, bool) {
	for _, d := range ar.Deadlines {
		t, err := time.ParseInLocation(time.DateOnly, strconv.Itoa(year)+"-"+d.Date, bjtime.Zone)
		if err != nil || !d.Levels.Binds(level) || !d.InForce.Covers(t) {
			continue
		}
		return t, d.Citation, true
	}
	return time.Time{}, Citation{}, false
}

// format is the format a report on the year is held to: the one in force
// on 1 January of the year after, when it is written; nil before any.
func (ar *AnnualReportRules) format(year int) *ReportFormat {
	written := time.Date(year+1, 1, 1, 0, 0, 0, 0, bjtime.Zone)
	for i := range ar.Formats {
		if ar.Formats[i].InForce.Covers(written) {
			return &ar.Formats[i]
		}
	}
	return nil
}

// AnnualReportArithmetic reports annual reports whose table 三 does not add
// up: per column, 一 + 二 must equal 三(七)总计 + 四.
var AnnualReportArithmetic = &Check{ID: "annual-report.arithmetic", Run: runAnnualReportArithmetic, Args: map[string][]string{
	"message": {"title", "columns"},
}}

// reportYear is the reporting year an annual-report title names, or 0.
func reportYear(p *Pass, title string) int {
	re := annualReportRules.Of(p.Rules).title
	m := re.FindStringSubmatch(title)
	if m == nil {
		return 0
	}
	y, _ := strconv.Atoi(m[re.SubexpIndex("year")])
	return y
}

// annualReports are the HTML pages that are annual reports, with their year.
func annualReports(p *Pass) map[*site.Page]int {
	out := map[*site.Page]int{}
	for _, pg := range htmlPages(p.Site) {
		if pg.Kind == site.KindColumn || pg.Kind == site.KindHome {
			continue
		}
		if y := reportYear(p, pg.Title); y > 0 {
			out[pg] = y
		}
	}
	return out
}

func runAnnualReportMissing(p *Pass) {
	want := p.AsOf.Year() - 1
	deadline, cite, ok := annualReportRules.Of(p.Rules).deadline(p.AsOf.Year(), p.Level)
	if !ok || !dayOf(p.AsOf).After(deadline) {
		return
	}
	col := locateColumns(p)["xxgk.annual-report"]
	if col != nil && !col.Found {
		return // columns.missing reports the column
	}
	for _, y := range annualReports(p) {
		if y == want {
			return
		}
	}
	// A report listed in a column counts even if its page was not read.
	for _, c := range p.Site.Columns {
		for _, it := range c.Items {
			if reportYear(p, it.Title) == want {
				return
			}
		}
	}
	u := p.Site.StartURL
	if col != nil && col.URL != "" {
		u = col.URL
	} else if h := p.Site.Home(); h != nil {
		u = h.URL
	}
	subject := strconv.Itoa(want) + "年政府信息公开工作年度报告"
	p.Report(Finding{
		Subject:  subject,
		URL:      u,
		Message:  p.Message("", Args{"year": strconv.Itoa(want), "deadline": deadline.Format("2006年1月2日"), "as_of": p.AsOf.Format(time.DateOnly)}),
		Evidence: PageEvidence(p.Site.Page(u), "未见"+subject),
		Citation: cite.String(),
	})
}

// reportDate is when a report was published: its page's date, else the
// date the column lists it with.
func reportDate(p *Pass, pg *site.Page) time.Time {
	if !pg.PubDate.IsZero() {
		return pg.PubDate
	}
	for _, c := range p.Site.Columns {
		for _, it := range c.Items {
			if !it.Date.IsZero() && p.Site.Resolve(it.URL) == pg {
				return it.Date
			}
		}
	}
	return time.Time{}
}

func runAnnualReportLate(p *Pass) {
	asOf := dayOf(p.AsOf)
	// A year's report counts from its first publication: a copy reposted
	// later (a 专栏 and a 目录 entry) is not late.
	first := map[int]*site.Page{}
	firstDate := map[int]time.Time{}
	for _, pg := range sortedPages(annualReports(p)) {
		y := reportYear(p, pg.Title)
		pub := reportDate(p, pg)
		if pub.IsZero() {
			continue
		}
		if d, ok := firstDate[y]; !ok || pub.Before(d) {
			first[y], firstDate[y] = pg, pub
		}
	}
	years := make([]int, 0, len(first))
	for y := range first {
		years = append(years, y)
	}
	sort.Ints(years)
	for _, y := range years {
		pg, pub := first[y], firstDate[y]
		deadline, cite, ok := annualReportRules.Of(p.Rules).deadline(y+1, p.Level)
		// Judged only once the deadline passed on the as-of date, against
		// the rule in force on the deadline.
		if !ok || !asOf.After(deadline) || !dayOf(pub).After(deadline) {
			continue
		}
		days := int(dayOf(pub).Sub(deadline).Hours() / 24)
		p.Report(Finding{
			Subject: pg.Title,
			URL:     pg.URL,
			Message: p.Message("", Args{"title": pg.Title, "published": pub.Format(time.DateOnly),
				"deadline": deadline.Format("2006年1月2日"), "days": strconv.Itoa(days), "level": p.Rules.LevelTitle(p.Level)}),
			Evidence: PageEvidence(pg, "发布日期 "+pub.Format(time.DateOnly)+"，法定期限 "+deadline.Format(time.DateOnly)),
			Citation: cite.String(),
		})
	}
}

func runAnnualReportFormat(p *Pass) {
	ar := annualReportRules.Of(p.Rules)
	for _, pg := range sortedPages(annualReports(p)) {
		y := reportYear(p, pg.Title)
		text := normText(pg.ReadText())
		f := ar.format(y)
		// No format yet for that year (or not yet in force on the as-of
		// date), or the report is only an attachment.
		if f == nil || dayOf(p.AsOf).Before(f.InForce.From.Time) || len([]rune(text)) < 200 {
			continue
		}
		var missing []string
		for _, sec := range f.Sections {
			hit := false
			for _, pat := range sec.Patterns {
				hit = hit || strings.Contains(text, normText(pat))
			}
			if !hit {
				missing = append(missing, "“"+sec.Name+"”")
			}
		}
		if len(missing) == 0 {
			continue
		}
		p.Report(Finding{
			Subject:  pg.Title,
			URL:      pg.URL,
			Message:  p.Message("", Args{"title": pg.Title, "sections": strings.Join(missing, "、"), "format": f.Citation.Document}),
			Evidence: PageEvidence(pg, "缺少章节："+strings.Join(missing, "、")),
			Citation: f.Citation.String(),
		})
	}
}

func sortedPages(m map[*site.Page]int) []*site.Page {
	var out []*site.Page
	for pg := range m {
		out = append(out, pg)
	}
	sortPagesByURL(out)
	return out
}

// tableThree finds table 三 in a report: the rows labelled 本年新收, 上年结转,
// 总计 and 结转下年度, each with its numbers.
func tableThree(p *Pass, pg *site.Page) (rows [4][]int, header []string, ok bool) {
	t3 := annualReportRules.Of(p.Rules).Table3
	labels := [4]string{t3.New, t3.CarriedIn, t3.Total, t3.CarriedOut}
	for _, t := range pg.Tables {
		var found [4]bool
		var hdr []string
		for _, row := range t.Rows {
			label, nums := splitRow(row)
			if len(nums) == 0 {
				if strings.Contains(strings.Join(row, ""), t3.Total) && len(row) > 1 {
					hdr = row // the header row that names the columns
				}
				continue
			}
			for i, l := range labels {
				if !found[i] && strings.Contains(label, l) {
					rows[i], found[i] = nums, true
					break
				}
			}
		}
		if found[0] && found[1] && found[2] && found[3] {
			return rows, hdr, true
		}
	}
	return rows, nil, false
}

// splitRow separates a row's label cells from its trailing numeric cells.
func splitRow(row []string) (label string, nums []int) {
	i := len(row)
	for i > 0 {
		c := strings.TrimSpace(row[i-1])
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 {
			break
		}
		nums = append([]int{n}, nums...)
		i--
	}
	return strings.Join(row[:i], " "), nums
}

func runAnnualReportArithmetic(p *Pass) {
	for _, pg := range sortedPages(annualReports(p)) {
		rows, hdr, ok := tableThree(p, pg)
		if !ok {
			continue
		}
		n := min(len(rows[0]), len(rows[1]), len(rows[2]), len(rows[3]))
		var bad []string
		for i := 0; i < n; i++ {
			if rows[0][i]+rows[1][i] == rows[2][i]+rows[3][i] {
				continue
			}
			name := "第" + strconv.Itoa(i+1) + "列"
			// Headers name the last columns; align from the right.
			if j := len(hdr) - (n - i); j >= 0 && j < len(hdr) && hdr[j] != "" {
				name = hdr[j]
			}
			bad = append(bad, name+"："+strconv.Itoa(rows[0][i])+"+"+strconv.Itoa(rows[1][i])+"≠"+
				strconv.Itoa(rows[2][i])+"+"+strconv.Itoa(rows[3][i]))
		}
		if len(bad) == 0 {
			continue
		}
		p.Report(Finding{
			Subject:  pg.Title,
			URL:      pg.URL,
			Message:  p.Message("", Args{"title": pg.Title, "columns": strings.Join(bad, "；")}),
			Evidence: PageEvidence(pg, strings.Join(bad, "；")),
		})
	}
}

// AnnualReportRules describe the 政府信息公开工作年度报告.
type AnnualReportRules struct {
	Title     string           `yaml:"title"`
	Deadlines []ReportDeadline `yaml:"deadlines"`
	Formats   []ReportFormat   `yaml:"formats"`
	Table3    struct {
		New        string `yaml:"new"`
		CarriedIn  string `yaml:"carried_in"`
		Total      string `yaml:"total"`
		CarriedOut string `yaml:"carried_out"`
	} `yaml:"table3"`

	title *regexp.Regexp
}

var annualReportRules = RegisterRules(RuleFile[AnnualReportRules]{
	Name: "annualreport.yaml",
	Validate: func(ar *AnnualReportRules, rb *Rulebook) error {
		var err error
		if ar.title, err = regexp.Compile(ar.Title); err != nil || ar.title.SubexpIndex("year") < 0 {
			return fmt.Errorf("title must compile with a (?P<year>…) group: %v", err)
		}
		for _, d := range ar.Deadlines {
			if _, err := time.Parse(time.DateOnly, "2001-"+d.Date); err != nil || d.Citation.Document == "" {
				return fmt.Errorf("deadline %q needs a MM-DD date and a citation", d.Date)
			}
			if err := rb.checkLevels("deadline "+d.Date, d.Levels); err != nil {
				return err
			}
		}
		// Every level must have a deadline under the current 条例.
		for _, lv := range rb.LevelIDs() {
			if _, _, ok := ar.deadline(2100, lv); !ok {
				return fmt.Errorf("no deadline binds level %s", lv)
			}
		}
		for _, f := range ar.Formats {
			if f.ID == "" || len(f.Sections) == 0 || f.Citation.Document == "" || f.InForce.From.IsZero() {
				return fmt.Errorf("format %q needs an id, sections, a citation and in_force from", f.ID)
			}
		}
		return nil
	},
})

func init() {
	Register(AnnualReportMissing, AnnualReportLate, AnnualReportFormat, AnnualReportArithmetic)
}
