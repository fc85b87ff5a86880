package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/govlint/govlint/checks"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	Classname string         `xml:"classname,attr"`
	Time      string         `xml:"time,attr"`
	Failures  []junitFailure `xml:"failure"`
	SystemOut string         `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnit writes JUnit XML: one testcase per check, one <failure> per veto,
// error or warning finding of that check; notice and needs-review findings
// go to the testcase's system-out, since they do not fail a site.
func JUnit(w io.Writer, r *Report) error {
	suite := junitSuite{
		Name: "govlint " + oneLine(r.Site.URL), Timestamp: r.Site.StartedAt,
		Time: fmt.Sprintf("%.3f", float64(r.Stats.DurationMS)/1000),
		Properties: []junitProperty{
			{"site", oneLine(r.Site.URL)}, {"profile", r.Site.Profile}, {"as_of", r.Site.AsOf},
			{"score", trimNum(r.Score.Total)}, {"passed", fmt.Sprint(r.Score.Passed)},
		},
	}
	byCheck := map[string][]Finding{}
	for _, f := range r.Findings {
		byCheck[f.CheckID] = append(byCheck[f.CheckID], f)
	}
	for _, ri := range rulesOf(r) {
		c := junitCase{Name: ri.ID + " " + ri.Title, Classname: "govlint." + strings.SplitN(ri.ID, ".", 2)[0], Time: "0"}
		var out strings.Builder
		for _, f := range byCheck[ri.ID] {
			text := junitText(f)
			if f.Severity.Rank() >= checks.SeverityWarning.Rank() {
				c.Failures = append(c.Failures, junitFailure{
					Message: xmlSafe(checks.Clip(oneLine(f.Message), 500)), Type: string(f.Severity), Text: xmlSafe(text),
				})
				continue
			}
			fmt.Fprintf(&out, "[%s] %s\n%s\n", f.Severity.Label(), xmlSafe(oneLine(f.Message)), xmlSafe(text))
		}
		c.SystemOut = out.String()
		suite.Tests++
		if len(c.Failures) > 0 {
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, c)
	}
	doc := junitSuites{Name: "govlint", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitText(f Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "页面：%s\n", oneLine(f.URL))
	if f.Subject != "" {
		fmt.Fprintf(&b, "对象：%s\n", oneLine(f.Subject))
	}
	if f.Evidence.Snippet != "" {
		fmt.Fprintf(&b, "证据：%s\n", oneLine(f.Evidence.Snippet))
	}
	if f.Evidence.WARCRecordID != "" {
		fmt.Fprintf(&b, "存档：%s %s\n", f.Evidence.FetchedAt, f.Evidence.WARCRecordID)
	}
	if f.Citation != "" {
		fmt.Fprintf(&b, "依据：%s\n", oneLine(f.Citation))
	}
	if f.IgnoreExpired != nil {
		fmt.Fprintf(&b, "忽略规则已于 %s 到期，重新计入。\n", f.IgnoreExpired.Expires)
	}
	if f.Points > 0 {
		fmt.Fprintf(&b, "扣分：%s\n", trimNum(f.Points))
	}
	return b.String()
}

// xmlSafe drops runes XML 1.0 cannot carry at all (encoding/xml escapes
// the rest but would otherwise write U+FFFD silently or invalid XML).
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF) {
			return r
		}
		return -1
	}, s)
}
