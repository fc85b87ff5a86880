package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/url"
	"strings"
	"time"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/score"
)

//go:embed templates/report.html.tmpl
var htmlTemplate string

// Limits on page-derived text in the HTML report, so a hostile page cannot
// make the report unreadable or huge.
const (
	maxShort   = 300  // titles, subjects
	maxMessage = 2000 // messages
	maxSnippet = 600  // evidence snippets
	maxURL     = 2000
)

var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"num": trimNum,
}).Parse(htmlTemplate))

type htmlFinding struct {
	N         int
	Severity  string
	Label     string
	Title     string
	CheckID   string
	Subject   string
	Message   string
	URL       string
	Href      string // only http(s) URLs become links
	Snippet   string
	FetchedAt string
	RecordID  string
	Citation  string
	Fix       string
	Points    float64
	Expired   *Ignore
}

type htmlSeverity struct {
	Severity string
	Label    string
	Findings []htmlFinding
}

type htmlGroup struct {
	ID         string
	Name       string
	Deducted   float64
	Max        float64
	Count      int
	Severities []htmlSeverity
}

type htmlCategory struct {
	Name     string
	Max      float64
	Deducted float64
	Got      float64
	Pct      float64 // share of the category's points kept, for the bar
	Findings int
}

type htmlCount struct {
	Severity string
	Label    string
	N        int
}

type htmlColumn struct {
	Name     string
	Path     string
	URL      string
	Href     string
	Items    int
	Newest   string
	Pages    int
	Complete bool
}

type htmlIgnored struct {
	CheckID string
	Title   string
	URL     string
	Subject string
	Reason  string
	Expires string
}

type htmlData struct {
	SiteURL      string
	SiteHref     string
	Host         string
	Profile      string
	ProfileTitle string
	AsOf         string
	StartedAt    string
	FinishedAt   string
	Snapshot     string
	Tool         string
	Scored       bool
	Passed       bool
	Verdict      string
	Total        float64
	Max          float64
	PassScore    float64
	VetoReasons  []string
	// VetoCandidates are veto items a person must confirm (score.veto_candidates).
	VetoCandidates []string
	Categories     []htmlCategory
	Counts         []htmlCount
	Groups         []htmlGroup
	NFindings      int
	Columns        []htmlColumn
	Stats          Stats
	DurationS      string
	Notes          []string
	Ignored        []htmlIgnored
	Disabled       []string
	Baseline       *Baseline
	Config         string
	Summary        string
	Size           string
}

