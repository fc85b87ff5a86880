package htmlread

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"
)

// The collapsing renderer writes words as it walks instead of collapsing
// a raw rendering afterwards; on every element of every captured real page
// (and the fixture sites' pages), with and without hidden content, both
// must give the same text.
func TestCollapsingRendererEqualsCollapse(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(realPagesDir, "*.html"))
	more, _ := filepath.Glob("../../fixtures/sites/*/*/index.html")
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("found %d pages to compare on; the fixtures moved?", len(files))
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text, _, _ := Decode(b, "")
		doc := Parse(text)
		n := 0
		Walk(doc, func(x *html.Node) bool {
			if x.Type != html.ElementNode {
				return true
			}
			for _, hidden := range []bool{false, true} {
				want := Collapse(RenderText(x, TextOpts{Hidden: hidden}))
				got := RenderText(x, TextOpts{Hidden: hidden, Collapse: true})
				if got != want {
					t.Fatalf("%s <%s> hidden=%v:\n got %q\nwant %q", filepath.Base(f), x.Data, hidden, trim(got), trim(want))
				}
			}
			n++
			return n < 400 // the outer elements hold all the text; keep it fast
		})
	}
}

func trim(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return strings.TrimSpace(s)
}

// spaceAt decodes only after four lead bytes; every rune must still be
// classified as unicode.IsSpace does.
func TestSpaceAtEveryRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue // surrogates do not encode
		}
		s := string(r)
		space, size := spaceAt(s, 0)
		if space != unicode.IsSpace(r) || (space && size != len(s)) {
			t.Fatalf("spaceAt(%U) = %v, %d; unicode.IsSpace = %v", r, space, size, unicode.IsSpace(r))
		}
	}
}
