package site

// HiddenLink is a link to another host that the page hides from its
// visitors (暗链): the way it is hidden and what it says.
type HiddenLink struct {
	URL  string `json:"url"`
	Host string `json:"host"`
	Text string `json:"text,omitempty"`
	// Reason is how it is hidden: "display:none", "visibility:hidden",
	// "hidden", "off-screen", "zero-size", "tiny-font", "same-colour".
	Reason string `json:"reason"`
	// Element is the opening tag of the hiding element, clipped.
	Element string `json:"element,omitempty"`
}

// Strong says whether the hiding technique is one a template has no
// ordinary use for: pushing a link off-screen, shrinking it to nothing or
// painting it in the background colour. display:none and visibility:hidden
// are also how drop-down menus wait for a hover.
func (h HiddenLink) Strong() bool {
	switch h.Reason {
	case "off-screen", "zero-size", "tiny-font", "same-colour":
		return true
	}
	return false
}

// Embed is a script, iframe or other active element loaded from another
// host than the page's.
type Embed struct {
	// Tag is "script", "iframe", "frame", "embed", "object", or "script-write"
	// for a src that an inline script writes with document.write.
	Tag  string `json:"tag"`
	URL  string `json:"url"`
	Host string `json:"host"`
}

// Form is a <form> with the names of its text fields, for the 站内搜索 check.
type Form struct {
	Action string   `json:"action"`           // absolute URL
	Method string   `json:"method"`           // upper case; GET when unset
	Fields []string `json:"fields,omitempty"` // names of text/search inputs
	// Hidden are the hidden inputs' name=value pairs, kept so a search
	// request can be rebuilt as the browser would send it.
	Hidden []string `json:"hidden,omitempty"`
	// Hint is the form's class, id, placeholders and button texts, for
	// telling a search box from a login form.
	Hint string `json:"hint,omitempty"`
}

// IPv6Probe is what the audit learned about the home page over IPv6: the
// host's AAAA addresses and the answer to a GET of the start URL sent to
// the first of them. Status 0 with an Error: no answer.
type IPv6Probe struct {
	Host   string   `json:"host"`
	AAAA   []string `json:"aaaa,omitempty"`
	Status int      `json:"status,omitempty"`
	Error  string   `json:"error,omitempty"`
}
