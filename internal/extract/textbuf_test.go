package extract

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
	long := parseHTML("<p>" + strings.Repeat("第一段 文字 ", 3000) + "</p>")
	short := parseHTML("<div>甲\t乙<br>丙</div>")
	for i := 0; i < 4; i++ {
		if got := renderText(long, textOpts{collapse: true}); !strings.HasPrefix(got, "第一段 文字 第一段") || strings.HasSuffix(got, " ") {
			t.Fatalf("long render wrong: %q…", got[:40])
		}
		if got := renderText(short, textOpts{}); got != "\n\n\n甲 乙\n丙\n\n\n" {
			t.Fatalf("short render = %q", got)
		}
		if got, ok := shortText(short, 10); !ok || got != "甲 乙 丙" {
			t.Fatalf("shortText = %q, %v", got, ok)
		}
	}
}

// foldIdentity must equal what it replaced: strings.Map of the full-width
// mapping, then a Replacer of the footer spellings.
func TestFoldIdentityMatchesMapThenReplace(t *testing.T) {
	ref := func(text string) string {
		text = strings.Map(func(r rune) rune {
			if r >= 0xFF01 && r <= 0xFF5E && r != '：' {
				return r - 0xFEE0
			}
			return r
		}, text)
		return strings.NewReplacer("icp", "ICP", "Icp", "ICP", "\u00a0", " ", "\u3000", " ", "\u2002", " ", "\u2003", " ", "\u200b", "").Replace(text)
	}
	alphabet := []string{"i", "I", "c", "p", "ｉ", "Ｉ", "ｃ", "ｐ", "\u200b", "\u00a0", "\u3000", "\u2002", "\u2003", "，", "：", "０", "备", " ", "\xff", "\xe4\xb8", "\ufffd", "ICP"}
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 0; n < 20000; n++ {
		var sb strings.Builder
		for k := rng.IntN(10); k > 0; k-- {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := sb.String()
		want := s
		if foldNeeded(s) {
			want = ref(s)
		}
		if got := foldIdentity(s); got != want {
			t.Fatalf("foldIdentity(%q) = %q, want %q", s, got, want)
		}
	}
}

func foldNeeded(s string) bool {
	for _, r := range s {
		if (r >= 0xFF01 && r <= 0xFF5E && r != '：') || r == 0x00a0 || r == 0x3000 || r == 0x2002 || r == 0x2003 || r == 0x200b {
			return true
		}
	}
	return strings.Contains(s, "icp") || strings.Contains(s, "Icp")
}
