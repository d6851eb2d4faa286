// Package diagguide holds the troubleshooting guide to the diagnostics the
// provider emits, in both directions, as package iamguide holds the IAM
// guide to the AWS calls: a summary added to the code without a row in
// the guide fails, and so does a row naming a message the code does not
// emit. Summaries are compared with every value filled in at run time (a
// Sprintf verb, a non-constant operand of +) and every <placeholder> of
// the guide reduced to <>: "Subnet %s does not exist" in the code matches
// `Subnet <id> does not exist` in the guide.
package diagguide

import (
	"maps"
	"path/filepath"
	"slices"
	"testing"
)

var severityName = map[severity]string{sevError: "an error", sevWarning: "a warning", sevError | sevWarning: "an error or warning"}

func TestTroubleshootingGuideListsEveryDiagnostic(t *testing.T) {
	root := filepath.Join("..", "..")
	code, err := scanProvider(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range code.problems {
		t.Error(p)
	}
	for _, fn := range slices.Sorted(maps.Keys(code.library)) {
		run, known := libraryDiagnostics[fn]
		switch {
		case !known:
			t.Errorf("%s: the provider calls %s, which library_test.go does not know: add what it reports", code.library[fn], fn)
		case run != nil:
			diags := run()
			if len(diags) == 0 {
				t.Errorf("library_test.go: %s reported nothing on the value meant to fail it", fn)
			}
			for _, d := range diags {
				sev := sevError
				if d.Severity().String() == "Warning" {
					sev = sevWarning
				}
				msg := normalise(d.Summary())
				code.messages[msg] |= sev
				if _, seen := code.where[msg]; !seen {
					code.where[msg] = code.library[fn] + " (" + fn + ")"
				}
			}
		}
	}

	guide, problems, err := readGuide(filepath.Join(root, guidePath))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	listed := map[string]guideMessage{}
	for _, g := range guide {
		if prev, twice := listed[g.text]; twice {
			t.Errorf("%s:%d: `%s` is listed again (first on line %d)", guidePath, g.line, g.text, prev.line)
		}
		listed[g.text] = g
		sev, emitted := code.messages[g.text]
		switch {
		case !emitted:
			t.Errorf("%s:%d: `%s` is not a summary the provider emits: correct the row or remove it", guidePath, g.line, g.text)
		case sev != g.sev:
			t.Errorf("%s:%d: `%s` is %s in the code (%s), %s in the guide", guidePath, g.line, g.text,
				severityName[sev], code.where[g.text], severityName[g.sev])
		}
	}
	for _, msg := range slices.Sorted(maps.Keys(code.messages)) {
		if _, ok := listed[msg]; !ok {
			t.Errorf("%s: the provider emits %s `%s`, which %s does not list: add a row with its cause and fix",
				code.where[msg], severityName[code.messages[msg]], msg, guidePath)
		}
	}
}
