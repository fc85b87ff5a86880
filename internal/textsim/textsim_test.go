package textsim

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"
)

// setRatio is the definition the fingerprints replace (checks.shingles
// before fingerprints): the share of own's distinct k-rune substrings of
// its letters and digits that occur in src's.
func setRatio(own, src string, k int) (float64, int) {
	set := func(s string) map[string]bool {
		var b strings.Builder
		for _, r := range s {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(r)
			}
		}
		c := b.String()
		var starts []int
		for i := range c {
			starts = append(starts, i)
		}
		starts = append(starts, len(c))
		out := map[string]bool{}
		for i := 0; i+k < len(starts); i++ {
			out[c[starts[i]:starts[i+k]]] = true
		}
		return out
	}
	o, s := set(own), set(src)
	if len(o) == 0 {
		return 0, 0
	}
	shared := 0
	for x := range o {
		if s[x] {
			shared++
		}
	}
	return float64(shared) / float64(len(o)), len(o)
}

func checkSame(t *testing.T, own, src string, k int) {
	t.Helper()
	want, n := setRatio(own, src, k)
	po, ps := New(own, k), New(src, k)
	if len(po.Hashes) != n {
		t.Fatalf("k=%d: %d distinct hashes, %d distinct shingles (own %.60q)", k, len(po.Hashes), n, own)
	}
	if got := Containment(po, ps); got != want {
		t.Fatalf("k=%d: containment %v, string sets %v (own %.60q, src %.60q)", k, got, want, own, src)
	}
	if c := []rune(Compact(own)); len(c) != po.Len {
		t.Fatalf("Len %d, compact text has %d runes", po.Len, len(c))
	}
}

// Random texts over a small alphabet (so shingles repeat and are shared),
// with punctuation and spaces that Compact drops; src is often built from
// pieces of own so that every ratio from 0 to 1 turns up.
func TestContainmentEqualsStringSets(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	alphabet := []rune("政务公开解读通知财政预算年报第一二三号文件ABC0123，。、 \n《》")
	text := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteRune(alphabet[rnd.IntN(len(alphabet))])
		}
		return b.String()
	}
	hit := map[int]bool{}
	for i := range 3000 {
		own := text(rnd.IntN(400))
		var src string
		switch i % 3 {
		case 0:
			src = text(rnd.IntN(600))
		case 1: // a part of own, with noise around it
			r := []rune(own)
			a := rnd.IntN(len(r) + 1)
			b := a + rnd.IntN(len(r)-a+1)
			src = text(rnd.IntN(50)) + string(r[a:b]) + text(rnd.IntN(50))
		default: // own with some runes changed
			r := []rune(own)
			for j := range r {
				if rnd.IntN(20) == 0 {
					r[j] = alphabet[rnd.IntN(len(alphabet))]
				}
			}
			src = string(r)
		}
		k := []int{1, 2, 4, 12}[rnd.IntN(4)]
		checkSame(t, own, src, k)
		r, _ := setRatio(own, src, k)
		hit[int(r*4)] = true
	}
	if len(hit) < 5 {
		t.Fatalf("random pairs covered only ratio buckets %v", hit)
	}
}

// Real page texts (the bundled real pages), against each other and
// against copies made of their parts.
func TestContainmentEqualsStringSetsOnRealPages(t *testing.T) {
	files, _ := filepath.Glob("../../fixtures/realpages/*.html")
	if len(files) < 3 {
		t.Fatalf("want real pages in fixtures/realpages, found %d", len(files))
	}
	var texts []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, visibleText(string(b)))
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	for i, own := range texts {
		for j, src := range texts {
			checkSame(t, own, src, 12)
			if i == j {
				continue
			}
			r := []rune(src)
			a := rnd.IntN(len(r)/2 + 1)
			copyPart := string(r[a : a+len(r)/3])
			checkSame(t, copyPart+"本解读由办公室负责", own+src, 12)
		}
	}
}

func visibleText(doc string) string {
	z := html.NewTokenizer(strings.NewReader(doc))
	var b strings.Builder
	skip := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			n, _ := z.TagName()
			skip = string(n) == "script" || string(n) == "style"
		case html.EndTagToken:
			skip = false
		case html.TextToken:
			if !skip {
				b.Write(z.Text())
				b.WriteByte(' ')
			}
		}
	}
}

func TestSharedMerge(t *testing.T) {
	if n := Shared([]uint64{1, 3, 5, 9}, []uint64{2, 3, 4, 5, 10}); n != 2 {
		t.Fatalf("Shared = %d, want 2", n)
	}
	if Containment(New("", 12), New("abc", 12)) != 0 {
		t.Fatal("an empty text copies nothing")
	}
}

func BenchmarkNew(b *testing.B) {
	s := strings.Repeat("为深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，进一步提高财政资金使用效益。", 100)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		New(s, Runes)
	}
}

// sortHashes (a radix sort) must order exactly as slices.Sort, at every
// size around its switch-over and with repeated values.
func TestSortHashesMatchesSlicesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 255, 256, 257, 1000, 70000} {
		hs := make([]uint64, n)
		for i := range hs {
			switch i % 3 {
			case 0:
				hs[i] = rng.Uint64()
			case 1:
				hs[i] = uint64(rng.IntN(50)) << (8 * rng.IntN(8))
			default:
				hs[i] = hs[rng.IntN(i)]
			}
		}
		want := slices.Clone(hs)
		slices.Sort(want)
		sortHashes(hs)
		if !slices.Equal(hs, want) {
			t.Fatalf("n=%d: radix order differs from slices.Sort", n)
		}
	}
}
