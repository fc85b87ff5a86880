package extract

import (
	"strings"

	"github.com/govlint/govlint/internal/htmlread"
	"golang.org/x/net/html"
)

// selector is a minimal tag/class/id matcher; the package matches nodes
// itself rather than through CSS selectors so no rule can be pathological.
type selector struct{ tag, class, id string }

func (s selector) match(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if s.tag != "" && n.Data != s.tag {
		return false
	}
	if s.id != "" && !strings.EqualFold(htmlread.Attr(n, "id"), s.id) {
		return false
	}
	if s.class != "" && !htmlread.HasClass(n, s.class) {
		return false
	}
	return s.tag != "" || s.id != "" || s.class != ""
}
