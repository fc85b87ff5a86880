package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/score"
)

// sample is a small report shaped like a real audit, with the given extra
// text planted in every page-derived field.
func sample(hostile string) *Report {
	f := func(id string, sev checks.Severity, subject, url, cat string, pts float64) Finding {
		return Finding{
			Finding: checks.Finding{
				CheckID: id, Severity: sev, Subject: subject + hostile, URL: url,
				Message:  "栏目“" + subject + hostile + "”有问题。",
				Evidence: checks.Evidence{Snippet: "证据" + hostile, FetchedAt: "2026-11-20T02:00:00Z", WARCRecordID: "<urn:uuid:1234-" + id + ">"},
				Citation: "国办秘函〔2019〕19号 单项否决指标", Fingerprint: checks.Fingerprint(id, url, subject),
			},
			Title: "标题" + hostile, Category: cat, Points: pts,
		}
	}
	return &Report{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "govlint", Version: "v0.0.0-test"},
		Site: Site{URL: "http://127.0.0.1:8080/index.html", Profile: "finance-bureau", ProfileTitle: "财政厅（局）",
			AsOf: "2026-11-20", StartedAt: "2026-11-20T02:00:00Z", FinishedAt: "2026-11-20T02:01:00Z", Snapshot: "out/report.warc.gz"},
		Stats: Stats{PagesFetched: 10, PagesOK: 9, PagesDead: 1, Bytes: 123456, DurationMS: 60000},
		Score: score.Result{Total: 52, Max: 100, PassScore: 60, Passed: false, Vetoed: true,
			VetoReasons: []string{"空白栏目达到5个" + hostile},
			Categories: []score.CategoryResult{
				{ID: "columns", Name: "栏目设置与更新", Max: 40, Deducted: 8, Findings: 2},
				{ID: "availability", Name: "网站可用性", Max: 25, Deducted: 1, Findings: 2},
			}},
		Findings: []Finding{
			f("columns.missing", checks.SeverityVeto, "PPP", "http://127.0.0.1:8080/index.html", "columns", 5),
			f("columns.stale", checks.SeverityError, "收费目录清单", "http://127.0.0.1:8080/sfml/index.html", "columns", 3),
			f("links.broken", checks.SeverityWarning, "/old.html", "http://127.0.0.1:8080/a.html", "availability", 1),
			f("links.broken", checks.SeverityNeedsReview, "/maybe.html", "http://127.0.0.1:8080/b.html", "availability", 0),
		},
		Columns: []Column{
			{Name: "收费目录清单" + hostile, Path: []string{"收费目录清单"}, URL: "http://127.0.0.1:8080/sfml/index.html", Items: 3, Newest: "2025-03-01", ListPages: 1, Complete: true},
			{Name: "行政执法公示", Path: []string{"行政执法公示"}, URL: "javascript:alert(1)", Items: 0, ListPages: 1},
		},
		Notes: []string{"本报告基于单次抓取。"},
		Rules: catalogueRules(),
	}
}

// catalogueRules is the rules section an audit writes (audit.Rules, which
// this package cannot import): every check of the embedded catalogue a
// single run judges.
func catalogueRules() []Rule {
	cat, err := checks.Load()
	if err != nil {
		panic(err)
	}
	var out []Rule
	for _, c := range cat.Checks {
		if c.NeedsHistory {
			continue
		}
		ri := Rule{ID: c.ID, Title: c.Text.Title, TitleEN: c.Text.TitleEN, Severity: c.Text.Severity,
			Description: strings.TrimSpace(c.Text.Description), Detection: strings.TrimSpace(c.Text.Detection),
			Fix: strings.TrimSpace(c.Text.Fix)}
		if c.Text.CitationsFrom == "column" {
			ri.Citations = append(ri.Citations, "各栏目的设置依据（见 govlint explain "+c.ID+"）")
		}
		for _, ci := range c.Text.Citations {
			ri.Citations = append(ri.Citations, ci.String())
		}
		out = append(out, ri)
	}
	return out
}

func render(t *testing.T, fn func(*bytes.Buffer, *Report) error, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, fn(&b, r))
	return b.Bytes()
}