// HTML writes the report as one self-contained Chinese HTML page (inline
// CSS and script, no network), laid out for printing. Every page-derived
// string goes through html/template's contextual escaping.
func HTML(w io.Writer, r *Report) error {
	d := htmlData{
		SiteURL: clean(r.Site.URL, maxURL), SiteHref: safeHref(r.Site.URL), Host: hostOf(r.Site.URL),
		Profile: r.Site.Profile, ProfileTitle: r.Site.ProfileTitle, AsOf: r.Site.AsOf,
		StartedAt: beijing(r.Site.StartedAt), FinishedAt: beijing(r.Site.FinishedAt), Snapshot: clean(r.Site.Snapshot, maxURL),
		Tool:   strings.TrimSpace(r.Tool.Name + " " + r.Tool.Version),
		Scored: len(r.Score.Categories) > 0, Passed: r.Score.Passed, Verdict: verdict(r),
		Total: r.Score.Total, Max: r.Score.Max, PassScore: r.Score.PassScore,
		NFindings: len(r.Findings), Stats: r.Stats, DurationS: fmt.Sprintf("%.1f", float64(r.Stats.DurationMS)/1000),
		Disabled: r.Disabled, Baseline: r.Baseline, Config: clean(r.Config, maxURL),
	}
	d.Summary = summary(r)
	d.Size = byteSize(r.Stats.Bytes)
	for _, v := range r.Score.VetoCandidates {
		d.VetoCandidates = append(d.VetoCandidates, clean(v, maxMessage))
	}
	for _, v := range r.Score.VetoReasons {
		d.VetoReasons = append(d.VetoReasons, clean(v, maxMessage))
	}
	for _, n := range r.Notes {
		d.Notes = append(d.Notes, clean(n, maxMessage))
	}
	for _, c := range r.Score.Categories {
		hc := htmlCategory{Name: c.Name, Max: c.Max, Deducted: c.Deducted, Got: score.Round1(c.Max - c.Deducted), Findings: c.Findings}
		if c.Max > 0 {
			hc.Pct = math.Round(100 * (c.Max - c.Deducted) / c.Max)
		}
		d.Categories = append(d.Categories, hc)
	}
	count := map[checks.Severity]int{}
	for _, f := range r.Findings {
		count[f.Severity]++
	}
	for _, s := range severities {
		d.Counts = append(d.Counts, htmlCount{Severity: string(s), Label: s.Label(), N: count[s]})
	}

	// Group findings by category (rubric order, unknown categories last),
	// then by severity, keeping report order inside.
	var order []string
	for _, c := range r.Score.Categories {
		order = append(order, c.ID)
	}
	for _, f := range r.Findings {
		if !contains(order, f.Category) {
			order = append(order, f.Category)
		}
	}
	n := 0
	for _, cid := range order {
		g := htmlGroup{ID: cid, Name: categoryName(r, cid)}
		for _, c := range r.Score.Categories {
			if c.ID == cid {
				g.Deducted, g.Max = c.Deducted, c.Max
			}
		}
		for _, s := range severities {
			hs := htmlSeverity{Severity: string(s), Label: s.Label()}
			for _, f := range r.Findings {
				if f.Category != cid || f.Severity != s {
					continue
				}
				n++
				hs.Findings = append(hs.Findings, htmlFindingOf(r, n, f))
			}
			if len(hs.Findings) > 0 {
				g.Count += len(hs.Findings)
				g.Severities = append(g.Severities, hs)
			}
		}
		// Findings with a severity this govlint does not know.
		var odd htmlSeverity
		for _, f := range r.Findings {
			if f.Category == cid && !contains(sevStrings(), string(f.Severity)) {
				n++
				odd.Severity, odd.Label = string(f.Severity), clean(string(f.Severity), maxShort)
				odd.Findings = append(odd.Findings, htmlFindingOf(r, n, f))
			}
		}
		if len(odd.Findings) > 0 {
			g.Count += len(odd.Findings)
			g.Severities = append(g.Severities, odd)
		}
		if g.Count > 0 {
			d.Groups = append(d.Groups, g)
		}
	}
	for _, c := range r.Columns {
		d.Columns = append(d.Columns, htmlColumn{
			Name: clean(c.Name, maxShort), Path: clean(strings.Join(c.Path, " › "), maxShort),
			URL: clean(c.URL, maxURL), Href: safeHref(c.URL), Items: c.Items, Newest: clean(c.Newest, 20),
			Pages: c.ListPages, Complete: c.Complete,
		})
	}
	for _, ig := range r.Ignored {
		d.Ignored = append(d.Ignored, htmlIgnored{
			CheckID: clean(ig.CheckID, maxShort), Title: clean(ig.Title, maxShort), URL: clean(ig.URL, maxURL),
			Subject: clean(ig.Subject, maxShort), Reason: clean(ig.Ignore.Reason, maxMessage), Expires: clean(ig.Ignore.Expires, 20),
		})
	}
	var buf bytes.Buffer
	if err := htmlTmpl.Execute(&buf, d); err != nil {
		return fmt.Errorf("render html: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func htmlFindingOf(r *Report, n int, f Finding) htmlFinding {
	ri := ruleFor(r, f)
	title := f.Title
	if title == "" {
		title = ri.Title
	}
	return htmlFinding{
		N: n, Severity: string(f.Severity), Label: f.Severity.Label(),
		Title: clean(title, maxShort), CheckID: clean(f.CheckID, maxShort), Subject: clean(f.Subject, maxShort),
		Message: clean(f.Message, maxMessage), URL: clean(f.URL, maxURL), Href: safeHref(f.URL),
		Snippet:  clean(f.Evidence.Snippet, maxSnippet),
		RecordID: clean(f.Evidence.WARCRecordID, maxShort), Citation: clean(f.Citation, maxMessage),
		FetchedAt: beijing(f.Evidence.FetchedAt),
		Fix:       ri.Fix, Points: f.Points, Expired: f.IgnoreExpired,
	}
}

// safeHref returns u only if it is an absolute http(s) URL; html/template
// would neutralise javascript: anyway, but a dead "#ZgotmplZ" link is worse
// than plain text.
func safeHref(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || len(u) > maxURL {
		return ""
	}
	return p.String()
}

func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return clean(u, maxShort)
	}
	return clean(p.Host, maxShort)
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func sevStrings() []string {
	out := make([]string, len(severities))
	for i, s := range severities {
		out[i] = string(s)
	}
	return out
}

// beijing shows an RFC 3339 time in Beijing time, the time the reader
// lives in; anything else is shown as it is.
func beijing(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return clean(s, 40)
	}
	return t.In(bjtime.Zone).Format(time.DateTime)
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

// summary is the one-paragraph conclusion a leader reads first.
func summary(r *Report) string {
	var b strings.Builder
	if len(r.Score.Categories) == 0 {
		b.WriteString("本次检查未评分。")
		for _, n := range r.Notes {
			b.WriteString(clean(n, maxMessage))
			break
		}
		return b.String()
	}
	fmt.Fprintf(&b, "以 %s 为检测基准日，共抓取 %d 个地址，发现问题 %d 项", r.Site.AsOf, r.Stats.PagesFetched, len(r.Findings))
	var parts []string
	count := map[checks.Severity]int{}
	for _, f := range r.Findings {
		count[f.Severity]++
	}
	for _, s := range severities {
		if count[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d 项", s.Label(), count[s]))
		}
	}
	if len(parts) > 0 {
		b.WriteString("（" + strings.Join(parts, "，") + "）")
	}
	deducted := score.Round1(r.Score.Max - r.Score.Total)
	fmt.Fprintf(&b, "，共扣 %s 分，得分 %s 分（合格线 %s 分），结论：%s。",
		trimNum(deducted), trimNum(r.Score.Total), trimNum(r.Score.PassScore), verdict(r))
	if r.Score.Vetoed {
		b.WriteString("存在单项否决情形，须优先整改。")
	}
	return b.String()
}

func trimNum(f float64) string {
	if f == math.Trunc(f) {
		return fmt.Sprintf("%.0f", f)
	}
	return fmt.Sprintf("%.1f", f)
}
