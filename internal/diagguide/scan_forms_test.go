package diagguide

import (
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"testing"
)

// The forms of summary the scan reads, and how it writes their values.
func TestScan_summaryForms(t *testing.T) {
	const src = `package p
const marker = "engflow:creating"
func f() {
	diags.AddError("Plain", d)
	diags.AddAttributeWarning(at, fmt.Sprintf("Tag %s on %s: %d%% (%s, %q)", marker, id, n, "lit", x), d)
	diags.Append(diag.NewErrorDiagnostic("VPC "+vpc+" has "+marker, d))
	summary := "Creating in " + vpc
	diags.AddError(summary, d)
	diags.Append(withPath(p, diag.NewAttributeWarningDiagnostic(p, d.Summary(), d.Detail())))
	_ = &configError{Summary: fmt.Sprintf("Cannot read %s", what), Detail: d}
	_ = &configError{Summary: p.summary}
	diags.AddWarning(summary, d)
	diags.AddError(msg, d)
}`
	s := &codeScan{messages: map[string]severity{}, where: map[string]string{}, library: map[string]string{}, fset: token.NewFileSet()}
	f, err := parser.ParseFile(s.fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.consts = stringConsts([]*ast.File{f})
	s.scanFile(f, ".")
	want := map[string]severity{
		"Plain": sevError,
		"Tag engflow:creating on <>: <>% (lit, <>)": sevWarning,
		"VPC <> has engflow:creating":               sevError,
		"Creating in <>":                            sevError,
		"Cannot read <>":                            sevError,
	}
	if !maps.Equal(s.messages, want) {
		t.Errorf("messages %v\nwant %v", s.messages, want)
	}
	// A warning from a summary variable, and a summary from any other variable.
	if len(s.problems) != 2 {
		t.Errorf("problems %q, want the warning from summary (line 13) and msg (line 14)", s.problems)
	}
	if got := normalise("Subnet  <subnet-id> needs an <IPv4 or IPv6> address"); got != "Subnet <> needs an <> address" {
		t.Errorf("normalise = %q", got)
	}
}