func htmlOf(b *bytes.Buffer, r *Report) error        { return HTML(b, r) }
func sarifOf(b *bytes.Buffer, r *Report) error       { return SARIF(b, r) }
func junitOf(b *bytes.Buffer, r *Report) error       { return JUnit(b, r) }
func csvOf(b *bytes.Buffer, r *Report) error         { return CSV(b, r) }
func xlsxOf(b *bytes.Buffer, r *Report) error        { return XLSX(b, r) }
func annotationsOf(b *bytes.Buffer, r *Report) error { return Annotations(b, r) }
func markdownOf(b *bytes.Buffer, r *Report) error    { return Markdown(b, r) }

// elements counts start tags by name and collects attribute names.
func elements(t *testing.T, doc []byte) (map[string]int, map[string]int) {
	t.Helper()
	tags, attrs := map[string]int{}, map[string]int{}
	z := html.NewTokenizer(bytes.NewReader(doc))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			tok := z.Token()
			tags[tok.Data]++
			for _, a := range tok.Attr {
				attrs[strings.ToLower(a.Key)]++
				if a.Key == "href" {
					assert.False(t, strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:"), "javascript: href %q", a.Val)
				}
			}
		}
	}
	return tags, attrs
}

func TestHTMLEscapesHostileText(t *testing.T) {
	t.Parallel()
	clean := render(t, htmlOf, sample(""))
	wantTags, wantAttrs := elements(t, clean)
	require.Equal(t, 1, wantTags["script"], "the report's own script")

	long := strings.Repeat("长", 1<<20)
	for _, hostile := range []string{
		`<script>alert(1)</script>`,
		`"><img src=x onerror=alert(1)>`,
		`'><svg onload=alert(1)>`,
		"\u202e\u2066evil\u202c",
		`</style><iframe src=//x>`,
		long,
	} {
		out := render(t, htmlOf, sample(hostile))
		tags, attrs := elements(t, out)
		assert.Equal(t, wantTags, tags, "hostile %q changed the element structure", checks.Clip(hostile, 40))
		assert.Equal(t, wantAttrs, attrs, "hostile %q changed the attributes", checks.Clip(hostile, 40))
		assert.NotContains(t, string(out), "\u202e", "bidi override must not reach the report")
		assert.Less(t, len(out), 200_000, "a 1 MB page string must be clipped, not copied")
	}
}

func TestHTMLContent(t *testing.T) {
	t.Parallel()
	r := sample("")
	r.Findings[1].IgnoreExpired = &Ignore{Check: "columns.stale", URL: "/sfml/*", Reason: "改版中", Expires: "2026-10-01"}
	out := string(render(t, htmlOf, r))
	assert.Contains(t, out, `<html lang="zh-CN">`)
	assert.NotContains(t, out, "http-equiv")
	for _, s := range []string{"src=", "<link", "@import", "url("} {
		assert.NotContains(t, out, s, "self-contained: no external resource (%s)", s)
	}
	veto := strings.Index(out, "空白栏目达到5个")
	list := strings.Index(out, "问题清单")
	require.True(t, veto > 0 && list > 0)
	assert.Less(t, veto, list, "veto reasons come before the findings")
	assert.Contains(t, out, "不合格（单项否决）")
	assert.Contains(t, out, "栏目设置与更新")
	assert.Contains(t, out, "&lt;urn:uuid:1234-columns.stale&gt;", "WARC record ID shown")
	assert.Contains(t, out, "2025-03-01", "columns table with newest date")
	assert.Contains(t, out, "国办秘函〔2019〕19号", "citation")
	assert.Contains(t, out, "2026-11-20 10:00:00", "fetch time in Beijing time")
	assert.Contains(t, out, "忽略规则已于 2026-10-01 到期")
	// How to fix comes from the rulebook.
	cat, err := checks.Load()
	require.NoError(t, err)
	assert.Contains(t, out, cat.Lookup("columns.stale").Text.Fix)
	assert.Contains(t, out, "@media print")
	// Grouping: the availability category comes after columns, and inside
	// columns the veto finding comes before the error one.
	assert.Less(t, strings.Index(out, "“PPP”"), strings.Index(out, "“收费目录清单”"))
	assert.Less(t, strings.Index(out, "“收费目录清单”"), strings.Index(out, "“/old.html”"))
}

