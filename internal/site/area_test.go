package site

import (
	"encoding/json"
	"testing"
)

// TestAreaJSON: a link's area reads and writes as its name, as when it
// was a string, and an empty area is left out.
func TestAreaJSON(t *testing.T) {
	for _, a := range []Area{AreaNav, AreaBreadcrumb, AreaFooter, AreaList, AreaBody} {
		b, err := json.Marshal(Link{URL: "u", Area: a})
		if err != nil {
			t.Fatal(err)
		}
		want := `{"url":"u","text":"","internal":false,"area":"` + a.String() + `"}`
		if string(b) != want {
			t.Fatalf("%v: got %s, want %s", a, b, want)
		}
		var back Link
		if err := json.Unmarshal(b, &back); err != nil || back.Area != a {
			t.Fatalf("%s read back as %v (%v)", b, back.Area, err)
		}
	}
	b, _ := json.Marshal(Link{URL: "u"})
	if string(b) != `{"url":"u","text":"","internal":false}` {
		t.Fatalf("no area: %s", b)
	}
	var l Link
	if err := json.Unmarshal([]byte(`{"url":"u","area":"sidebar"}`), &l); err == nil {
		t.Fatal("an unknown area was read without an error")
	}
}

type memText string

func (t memText) Len() int       { return len(t) }
func (t memText) String() string { return string(t) }

// TestTextDigitRun: the longest digit run of a page's text is known in
// memory and, once the text is stored elsewhere, without reading it.
func TestTextDigitRun(t *testing.T) {
	for text, want := range map[string]int{"": 0, "无数字": 0, "电话 0871-12345678，身份证 11010119900307123X": 17, "12a345": 3} {
		if got := LongestDigitRun(text); got != want {
			t.Errorf("LongestDigitRun(%q) = %d, want %d", text, got, want)
		}
		p := &Page{Text: text}
		if got := p.TextDigitRun(); got != want {
			t.Errorf("in memory %q: %d, want %d", text, got, want)
		}
		p.SetStoredText(memText(text))
		if got := p.TextDigitRun(); got != want || p.Text != "" {
			t.Errorf("stored %q: %d, want %d", text, got, want)
		}
	}
}
