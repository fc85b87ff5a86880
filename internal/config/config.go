// Package config reads .govlint.yaml: a site's profile and start URL, its
// adjustments to the rulebook and the rubric, and its ignores. Unknown keys
// and bad values are errors that name the key and the line.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/govlint/govlint/checks"
	"github.com/govlint/govlint/internal/bjtime"
	"github.com/govlint/govlint/internal/score"
)

// FileName is the config file govlint looks for in the current directory.
const FileName = ".govlint.yaml"

// Config is a parsed .govlint.yaml.
type Config struct {
	Path    string
	Profile string
	// Level is the agency's level (as --level); "" to guess it.
	Level string
	Start []string
	// Hosts are further host names to crawl besides the start host and its
	// www./bare twin (a site split over two domains).
	Hosts []string
	// Rubric is the rubric file, resolved against the config's directory.
	Rubric  string
	Disable []string
	// NoExternalServices is external_services: false — a department
	// without external service functions (国办发〔2017〕47号 requires
	// 办事服务 only of portals and departments that serve the public), so
	// the 办事服务 checks (19号 V6) do not run.
	NoExternalServices bool
	Severity           map[string]checks.Severity
	Weights            map[string]Weight
	// Windows in days, by window class, column ID or column name.
	Windows        map[string]int
	ColumnURLs     map[string]string
	ExtraColumns   []ExtraColumn
	StaleCitations []StaleCitation
	Ignores        []Ignore
}

// Weight overrides what a check's findings cost.
type Weight struct {
	Category string   `yaml:"category"`
	Points   *float64 `yaml:"points"`
	Cap      *float64 `yaml:"cap"`
}

// ExtraColumn is a column the site must have besides its profile's.
type ExtraColumn struct {
	ID         string          `yaml:"id"`
	Name       string          `yaml:"name"`
	Synonyms   []string        `yaml:"synonyms"`
	Parent     string          `yaml:"parent"`
	List       bool            `yaml:"list"`
	WindowDays int             `yaml:"window_days"`
	Citation   checks.Citation `yaml:"citation"`
}

// StaleCitation is superseded text the site's pages must no longer cite.
type StaleCitation struct {
	ID           string          `yaml:"id"`
	Name         string          `yaml:"name"`
	Regex        string          `yaml:"regex"`
	Unless       string          `yaml:"unless"`
	SupersededBy string          `yaml:"superseded_by"`
	Citation     checks.Citation `yaml:"citation"`
}

// Ignore leaves matching findings out of the report and the score until
// it expires.
type Ignore struct {
	Check   string // check ID; * matches any run of characters
	URL     string // path (or absolute URL) pattern; * matches anything
	Subject string // optional; * matches anything
	Reason  string
	Expires time.Time // the last day the ignore holds, Beijing time
	Line    int
}

// keys of each mapping, for the unknown-key error.
var (
	topKeys     = []string{"profile", "level", "start", "hosts", "rubric", "disable", "external_services", "severity", "weights", "windows", "columns", "stale_citations", "ignores"}
	columnsKeys = []string{"urls", "extra"}
	weightKeys  = []string{"category", "points", "cap"}
	extraKeys   = []string{"id", "name", "synonyms", "parent", "list", "window_days", "citation"}
	staleKeys   = []string{"id", "name", "regex", "unless", "superseded_by", "citation"}
	citeKeys    = []string{"document", "article"}
	ignoreKeys  = []string{"check", "url", "subject", "reason", "expires"}
)

// Find returns the config file to use: the given path, or .govlint.yaml in
// dir if there is one, or "".
func Find(given, dir string) (string, error) {
	if given != "" {
		if _, err := os.Stat(given); err != nil {
			return "", fmt.Errorf("config %s: %w", given, err)
		}
		return given, nil
	}
	p := filepath.Join(dir, FileName)
	if _, err := os.Stat(p); err == nil {
		return p, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("config %s: %w", p, err)
	}
	return "", nil
}

// Load reads and checks a config file.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	c, err := Parse(b, path)
	if err != nil {
		return nil, err
	}
	if c.Rubric != "" && !filepath.IsAbs(c.Rubric) {
		c.Rubric = filepath.Join(filepath.Dir(path), c.Rubric)
	}
	return c, nil
}

