// Package batch audits many agency sites in one run — the assessor's mode:
// a sites.csv in, a directory of per-site reports and snapshots, a league
// table (XLSX and HTML) and a roll-up by 主管单位 out. Each site is its own
// crawl with its own politeness; many run at once; every finished site is
// committed at once, so an interrupted batch resumes where it stopped.
package batch

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govlint/govlint/internal/audit"
)

// Site is one row of sites.csv.
type Site struct {
	Line     int // line number in the CSV, for messages
	URL      string
	Name     string
	Profile  string
	Level    string // province … zone; "" to guess from the name
	SiteCode string // 网站标识码
	Parent   string // 主管单位
}

// RowError is a row that was skipped, and why.
type RowError struct {
	Line int
	Err  string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Err) }

// Header names: English as documented, and the Chinese ones an assessor's
// spreadsheet is likely to have.
var headerNames = map[string]string{
	"url": "url", "网址": "url", "网站地址": "url", "地址": "url",
	"name": "name", "名称": "name", "网站名称": "name", "单位名称": "name",
	"profile": "profile", "类型": "profile",
	"level": "level", "层级": "level", "行政层级": "level",
	"site_id": "site_id", "网站标识码": "site_id", "标识码": "site_id",
	"parent": "parent", "主管单位": "parent",
}

// ParseCSV reads sites.csv: a header row naming the columns (url required;
// name, profile, level, site_id, parent optional), then one site per row. Rows
// without a usable URL, with an unknown profile or repeating an earlier URL
// are returned as RowErrors with their line number and left out. A file
// saved by Excel in GBK is read as GB18030; a UTF-8 BOM is dropped.
// validProfile may be nil to accept any profile. It fails only when the
// file as a whole is unusable.
func ParseCSV(r io.Reader, defaultProfile string, validProfile func(string) error) ([]Site, []RowError, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("read sites CSV: %w", err)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
		if b, err = simplifiedchinese.GB18030.NewDecoder().Bytes(b); err != nil {
			return nil, nil, fmt.Errorf("read sites CSV: neither UTF-8 nor GB18030: %w", err)
		}
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, errors.New("sites CSV is empty: want a header row with a url column")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("sites CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		key, ok := headerNames[strings.ToLower(strings.TrimSpace(h))]
		if !ok {
			continue // extra columns are the assessor's own notes
		}
		if _, dup := col[key]; dup {
			return nil, nil, fmt.Errorf("sites CSV header: column %q appears twice", key)
		}
		col[key] = i
	}
	if _, ok := col["url"]; !ok {
		return nil, nil, fmt.Errorf("sites CSV header %q has no url column (columns: url, name, profile, level, site_id, parent)", strings.Join(head, ","))
	}
	var sites []Site
	var bad []RowError
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, RowError{Line: pe.Line, Err: pe.Err.Error()})
				continue
			}
			return nil, nil, fmt.Errorf("read sites CSV: %w", err)
		}
		field := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue
		}
		s := Site{Line: line, Name: field("name"), Profile: field("profile"), Level: field("level"), SiteCode: field("site_id"), Parent: field("parent")}
		raw := field("url")
		if raw == "" {
			bad = append(bad, RowError{Line: line, Err: "no url"})
			continue
		}
		u, err := audit.ValidateURL(raw)
		if err != nil {
			bad = append(bad, RowError{Line: line, Err: err.Error()})
			continue
		}
		s.URL = u.String()
		if s.Profile == "" {
			s.Profile = defaultProfile
		}
		if validProfile != nil {
			if err := validProfile(s.Profile); err != nil {
				bad = append(bad, RowError{Line: line, Err: err.Error()})
				continue
			}
		}
		if s.Level != "" && s.Level != "auto" {
			if err := audit.ValidLevel(s.Level); err != nil {
				bad = append(bad, RowError{Line: line, Err: err.Error()})
				continue
			}
		}
		if first, dup := seen[s.URL]; dup {
			bad = append(bad, RowError{Line: line, Err: fmt.Sprintf("URL %s already listed on line %d", s.URL, first)})
			continue
		}
		seen[s.URL] = line
		sites = append(sites, s)
	}
	return sites, bad, nil
}
