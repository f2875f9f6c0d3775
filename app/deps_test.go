package app_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "accountportal"

// layers is the dependency rule README.md states under "How the code is
// laid out": a package may import only packages of lower layers, so the
// domain packages cannot lean on each other in a circle. Paths are relative
// to the module; "views/pages/" stands for every page package.
var layers = map[string]int{
	"config": 0, "migrations": 0, "static": 0, "app/apperr": 0, "app/textinput": 0,
	"app/security": 0, "app/metrics": 0, "app/web/apidoc": 0, "views/viewmodel": 0,
	"views/i18n": 0,
	"models":     1, "views/components": 1, "views/layouts": 1, "views/emails": 1,
	"views/pages/": 2, "app/audit": 2, "app/throttle": 2,
	"app/session": 3, "app/secrets": 3, "app/jobs": 3, "app/mail": 3,
	"app/identity": 4,
	"app/profile":  5,
	"app/account":  6, "app/mfa": 6, "app/support": 6,
	"app/admin":    7,
	"app/recovery": 8, "app/provider": 8,
	"app/web": 9,
	"app":     10,
	"":        11,
}

// testSupport are the packages tests start the portal with, and the load
// benchmark's reference server tools/floor; they may import
// anything, and no shipped package imports them.
var testSupport = map[string]bool{"tools/floor": true, "app/apptest": true, "app/mail/mailtest": true, "models/modelstest": true}

type listedPackage struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

func TestDependencyRule(t *testing.T) {
	for _, p := range listPackages(t) {
		for _, v := range violations(p) {
			t.Error(v)
		}
	}
}

// TestDependencyRuleCatches shows the rule refuses what it is meant to.
func TestDependencyRuleCatches(t *testing.T) {
	cases := []struct {
		pkg   listedPackage
		wrong bool
	}{
		{listedPackage{ImportPath: "accountportal/views/pages/login", Imports: []string{"accountportal/models"}}, true},
		{listedPackage{ImportPath: "accountportal/views/pages/login", Imports: []string{"accountportal/views/components"}}, false},
		{listedPackage{ImportPath: "accountportal/app/admin", Imports: []string{"accountportal/app/web"}}, true},
		{listedPackage{ImportPath: "accountportal/app/identity", Deps: []string{"github.com/labstack/echo/v4"}}, true},
		{listedPackage{ImportPath: "accountportal/app/web", Deps: []string{"github.com/labstack/echo/v4"}}, false},
		{listedPackage{ImportPath: "accountportal/app/identity", Imports: []string{"accountportal/app/profile"}}, true},
		{listedPackage{ImportPath: "accountportal/app/mfa", Imports: []string{"accountportal/app/support"}}, true},
		{listedPackage{ImportPath: "accountportal/app/profile", Imports: []string{"accountportal/app/identity"}}, false},
		{listedPackage{ImportPath: "accountportal/models", Imports: []string{"accountportal/models/modelstest"}}, true},
		{listedPackage{ImportPath: "accountportal/app/apptest", Imports: []string{"accountportal/app"}}, false},
		{listedPackage{ImportPath: "accountportal/app/billing"}, true},
	}
	for _, tc := range cases {
		if got := violations(tc.pkg); (len(got) > 0) != tc.wrong {
			t.Errorf("%s importing %v%v: violations %q", tc.pkg.ImportPath, tc.pkg.Imports, tc.pkg.Deps, got)
		}
	}
}

// violations lists how p breaks the rule.
func violations(p listedPackage) []string {
	name := local(p.ImportPath)
	if testSupport[name] {
		return nil
	}
	layer, ok := layerOf(name)
	if !ok {
		return []string{p.ImportPath + " has no layer: give it one in README.md and in layers here"}
	}
	var out []string
	for _, imp := range p.Imports {
		if problem := checkImport(name, layer, imp); problem != "" {
			out = append(out, p.ImportPath+" imports "+imp+": "+problem)
		}
	}
	for _, dep := range p.Deps {
		if layer < layers["app/web"] && strings.HasPrefix(dep, "github.com/labstack/echo") {
			out = append(out, p.ImportPath+" depends on "+dep+": only app/web and what wires it know Echo")
		}
	}
	return out
}

// checkImport says what is wrong with name (of layer) importing imp, or "".
func checkImport(name string, layer int, imp string) string {
	if imp != module && !strings.HasPrefix(imp, module+"/") {
		return ""
	}
	target := local(imp)
	if testSupport[target] {
		return "test support is for tests only"
	}
	if strings.HasPrefix(name, "views/") && !strings.HasPrefix(target, "views/") {
		return "views import only views (a page gets view models, never models)"
	}
	to, ok := layerOf(target)
	if ok && to >= layer {
		return "a package imports only packages of lower layers"
	}
	return ""
}

// layerOf returns the layer of a package path relative to the module.
func layerOf(name string) (int, bool) {
	if l, ok := layers[name]; ok {
		return l, true
	}
	if strings.HasPrefix(name, "views/pages/") {
		return layers["views/pages/"], true
	}
	return 0, false
}

func local(path string) string {
	return strings.TrimPrefix(strings.TrimPrefix(path, module), "/")
}

// listPackages asks the go command for every package of the module with
// its direct imports and all its dependencies.
func listPackages(t *testing.T) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,Deps", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listedPackage
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < len(layers) {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}