// Parse reads a config from YAML; name is used in errors.
func Parse(b []byte, name string) (*Config, error) {
	c := &Config{Path: name}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(b)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return c, nil // an empty file is an empty config
		}
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return c, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("config %s: line %d: want a mapping of keys (profile:, ignores: …)", name, root.Line)
	}
	fail := func(n *yaml.Node, format string, a ...any) error {
		return fmt.Errorf("config %s: line %d: %s", name, n.Line, fmt.Sprintf(format, a...))
	}
	if err := checkKeys(name, "", root, topKeys); err != nil {
		return nil, err
	}
	for i := 0; i < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		var err error
		switch k.Value {
		case "profile":
			err = decodeScalar(v, &c.Profile)
		case "level":
			err = decodeScalar(v, &c.Level)
		case "start":
			if v.Kind == yaml.ScalarNode {
				c.Start = []string{v.Value}
			} else {
				err = v.Decode(&c.Start)
			}
			for _, s := range c.Start {
				if u, perr := url.Parse(s); perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					return nil, fail(v, "start: %q is not an http(s) URL", s)
				}
			}
		case "hosts":
			if err = v.Decode(&c.Hosts); err == nil {
				for _, h := range c.Hosts {
					if h == "" || strings.ContainsAny(h, "/:@ ") {
						return nil, fail(v, "hosts: %q is not a host name (write www.example.gov.cn, no scheme or path)", h)
					}
				}
			}
		case "rubric":
			err = decodeScalar(v, &c.Rubric)
		case "disable":
			err = v.Decode(&c.Disable)
		case "external_services":
			var on bool
			if v.Kind != yaml.ScalarNode || v.Decode(&on) != nil {
				return nil, fail(v, "external_services: want true or false")
			}
			c.NoExternalServices = !on
		case "severity":
			var m map[string]string
			if err = v.Decode(&m); err == nil {
				c.Severity = map[string]checks.Severity{}
				for id, s := range m {
					sev, serr := checks.ParseSeverity(s)
					if serr != nil {
						return nil, fail(valueNode(v, id), "severity: %s: %v", id, serr)
					}
					c.Severity[id] = sev
				}
			}
		case "weights":
			if v.Kind != yaml.MappingNode {
				return nil, fail(v, "weights: want check ID: {points, cap, category}")
			}
			c.Weights = map[string]Weight{}
			for j := 0; j < len(v.Content); j += 2 {
				id, wn := v.Content[j].Value, v.Content[j+1]
				var w Weight
				if wn.Kind == yaml.ScalarNode {
					var p float64
					if err := wn.Decode(&p); err != nil {
						return nil, fail(wn, "weights: %s: want a number of points or {points, cap, category}", id)
					}
					w.Points = &p
				} else {
					if err := checkKeys(name, "weights."+id, wn, weightKeys); err != nil {
						return nil, err
					}
					if err := wn.Decode(&w); err != nil {
						return nil, fail(wn, "weights: %s: %v", id, cleanYAML(err))
					}
				}
				if (w.Points != nil && *w.Points < 0) || (w.Cap != nil && *w.Cap < 0) {
					return nil, fail(wn, "weights: %s: points and cap must not be negative", id)
				}
				c.Weights[id] = w
			}
		case "windows":
			if err = v.Decode(&c.Windows); err == nil {
				for key, d := range c.Windows {
					if d <= 0 {
						return nil, fail(valueNode(v, key), "windows: %s: want a positive number of days, got %d", key, d)
					}
				}
			}
		case "columns":
			if err := checkKeys(name, "columns", v, columnsKeys); err != nil {
				return nil, err
			}
			for j := 0; j < len(v.Content); j += 2 {
				ck, cv := v.Content[j], v.Content[j+1]
				switch ck.Value {
				case "urls":
					if err := cv.Decode(&c.ColumnURLs); err != nil {
						return nil, fail(cv, "columns.urls: want column: URL or path (%v)", cleanYAML(err))
					}
					for col, u := range c.ColumnURLs {
						if strings.TrimSpace(u) == "" {
							return nil, fail(valueNode(cv, col), "columns.urls: %s: empty URL", col)
						}
					}
				case "extra":
					if cv.Kind != yaml.SequenceNode {
						return nil, fail(cv, "columns.extra: want a list of columns")
					}
					for _, en := range cv.Content {
						if err := checkKeys(name, "columns.extra[]", en, extraKeys); err != nil {
							return nil, err
						}
						if cn := child(en, "citation"); cn != nil {
							if err := checkKeys(name, "columns.extra[].citation", cn, citeKeys); err != nil {
								return nil, err
							}
						}
						var ec ExtraColumn
						if err := en.Decode(&ec); err != nil {
							return nil, fail(en, "columns.extra: %v", cleanYAML(err))
						}
						if strings.TrimSpace(ec.Name) == "" {
							return nil, fail(en, "columns.extra: a column needs a name")
						}
						if ec.List && ec.WindowDays <= 0 {
							return nil, fail(en, "columns.extra: %s: a list column needs window_days (positive)", ec.Name)
						}
						if ec.Citation.Document == "" {
							return nil, fail(en, "columns.extra: %s: needs citation.document (the rule that requires it)", ec.Name)
						}
						c.ExtraColumns = append(c.ExtraColumns, ec)
					}
				}
			}
		case "stale_citations":
			if v.Kind != yaml.SequenceNode {
				return nil, fail(v, "stale_citations: want a list of patterns")
			}
			for _, sn := range v.Content {
				if err := checkKeys(name, "stale_citations[]", sn, staleKeys); err != nil {
					return nil, err
				}
				if cn := child(sn, "citation"); cn != nil {
					if err := checkKeys(name, "stale_citations[].citation", cn, citeKeys); err != nil {
						return nil, err
					}
				}
				var sc StaleCitation
				if err := sn.Decode(&sc); err != nil {
					return nil, fail(sn, "stale_citations: %v", cleanYAML(err))
				}
				if sc.Name == "" || sc.Regex == "" || sc.SupersededBy == "" || sc.Citation.Document == "" {
					return nil, fail(sn, "stale_citations: a pattern needs name, regex, superseded_by and citation.document")
				}
				if err := compiles(sc.Regex); err != nil {
					return nil, fail(fieldNode(sn, "regex"), "stale_citations: %s: %v", sc.Name, err)
				}
				if sc.Unless != "" {
					if err := compiles(sc.Unless); err != nil {
						return nil, fail(fieldNode(sn, "unless"), "stale_citations: %s: %v", sc.Name, err)
					}
				}
				c.StaleCitations = append(c.StaleCitations, sc)
			}
		case "ignores":
			if v.Kind != yaml.SequenceNode {
				return nil, fail(v, "ignores: want a list of {check, url, reason, expires}")
			}
			for _, in := range v.Content {
				if err := checkKeys(name, "ignores[]", in, ignoreKeys); err != nil {
					return nil, err
				}
				var raw struct {
					Check, URL, Subject, Reason, Expires string
				}
				if err := in.Decode(&raw); err != nil {
					return nil, fail(in, "ignores: %v", cleanYAML(err))
				}
				ig := Ignore{Check: raw.Check, URL: raw.URL, Subject: raw.Subject, Reason: strings.TrimSpace(raw.Reason), Line: in.Line}
				switch {
				case raw.Check == "":
					return nil, fail(in, "ignores: an ignore needs check (a check ID, * allowed)")
				case raw.URL == "":
					return nil, fail(in, "ignores: %s: needs url (a path or URL pattern, * allowed; \"*\" for every page)", raw.Check)
				case ig.Reason == "":
					return nil, fail(in, "ignores: %s %s: needs a reason", raw.Check, raw.URL)
				case raw.Expires == "":
					return nil, fail(in, "ignores: %s %s: needs expires (YYYY-MM-DD): an ignore is a deadline, not forever", raw.Check, raw.URL)
				}
				t, err := bjtime.ParseDate(raw.Expires)
				if err != nil {
					return nil, fail(fieldNode(in, "expires"), "ignores: expires %q: want a date like 2027-03-31", raw.Expires)
				}
				ig.Expires = t
				c.Ignores = append(c.Ignores, ig)
			}
		}
		if err != nil {
			return nil, fail(v, "%s: %v", k.Value, cleanYAML(err))
		}
	}
	return c, nil
}

