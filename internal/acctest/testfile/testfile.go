// Package testfile writes the files tests hand to Terraform and the AWS
// SDK: configurations, shared config and credentials files, tokens,
// certificate bundles. It is the part of the test helpers (package
// acctest) that the provider's own in-package tests use too, so it is a
// package of its own that depends on no code of the provider: acctest
// imports the provider, and the provider's package cannot import acctest
// back.
package testfile

import (
	"os"
	"path/filepath"
	"testing"
)

// Write writes content to the file at path (read and write for its owner
// only), or fails the test.
func Write(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Temp writes content to a file called name in a new temporary directory
// of the test (removed after it) and returns the file's path.
func Temp(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	Write(t, path, content)
	return path
}
