package htmlread

import (
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Parse parses a document and never returns nil. x/net/html refuses
// documents nested deeper than 512 open elements (old gov pages with
// thousands of unclosed <font> tags get there), so on failure the document
// is re-tokenised with fewer kinds of tags kept, down to a flat document of
// text and links that always parses.
func Parse(text string) *html.Node {
	if doc, err := html.Parse(strings.NewReader(text)); err == nil {
		return doc
	}
	for _, keep := range []map[atom.Atom]bool{keepBlocks, keepMinimal} {
		if doc, err := html.Parse(strings.NewReader(retokenize(text, keep))); err == nil {
			return doc
		}
	}
	doc, _ := html.Parse(strings.NewReader(""))
	return doc
}

var (
	keepMinimal = AtomSet(atom.Html, atom.Head, atom.Body, atom.Title, atom.Meta, atom.Base,
		atom.Script, atom.Style, atom.Noscript, atom.A, atom.Area, atom.Iframe, atom.Frame, atom.Br, atom.P)
	keepBlocks = union(keepMinimal, AtomSet(atom.Ul, atom.Ol, atom.Li, atom.Table, atom.Thead,
		atom.Tbody, atom.Tfoot, atom.Tr, atom.Td, atom.Th, atom.Dl, atom.Dt, atom.Dd,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Nav, atom.Header, atom.Footer))
)

// AtomSet is the set of the given tags.
func AtomSet(as ...atom.Atom) map[atom.Atom]bool {
	m := make(map[atom.Atom]bool, len(as))
	for _, a := range as {
		m[a] = true
	}
	return m
}

func union(a, b map[atom.Atom]bool) map[atom.Atom]bool {
	m := make(map[atom.Atom]bool, len(a)+len(b))
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[k] = true
	}
	return m
}

// retokenize rewrites a document keeping only the listed tags (with their
// attributes) and all text.
func retokenize(text string, keep map[atom.Atom]bool) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(text))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken: // io.EOF or a tokenizer error: keep what was read
			return b.String()
		case html.TextToken:
			b.WriteString(html.EscapeString(string(z.Text())))
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if keep[tok.DataAtom] {
				b.WriteString(tok.String())
			}
		}
	}
}

// Attr is the value of n's attribute key, "" when absent.
func Attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// HasAttr says whether n carries the attribute key, even empty.
func HasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// HasClass says whether class is one of n's classes (case-insensitive).
func HasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(Attr(n, "class")) {
		if strings.EqualFold(c, class) {
			return true
		}
	}
	return false
}

// ClassID is the lower-cased class and id of an element, for substring
// rules.
func ClassID(n *html.Node) string {
	if n == nil || n.Type != html.ElementNode {
		return ""
	}
	c, id := Attr(n, "class"), Attr(n, "id")
	if c == "" && id == "" {
		return ""
	}
	return strings.ToLower(c + " " + id)
}

// Walk visits n and its descendants in document order; fn returns false to
// skip a node's children. Parse depth is capped at 512, so recursion is
// bounded.
func Walk(n *html.Node, fn func(*html.Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		Walk(c, fn)
	}
}

// Find returns the first element in document order for which fn is true.
func Find(n *html.Node, fn func(*html.Node) bool) *html.Node {
	var found *html.Node
	Walk(n, func(x *html.Node) bool {
		if found != nil {
			return false
		}
		if x.Type == html.ElementNode && fn(x) {
			found = x
			return false
		}
		return true
	})
	return found
}

// FindAll returns every element in document order for which fn is true.
func FindAll(n *html.Node, fn func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	Walk(n, func(x *html.Node) bool {
		if x.Type == html.ElementNode && fn(x) {
			out = append(out, x)
		}
		return true
	})
	return out
}

// Contains says whether n is ancestor or inside it.
func Contains(ancestor, n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == ancestor {
			return true
		}
	}
	return false
}

// SkipText are elements whose content is never visible text.
var SkipText = AtomSet(atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Select,
	atom.Option, atom.Textarea, atom.Svg, atom.Object, atom.Iframe, atom.Head)

// blockTags break lines in rendered text.
var blockTags = AtomSet(atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Body,
	atom.Center, atom.Div, atom.Dl, atom.Fieldset, atom.Figure, atom.Footer, atom.Form,
	atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hr, atom.Li,
	atom.Main, atom.Nav, atom.Ol, atom.P, atom.Pre, atom.Section, atom.Table, atom.Tbody,
	atom.Thead, atom.Tfoot, atom.Tr, atom.Ul, atom.Caption, atom.Html)

// cellTags separate label and value in metadata tables.
var cellTags = AtomSet(atom.Td, atom.Th, atom.Dt, atom.Dd)

// TextOpts say what RenderText leaves out and how it writes.
type TextOpts struct {
	Hidden bool                  // keep display:none content
	Skip   func(*html.Node) bool // extra subtrees to leave out
	Limit  int                   // stop after this many non-space bytes; 0 = no limit
	// collapse writes the text as collapse would return it (words joined
	// by single spaces, no separators) without building the raw rendering
	// first: most of the model build's garbage was raw renderings.
	Collapse bool
	// Fold, when set, rewrites the rendering in its buffer before the
	// one copy is made, returning the result (at most as long, or a new
	// slice): a fold that works on the copy would make a second one.
	Fold func([]byte) []byte
}

