package citest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repoFile is one file of a scratch repository.
type repoFile struct {
	data []byte
	mode os.FileMode
}

// gitRepo makes a scratch git repository holding files, all added to the
// index (which is what the check reads; no commit needed).
func gitRepo(t *testing.T, files map[string]repoFile) string {
	t.Helper()
	dir := t.TempDir()
	env := gitEnv()
	mustRun(t, dir, env, "git", "init", "-q")
	mustRun(t, dir, env, "git", "config", "core.fileMode", "true")
	for name, f := range files {
		writeFile(t, filepath.Join(dir, name), f.data, f.mode)
	}
	mustRun(t, dir, env, "git", "add", "-A")
	return dir
}

// gitEnv keeps the user's git configuration out of the scratch repositories.
func gitEnv() []string {
	return []string{"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1"}
}

func text(s string) repoFile { return repoFile{data: []byte(s), mode: 0o644} }

// noise is n bytes of binary content (NULs included, as git's test needs).
func noise(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7 % 251)
	}
	return b
}

func TestCheckNoBinaries_FailsOnTrackedBinary(t *testing.T) {
	// A real build output: this test's own binary (ELF on Linux, Mach-O on
	// macOS), committed like the demo binary once was.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	built, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		file       repoFile
		want       string
	}{
		{"built binary at the root", "demo", repoFile{built, 0o755}, "demo: executable binary ("},
		{"built binary in a command's directory", "internal/cmd/emulator/emulator", repoFile{built, 0o755}, "internal/cmd/emulator/emulator: executable binary ("},
		{"ELF without the executable bit", "lib/x.so", repoFile{append([]byte("\x7fELF\x02\x01\x01"), noise(64)...), 0o644}, "lib/x.so: executable binary (ELF"},
		{"Mach-O", "tool", repoFile{append([]byte{0xcf, 0xfa, 0xed, 0xfe}, noise(64)...), 0o644}, "tool: executable binary (Mach-O"},
		{"PE", "tool.exe", repoFile{append([]byte("MZ\x90\x00"), noise(64)...), 0o644}, "tool.exe: executable binary (PE"},
		{"executable bit without #!", "run", repoFile{[]byte("echo hi\n"), 0o755}, "run: has the executable bit but is not a script"},
		{"large binary file", "data/archive.zip", repoFile{noise(200 << 10), 0o644}, "data/archive.zip: binary file of 200.0 KB is tracked"},
	}
	check := script(t, "check-no-binaries")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := gitRepo(t, map[string]repoFile{
				"README.md":    text("# scratch\n"),
				"main.go":      text("package main\n\nfunc main() {}\n"),
				"build.sh":     {[]byte("#!/bin/sh\ngo build\n"), 0o755},
				c.path:         c.file,
				"small.bin":    {noise(1024), 0o644},
				"docs/page.md": text("text\n"),
			})
			r := run(t, dir, gitEnv(), "bash", check, dir)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1\nstderr:\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, "check-no-binaries: "+c.want) {
				t.Errorf("stderr does not name the file as %q:\n%s", c.want, r.stderr)
			}
			if !strings.Contains(r.stderr, "git rm --cached") || !strings.Contains(r.stderr, ".gitignore") {
				t.Errorf("stderr does not say what to do:\n%s", r.stderr)
			}
			// Only the offending file is named.
			if n := strings.Count(r.stderr, "\ncheck-no-binaries: ") + 1; n != 2 {
				t.Errorf("stderr has %d check-no-binaries lines, want 2 (the file and the advice):\n%s", n, r.stderr)
			}
		})
	}
}

func TestCheckNoBinaries_PassesOnTextAndScripts(t *testing.T) {
	dir := gitRepo(t, map[string]repoFile{
		"README.md":                   text("# scratch\n"),
		"main.go":                     text("package main\n\nfunc main() {}\n"),
		".ci/run":                     {[]byte("#!/usr/bin/env bash\nset -e\nmake test\n"), 0o755},
		"scripts/tool.py":             {[]byte("#!/usr/bin/env python3\nprint('hi')\n"), 0o755},
		"empty":                       text(""),
		"no-newline.txt":              text("MZ is how this line starts"),
		"testdata/icon.png":           {append([]byte("\x89PNG\r\n\x1a\n"), noise(4096)...), 0o644},
		"testdata/big-fixture.bin":    {noise(100 << 10), 0o644},
		".ci/binary-fixtures":         text("# binary test fixtures\ntestdata/big-fixture.bin\n"),
		"examples/demo/main.tf":       text("terraform {}\n"),
		"internal/cmd/demo/main.go":   text("package main\n"),
		"internal/cmd/demo/README.md": text("a command\n"),
	})
	if err := os.Symlink("README.md", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	mustRun(t, dir, gitEnv(), "git", "add", "link")
	r := run(t, dir, gitEnv(), "bash", script(t, "check-no-binaries"), dir)
	if r.code != 0 || r.stderr != "" || r.stdout != "" {
		t.Fatalf("exit %d, want 0 and no output\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
}

// An untracked or ignored binary next to the sources is what a build
// leaves; only a tracked one fails.
func TestCheckNoBinaries_IgnoresUntrackedFiles(t *testing.T) {
	dir := gitRepo(t, map[string]repoFile{"README.md": text("# scratch\n"), ".gitignore": text("/demo\n")})
	writeFile(t, filepath.Join(dir, "demo"), append([]byte("\x7fELF"), noise(1<<20)...), 0o755)
	writeFile(t, filepath.Join(dir, "untracked"), append([]byte("\x7fELF"), noise(64)...), 0o755)
	r := run(t, dir, gitEnv(), "bash", script(t, "check-no-binaries"), dir)
	if r.code != 0 {
		t.Fatalf("exit %d, want 0\n%s", r.code, r.stderr)
	}
}

func TestCheckNoBinaries_ThisRepository(t *testing.T) {
	r := run(t, repoRoot(t), nil, "bash", script(t, "check-no-binaries"))
	if r.code != 0 {
		t.Fatalf("exit %d: this repository tracks build output\n%s", r.code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("unexpected stdout: %q", r.stdout)
	}
}
