package checks

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// ContentWording reports wrong forms of standard political and legal
// formulations in page text (国办秘函〔2019〕19号 单项否决 V1 "出现严重表述错误").
// Every hit needs a person's confirmation before the veto counts, so the
// severity is needs-review.
var ContentWording = &Check{ID: "content.wording", Run: runContentWording, Args: map[string][]string{
	"message": {"wrong", "correct", "source", "version"},
}}

// WordingRules are rulebook/wording.yaml.
type WordingRules struct {
	Version string         `yaml:"version"`
	Entries []WordingEntry `yaml:"entries"`

	// index finds which entries' regexps (numbered in entry order) can
	// match a text at all, in one pass: most pages contain none.
	index *literalIndex
}

// WordingEntry is one standard formulation and its wrong forms.
type WordingEntry struct {
	Correct   string   `yaml:"correct"`
	Wrong     []string `yaml:"wrong"`
	Patterns  []string `yaml:"patterns"`
	NotAfter  []string `yaml:"not_after"`
	NotBefore []string `yaml:"not_before"`
	Source    string   `yaml:"source"`

	res []*regexp.Regexp
}

var wordingRules = RegisterRules(RuleFile[WordingRules]{
	Name: "wording.yaml",
	Validate: func(r *WordingRules, _ *Rulebook) error {
		if r.Version == "" || len(r.Entries) == 0 {
			return fmt.Errorf("needs version and entries")
		}
		var pats []string
		for i := range r.Entries {
			e := &r.Entries[i]
			if e.Correct == "" || e.Source == "" || len(e.Wrong)+len(e.Patterns) == 0 {
				return fmt.Errorf("entry %d (%q) needs correct, source and wrong or patterns", i+1, e.Correct)
			}
			for _, w := range e.Wrong {
				if w == "" || strings.Contains(e.Correct, w) {
					return fmt.Errorf("entry %q: wrong form %q is empty or part of the correct form", e.Correct, w)
				}
				e.res = append(e.res, regexp.MustCompile(regexp.QuoteMeta(w)))
				pats = append(pats, regexp.QuoteMeta(w))
			}
			for _, pat := range e.Patterns {
				re, err := regexp.Compile(pat)
				if err != nil {
					return fmt.Errorf("entry %q: pattern %q: %w", e.Correct, pat, err)
				}
				e.res = append(e.res, re)
				pats = append(pats, pat)
			}
		}
		ix, err := newLiteralIndex(pats)
		if err != nil {
			return err
		}
		r.index = ix
		return nil
	},
})

// wordingHit is one wrong form found in a text.
type wordingHit struct {
	entry    *WordingEntry
	wrong    string
	sentence string
}

// findWording returns the dictionary's hits in text, in text order.
func findWording(r *WordingRules, text string) []wordingHit {
	type at struct {
		pos int
		h   wordingHit
	}
	var all []at
	var can []bool
	if r.index != nil {
		can = make([]bool, r.index.n)
		r.index.candidates(text, can)
	}
	k := -1
	for i := range r.Entries {
		e := &r.Entries[i]
		for _, re := range e.res {
			if k++; can != nil && !can[k] {
				continue
			}
			for _, loc := range re.FindAllStringIndex(text, 20) {
				s, end := loc[0], loc[1]
				if g := re.SubexpIndex("w"); g > 0 {
					m := re.FindStringSubmatchIndex(text[s:])
					s, end = s+m[2*g], s+m[2*g+1]
				}
				w := text[s:end]
				if excluded(text, s, end, e) {
					continue
				}
				all = append(all, at{s, wordingHit{entry: e, wrong: w, sentence: sentenceAround(text, s, end)}})
			}
		}
	}
	// Overlapping hits are one error: keep the longest wrong form (the
	// full formulation, not the slogan inside it).
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].pos != all[j].pos {
			return all[i].pos < all[j].pos
		}
		return len(all[i].h.wrong) > len(all[j].h.wrong)
	})
	hits := make([]wordingHit, 0, len(all))
	end := -1
	for _, a := range all {
		if a.pos < end {
			continue
		}
		hits = append(hits, a.h)
		end = a.pos + len(a.h.wrong)
	}
	return hits
}

// excluded says whether the match at text[s:end] is part of a correct word.
func excluded(text string, s, end int, e *WordingEntry) bool {
	for _, c := range e.NotAfter {
		if c != "" && strings.HasSuffix(text[:s], c) {
			return true
		}
	}
	for _, c := range e.NotBefore {
		if c != "" && strings.HasPrefix(text[end:], c) {
			return true
		}
	}
	// Inside an occurrence of a correct form (for entries whose correct
	// form is a plain word).
	if !strings.ContainsAny(e.Correct, "（/《") {
		from := max(0, s-len(e.Correct))
		to := min(len(text), end+len(e.Correct))
		win := text[from:to]
		for off := 0; ; {
			i := strings.Index(win[off:], e.Correct)
			if i < 0 {
				break
			}
			cs := from + off + i
			if cs <= s && cs+len(e.Correct) >= end {
				return true
			}
			off += i + 1
		}
	}
	return false
}

// sentenceAround is the sentence holding text[s:end], clipped around it.
func sentenceAround(text string, s, end int) string {
	start := 0
	for _, sep := range []string{"。", "！", "？", "；", "\n"} {
		if i := strings.LastIndex(text[:s], sep); i >= 0 && i+len(sep) > start {
			start = i + len(sep)
		}
	}
	stop := len(text)
	for _, sep := range []string{"。", "！", "？", "；", "\n"} {
		if i := strings.Index(text[end:], sep); i >= 0 && end+i+len(sep) < stop {
			stop = end + i + len(sep)
		}
	}
	sent := strings.TrimSpace(text[start:stop])
	if utf8.RuneCountInString(sent) > 120 {
		// keep 50 characters either side of the hit
		pre := []rune(text[max(start, 0):s])
		post := []rune(text[end:stop])
		if len(pre) > 50 {
			pre = append([]rune("…"), pre[len(pre)-50:]...)
		}
		if len(post) > 50 {
			post = append(post[:50], '…')
		}
		sent = string(pre) + text[s:end] + string(post)
	}
	return sent
}

func runContentWording(p *Pass) {
	r := wordingRules.Of(p.Rules)
	type key struct{ url, wrong string }
	seen := map[key]bool{}
	for _, pg := range htmlPages(p.Site) {
		if pg.ListAPI {
			continue
		}
		// The title, then the text: read apart (no form spans the line
		// between them), since joining them copied every page's text.
		for _, text := range [...]string{pg.Title, pg.ReadText()} {
			for _, h := range findWording(r, text) {
				k := key{pg.URL, h.wrong}
				if seen[k] {
					continue
				}
				seen[k] = true
				p.Report(Finding{
					Subject:  h.wrong,
					URL:      pg.URL,
					Message:  p.Message("", Args{"wrong": h.wrong, "correct": h.entry.Correct, "source": h.entry.Source, "version": r.Version}),
					Evidence: PageEvidence(pg, h.sentence),
				})
			}
		}
	}
}

func init() { Register(ContentWording) }
