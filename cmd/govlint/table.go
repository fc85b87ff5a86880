package main

import (
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// table lines up columns by display width: a Chinese character takes two
// terminal cells, which text/tabwriter counts as one, so its columns slip
// under Chinese titles.
type table struct {
	rows [][]string
}

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

// write prints the rows, every column but the last padded to its widest
// cell plus two spaces.
func (t *table) write(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	var b, line strings.Builder
	for _, r := range t.rows {
		line.Reset()
		for i, c := range r {
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// displayWidth is how many terminal cells s takes: two for East Asian wide
// and fullwidth characters, none for combining marks and controls, one
// otherwise (ambiguous-width characters as one, as terminals outside East
// Asian locales show them).
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.IsControl(r) || r == '\u200b':
		case width.LookupRune(r).Kind() == width.EastAsianWide || width.LookupRune(r).Kind() == width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
