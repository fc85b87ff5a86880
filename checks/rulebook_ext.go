package checks

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Subitem is a part a column must contain (columns.incomplete): a name for
// the report and regular expressions over normalised text. {Y} and {Y-1}
// stand for the as-of year and the year before.
type Subitem struct {
	Name     string   `yaml:"name"`
	Patterns []string `yaml:"patterns"`
	// Due "MM-DD": required only from that day of the as-of year.
	Due      string   `yaml:"due"`
	Profiles []string `yaml:"profiles"`
}

// yearReplacer fills {Y}, {Y-1} and {Y+1} for one as-of year.
func yearReplacer(y int) *strings.Replacer {
	return strings.NewReplacer("{Y}", strconv.Itoa(y), "{Y-1}", strconv.Itoa(y-1), "{Y+1}", strconv.Itoa(y+1))
}

// Label is the sub-item's name for an as-of year.
func (s Subitem) Label(asOf time.Time) string { return yearReplacer(asOf.Year()).Replace(s.Name) }

// Regexps compiles the patterns for an as-of year.
func (s Subitem) Regexps(asOf time.Time) []*regexp.Regexp {
	r := yearReplacer(asOf.Year())
	out := make([]*regexp.Regexp, 0, len(s.Patterns))
	for _, p := range s.Patterns {
		out = append(out, regexp.MustCompile(r.Replace(p)))
	}
	return out
}

// Applies says whether the sub-item is required for the profile at asOf.
func (s Subitem) Applies(profile string, asOf time.Time) bool {
	if len(s.Profiles) > 0 && !inStrings(s.Profiles, profile) {
		return false
	}
	if s.Due != "" {
		due, err := time.ParseInLocation(time.DateOnly, strconv.Itoa(asOf.Year())+"-"+s.Due, asOf.Location())
		if err == nil && asOf.Before(due) {
			return false
		}
	}
	return true
}

// VetoRules are the sums of 国办秘函〔2019〕19号 单项否决 "栏目不更新" and "首页不更新".
type VetoRules struct {
	StaleClassified int    `yaml:"stale_classified"`
	StaleTotal      int    `yaml:"stale_total"`
	Empty           int    `yaml:"empty"`
	HomeWindow      Window `yaml:"home_window"`
	Labels          struct {
		StaleClassified string `yaml:"stale_classified"`
		StaleTotal      string `yaml:"stale_total"`
		Empty           string `yaml:"empty"`
		Home            string `yaml:"home"`
	} `yaml:"labels"`
}

// PolicyRules are the interpretation settings from policy.yaml.
type PolicyRules struct {
	LateWorkingDays int      `yaml:"late_working_days"`
	CopyShingle     int      `yaml:"copy_shingle"`
	CopyRatio       float64  `yaml:"copy_ratio"`
	CopyMinChars    int      `yaml:"copy_min_chars"`
	LinkWords       []string `yaml:"link_words"`
}

// StalePattern is superseded text a page must no longer cite.
type StalePattern struct {
	ID           string   `yaml:"id"`
	Name         string   `yaml:"name"`
	Regex        string   `yaml:"regex"`
	Unless       string   `yaml:"unless"`
	SupersededBy string   `yaml:"superseded_by"`
	Citation     Citation `yaml:"citation"`

	re, unless *regexp.Regexp
}

