package diagguide

// The diagnostics the provider's own code emits, read from its Go source
// with go/ast: every package main.go imports, directly or through others,
// within this module (test files and test-only packages are not part of
// the provider). See codeScan.text for how a summary is read and how its
// placeholders are written.

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

const module = "github.com/engflow/terraform-provider-engflow"

// A severity set: most messages are one or the other, a few both.
type severity uint8

const (
	sevError severity = 1 << iota
	sevWarning
)

// diagCalls are the framework's ways to make a diagnostic (package diag's
// constructors and Diagnostics' Add methods): the index of the summary
// among their arguments, and the severity they give it.
var diagCalls = map[string]struct {
	summaryArg int
	sev        severity
}{
	"AddError":                      {0, sevError},
	"AddWarning":                    {0, sevWarning},
	"AddAttributeError":             {1, sevError},
	"AddAttributeWarning":           {1, sevWarning},
	"NewErrorDiagnostic":            {0, sevError},
	"NewWarningDiagnostic":          {0, sevWarning},
	"NewAttributeErrorDiagnostic":   {1, sevError},
	"NewAttributeWarningDiagnostic": {1, sevWarning},
}

// libraryPrefixes are the modules whose functions the provider calls for
// diagnostics it does not word itself (validators, timeouts); the table in
// library_test.go says what each emits.
var libraryPrefixes = []string{
	"github.com/hashicorp/terraform-plugin-framework-validators/",
	"github.com/hashicorp/terraform-plugin-framework-timeouts/",
}

// placeholder stands for any value filled in at run time: a Sprintf verb,
// or an operand of + that is not a string constant. The guide writes
// <anything> there; both normalise to it.
const placeholder = "<>"

// codeScan is what the provider's source says.
type codeScan struct {
	messages map[string]severity // normalised summary -> severities
	where    map[string]string   // normalised summary -> first position, for messages
	library  map[string]string   // "module-relative pkg.Func" -> first position
	problems []string            // summaries the scan cannot read
	fset     *token.FileSet
	consts   map[string]string // the package's string constants, by name
}

// scanProvider reads the provider's packages under root.
func scanProvider(root string) (*codeScan, error) {
	dirs, err := providerPackages(root)
	if err != nil {
		return nil, err
	}
	s := &codeScan{messages: map[string]severity{}, where: map[string]string{}, library: map[string]string{}, fset: token.NewFileSet()}
	for _, dir := range dirs {
		files, err := parseDir(s.fset, dir, 0)
		if err != nil {
			return nil, err
		}
		s.consts = stringConsts(files)
		for _, f := range files {
			s.scanFile(f, root)
		}
	}
	return s, nil
}

// providerPackages are root (main.go) and every package of this module it
// imports, transitively.
func providerPackages(root string) ([]string, error) {
	seen := []string{root}
	for i := 0; i < len(seen); i++ {
		files, err := parseDir(token.NewFileSet(), seen[i], parser.ImportsOnly)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if rel, ok := strings.CutPrefix(p, module+"/"); ok {
					if dir := filepath.Join(root, filepath.FromSlash(rel)); !slices.Contains(seen, dir) {
						seen = append(seen, dir)
					}
				}
			}
		}
	}
	return seen, nil
}

// parseDir parses the non-test Go files of one directory.
func parseDir(fset *token.FileSet, dir string, mode parser.Mode) ([]*ast.File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, e := range entries {
		if name := e.Name(); !e.IsDir() && strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, mode)
			if err != nil {
				return nil, err
			}
			files = append(files, f)
		}
	}
	return files, nil
}

// stringConsts are the package's constants whose value is a string literal.
func stringConsts(files []*ast.File) map[string]string {
	out := map[string]string{}
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
							out[name.Name], _ = strconv.Unquote(lit.Value)
						}
					}
				}
			}
		}
	}
	return out
}

func (s *codeScan) scanFile(f *ast.File, root string) {
	imports := map[string]string{} // local name -> path, for the libraries
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		imports[name] = p
	}
	pos := func(n ast.Node) string {
		p := s.fset.Position(n.Pos())
		rel, _ := filepath.Rel(root, p.Filename)
		return fmt.Sprintf("%s:%d", filepath.ToSlash(rel), p.Line)
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			s.scanCall(n, imports, pos)
		case *ast.CompositeLit: // configError{Summary: ...}, roleProvider{summary: ...}
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok && isSummaryName(kv.Key) && !forwardsDiagnostic(kv.Value) {
					s.add(kv.Value, sevError, pos(kv))
				}
			}
		case *ast.AssignStmt: // summary := ...
			for i, lhs := range n.Lhs {
				if isSummaryName(lhs) && len(n.Rhs) == len(n.Lhs) {
					s.add(n.Rhs[i], sevError, pos(n))
				}
			}
		case *ast.ValueSpec: // var summary = ...
			for i, name := range n.Names {
				if isSummaryName(name) && i < len(n.Values) {
					s.add(n.Values[i], sevError, pos(n))
				}
			}
		}
		return true
	})
}

