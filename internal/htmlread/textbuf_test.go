package htmlread

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The renderers' pooled buffers replaced a strings.Replacer and a
// strings.Builder; the text they give must not change by a byte.
func TestAppendSourceSpacedMatchesReplacer(t *testing.T) {
	ref := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ", "\f", " ")
	alphabet := []string{"\r", "\n", "\t", "\f", " ", "a", "政", "\u3000", "\r\n", "\n\r"}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 5000; n++ {
		var sb strings.Builder
		for k := rng.IntN(12); k > 0; k-- {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := sb.String()
		if got, want := string(appendSourceSpaced([]byte("x"), s)), "x"+ref.Replace(s); got != want {
			t.Fatalf("appendSourceSpaced(%q) = %q, want %q", s, got, want)
		}
	}
}

// A buffer reused from the pool must not leak one render's text into the next.
func TestRenderTextReusesBuffersCleanly(t *testing.T) {
	long := Parse("<p>" + strings.Repeat("第一段 文字 ", 3000) + "</p>")
	short := Parse("<div>甲\t乙<br>丙</div>")
	for i := 0; i < 4; i++ {
		if got := RenderText(long, TextOpts{Collapse: true}); !strings.HasPrefix(got, "第一段 文字 第一段") || strings.HasSuffix(got, " ") {
			t.Fatalf("long render wrong: %q…", got[:40])
		}
		if got := RenderText(short, TextOpts{}); got != "\n\n\n甲 乙\n丙\n\n\n" {
			t.Fatalf("short render = %q", got)
		}
		if got, ok := ShortText(short, 10); !ok || got != "甲 乙 丙" {
			t.Fatalf("shortText = %q, %v", got, ok)
		}
	}
}
