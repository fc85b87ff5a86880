// Package layers holds govlint's package layering in a test, so the
// boundaries README's Architecture section describes stay true.
package layers

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

const mod = "github.com/govlint/govlint/"

type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
	Deps       []string
}

// goList runs `go list` once for all the tests of this package.
var goList = sync.OnceValues(func() ([]byte, error) {
	cmd := exec.Command("go", "list", "-json=ImportPath,Dir,GoFiles,Imports,Deps", "./...")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return nil, fmt.Errorf("go list: %w\n%s", err, ee.Stderr)
	}
	return out, err
})

// packages lists the module's packages with their direct imports and
// every package they depend on (non-test files), as `go list -deps` does.
func packages(t *testing.T) map[string]*pkg {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("layering test needs the go command on PATH")
	}
	out, err := goList()
	require.NoError(t, err)
	pkgs := map[string]*pkg{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else {
			require.NoError(t, err)
		}
		pkgs[strings.TrimPrefix(p.ImportPath, mod)] = &p
	}
	require.Contains(t, pkgs, "internal/site", "go list ran in the module root")
	return pkgs
}

func has(list []string, path string) bool {
	for _, p := range list {
		if p == path || p == mod+path {
			return true
		}
	}
	return false
}

func TestLayering(t *testing.T) {
	t.Parallel()
	pkgs := packages(t)
	get := func(name string) *pkg {
		p, ok := pkgs[name]
		require.True(t, ok, "package %s is gone: update this test and README's Architecture", name)
		return p
	}

	// The site model does no I/O: no files, no network, no processes
	// (fmt needs os underneath, so direct imports are what count).
	site := get("internal/site")
	for _, io := range []string{"os", "os/exec", "io/fs", "io/ioutil", "net", "net/http", "syscall", "database/sql", "unsafe"} {
		if has(site.Imports, io) {
			t.Errorf("internal/site depends on %s: the model does no I/O (page texts live in internal/textstore)", io)
		}
	}
	for _, d := range site.Deps {
		if strings.HasPrefix(d, mod) {
			t.Errorf("internal/site depends on %s: the model is the bottom layer", d)
		}
	}

	// Extraction turns bytes into the model: it neither crawls nor reads
	// snapshots, nor knows checks or reports.
	for _, bad := range []string{"internal/crawl", "internal/snapshot", "internal/audit", "checks", "internal/report", "internal/textstore"} {
		if has(get("internal/extract").Deps, bad) {
			t.Errorf("internal/extract depends on %s", bad)
		}
	}
	// Reading an answer's bytes (charset, outcome, URLs, DOM, dates) is the
	// bottom of crawling and extraction alike: it knows no CMS, model
	// building, crawl, audit or check, and of this module only the model's
	// types and the Beijing time zone its dates are in.
	htmlread := get("internal/htmlread")
	for _, bad := range []string{"internal/cms", "internal/extract", "internal/crawl", "internal/audit", "checks"} {
		if has(htmlread.Deps, bad) {
			t.Errorf("internal/htmlread depends on %s", bad)
		}
	}
	for _, d := range htmlread.Deps {
		if strings.HasPrefix(d, mod) && d != mod+"internal/site" && d != mod+"internal/bjtime" {
			t.Errorf("internal/htmlread depends on %s: it imports only internal/site and internal/bjtime of this module", d)
		}
	}
	// CMS knowledge, crawl planning and fetch-error classification sit
	// below both the crawler and extraction, which share them.
	for _, bad := range []string{"internal/extract", "internal/crawl", "internal/snapshot"} {
		if has(get("internal/cms").Deps, bad) {
			t.Errorf("internal/cms depends on %s", bad)
		}
	}
	// The crawler plans with internal/cms and reads answers with
	// internal/htmlread; the model's extraction reaches it only as
	// Options.ReadPage.
	if has(get("internal/crawl").Deps, "internal/extract") {
		t.Errorf("internal/crawl depends on internal/extract")
	}
	// Renderers work from the report alone: no crawl, snapshot, history,
	// config or audit, and no file writing of their own.
	for _, bad := range []string{"internal/audit", "internal/crawl", "internal/snapshot", "internal/history", "internal/config", "internal/extract", "internal/atomicfile", "internal/textstore"} {
		if has(get("internal/report").Deps, bad) {
			t.Errorf("internal/report depends on %s", bad)
		}
	}
	// Small leaf packages stay leaves.
	for _, leaf := range []string{"internal/atomicfile", "internal/bjtime", "internal/textstore"} {
		for _, d := range get(leaf).Imports {
			if strings.HasPrefix(d, mod) && d != mod+"internal/site" {
				t.Errorf("%s imports %s", leaf, d)
			}
		}
	}
	// Only the CLI uses cobra.
	for name, p := range pkgs {
		if has(p.Imports, "github.com/spf13/cobra") && !strings.HasPrefix(name, "cmd/") {
			t.Errorf("%s imports cobra: flags belong to cmd/govlint", name)
		}
	}
}

// calls lists, for each non-test file of p, the selector calls X.Sel(...)
// whose X is the named import path.
func calls(t *testing.T, p *pkg, importPath string, fn func(file, sel string)) {
	t.Helper()
	fset := token.NewFileSet()
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		local := ""
		for _, im := range f.Imports {
			path, _ := strconv.Unquote(im.Path.Value)
			if path != importPath {
				continue
			}
			local = filepath.Base(path)
			if im.Name != nil {
				local = im.Name.Name
			}
		}
		if local == "" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if se, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := se.X.(*ast.Ident); ok && id.Name == local {
					fn(name, se.Sel.Name)
				}
			}
			return true
		})
	}
}

// internal/report uses the checks package for its types (Finding,
// Severity) and text helpers only: it never loads the catalogue or the
// rulebook, whose texts reach the renderers through the report's rules.
func TestReportNeverLoadsTheCatalogue(t *testing.T) {
	t.Parallel()
	pkgs := packages(t)
	calls(t, pkgs["internal/report"], mod+"checks", func(file, sel string) {
		if strings.HasPrefix(sel, "Load") || strings.HasPrefix(sel, "MustLoad") || sel == "Rulebook" || sel == "Catalogue" {
			t.Errorf("internal/report/%s uses checks.%s: renderers read rule texts from Report.Rules", file, sel)
		}
	})
}

// One Beijing time zone and one date layout for the module: zones are
// made only in internal/bjtime, dates written with time.DateOnly.
func TestOneTimeZoneAndDateLayout(t *testing.T) {
	t.Parallel()
	pkgs := packages(t)
	fset := token.NewFileSet()
	for name, p := range pkgs {
		for _, file := range p.GoFiles {
			f, err := parser.ParseFile(fset, filepath.Join(p.Dir, file), nil, parser.SkipObjectResolution)
			require.NoError(t, err)
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if id, ok := n.X.(*ast.Ident); ok && id.Name == "time" && (n.Sel.Name == "FixedZone" || n.Sel.Name == "LoadLocation") && name != "internal/bjtime" {
						t.Errorf("%s/%s: time.%s: use bjtime.Zone", name, file, n.Sel.Name)
					}
				case *ast.BasicLit:
					if n.Kind == token.STRING && (n.Value == `"2006-01-02"` || n.Value == `"2006-01-02 15:04:05"`) {
						t.Errorf("%s/%s: layout %s: use time.DateOnly / time.DateTime", name, file, n.Value)
					}
				}
				return true
			})
		}
	}
}
