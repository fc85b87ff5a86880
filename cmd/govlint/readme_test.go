package main

import (
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// readmeFlag is a flag as README.md writes it: --name, not inside a longer
// word.
var readmeFlag = regexp.MustCompile(`(?:^|[^A-Za-z0-9-])--([a-z][a-z0-9-]*)`)

// TestReadmeDocumentsEveryFlag holds README.md to the commands: every flag a
// command takes is named in that command's section ("### `govlint CMD …`"),
// and no flag named in a section's heading or flag table is missing from the
// command. A flag added without its documentation, or one renamed in the
// code but not in the README, fails here.
func TestReadmeDocumentsEveryFlag(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatalf("read README.md: %v", err)
	}
	sections := readmeCommandSections(string(b))
	root := newRoot(io.Discard, io.Discard)
	for _, cmd := range root.Commands() {
		name := cmd.Name()
		if name == "help" || name == "completion" {
			continue
		}
		text, ok := sections[name]
		if !ok {
			t.Errorf("README.md has no section \"### `govlint %s …`\"", name)
			continue
		}
		documented := map[string]bool{}
		for _, m := range readmeFlag.FindAllStringSubmatch(text, -1) {
			documented[m[1]] = true
		}
		cmd.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" {
				return
			}
			if !documented[f.Name] {
				t.Errorf("govlint %s --%s is not documented in its README section", name, f.Name)
			}
		})
		// A flag table's default column must show the flag's default.
		for _, row := range strings.Split(text, "\n") {
			cells := strings.Split(strings.ReplaceAll(row, `\|`, "/"), "|")
			if !strings.HasPrefix(row, "| `--") || len(cells) < 4 {
				continue
			}
			m := readmeFlag.FindStringSubmatch(cells[1])
			f := cmd.Flags().Lookup(m[1])
			if f == nil {
				continue // reported below
			}
			want := readmeDefault(f)
			whole := regexp.MustCompile(`(^|[^0-9A-Za-z.])` + regexp.QuoteMeta(want) + `($|[^0-9A-Za-z])`)
			if want != "" && !whole.MatchString(cells[2]) {
				t.Errorf("README gives govlint %s --%s the default %q; the command's is %q", name, f.Name, strings.TrimSpace(cells[2]), want)
			}
		}
		// Flags the section documents must exist (a rename in the code
		// leaves a stale name behind).
		for _, m := range readmeFlag.FindAllStringSubmatch(readmeFlagTable(text), -1) {
			if cmd.Flags().Lookup(m[1]) == nil {
				t.Errorf("README documents govlint %s --%s, which the command does not have", name, m[1])
			}
		}
	}
}

// readmeCommandSections maps each command to the text of the README
// sections whose heading starts with "### `govlint CMD" (a heading may name
// several commands: "`govlint checks`, `govlint explain ID`").
func readmeCommandSections(readme string) map[string]string {
	heading := regexp.MustCompile("`govlint ([a-z]+)")
	out := map[string]string{}
	var names []string
	var body strings.Builder
	flush := func() {
		for _, n := range names {
			out[n] += body.String()
		}
		names = nil
		body.Reset()
	}
	for _, line := range strings.Split(readme, "\n") {
		if strings.HasPrefix(line, "## ") || strings.HasPrefix(line, "### ") {
			flush()
			if strings.HasPrefix(line, "### `govlint ") {
				for _, m := range heading.FindAllStringSubmatch(line, -1) {
					if !slices.Contains(names, m[1]) {
						names = append(names, m[1])
					}
				}
			}
		}
		if names != nil {
			body.WriteString(line)
			body.WriteByte('\n')
		}
	}
	flush()
	return out
}

// readmeFlagTable is the part of a section that documents the command's own
// flags: its heading, its flag table (rows starting "| `--") and a
// "Flags: …" list. Prose may name other commands' flags ("batch's --run-id").
func readmeFlagTable(section string) string {
	var b strings.Builder
	for i, line := range strings.Split(section, "\n") {
		if i == 0 || strings.HasPrefix(line, "| `--") || strings.HasPrefix(line, "Flags: ") {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// readmeDefault is a flag's default as the README writes it: durations
// without zero units ("30m", not "30m0s"), booleans as off, none for an
// empty default (the table explains those in words).
func readmeDefault(f *pflag.Flag) string {
	v := f.DefValue
	switch {
	case v == "" || v == "[]":
		return ""
	case f.Value.Type() == "bool":
		if v == "false" {
			return "off"
		}
		return "on"
	case f.Value.Type() == "duration":
		if strings.HasSuffix(v, "m0s") {
			v = strings.TrimSuffix(v, "0s")
		}
		if strings.HasSuffix(v, "h0m") {
			v = strings.TrimSuffix(v, "0m")
		}
	}
	return v
}
