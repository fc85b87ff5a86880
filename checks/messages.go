package checks

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// strictArgs makes Message panic on arguments that do not match the
// check's declaration; the package's tests set it.
var strictArgs bool

// Args are a message template's arguments by name: Args{"column": name}
// fills {column}. The names a check may pass are declared in Check.Args and
// checked against its templates when the rulebook loads.
type Args map[string]string

// messageKey is the template name: "" means the check's main "message".
func messageKey(name string) string {
	if name == "" {
		return "message"
	}
	return name
}

// Template returns the check's message template by name ("" for the main
// one) and whether it exists.
func (t CheckText) Template(name string) (string, bool) {
	if k := messageKey(name); k != "message" {
		s, ok := t.Extra[k]
		return s, ok
	}
	return t.Message, t.Message != ""
}

// Placeholders lists the {name} arguments a template uses, sorted.
func Placeholders(tmpl string) []string {
	var out []string
	for _, m := range placeholderRE.FindAllString(tmpl, -1) {
		if n := m[1 : len(m)-1]; !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// validateMessages holds a check's templates and its declared arguments to
// each other: every template is declared, every declared template exists,
// and every placeholder is a declared argument.
func validateMessages(c *Check, t CheckText) error {
	templates := map[string]string{}
	if t.Message != "" {
		templates["message"] = t.Message
	}
	for k, v := range t.Extra {
		templates[k] = v
	}
	for k, tmpl := range templates {
		args, ok := c.Args[k]
		if !ok {
			return fmt.Errorf("template %s is not declared in the check's Args", k)
		}
		for _, ph := range Placeholders(tmpl) {
			if !slices.Contains(args, ph) {
				return fmt.Errorf("template %s uses {%s}, which the check does not pass (it passes %v)", k, ph, args)
			}
		}
	}
	for k := range c.Args {
		if _, ok := templates[k]; !ok {
			return fmt.Errorf("the check declares template %s, which checks.yaml does not have", k)
		}
	}
	return nil
}

// Render fills a template's {name} placeholders from args.
func Render(tmpl string, args Args) string {
	if len(args) == 0 || !strings.Contains(tmpl, "{") {
		return tmpl
	}
	return placeholderRE.ReplaceAllStringFunc(tmpl, func(m string) string {
		if v, ok := args[m[1:len(m)-1]]; ok {
			return v
		}
		return m
	})
}

// Message renders one of the check's templates ("" for the main message)
// with its arguments. In the package's tests (strictArgs) an argument the
// check did not declare, or a declared one it left out, panics, so the
// fixture tests catch a check that drifts from its declaration.
func (p *Pass) Message(name string, args Args) string {
	k := messageKey(name)
	tmpl, _ := p.Check.Text.Template(name)
	if strictArgs {
		decl, ok := p.Check.Args[k]
		if !ok {
			panic(fmt.Sprintf("check %s renders undeclared template %s", p.Check.ID, k))
		}
		for a := range args {
			if !slices.Contains(decl, a) {
				panic(fmt.Sprintf("check %s passes undeclared argument %q to %s", p.Check.ID, a, k))
			}
		}
		for _, a := range decl {
			if _, ok := args[a]; !ok {
				panic(fmt.Sprintf("check %s leaves argument %q of %s unset", p.Check.ID, a, k))
			}
		}
	}
	return Render(tmpl, args)
}
