package checks

import (
	"fmt"
	"regexp"
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
	"message": {"title", "sections"},
}}

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
	deadline, err := bjtime.ParseDate(strconv.Itoa(p.AsOf.Year()) + "-" + annualReportRules.Of(p.Rules).Deadlines[p.Profile.ID])
	if err != nil || !dayOf(p.AsOf).After(deadline) {
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
	})
}

func runAnnualReportFormat(p *Pass) {
	ar := annualReportRules.Of(p.Rules)
	for _, pg := range sortedPages(annualReports(p)) {
		y := reportYear(p, pg.Title)
		text := normText(pg.ReadText())
		if y < ar.FormatFromYear || len([]rune(text)) < 200 {
			continue // older format, or the report is only an attachment
		}
		var missing []string
		for _, sec := range ar.Sections {
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
			Message:  p.Message("", Args{"title": pg.Title, "sections": strings.Join(missing, "、")}),
			Evidence: PageEvidence(pg, "缺少章节："+strings.Join(missing, "、")),
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
	Title          string            `yaml:"title"`
	Deadlines      map[string]string `yaml:"deadlines"`
	FormatFromYear int               `yaml:"format_from_year"`
	Sections       []struct {
		Name     string   `yaml:"name"`
		Patterns []string `yaml:"patterns"`
	} `yaml:"sections"`
	Table3 struct {
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
		for id := range rb.Profiles {
			d, ok := ar.Deadlines[id]
			if !ok {
				return fmt.Errorf("no deadline for profile %s", id)
			}
			if _, err := time.Parse(time.DateOnly, "2001-"+d); err != nil {
				return fmt.Errorf("deadline %q of %s is not MM-DD", d, id)
			}
		}
		return nil
	},
})
