// Package textsim fingerprints page texts for copy detection: the set of
// k-rune shingles of a text's letters and digits, kept as sorted 64-bit
// hashes so that two texts compare by one merge of two slices instead of
// a string set built per pair.
package textsim

import (
	"slices"
	"sync"
	"unicode"

	"github.com/govlint/govlint/internal/site"
)

// Runes is the shingle length extraction fingerprints pages with. The
// policy rulebook's copy_shingle says the same; a check given another
// length fingerprints the texts itself.
const Runes = 12

// Print is a text's fingerprint (the type lives with the site model, which
// carries one per page).
type Print = site.Print

// Compact keeps letters and digits only, so layout and punctuation do not
// hide a copy.
func Compact(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if keep(r) {
			b = append(b, string(r)...)
		}
	}
	return string(b)
}

func keep(r rune) bool {
	switch {
	case r < 0x80:
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	case 0x4E00 <= r && r <= 0x9FFF: // CJK Unified Ideographs: all letters
		return true
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// New fingerprints text with k-rune shingles of Compact(text) (k ≥ 1):
// one shingle starts at each of its first Len-k+1 runes.
func New(text string, k int) *Print {
	if k < 1 {
		k = 1
	}
	// A polynomial rolling hash (h = Σ r·B^i over the window, mod 2^64)
	// costs two multiplies a rune; fmix64 then spreads it. Distinct windows
	// collide when their rune differences weigh to 0 mod 2^64, which a
	// fraction 2^-64 of difference vectors do.
	var pow uint64 = 1 // B^k
	for range k {
		pow *= base
	}
	ring := make([]rune, k)
	at, n := 0, 0
	var h uint64
	scratch := getScratch()
	hs := (*scratch)[:0]
	for _, r := range text {
		if !keep(r) {
			continue
		}
		h = h*base + uint64(r) - uint64(ring[at])*pow
		ring[at] = r
		if at++; at == k {
			at = 0
		}
		if n++; n >= k {
			hs = append(hs, fmix64(h))
		}
	}
	sortHashes(hs)
	hs = slices.Compact(hs)
	// An exact-size copy: the print may stay in memory with its page.
	p := &Print{Hashes: append([]uint64(nil), hs...), Len: n}
	*scratch = hs[:0]
	putScratch(scratch)
	return p
}

// scratches hold New's working hashes and sortHashes' second buffer:
// both were fresh a page, twice the print's size in garbage (0.4 GB at
// 20,000 pages). A buffer grown past 1 Mi hashes is not kept.
var scratches = sync.Pool{New: func() any { b := make([]uint64, 0, 8<<10); return &b }}

func getScratch() *[]uint64 { return scratches.Get().(*[]uint64) }

func putScratch(b *[]uint64) {
	if cap(*b) <= 1<<20 {
		scratches.Put(b)
	}
}

// sortHashes sorts hs ascending. The hashes are uniform (fmix64), so an LSD
// radix sort of eight byte-wide passes beats pdqsort's n·log n compares for
// any text longer than a few hundred runes; sorting was most of New's time.
func sortHashes(hs []uint64) {
	if len(hs) < 256 {
		slices.Sort(hs)
		return
	}
	var counts [8][256]int
	for _, h := range hs {
		for d := range 8 {
			counts[d][byte(h>>(8*d))]++
		}
	}
	tmp := getScratch()
	if cap(*tmp) < len(hs) {
		*tmp = make([]uint64, len(hs))
	}
	src, dst := hs, (*tmp)[:len(hs)]
	defer putScratch(tmp)
	for d := range 8 {
		c := &counts[d]
		sum := 0
		for b := range c {
			c[b], sum = sum, sum+c[b]
		}
		shift := 8 * d
		for _, h := range src {
			b := byte(h >> shift)
			dst[c[b]] = h
			c[b]++
		}
		src, dst = dst, src
	}
	// Eight passes: the sorted data is back in hs.
}

// base is the rolling hash's multiplier: odd, with no short pattern.
const base = 0x9E3779B97F4A7C15

// fmix64 is MurmurHash3's finaliser, a bijection on 64 bits.
func fmix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xFF51AFD7ED558CCD
	h ^= h >> 33
	h *= 0xC4CEB9FE1A85EC53
	h ^= h >> 33
	return h
}

// Shared counts the hashes a and b have in common (both ascending and
// distinct): one merge, O(len(a)+len(b)).
func Shared(a, b []uint64) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// Containment is the share of own's shingles that also occur in src: 1
// when own is wholly copied from src. 0 when own has no shingles.
func Containment(own, src *Print) float64 {
	if own == nil || src == nil || len(own.Hashes) == 0 {
		return 0
	}
	return float64(Shared(own.Hashes, src.Hashes)) / float64(len(own.Hashes))
}