// Veto items a person must confirm (V1, the 表述错误 and hidden-link checks)
// are shown apart from confirmed vetoes, before the findings.
func TestHTMLVetoCandidates(t *testing.T) {
	t.Parallel()
	r := sample("")
	r.Score.VetoCandidates = []string{"V1 严重问题：疑似表述错误“全面建成小康社会”"}
	out := string(render(t, htmlOf, r))
	cand := strings.Index(out, "单项否决候选（待人工核实）")
	require.Positive(t, cand, "candidates heading shown")
	assert.Contains(t, out, "疑似表述错误")
	assert.Less(t, cand, strings.Index(out, "问题清单"), "candidates come before the findings")
	assert.NotContains(t, string(render(t, htmlOf, sample(""))), "单项否决候选", "no heading without candidates")
}

func TestHTMLUnscoredReport(t *testing.T) {
	t.Parallel()
	r := sample("")
	r.Score = score.Result{}
	r.Findings = nil
	out := string(render(t, htmlOf, r))
	assert.Contains(t, out, "未评分")
	assert.Contains(t, out, "未发现问题")
}

type sarifDoc struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID               string `json:"id"`
					ShortDescription struct{ Text string }
					Help             struct{ Text, Markdown string }
					Properties       map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIF(t *testing.T) {
	t.Parallel()
	r := sample("")
	var doc sarifDoc
	require.NoError(t, json.Unmarshal(render(t, sarifOf, r), &doc))
	assert.Equal(t, "2.1.0", doc.Version)
	require.Len(t, doc.Runs, 1)
	run := doc.Runs[0]
	assert.Equal(t, "govlint", run.Tool.Driver.Name)
	cat, err := checks.Load()
	require.NoError(t, err)
	require.Len(t, run.Tool.Driver.Rules, singleRunChecks(cat), "one rule per check a single run judges")
	for _, rule := range run.Tool.Driver.Rules {
		c := cat.Lookup(rule.ID)
		require.NotNil(t, c, rule.ID)
		assert.Equal(t, c.Text.Title, rule.ShortDescription.Text)
		assert.Contains(t, rule.Help.Text, "依据", rule.ID)
		assert.Contains(t, rule.Help.Text, strings.TrimSpace(c.Text.Fix), rule.ID)
		for _, ci := range c.Text.Citations {
			assert.Contains(t, rule.Help.Text, ci.Document, rule.ID)
		}
	}
	require.Len(t, run.Results, len(r.Findings))
	wantLevel := []string{"error", "error", "warning", "note"}
	for i, res := range run.Results {
		f := r.Findings[i]
		assert.Equal(t, f.CheckID, res.RuleID)
		assert.Equal(t, f.CheckID, run.Tool.Driver.Rules[res.RuleIndex].ID, "ruleIndex points at the rule")
		assert.Equal(t, wantLevel[i], res.Level)
		require.Len(t, res.Locations, 1)
		assert.Equal(t, f.URL, res.Locations[0].PhysicalLocation.ArtifactLocation.URI)
		assert.Equal(t, f.Fingerprint, res.PartialFingerprints["govlint/v1"])
		assert.Contains(t, res.Message.Text, f.Citation)
	}
}