// RegulationRules are the validity and stale-citation rules.
type RegulationRules struct {
	Validity struct {
		RepealedValues []string `yaml:"repealed_values"`
		TitleMarkers   []string `yaml:"title_markers"`
	} `yaml:"validity"`
	Repeal struct {
		Clauses      []string `yaml:"clauses"`
		NoticeTitles []string `yaml:"notice_titles"`
		NoticeWords  []string `yaml:"notice_words"`
		TermYears    string   `yaml:"term_years"`
		TermUntil    string   `yaml:"term_until"`
	} `yaml:"repeal"`
	StaleCitation struct {
		PageWords []string       `yaml:"page_words"`
		Patterns  []StalePattern `yaml:"patterns"`
	} `yaml:"stale_citation"`

	clauses              []*regexp.Regexp
	termYears, termUntil *regexp.Regexp
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

// PrivacyRules say where personal numbers count.
type PrivacyRules struct {
	BankWords    []string `yaml:"bank_words"`
	BankWindow   int      `yaml:"bank_window"`
	ListWords    []string `yaml:"list_words"`
	ContactWords []string `yaml:"contact_words"`
}

// AnnualReportRules describe the 政府信息公开工作年度报告.
type AnnualReportRules struct {
	Title          string            `yaml:"title"`
	Deadlines      map[string]string `yaml:"deadlines"`
	FormatFromYear int               `yaml:"format_from_year"`
	Sections       []struct {
		Name     string   `yaml:"name"`
		Patterns []string `yaml:"patterns"`
	} `yaml:"sections"`
	Table3 struct {
		New        string `yaml:"new"`
		CarriedIn  string `yaml:"carried_in"`
		Total      string `yaml:"total"`
		CarriedOut string `yaml:"carried_out"`
	} `yaml:"table3"`

	title *regexp.Regexp
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

func loadExtraRules(rb *Rulebook) error {
	for class := range rb.Classes {
		if _, ok := rb.Windows[class]; !ok {
			return fmt.Errorf("rulebook/columns.yaml: class %q has no window", class)
		}
	}
	if rb.Veto.StaleClassified <= 0 || rb.Veto.StaleTotal <= 0 || rb.Veto.Empty <= 0 || rb.Veto.HomeWindow.N <= 0 {
		return fmt.Errorf("rulebook/columns.yaml: veto needs positive stale_classified, stale_total, empty and home_window")
	}
	for _, id := range rb.GuessOrder {
		if rb.Profiles[id] == nil {
			return fmt.Errorf("rulebook/columns.yaml: guess_order names unknown profile %q", id)
		}
	}
	for _, c := range rb.Columns {
		for _, si := range c.Subitems {
			if si.Name == "" || len(si.Patterns) == 0 {
				return fmt.Errorf("rulebook/columns.yaml: column %s has a sub-item without name or patterns", c.ID)
			}
			for _, p := range si.Patterns {
				if _, err := regexp.Compile(yearReplacer(2000).Replace(p)); err != nil {
					return fmt.Errorf("rulebook/columns.yaml: column %s sub-item %s: %w", c.ID, si.Name, err)
				}
			}
			if si.Due != "" {
				if _, err := time.Parse(time.DateOnly, "2000-"+si.Due); err != nil {
					return fmt.Errorf("rulebook/columns.yaml: column %s sub-item %s: due %q is not MM-DD", c.ID, si.Name, si.Due)
				}
			}
			for _, p := range si.Profiles {
				if rb.Profiles[p] == nil {
					return fmt.Errorf("rulebook/columns.yaml: column %s sub-item %s names unknown profile %q", c.ID, si.Name, p)
				}
			}
		}
	}

	var pol struct {
		Interpretation PolicyRules `yaml:"interpretation"`
	}
	if err := decodeStrict("rulebook/policy.yaml", &pol, true); err != nil {
		return err
	}
	rb.Policy = pol.Interpretation
	if rb.Policy.LateWorkingDays < 0 || rb.Policy.CopyShingle < 4 || rb.Policy.CopyRatio <= 0 || rb.Policy.CopyRatio > 1 {
		return fmt.Errorf("rulebook/policy.yaml: late_working_days ≥ 0, copy_shingle ≥ 4 and 0 < copy_ratio ≤ 1 are required")
	}

	if err := decodeStrict("rulebook/regulation.yaml", &rb.Regulation, true); err != nil {
		return err
	}
	reg := &rb.Regulation
	var err error
	for _, c := range reg.Repeal.Clauses {
		re, err := regexp.Compile(c)
		if err != nil || re.SubexpIndex("name") < 0 {
			return fmt.Errorf("rulebook/regulation.yaml: repeal clause %q must compile and have a (?P<name>…) group: %v", c, err)
		}
		reg.clauses = append(reg.clauses, re)
	}
	if reg.termYears, err = regexp.Compile(reg.Repeal.TermYears); err != nil {
		return fmt.Errorf("rulebook/regulation.yaml: term_years: %w", err)
	}
	if reg.termUntil, err = regexp.Compile(reg.Repeal.TermUntil); err != nil {
		return fmt.Errorf("rulebook/regulation.yaml: term_until: %w", err)
	}
	for i := range reg.StaleCitation.Patterns {
		sp := &reg.StaleCitation.Patterns[i]
		if sp.ID == "" || sp.Name == "" || sp.SupersededBy == "" || sp.Citation.Document == "" {
			return fmt.Errorf("rulebook/regulation.yaml: stale-citation pattern %q needs id, name, superseded_by and citation", sp.ID)
		}
		if sp.re, err = regexp.Compile(sp.Regex); err != nil {
			return fmt.Errorf("rulebook/regulation.yaml: pattern %s: %w", sp.ID, err)
		}
		if sp.Unless != "" {
			if sp.unless, err = regexp.Compile(sp.Unless); err != nil {
				return fmt.Errorf("rulebook/regulation.yaml: pattern %s unless: %w", sp.ID, err)
			}
		}
	}

	if err := decodeStrict("rulebook/metadata.yaml", &rb.Metadata, true); err != nil {
		return err
	}
	if rb.Metadata.indexYear, err = regexp.Compile(rb.Metadata.IndexYear); err != nil {
		return fmt.Errorf("rulebook/metadata.yaml: index_year: %w", err)
	}
	for _, k := range []string{"pub_before_written", "index_year", "duplicate_index", "future_pub"} {
		if rb.Metadata.Problems[k] == "" {
			return fmt.Errorf("rulebook/metadata.yaml: problems.%s is missing", k)
		}
	}

	if err := decodeStrict("rulebook/privacy.yaml", &rb.Privacy, true); err != nil {
		return err
	}

	if err := decodeStrict("rulebook/annualreport.yaml", &rb.AnnualReport, true); err != nil {
		return err
	}
	ar := &rb.AnnualReport
	if ar.title, err = regexp.Compile(ar.Title); err != nil || ar.title.SubexpIndex("year") < 0 {
		return fmt.Errorf("rulebook/annualreport.yaml: title must compile with a (?P<year>…) group: %v", err)
	}
	for id := range rb.Profiles {
		d, ok := ar.Deadlines[id]
		if !ok {
			return fmt.Errorf("rulebook/annualreport.yaml: no deadline for profile %s", id)
		}
		if _, err := time.Parse(time.DateOnly, "2001-"+d); err != nil {
			return fmt.Errorf("rulebook/annualreport.yaml: deadline %q of %s is not MM-DD", d, id)
		}
	}

	if err := decodeStrict("rulebook/interaction.yaml", &rb.Interaction, true); err != nil {
		return err
	}
	if err := decodeStrict("rulebook/guide.yaml", &rb.Guide, true); err != nil {
		return err
	}
	if err := decodeStrict("rulebook/enforcement.yaml", &rb.Enforcement, true); err != nil {
		return err
	}
	if e := rb.Enforcement; len(e.PageWords) == 0 || len(e.DecisionLabels) == 0 || e.WorkingDays <= 0 {
		return fmt.Errorf("rulebook/enforcement.yaml: needs page_words, decision_labels and a positive working_days")
	}
	if len(rb.Guide.TitleWords) == 0 || len(rb.Guide.Elements) == 0 {
		return fmt.Errorf("rulebook/guide.yaml: needs title_words and elements")
	}
	for _, el := range rb.Guide.Elements {
		if el.Name == "" || len(el.Words) == 0 {
			return fmt.Errorf("rulebook/guide.yaml: element %q needs a name and words", el.Name)
		}
	}
	return nil
}

func inStrings(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// containsAnyOf says whether s contains one of the words.
func containsAnyOf(s string, words []string) bool {
	for _, w := range words {
		if w != "" && strings.Contains(s, w) {
			return true
		}
	}
	return false
}
