package site

// TextStore keeps page texts outside the Go heap (internal/textstore writes
// them to a temporary file). The model only holds it so the texts can be
// freed and a failed read reported; it does no I/O itself.
type TextStore interface {
	// Err is the first failure to read a text back (a check then saw an
	// empty text, so its results cannot be trusted).
	Err() error
	// Close frees the stored texts; texts read afterwards are empty and
	// Err says so.
	Close() error
}

// StoredText is a page text kept outside the page.
type StoredText interface {
	Len() int       // length in bytes, known without reading
	String() string // the text; "" when it cannot be read back
}

// SetStoredText replaces p.Text by a stored copy: afterwards p.Text is
// empty and ReadText reads t.
func (p *Page) SetStoredText(t StoredText) {
	p.stored = t
	p.Text = ""
}

// ReadText returns the page's text (the visible text of its main content,
// or an attachment's extracted text), wherever it is kept. Checks read the
// text through it, never through the Text field, which is empty once the
// text was moved to a TextStore.
func (p *Page) ReadText() string {
	if p.stored == nil {
		return p.Text
	}
	return p.stored.String()
}

// HasText says whether the page has any text, without reading it.
func (p *Page) HasText() bool {
	return p.Text != "" || p.stored != nil && p.stored.Len() > 0
}
