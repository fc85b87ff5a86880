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
	p.digitRun = uint16(min(LongestDigitRun(p.Text), 1<<16-1))
	p.stored = t
	p.Text = ""
}

// TextDigitRun is the length of the longest run of ASCII digits in the
// page's text, known without reading a stored text: a check that looks
// for numbers of at least some length (an ID, a card) skips the pages
// whose text cannot hold one, and reading every page's text back was the
// largest share of the checks' allocations. Capped at 65535.
func (p *Page) TextDigitRun() int {
	if p.stored == nil {
		return LongestDigitRun(p.Text)
	}
	return int(p.digitRun)
}

// LongestDigitRun is the length of the longest run of ASCII digits in s.
func LongestDigitRun(s string) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
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

// Print is a text's fingerprint for copy detection (made by
// internal/textsim): the distinct hashes of its k-character shingles.
type Print struct {
	// Hashes are the distinct 64-bit hashes of the shingles of the text's
	// letters and digits, ascending.
	Hashes []uint64
	// Len is the number of letters and digits of the text.
	Len int
}

// StoredPrint is a page fingerprint kept outside the page.
type StoredPrint interface {
	Print() *Print // the fingerprint; empty when it cannot be read back
}

// SetStoredPrint replaces p.Print by a stored copy: afterwards p.Print is
// nil and Fingerprint reads sp.
func (p *Page) SetStoredPrint(sp StoredPrint) {
	p.storedPrint = sp
	p.Print = nil
}

// Fingerprint returns the page's text fingerprint (see Print), wherever it
// is kept: nil when extraction made none.
func (p *Page) Fingerprint() *Print {
	if p.Print != nil || p.storedPrint == nil {
		return p.Print
	}
	return p.storedPrint.Print()
}
