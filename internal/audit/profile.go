package audit

import (
	"fmt"
	"strings"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/site"
)

// guessProfile picks the profile for --profile auto from the site's name
// and returns the note the report carries about it.
func guessProfile(s *site.Site) (id, note string, err error) {
	rb, err := checks.LoadRulebook()
	if err != nil {
		return "", "", err
	}
	name := checks.SiteName(s)
	id, word := rb.GuessProfile(name)
	title := rb.Profiles[id].Title
	if word == "" {
		return id, fmt.Sprintf("机构类型按 --profile auto 推定：网站名称“%s”未含可识别的机构类型字样，按“%s”（%s）检查，如不符请用 --profile 指定。", name, title, id), nil
	}
	return id, fmt.Sprintf("机构类型按 --profile auto 推定：网站名称“%s”含“%s”，按“%s”（%s）检查，如不符请用 --profile 指定。", name, word, title, id), nil
}

// ValidLevel fails for a --level that names no level of the rulebook.
func ValidLevel(id string) error {
	rb, err := checks.LoadRulebook()
	if err != nil {
		return err
	}
	if !rb.ValidLevel(id) {
		return fmt.Errorf("unknown level %q (known: %s)", id, strings.Join(rb.LevelIDs(), ", "))
	}
	return nil
}

func levelTitle(id string) string {
	rb, err := checks.LoadRulebook()
	if err != nil {
		return id
	}
	return rb.LevelTitle(id)
}

// resolveLevel is the agency's level: the one given, else guessed from the
// site's name, else the profile's. The note says how a guess was made.
func resolveLevel(s *site.Site, prof *checks.Profile, given string) (level, note string, err error) {
	if given != "" && given != checks.AutoProfile {
		return given, "", ValidLevel(given)
	}
	rb, err := checks.LoadRulebook()
	if err != nil {
		return "", "", err
	}
	name := checks.SiteName(s)
	if lv, word := rb.GuessLevel(name); lv != "" {
		return lv, fmt.Sprintf("机构层级按网站名称推定：“%s”含“%s”，按“%s”（%s）适用各项义务，如不符请用 --level 指定。", name, word, rb.LevelTitle(lv), lv), nil
	}
	if prof.Level == "" {
		return "", "", nil
	}
	return prof.Level, fmt.Sprintf("机构层级未能从网站名称“%s”推定，按机构类型默认的“%s”（%s）适用各项义务，如不符请用 --level 指定。", name, rb.LevelTitle(prof.Level), prof.Level), nil
}
