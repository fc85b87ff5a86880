package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Format is one output format of a report.
type Format struct {
	Name   string
	Render func(io.Writer, *Report) error
	// Binary formats are not text: written to a terminal they are garbage.
	Binary bool
}

// formats in the order they are listed in messages and help.
var formats = []Format{
	{Name: "text", Render: Text},
	{Name: "json", Render: WriteJSON},
	{Name: "html", Render: HTML},
	{Name: "sarif", Render: SARIF},
	{Name: "junit", Render: JUnit},
	{Name: "csv", Render: CSV},
	{Name: "xlsx", Render: XLSX, Binary: true},
	{Name: "annotations", Render: Annotations},
	{Name: "markdown", Render: Markdown},
}

// Register adds a format rendered outside this package (one that needs a
// browser, say). It panics on a duplicate name, at start-up.
func Register(f Format) {
	if _, ok := LookupFormat(f.Name); ok {
		panic("report: format " + f.Name + " registered twice")
	}
	formats = append(formats, f)
}

// LookupFormat finds a format by its lower-case name.
func LookupFormat(name string) (Format, bool) {
	for _, f := range formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// FormatNames lists the formats, comma-separated, for messages and help.
func FormatNames() string {
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// Render writes r in the named format to w through one buffer (the
// renderers write in small pieces; Text and WriteJSON reuse this buffer
// rather than add their own).
func Render(w io.Writer, format string, r *Report) error {
	f, ok := LookupFormat(format)
	if !ok {
		return fmt.Errorf("unknown report format %q (known: %s)", format, FormatNames())
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := f.Render(bw, r); err != nil {
		return err
	}
	return bw.Flush()
}
