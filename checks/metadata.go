package checks

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/govlint/govlint/internal/site"
)

// MetadataMissingFields reports policy-file pages whose metadata table
// lacks a required field (索引号, 发布机构, 成文日期, 发布日期, 文号; 文号 "无" is
// a value).
var MetadataMissingFields = &Check{ID: "metadata.missing-fields", Run: runMetadataMissingFields, Args: map[string][]string{
	"message": {"title", "fields"},
}}

// MetadataInconsistent reports metadata that contradicts itself: 发布日期
// before 成文日期 or after the as-of date, an 索引号 whose year fits neither
// date, an 索引号 used twice.
var MetadataInconsistent = &Check{ID: "metadata.inconsistent", Run: runMetadataInconsistent, Args: map[string][]string{
	"message": {"title", "problem", "detail"},
}}

// docField says whether a policy page's metadata has the field.
func docField(d *site.Document, field string) bool {
	switch field {
	case "index":
		return d.IndexNo != ""
	case "publisher":
		return d.Publisher != ""
	case "written":
		return !d.WrittenDate.IsZero()
	case "pub":
		return !d.PubDate.IsZero()
	case "docno":
		return d.DocNo != "" // "无" is a value
	}
	return true
}

func runMetadataMissingFields(p *Pass) {
	for _, pg := range p.Site.PagesOf(site.KindPolicy) {
		if pg.Doc == nil {
			continue
		}
		var missing []string
		for _, f := range metadataRules.Of(p.Rules).Required {
			if !docField(pg.Doc, f.Field) {
				missing = append(missing, f.Name)
			}
		}
		if len(missing) == 0 {
			continue
		}
		title := policyTitle(pg)
		p.Report(Finding{
			Subject:  title,
			URL:      pg.URL,
			Message:  p.Message("", Args{"title": title, "fields": strings.Join(missing, "、")}),
			Evidence: PageEvidence(pg, "元数据表缺少："+strings.Join(missing, "、")),
		})
	}
}

func runMetadataInconsistent(p *Pass) {
	m := metadataRules.Of(p.Rules)
	asOf := dayOf(p.AsOf)
	report := func(pg *site.Page, problem, detail string) {
		p.Report(Finding{
			Subject:  problem,
			URL:      pg.URL,
			Message:  p.Message("", Args{"title": policyTitle(pg), "problem": problem, "detail": detail}),
			Evidence: PageEvidence(pg, detail),
		})
	}
	for _, pg := range p.Site.PagesOf(site.KindPolicy) {
		d := pg.Doc
		if d == nil {
			continue
		}
		w, pub := d.WrittenDate, d.PubDate
		if !w.IsZero() && !pub.IsZero() && dayOf(pub).Before(dayOf(w)) {
			report(pg, m.Problems["pub_before_written"], "成文日期 "+w.Format(time.DateOnly)+"，发布日期 "+pub.Format(time.DateOnly))
		}
		if !pub.IsZero() && dayOf(pub).After(asOf) {
			report(pg, m.Problems["future_pub"], "发布日期 "+pub.Format(time.DateOnly)+"，检测基准日 "+asOf.Format(time.DateOnly))
		}
		if mm := m.indexYear.FindStringSubmatch(d.IndexNo); mm != nil && (!w.IsZero() || !pub.IsZero()) {
			y, _ := strconv.Atoi(mm[1])
			if (w.IsZero() || w.Year() != y) && (pub.IsZero() || pub.Year() != y) {
				report(pg, m.Problems["index_year"], "索引号 "+d.IndexNo+"，成文日期 "+dateOr(w)+"，发布日期 "+dateOr(pub))
			}
		}
	}
	// Duplicates: every page with a metadata table, in URL order; the
	// first holder of an 索引号 keeps it, later ones are reported.
	first := map[string]*site.Page{}
	for _, pg := range p.Site.Pages {
		if pg.Doc == nil || pg.Doc.IndexNo == "" || pg.Kind == site.KindAttachment {
			continue
		}
		k := NormalizeName(pg.Doc.IndexNo)
		if f, ok := first[k]; ok {
			report(pg, m.Problems["duplicate_index"], "索引号 "+pg.Doc.IndexNo+" 已用于《"+policyTitle(f)+"》 "+f.URL)
			continue
		}
		first[k] = pg
	}
}

func dateOr(t time.Time) string {
	if t.IsZero() {
		return "（无）"
	}
	return t.Format(time.DateOnly)
}

// MetadataRules are the required policy-page fields and consistency rules.
type MetadataRules struct {
	Required []struct {
		Field string `yaml:"field"`
		Name  string `yaml:"name"`
	} `yaml:"required"`
	IndexYear string            `yaml:"index_year"`
	Problems  map[string]string `yaml:"problems"`

	indexYear *regexp.Regexp
}

var metadataRules = RegisterRules(RuleFile[MetadataRules]{
	Name: "metadata.yaml",
	Validate: func(m *MetadataRules, _ *Rulebook) error {
		var err error
		if m.indexYear, err = regexp.Compile(m.IndexYear); err != nil {
			return fmt.Errorf("index_year: %w", err)
		}
		for _, k := range []string{"pub_before_written", "index_year", "duplicate_index", "future_pub"} {
			if m.Problems[k] == "" {
				return fmt.Errorf("problems.%s is missing", k)
			}
		}
		return nil
	},
})

func init() { Register(MetadataMissingFields, MetadataInconsistent) }