type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Suites   []struct {
		Cases []struct {
			Name     string `xml:"name,attr"`
			Failures []struct {
				Type string `xml:"type,attr"`
				Text string `xml:",chardata"`
			} `xml:"failure"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnit(t *testing.T) {
	t.Parallel()
	r := sample("\x00\x1b[31m<&>")
	var doc junitDoc
	require.NoError(t, xml.Unmarshal(render(t, junitOf, r), &doc))
	cat, err := checks.Load()
	require.NoError(t, err)
	require.Len(t, doc.Suites, 1)
	cases := doc.Suites[0].Cases
	assert.Len(t, cases, singleRunChecks(cat), "one testcase per check a single run judges")
	assert.Equal(t, singleRunChecks(cat), doc.Tests)
	byName := map[string]int{}
	for i, c := range cases {
		byName[strings.Fields(c.Name)[0]] = i
	}
	links := cases[byName["links.broken"]]
	require.Len(t, links.Failures, 1, "the warning fails, the needs-review one does not")
	assert.Equal(t, "warning", links.Failures[0].Type)
	assert.Contains(t, links.Failures[0].Text, "http://127.0.0.1:8080/a.html")
	assert.Contains(t, links.SystemOut, "/maybe.html")
	assert.Len(t, cases[byName["columns.missing"]].Failures, 1)
	assert.Empty(t, cases[byName["identity.footer"]].Failures, "a check without findings passes")
	assert.Equal(t, 3, doc.Failures, "three checks failed")
}

func TestCSVRoundTrip(t *testing.T) {
	t.Parallel()
	r := sample("")
	r.Findings[0].Subject = `=HYPERLINK("http://x","点我")`
	r.Findings[1].Message = "含,逗号\"引号\n换行"
	out := render(t, csvOf, r)
	require.True(t, bytes.HasPrefix(out, []byte("\uFEFF")), "BOM for spreadsheet programs")
	recs, err := csv.NewReader(bytes.NewReader(out[3:])).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, len(r.Findings)+1)
	assert.Equal(t, CSVHeader, recs[0])
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for i, f := range r.Findings {
		row := recs[i+1]
		assert.Equal(t, f.CheckID, row[col["check_id"]])
		assert.Equal(t, string(f.Severity), row[col["severity"]])
		assert.Equal(t, f.URL, row[col["url"]])
		assert.Equal(t, f.Fingerprint, row[col["fingerprint"]])
		assert.Equal(t, f.Evidence.WARCRecordID, row[col["warc_record_id"]])
	}
	assert.Equal(t, `'=HYPERLINK("http://x","点我")`, recs[1][col["subject"]], "formula defused")
	assert.Equal(t, "含,逗号\"引号 换行", recs[2][col["message"]])
}

func TestXLSX(t *testing.T) {
	t.Parallel()
	r := sample("")
	r.Findings[0].Subject = "=1+1"
	x, err := excelize.OpenReader(bytes.NewReader(render(t, xlsxOf, r)))
	require.NoError(t, err)
	defer x.Close()
	assert.Equal(t, []string{SheetFindings, SheetColumns, SheetScore}, x.GetSheetList())
	rows, err := x.GetRows(SheetFindings)
	require.NoError(t, err)
	require.Len(t, rows, len(r.Findings)+1)
	assert.Equal(t, "级别", rows[0][0])
	assert.Equal(t, "单项否决", rows[1][0])
	assert.Equal(t, "columns.missing", rows[1][2])
	assert.Equal(t, "http://127.0.0.1:8080/index.html", rows[1][7])
	f, err := x.GetCellFormula(SheetFindings, "F2")
	require.NoError(t, err)
	assert.Empty(t, f, "page text is never a formula")
	v, _ := x.GetCellValue(SheetFindings, "F2")
	assert.Equal(t, "=1+1", v)

	rows, err = x.GetRows(SheetColumns)
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, "收费目录清单", rows[1][0])
	assert.Equal(t, "2025-03-01", rows[1][3])

	rows, err = x.GetRows(SheetScore)
	require.NoError(t, err)
	var total, verdictRow string
	for _, row := range rows {
		if len(row) >= 2 && row[0] == "得分" {
			total = row[1]
		}
		if len(row) >= 2 && row[0] == "结论" {
			verdictRow = row[1]
		}
	}
	assert.Equal(t, "52", total)
	assert.Equal(t, "不合格（单项否决）", verdictRow)
}

func TestAnnotationsEscaping(t *testing.T) {
	t.Parallel()
	r := sample("")
	r.Findings[0].Message = "100% 缺失\n::error::injected\r\nline"
	r.Findings[0].Subject = "a:b,c"
	out := string(render(t, annotationsOf, r))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, len(r.Findings), "one line per finding, whatever the page text holds")
	assert.True(t, strings.HasPrefix(lines[0], "::error title=govlint columns.missing "), lines[0])
	assert.True(t, strings.HasPrefix(lines[2], "::warning title="), lines[2])
	assert.True(t, strings.HasPrefix(lines[3], "::notice title="), lines[3])
	title, msg, ok := strings.Cut(strings.TrimPrefix(lines[0], "::error "), "::")
	require.True(t, ok)
	assert.Contains(t, title, "a%3Ab%2Cc", "property values escape : and ,")
	assert.NotContains(t, title, ":b")
	assert.Contains(t, msg, "100%25 缺失")
	assert.Contains(t, msg, "%0A页面：http://127.0.0.1:8080/index.html", "message lines joined with %0A")
	assert.NotContains(t, msg, "\r")
}