// RenderText writes the text of n with "\n" between blocks and "\t"
// between table cells, so label/value pairs stay apart.
func RenderText(n *html.Node, o TextOpts) string {
	var text string
	WithText(n, o, func(t string) { text = strings.Clone(t) })
	return text
}

// WithText renders n as RenderText does and hands the text to fn without
// copying it: text is a view of a pooled buffer, valid only until fn
// returns, so fn must copy (strings.Clone) whatever it keeps. For
// renderings that are read and dropped (the metadata lines, the footer
// identifiers), where RenderText's copy was every page's text again.
func WithText(n *html.Node, o TextOpts, fn func(text string)) {
	r := textRenderer{opts: o, b: getTextBuf()}
	r.rec(n)
	out := r.b
	if o.Fold != nil {
		out = o.Fold(out)
	}
	fn(unsafe.String(unsafe.SliceData(out), len(out)))
	putTextBuf(r.b)
}

// textBufs holds the renderers' scratch buffers: a strings.Builder grown
// by doubling left about twice the final text as garbage on every render,
// and whole-body renders were the largest share of the model build's
// allocations (so of its collector time). A pooled buffer leaves only
// the one exact copy the caller keeps.
var textBufs = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

func getTextBuf() []byte { return (*textBufs.Get().(*[]byte))[:0] }

// putTextBuf returns b to the pool unless it grew past 1 MiB (a huge page
// should not pin its buffer for the rest of the run).
func putTextBuf(b []byte) {
	if cap(b) > 1<<20 {
		return
	}
	textBufs.Put(&b)
}

type textRenderer struct {
	opts     TextOpts
	b        []byte
	solid    int // non-space bytes written
	overflow bool
	pending  bool // collapse mode: a space is due before the next word
}

// sep writes a block or cell separator (or, collapsing, marks a word break).
func (r *textRenderer) sep(c byte) {
	if r.opts.Collapse {
		r.pending = len(r.b) > 0
		return
	}
	r.b = append(r.b, c)
}

func (r *textRenderer) rec(x *html.Node) {
	if r.overflow {
		return
	}
	switch x.Type {
	case html.TextNode:
		r.text(x.Data)
		return
	case html.ElementNode:
		if SkipText[x.DataAtom] || (!r.opts.Hidden && IsHidden(x)) || (r.opts.Skip != nil && r.opts.Skip(x)) {
			return
		}
		if x.DataAtom == atom.Br {
			r.sep('\n')
			return
		}
	case html.DocumentNode:
	default:
		return
	}
	sep := byte(0)
	if blockTags[x.DataAtom] {
		sep = '\n'
	} else if cellTags[x.DataAtom] {
		sep = '\t'
	}
	if sep != 0 {
		r.sep(sep)
	}
	for c := x.FirstChild; c != nil && !r.overflow; c = c.NextSibling {
		r.rec(c)
	}
	if sep != 0 {
		r.sep(sep)
	}
}

func (r *textRenderer) text(s string) {
	if r.opts.Limit > 0 {
		r.solid += len(s) - countSpace(s)
		if r.solid > r.opts.Limit {
			r.overflow = true
			return
		}
	}
	if !r.opts.Collapse {
		// Line breaks and tabs in the source are spaces on screen; only
		// blocks, <br> and cells separate lines and cells, so a table
		// written one cell per source line keeps label and value together.
		r.b = appendSourceSpaced(r.b, s)
		return
	}
	r.b, r.pending = appendCollapsed(r.b, s, r.pending)
}

// appendSourceSpaced appends s with "\r\n", "\n", "\r", "\t" and "\f" each
// turned into one space (what strings.NewReplacer of those pairs gives,
// without its intermediate string).
func appendSourceSpaced(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\r', '\n', '\t', '\f':
			b = append(b, s[start:i]...)
			b = append(b, ' ')
			if s[i] == '\r' && i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	return append(b, s[start:]...)
}

func countSpace(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r' {
			n++
		}
	}
	return n
}

// ShortText is the collapsed visible text of n when it has at most
// maxRunes runes; ok is false for longer text, which is not fully read so
// probing many large elements stays linear.
func ShortText(n *html.Node, maxRunes int) (text string, ok bool) {
	if n == nil {
		return "", true
	}
	r := textRenderer{opts: TextOpts{Limit: maxRunes * utf8.UTFMax, Collapse: true}, b: getTextBuf()}
	r.rec(n)
	defer putTextBuf(r.b)
	if r.overflow {
		return "", false
	}
	text = string(r.b)
	return text, RuneLen(text) <= maxRunes
}

// TextOf is the visible text of n, whitespace collapsed.
func TextOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	return RenderText(n, TextOpts{Collapse: true})
}

// IsHidden says whether an element hides itself (hidden, display:none,
// visibility:hidden in its style attribute).
func IsHidden(n *html.Node) bool {
	if HasAttr(n, "hidden") {
		return true
	}
	st := strings.ToLower(Attr(n, "style"))
	if st == "" {
		return false
	}
	st = strings.ReplaceAll(st, " ", "")
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden")
}

// Body is the document's <body>, else the document.
func Body(doc *html.Node) *html.Node {
	if b := Find(doc, func(n *html.Node) bool { return n.DataAtom == atom.Body }); b != nil {
		return b
	}
	return doc
}
