package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/govlint/govlint/checks"
)

// GitHub Actions workflow commands: the message is escaped for %, CR and LF;
// property values (title=…) also for : and ,. See "Workflow commands for
// GitHub Actions", escaping rules of the runner's command parser.
var (
	ghData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func ghLevel(s checks.Severity) string {
	switch s {
	case checks.SeverityVeto, checks.SeverityError:
		return "error"
	case checks.SeverityWarning:
		return "warning"
	}
	return "notice"
}

// Annotations writes one GitHub Actions workflow command per finding
// (`::error title=…::message`), so findings show on the run's summary page.
// Page-derived text is escaped and control characters are dropped, so a
// page cannot smuggle a second command into the log.
func Annotations(w io.Writer, r *Report) error {
	var b strings.Builder
	for _, f := range r.Findings {
		title := "govlint " + f.CheckID + " " + orDefault(f.Title, f.CheckID)
		if f.Subject != "" {
			title += "：" + checks.Clip(f.Subject, 80)
		}
		msg := oneLine(f.Message) + "\n页面：" + oneLine(f.URL)
		if f.Citation != "" {
			msg += "\n依据：" + oneLine(f.Citation)
		}
		if f.IgnoreExpired != nil {
			msg += "\n忽略规则已于 " + f.IgnoreExpired.Expires + " 到期，重新计入。"
		}
		fmt.Fprintf(&b, "::%s title=%s::%s\n", ghLevel(f.Severity), ghProperty.Replace(oneLine(title)), ghData.Replace(msg))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