// checkKeys rejects keys a mapping may not have, naming the key and line.
func checkKeys(name, where string, n *yaml.Node, allowed []string) error {
	if n.Kind != yaml.MappingNode {
		if where == "" {
			where = "the file"
		}
		return fmt.Errorf("config %s: line %d: %s: want a mapping", name, n.Line, where)
	}
	for i := 0; i < len(n.Content); i += 2 {
		k := n.Content[i]
		ok := false
		for _, a := range allowed {
			if k.Value == a {
				ok = true
			}
		}
		if !ok {
			in := ""
			if where != "" {
				in = " in " + where
			}
			return fmt.Errorf("config %s: line %d: unknown key %q%s (known: %s)", name, k.Line, k.Value, in, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// child is the value of key in a mapping, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// fieldNode is child, or n itself when it has no such key: for error lines.
func fieldNode(n *yaml.Node, key string) *yaml.Node {
	if c := child(n, key); c != nil {
		return c
	}
	return n
}

func valueNode(n *yaml.Node, key string) *yaml.Node { return fieldNode(n, key) }

func decodeScalar(n *yaml.Node, s *string) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("want a single value")
	}
	*s = n.Value
	return nil
}

// cleanYAML drops yaml.v3's Go type names from an error.
func cleanYAML(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: unmarshal errors:\n  ")
	return strings.ReplaceAll(s, "!!", "")
}

// Overrides are the config's changes to the catalogue.
func (c *Config) Overrides() (*checks.Overrides, error) {
	o := &checks.Overrides{Disabled: c.Disable, Severity: c.Severity, ColumnURLs: c.ColumnURLs}
	if c.NoExternalServices {
		o.Disabled = append(append([]string{}, c.Disable...), checks.ServiceCheckIDs...)
	}
	if len(c.Windows) > 0 {
		o.Windows = map[string]checks.Window{}
		for k, d := range c.Windows {
			o.Windows[k] = checks.Window{N: d, Unit: 'd'}
		}
	}
	for i, ec := range c.ExtraColumns {
		id := ec.ID
		if id == "" {
			id = fmt.Sprintf("config.%d", i+1)
		}
		cr := checks.ColumnRule{ID: id, Name: ec.Name, Synonyms: ec.Synonyms, Parent: ec.Parent, List: ec.List, Citation: ec.Citation}
		if ec.WindowDays > 0 {
			cr.Window = &checks.Window{N: ec.WindowDays, Unit: 'd'}
		}
		o.ExtraColumns = append(o.ExtraColumns, cr)
	}
	for i, sc := range c.StaleCitations {
		id := sc.ID
		if id == "" {
			id = fmt.Sprintf("config.%d", i+1)
		}
		o.StaleCitations = append(o.StaleCitations, checks.StalePattern{
			ID: id, Name: sc.Name, Regex: sc.Regex, Unless: sc.Unless, SupersededBy: sc.SupersededBy, Citation: sc.Citation,
		})
	}
	cat, err := checks.Load()
	if err != nil {
		return nil, err
	}
	if err := o.Validate(cat); err != nil {
		return nil, fmt.Errorf("config %s: %w", c.Path, err)
	}
	for _, ig := range c.Ignores {
		if !strings.Contains(ig.Check, "*") && cat.Lookup(ig.Check) == nil {
			return nil, fmt.Errorf("config %s: line %d: ignores: no check %q (see `govlint checks`)", c.Path, ig.Line, ig.Check)
		}
	}
	return o, nil
}

// LoadRubric returns the rubric the config asks for (its rubric file or the
// default) with the weight overrides applied and checked.
func (c *Config) LoadRubric() (*score.Rubric, error) {
	var rub *score.Rubric
	var err error
	if c != nil && c.Rubric != "" {
		rub, err = score.LoadFile(c.Rubric)
	} else {
		rub, err = score.Default()
	}
	if err != nil {
		return nil, err
	}
	if c == nil || len(c.Weights) == 0 {
		return rub, nil
	}
	ids := make([]string, 0, len(c.Weights))
	for id := range c.Weights {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	checksCopy := map[string]score.Rule{}
	for k, v := range rub.Checks {
		checksCopy[k] = v
	}
	rub.Checks = checksCopy
	for _, id := range ids {
		w := c.Weights[id]
		rule, ok := rub.Checks[id]
		if !ok && w.Category == "" {
			return nil, fmt.Errorf("config %s: weights: %s is not in the rubric; give it a category", c.Path, id)
		}
		if w.Category != "" {
			rule.Category = w.Category
		}
		if w.Points != nil {
			rule.Points = *w.Points
		}
		if w.Cap != nil {
			rule.Cap = *w.Cap
		}
		rub.Checks[id] = rule
	}
	// Re-validate through the rubric parser, so the rules are the same as
	// for a rubric file.
	b, err := yaml.Marshal(rub)
	if err != nil {
		return nil, fmt.Errorf("config %s: weights: %w", c.Path, err)
	}
	out, err := score.Parse(b, c.Path+" (weights)")
	if err != nil {
		return nil, fmt.Errorf("config %s: weights: %w", c.Path, err)
	}
	return out, nil
}
