package audit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// recordedActions reads, from the source of every package under app/, the
// action codes the portal records: each constant named Action… with a
// string value (untyped), and each support desk outcome (support.Outcome), which
// becomes "support.<outcome>".
func recordedActions(t *testing.T) map[string]string {
	t.Helper()
	found := map[string]string{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		file, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				outcome := false
				if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "Outcome" {
					outcome = true
				}
				for i, name := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					v, _ := strconv.Unquote(lit.Value)
					switch {
					case outcome:
						found["support."+v] = path + ": " + name.Name
					case vs.Type == nil && strings.HasPrefix(name.Name, "Action") && len(name.Name) > len("Action"):
						found[v] = path + ": " + name.Name
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// A new action code must come with its sentence, or the audit log would
// show the code to people.
func TestEveryActionHasASentence(t *testing.T) {
	codes := recordedActions(t)
	if len(codes) < 70 {
		t.Fatalf("the scan found only %d action codes: is it still reading app/?", len(codes))
	}
	for code, where := range codes {
		if !known(code) {
			t.Errorf("%s (%s) has no sentence in Describe", code, where)
		}
	}
	for code := range sentences {
		if _, ok := codes[code]; !ok {
			t.Errorf("Describe has a sentence for %q, which nothing records", code)
		}
	}
}

// Every code the audit log's filter can offer (any recorded action) is
// offered by a label, never by its code.
func TestEveryActionHasALabel(t *testing.T) {
	codes := recordedActions(t)
	for code, where := range codes {
		if l := ActionLabel(code); l == code || l == "" {
			t.Errorf("%s (%s) has no label in actionLabels", code, where)
		}
	}
	for code := range actionLabels {
		if _, ok := codes[code]; !ok {
			t.Errorf("actionLabels names %q, which nothing records", code)
		}
	}
	seen := map[string]string{}
	for code, l := range actionLabels {
		if other, dup := seen[l]; dup {
			t.Errorf("%s and %s share the label %q: the filter could not tell them apart", code, other, l)
		}
		seen[l] = code
	}
}
