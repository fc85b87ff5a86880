package checks

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// InteractionMissing reports a site that offers no online consultation
// channel (信箱, 留言, 咨询 …; 信访 and 纪检举报 do not count).
var InteractionMissing = &Check{ID: "interaction.missing", Run: runInteractionMissing, Args: map[string][]string{
	"message":        {"words"},
	"message_review": {"url", "text", "token"},
}}

// InteractionUnanswered reports listed messages of the last year that went
// more than three months without a reply.
var InteractionUnanswered = &Check{ID: "interaction.unanswered", Run: runInteractionUnanswered, Args: map[string][]string{
	"message":      {"title", "sent", "window", "why", "as_of"},
	"message_late": {"replied"},
	"message_none": {"status"},
}}

// isChannel says whether a link text or title names a consultation channel.
func isChannel(p *Pass, s string) bool {
	r := interactionRules.Of(p.Rules)
	n := NormalizeName(s)
	return n != "" && len([]rune(n)) <= r.ChannelMaxChars && containsAnyOf(n, r.ChannelWords) && !containsAnyOf(n, r.ExcludedWords)
}

func runInteractionMissing(p *Pass) {
	for _, pg := range htmlPages(p.Site) {
		if isChannel(p, pg.Title) {
			return
		}
		for _, l := range pg.Links {
			if isChannel(p, l.Text) {
				return
			}
		}
	}
	home := p.Site.Home()
	u := p.Site.StartURL
	if home != nil {
		u = home.URL
	}
	if pg, l, token := channelByURL(p); pg != nil {
		text := l.Text
		if text == "" {
			text = "无链接文字"
		}
		p.Report(Finding{
			Severity: SeverityNeedsReview,
			Subject:  "网上咨询建言渠道",
			URL:      u,
			Message:  p.Message("message_review", Args{"url": l.URL, "text": text, "token": token}),
			Evidence: PageEvidence(pg, "链接 "+l.URL+" 位于 "+pg.URL),
		})
		return
	}
	p.Report(Finding{
		Subject:  "网上咨询建言渠道",
		URL:      u,
		Message:  p.Message("", Args{"words": strings.Join(interactionRules.Of(p.Rules).ChannelWords, "、")}),
		Evidence: PageEvidence(home, "全站链接文字和页面标题中均无咨询建言渠道"),
	})
}

// channelByURL finds a link whose address, split into tokens at
// non-letters, holds a channel_url_words token, and that no channel or
// excluded word rules out by its text. The home page is searched first.
func channelByURL(p *Pass) (*site.Page, site.Link, string) {
	r := interactionRules.Of(p.Rules)
	pages := htmlPages(p.Site)
	if h := p.Site.Home(); h != nil {
		pages = append([]*site.Page{h}, pages...)
	}
	for _, pg := range pages {
		for _, l := range pg.Links {
			if containsAnyOf(NormalizeName(l.Text), r.ExcludedWords) {
				continue
			}
			if tok := urlToken(l.URL, r.ChannelURLWords); tok != "" {
				return pg, l, tok
			}
		}
	}
	return nil, site.Link{}, ""
}

// urlToken is the first of words that is a whole token of the URL's host
// and path (lowercased, split at anything but ASCII letters and digits).
func urlToken(raw string, words []string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	for _, tok := range strings.FieldsFunc(strings.ToLower(u.Host+"/"+u.Path), func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9')
	}) {
		if slices.Contains(words, tok) {
			return tok
		}
	}
	return ""
}

// messageCols locates the columns of a message list from its header row.
type messageCols struct{ title, letter, reply, status int }

func findMessageCols(r InteractionRules, header []string) (messageCols, bool) {
	c := messageCols{-1, -1, -1, -1}
	for i, h := range header {
		h = strings.ReplaceAll(h, " ", "")
		switch {
		case c.letter < 0 && containsAnyOf(h, r.LetterDate):
			c.letter = i
		case c.reply < 0 && containsAnyOf(h, r.ReplyDate):
			c.reply = i
		case c.status < 0 && containsAnyOf(h, r.Status):
			c.status = i
		case c.title < 0 && containsAnyOf(h, r.Title):
			c.title = i
		}
	}
	return c, c.letter >= 0 && (c.reply >= 0 || c.status >= 0)
}

func cell(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(row[i])
}

func runInteractionUnanswered(p *Pass) {
	r := interactionRules.Of(p.Rules)
	asOf := dayOf(p.AsOf)
	oldest := r.Lookback.Cutoff(asOf)
	for _, pg := range htmlPages(p.Site) {
		seen := map[string]bool{}
		for _, t := range pg.Tables {
			if len(t.Rows) < 2 {
				continue
			}
			cols, ok := findMessageCols(*r, t.Rows[0])
			if !ok {
				continue
			}
			for _, row := range t.Rows[1:] {
				sent := parseDateText(cell(row, cols.letter))
				if sent.IsZero() || sent.Before(oldest) {
					continue
				}
				due := r.ReplyWindow.add(sent)
				replied := parseDateText(cell(row, cols.reply))
				status := cell(row, cols.status)
				var why string
				switch {
				case !replied.IsZero() && replied.After(due):
					why = p.Message("message_late", Args{"replied": replied.Format(time.DateOnly)})
				case replied.IsZero() && asOf.After(due) && (status == "" || containsAnyOf(status, r.UnansweredStatus)):
					why = p.Message("message_none", Args{"status": firstNonEmpty(status, "无回复日期")})
				default:
					continue
				}
				title := firstNonEmpty(cell(row, cols.title), "来信 "+sent.Format(time.DateOnly))
				if seen[title] {
					continue
				}
				seen[title] = true
				p.Report(Finding{
					Subject:  title,
					URL:      pg.URL,
					Message:  p.Message("", Args{"title": title, "sent": sent.Format(time.DateOnly), "window": r.ReplyWindow.Label(), "why": why, "as_of": asOf.Format(time.DateOnly)}),
					Evidence: PageEvidence(pg, maskAll(strings.Join(row, " | "))),
				})
			}
		}
	}
}

// add is the day w after t.
func (w Window) add(t time.Time) time.Time {
	switch w.Unit {
	case 'd':
		return t.AddDate(0, 0, w.N)
	case 'm':
		return t.AddDate(0, w.N, 0)
	default:
		return t.AddDate(w.N, 0, 0)
	}
}

// InteractionRules describe consultation channels and message lists.
type InteractionRules struct {
	ChannelWords     []string `yaml:"channel_words"`
	ChannelMaxChars  int      `yaml:"channel_max_chars"`
	ExcludedWords    []string `yaml:"excluded_words"`
	ChannelURLWords  []string `yaml:"channel_url_words"`
	LetterDate       []string `yaml:"letter_date"`
	ReplyDate        []string `yaml:"reply_date"`
	Status           []string `yaml:"status"`
	UnansweredStatus []string `yaml:"unanswered_status"`
	Title            []string `yaml:"title"`
	ReplyWindow      Window   `yaml:"reply_window"`
	Lookback         Window   `yaml:"lookback"`
}

var interactionRules = RegisterRules(RuleFile[InteractionRules]{Name: "interaction.yaml"})

func init() { Register(InteractionMissing, InteractionUnanswered) }