func TestMarkdown(t *testing.T) {
	t.Parallel()
	r := sample("|<img src=x>[x](javascript:1)")
	out := string(render(t, markdownOf, r))
	assert.Contains(t, out, "## ❌ govlint 政务公开检查：不合格（单项否决）")
	assert.Contains(t, out, "**得分 52 / 100**")
	assert.NotContains(t, out, "<img")
	assert.NotContains(t, out, "](javascript")
	var rows int
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "| ") && strings.Contains(l, "127.0.0.1") {
			rows++
			// Escaped pipes do not add cells: 6 columns → 7 unescaped bars.
			assert.Equal(t, 7, strings.Count(l, "|")-strings.Count(l, `\|`), l)
		}
	}
	assert.Equal(t, len(r.Findings), rows)
}

// WriteJSON streams findings one at a time; its bytes must be exactly
// those of marshalling the whole report, or readers of the contract (and
// byte-for-byte golden comparisons) would see a different document.
func TestWriteJSONEqualsMarshalIndent(t *testing.T) {
	hostile := "<script>&\"\n\t\\u2028\u2028 \"findings\": null"
	withIgnored := sample(hostile)
	withIgnored.Ignored = []Ignored{{Finding: withIgnored.Findings[0], Ignore: Ignore{Check: "columns.missing", URL: "*", Reason: "r", Expires: "2027-01-01"}}}
	withIgnored.Config = ".govlint.yaml"
	empty := sample("")
	empty.Findings = []Finding{}
	none := sample("")
	none.Findings = nil
	cases := map[string]*Report{"findings": sample(""), "hostile text": sample(hostile), "ignored and config": withIgnored, "no findings": empty, "nil findings": none}
	for name, r := range cases {
		t.Run(name, func(t *testing.T) {
			want, err := json.MarshalIndent(r, "", "  ")
			require.NoError(t, err)
			got := render(t, func(b *bytes.Buffer, r *Report) error { return WriteJSON(b, r) }, r)
			assert.Equal(t, string(want)+"\n", string(got))
			var back Report
			require.NoError(t, json.Unmarshal(got, &back))
			assert.Len(t, back.Findings, len(r.Findings))
		})
	}
}

// Renderers describe checks from the report's rules section alone: what it
// says is what they print, and a report without one lists only the checks
// its findings name.
func TestRenderersReadRulesFromTheReport(t *testing.T) {
	t.Parallel()
	r := sample("")
	r.Rules = []Rule{
		{ID: "columns.missing", Title: "自定义标题", Severity: checks.SeverityVeto, Fix: "按报告所载规则整改。", Citations: []string{"报告所载依据 第1条"}},
		{ID: "custom.only", Title: "仅在报告中的检查项", Severity: checks.SeverityNotice},
	}
	r.Disabled = []string{"custom.only"}
	out := string(render(t, htmlOf, r))
	assert.Contains(t, out, "按报告所载规则整改。")

	var doc sarifDoc
	require.NoError(t, json.Unmarshal(render(t, sarifOf, r), &doc))
	var ids []string
	for _, rule := range doc.Runs[0].Tool.Driver.Rules {
		ids = append(ids, rule.ID)
	}
	// The report's rules (less the disabled one), then the checks only
	// findings name, described from them.
	assert.Equal(t, []string{"columns.missing", "columns.stale", "links.broken"}, ids)
	assert.Equal(t, "自定义标题", doc.Runs[0].Tool.Driver.Rules[0].ShortDescription.Text)
	assert.Contains(t, doc.Runs[0].Tool.Driver.Rules[0].Help.Text, "报告所载依据 第1条")

	r.Rules = nil
	var junit junitDoc
	require.NoError(t, xml.Unmarshal(render(t, junitOf, r), &junit))
	assert.Len(t, junit.Suites[0].Cases, 3, "without a rules section: one testcase per check a finding names")
}

// singleRunChecks counts the checks a run without history judges: the
// history checks are described from their findings only.
func singleRunChecks(cat *checks.Catalogue) int {
	n := 0
	for _, c := range cat.Checks {
		if !c.NeedsHistory {
			n++
		}
	}
	return n
}
