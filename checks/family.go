package checks

import (
	"fmt"
	"sort"
)

// A check family that owns its rule file registers a loader here from its
// own Go file (service.go, wording.go, security.go …): the loader decodes
// and validates rulebook/<family>.yaml, and the family's checks read the
// result back with familyRules. Shared lists stay untouched when a family
// is added.
type familyLoader struct {
	file string
	load func(name string) (any, error)
}

var familyLoaders = map[string]familyLoader{}

// registerFamily is called from a family's init: name is the family, file
// its YAML under rulebook/, load decodes and validates it.
func registerFamily(name, file string, load func(name string) (any, error)) {
	if _, dup := familyLoaders[name]; dup {
		panic("checks: family " + name + " registered twice")
	}
	familyLoaders[name] = familyLoader{file: file, load: load}
}

func loadFamilies(rb *Rulebook) error {
	names := make([]string, 0, len(familyLoaders))
	for n := range familyLoaders {
		names = append(names, n)
	}
	sort.Strings(names)
	rb.families = map[string]any{}
	for _, n := range names {
		fl := familyLoaders[n]
		v, err := fl.load(fl.file)
		if err != nil {
			return fmt.Errorf("rulebook/%s: %w", fl.file, err)
		}
		rb.families[n] = v
	}
	return nil
}

// familyRules returns a family's decoded rules.
func familyRules[T any](rb *Rulebook, name string) *T {
	v, _ := rb.families[name].(*T)
	if v == nil {
		panic("checks: rules of family " + name + " not loaded")
	}
	return v
}

// decodeFamily reads rulebook/<file> strictly into a new T.
func decodeFamily[T any](file string) (*T, error) {
	v := new(T)
	if err := decodeStrict("rulebook/"+file, v, true); err != nil {
		return nil, err
	}
	return v, nil
}
