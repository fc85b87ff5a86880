package checks

import (
	"bytes"
	"fmt"
	"sync/atomic"

	"gopkg.in/yaml.v3"
)

// RuleFile is a check family's own rule data: a YAML file under rulebook/,
// decoded into T and validated when the rulebook loads. A family declares
// it next to its checks with RegisterRules, so adding a check with rule
// data touches no central list:
//
//	var guideRules = RegisterRules(RuleFile[GuideRules]{Name: "guide.yaml", Validate: validateGuide})
//	...
//	r := guideRules.Of(p.Rules)
type RuleFile[T any] struct {
	// Name is the file under rulebook/, e.g. "guide.yaml".
	Name string
	// Decode reads the file; nil decodes strictly (unknown keys are errors).
	Decode func(data []byte, v *T) error
	// Validate checks the decoded data and compiles what the checks need
	// (regular expressions into unexported fields). The core rulebook
	// (columns, windows, profiles) is loaded and valid when it runs. Nil
	// accepts anything that decodes.
	Validate func(v *T, rb *Rulebook) error
}

// RuleKey reads a family's rule data out of a loaded rulebook.
type RuleKey[T any] struct{ name string }

// Of is the family's rule data in rb. Treat it as read-only: the rulebook
// is shared by every run.
func (k RuleKey[T]) Of(rb *Rulebook) *T {
	v, _ := rb.files[k.name].(*T)
	if v == nil {
		panic("checks: rule file " + k.name + " is not loaded") // a registration bug, caught by every test
	}
	return v
}

// set replaces the family's data in rb (overrides work on a copy).
func (k RuleKey[T]) set(rb *Rulebook, v *T) { rb.files[k.name] = v }

type ruleLoader struct {
	name string
	load func(rb *Rulebook) (any, error)
}

// ruleFiles are the registered family rule files, in registration order.
var ruleFiles []ruleLoader

// RegisterRules adds a family's rule file to the rulebook and returns the
// key its checks read the data with. Call it from a package-level var.
func RegisterRules[T any](f RuleFile[T]) RuleKey[T] {
	for _, l := range ruleFiles {
		if l.name == f.Name {
			panic("checks: rule file " + f.Name + " registered twice")
		}
	}
	ruleFiles = append(ruleFiles, ruleLoader{name: f.Name, load: func(rb *Rulebook) (any, error) {
		b, err := readRuleFile(f.Name)
		if err != nil {
			return nil, err
		}
		v := new(T)
		if f.Decode != nil {
			err = f.Decode(b, v)
		} else {
			err = decodeStrict(b, v)
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

// parses counts rule-file reads: the embedded rulebook is parsed once per
// process, whatever the number of runs (RulebookParses).
var parses atomic.Int64

// RulebookParses is how many rulebook files this process has parsed so far;
// tests use it to hold the rulebook to one load.
func RulebookParses() int64 { return parses.Load() }

func readRuleFile(name string) ([]byte, error) {
	parses.Add(1)
	b, err := rulebookFS.ReadFile("rulebook/" + name)
	if err != nil {
		return nil, fmt.Errorf("read rulebook/%s: %w", name, err)
	}
	return b, nil
}

// decodeStrict decodes YAML, rejecting keys the type does not have.
func decodeStrict(b []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	return dec.Decode(v)
}