func (s *codeScan) scanCall(call *ast.CallExpr, imports map[string]string, pos func(ast.Node) string) {
	var name string
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		name = fn.Name
	case *ast.SelectorExpr:
		name = fn.Sel.Name
		if pkg, ok := fn.X.(*ast.Ident); ok {
			for _, prefix := range libraryPrefixes {
				if rel, ok := strings.CutPrefix(imports[pkg.Name], prefix); ok {
					key := strings.TrimPrefix(prefix, "github.com/hashicorp/") + rel + "." + name
					if _, seen := s.library[key]; !seen {
						s.library[key] = pos(call)
					}
				}
			}
		}
	}
	c, ok := diagCalls[name]
	if !ok || len(call.Args) <= c.summaryArg {
		return
	}
	arg := call.Args[c.summaryArg]
	switch {
	case forwardsDiagnostic(arg):
		// d.Summary(), ce.Summary: a diagnostic made elsewhere, read there.
	case isSummaryName(arg):
		// A summary variable: its assignments are read as errors, so a
		// warning must not take one.
		if c.sev == sevWarning {
			s.problems = append(s.problems, pos(call)+": a warning takes its summary from a variable; "+
				"write it at the call, so that the scan knows it is a warning")
		}
	default:
		s.add(arg, c.sev, pos(call))
	}
}

// isSummaryName: an identifier or field called summary (or Summary).
func isSummaryName(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && strings.EqualFold(id.Name, "summary")
}

// forwardsDiagnostic: x.Summary or x.Summary(), a summary made elsewhere
// (another diagnostic's, or a field set where the scan reads it).
func forwardsDiagnostic(e ast.Expr) bool {
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 0 {
		e = call.Fun
	}
	sel, ok := e.(*ast.SelectorExpr)
	return ok && strings.EqualFold(sel.Sel.Name, "summary")
}

func (s *codeScan) add(e ast.Expr, sev severity, at string) {
	msg, ok := s.text(e)
	if !ok || strings.Trim(msg, placeholder+" ") == "" {
		s.problems = append(s.problems, at+": cannot read this summary; write it as a string literal, "+
			"a + of literals and values, or fmt.Sprintf of a literal format")
		return
	}
	msg = normalise(msg)
	s.messages[msg] |= sev
	if _, seen := s.where[msg]; !seen {
		s.where[msg] = at
	}
}

// text reads a summary expression: a string literal or constant as it is;
// a + of such and other values, each other value a placeholder;
// fmt.Sprintf of a literal format, each verb a placeholder unless its
// argument is a string constant (written in, for %s and %v).
func (s *codeScan) text(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.ParenExpr:
		return s.text(e.X)
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		v, err := strconv.Unquote(e.Value)
		return v, err == nil
	case *ast.Ident:
		v, ok := s.consts[e.Name]
		return v, ok
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		return s.operand(e.X) + s.operand(e.Y), true
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Sprintf" && len(e.Args) > 0 {
			if format, ok := s.text(e.Args[0]); ok {
				return s.sprintf(format, e.Args[1:]), true
			}
		}
	}
	return "", false
}

func (s *codeScan) operand(e ast.Expr) string {
	if v, ok := s.text(e); ok {
		return v
	}
	return placeholder
}

var verb = regexp.MustCompile(`%[-+# 0]*[0-9*]*(?:\.[0-9*]+)?[a-zA-Z%]`)

func (s *codeScan) sprintf(format string, args []ast.Expr) string {
	i := 0
	return verb.ReplaceAllStringFunc(format, func(v string) string {
		if v == "%%" {
			return "%"
		}
		defer func() { i++ }()
		if i < len(args) && strings.ContainsAny(v[len(v)-1:], "sv") {
			if c, ok := s.constant(args[i]); ok {
				return c
			}
		}
		return placeholder
	})
}

// constant is a string literal's or string constant's value.
func (s *codeScan) constant(e ast.Expr) (string, bool) {
	switch e.(type) {
	case *ast.BasicLit, *ast.Ident:
		return s.text(e)
	}
	return "", false
}

// guidePlaceholder is how the guide writes a value: <id>, <vpc>, ...
var guidePlaceholder = regexp.MustCompile(`<[^<>]*>`)

// normalise makes the code's and the guide's forms of a message alike:
// every placeholder <>, runs of blanks one space.
func normalise(msg string) string {
	return strings.Join(strings.Fields(guidePlaceholder.ReplaceAllString(msg, placeholder)), " ")
}
