package checks

// Issue 16's stand-in for the registration API of issue 13 (Register,
// RegisterRules, RuleFile, RuleKey, Args, Pass.Message with Args): the new
// families are written against that API, and this file goes when it lands
// (then p.msg becomes p.Message).

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Args are a message template's arguments by name.
type Args map[string]string

// Register adds a check to the catalogue from its own file.
func Register(c *Check) *Check {
	registry = append(registry, c)
	return c
}

// RuleFile is a check family's own rule data under rulebook/.
type RuleFile[T any] struct {
	Name     string
	Decode   func(data []byte, v *T) error
	Validate func(v *T, rb *Rulebook) error
}

// RuleKey reads a family's rule data out of a loaded rulebook.
type RuleKey[T any] struct{ name string }

// Of is the family's rule data in rb.
func (k RuleKey[T]) Of(rb *Rulebook) *T {
	v, _ := rb.files[k.name].(*T)
	if v == nil {
		panic("checks: rule file " + k.name + " is not loaded")
	}
	return v
}

type ruleLoader struct {
	name string
	load func(rb *Rulebook) (any, error)
}

var ruleFiles []ruleLoader

// RegisterRules adds a family's rule file to the rulebook.
func RegisterRules[T any](f RuleFile[T]) RuleKey[T] {
	for _, l := range ruleFiles {
		if l.name == f.Name {
			panic("checks: rule file " + f.Name + " registered twice")
		}
	}
	ruleFiles = append(ruleFiles, ruleLoader{name: f.Name, load: func(rb *Rulebook) (any, error) {
		b, err := rulebookFS.ReadFile("rulebook/" + f.Name)
		if err != nil {
			return nil, fmt.Errorf("read rulebook/%s: %w", f.Name, err)
		}
		v := new(T)
		if f.Decode != nil {
			err = f.Decode(b, v)
		} else {
			dec := yaml.NewDecoder(bytes.NewReader(b))
			dec.KnownFields(true)
			err = dec.Decode(v)
		}
		if err != nil {
			return nil, fmt.Errorf("parse rulebook/%s: %w", f.Name, err)
		}
		if f.Validate != nil {
			if err := f.Validate(v, rb); err != nil {
				return nil, fmt.Errorf("rulebook/%s: %w", f.Name, err)
			}
		}
		return v, nil
	}})
	return RuleKey[T]{name: f.Name}
}

func loadRuleFiles(rb *Rulebook) error {
	rb.files = map[string]any{}
	for _, l := range ruleFiles {
		v, err := l.load(rb)
		if err != nil {
			return err
		}
		rb.files[l.name] = v
	}
	return nil
}

var placeholderRE = regexp.MustCompile(`\{([a-z_]+)\}`)

// msg renders a message template with its arguments.
func (p *Pass) msg(name string, args Args) string {
	kv := make([]string, 0, 2*len(args))
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kv = append(kv, "{"+k+"}", args[k])
	}
	return p.Message(name, kv...)
}

// templateArgs are the placeholders of a template, for tests.
func templateArgs(tmpl string) []string {
	var out []string
	for _, m := range placeholderRE.FindAllStringSubmatch(tmpl, -1) {
		out = append(out, m[1])
	}
	sort.Strings(out)
	return slicesCompact(out)
}

func slicesCompact(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

var _ = strings.TrimSpace
