package snapshot

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// Info describes one crawl run. It is stored in the warcinfo record at the
// start of the file; FinishedAt comes from the crawl-end record.
type Info struct {
	StartURL   string
	Profile    string
	AsOf       string
	StartedAt  time.Time
	FinishedAt time.Time
	Tool       string
	MaxPages   int
	MaxDepth   int
	Politeness bool
	Extra      map[string]string
}

// Entry is one fetch: an HTTP answer (Status > 0) or a fetch that got no
// answer (Failure and Reason set, Status 0) such as a timeout, a DNS failure
// or a URL excluded by robots.txt.
type Entry struct {
	URL       string
	Method    string
	Status    int
	Header    http.Header
	Body      []byte
	FetchedAt time.Time
	RecordID  string
	Truncated bool
	Failure   site.Outcome
	Reason    string
}

// Names of the application/warc-fields lines govlint writes. They are
// prefixed so they cannot collide with fields other tools add.
const (
	fieldRecord     = "govlint-record" // "failure" or "crawl-end"
	fieldOutcome    = "govlint-outcome"
	fieldReason     = "govlint-reason"
	fieldMethod     = "govlint-method"
	fieldStartURL   = "govlint-start-url"
	fieldProfile    = "govlint-profile"
	fieldAsOf       = "govlint-as-of"
	fieldStartedAt  = "govlint-started-at"
	fieldFinishedAt = "govlint-finished-at"
	fieldMaxPages   = "govlint-max-pages"
	fieldMaxDepth   = "govlint-max-depth"
	fieldPoliteness = "govlint-politeness"
	fieldExtra      = "govlint-extra" // repeated, "key=value", both query-escaped
	fieldSoftware   = "software"      // WARC 1.1 Annex recommendation
	fieldFormat     = "format"

	recordFailure  = "failure"
	recordCrawlEnd = "crawl-end"

	formatValue = "WARC File Format 1.1"
)

// field is one "name: value" line of an application/warc-fields block.
type field struct{ name, value string }

// encodeFields renders warc-fields lines. Values are made single-line and
// safe for the parser (which applies RFC 2047 decoding to every line).
func encodeFields(fs []field) []byte {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.name)
		b.WriteString(": ")
		b.WriteString(oneLine(f.value))
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}

// oneLine replaces control characters with spaces and breaks up "=?" so a
// free-text value cannot start a new line or be taken as an RFC 2047 word.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return strings.ReplaceAll(s, "=?", "= ?")
}

func infoFields(info Info) []field {
	fs := []field{
		{fieldSoftware, info.Tool},
		{fieldFormat, formatValue},
		{fieldStartURL, info.StartURL},
		{fieldProfile, info.Profile},
		{fieldAsOf, info.AsOf},
		{fieldStartedAt, info.StartedAt.UTC().Format(time.RFC3339Nano)},
		{fieldMaxPages, strconv.Itoa(info.MaxPages)},
		{fieldMaxDepth, strconv.Itoa(info.MaxDepth)},
		{fieldPoliteness, strconv.FormatBool(info.Politeness)},
	}
	return append(fs, extraFields(info.Extra)...)
}

// extraFields are the govlint-extra lines of a map, in key order.
func extraFields(m map[string]string) []field {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fs := make([]field, 0, len(keys))
	for _, k := range keys {
		fs = append(fs, field{fieldExtra, url.QueryEscape(k) + "=" + url.QueryEscape(m[k])})
	}
	return fs
}

// applyInfoField sets the Info member a warcinfo line describes. Unknown
// lines are ignored so that newer files stay readable.
func applyInfoField(info *Info, name, value string) error {
	switch strings.ToLower(name) {
	case fieldSoftware:
		info.Tool = value
	case fieldStartURL:
		info.StartURL = value
	case fieldProfile:
		info.Profile = value
	case fieldAsOf:
		info.AsOf = value
	case fieldStartedAt:
		t, err := parseTime(value)
		if err != nil {
			return err
		}
		info.StartedAt = t
	case fieldFinishedAt:
		t, err := parseTime(value)
		if err != nil {
			return err
		}
		info.FinishedAt = t
	case fieldMaxPages:
		n, err := strconv.Atoi(value)
		if err != nil {
			return err
		}
		info.MaxPages = n
	case fieldMaxDepth:
		n, err := strconv.Atoi(value)
		if err != nil {
			return err
		}
		info.MaxDepth = n
	case fieldPoliteness:
		b, err := strconv.ParseBool(value)
		if err != nil {
			return err
		}
		info.Politeness = b
	case fieldExtra:
		k, v, _ := strings.Cut(value, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return err
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return err
		}
		if info.Extra == nil {
			info.Extra = map[string]string{}
		}
		info.Extra[key] = val
	}
	return nil
}

func parseTime(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, s)
}
