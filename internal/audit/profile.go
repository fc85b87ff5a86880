package audit

import (
	"fmt"

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
