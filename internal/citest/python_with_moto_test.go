package citest

import (
	"archive/zip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// offlinePip keeps pip away from every package index and from the user's
// configuration and caches: only wheels in findLinks (if any) install.
func offlinePip(findLinks, cache string) []string {
	return []string{
		"XDG_CACHE_HOME=" + cache,
		"PIP_CONFIG_FILE=/dev/null",
		"PIP_NO_INDEX=1",
		"PIP_FIND_LINKS=" + findLinks,
		"PIP_NO_CACHE_DIR=1",
		"PIP_DISABLE_PIP_VERSION_CHECK=1",
	}
}

// python3 is the machine's python3, or the test is skipped.
func python3(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH; the emulator needs it, .ci/run says so")
	}
	return p
}

// pythonWithoutMoto makes an interpreter that really lacks moto: a
// virtualenv without pip and without the system's site-packages.
func pythonWithoutMoto(t *testing.T) string {
	t.Helper()
	py := python3(t)
	if r := run(t, "", nil, py, "-c", "import ensurepip, venv"); r.code != 0 {
		t.Skipf("%s has no venv/ensurepip (Debian: apt-get install python3-venv): %s", py, r.stderr)
	}
	dir := filepath.Join(t.TempDir(), "no-moto")
	mustRun(t, "", nil, py, "-m", "venv", "--without-pip", dir)
	bin := filepath.Join(dir, "bin", "python")
	if r := run(t, "", nil, bin, "-c", "import moto"); r.code == 0 {
		t.Fatalf("%s imports moto; the test needs an interpreter without it", bin)
	}
	return bin
}

// entries lists a directory's names ("" when it does not exist).
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestPythonWithMoto_PresentDoesNothing(t *testing.T) {
	py := python3(t)
	if r := run(t, "", nil, py, "-c", "import moto.server"); r.code != 0 {
		t.Skip("this machine's python3 has no moto (CI machines have it); the missing-moto path is tested below")
	}
	t.Parallel()
	cache := t.TempDir()
	// No index and no links: a pip run would fail.
	env := offlinePip("", cache)
	for _, arg := range []string{"python3", py} {
		r := run(t, "", env, "bash", script(t, "python-with-moto"), arg)
		if r.code != 0 || r.stdout != arg+"\n" || r.stderr != "" {
			t.Errorf("python-with-moto %s: exit %d, stdout %q, stderr %q; want exit 0, %q and no message", arg, r.code, r.stdout, r.stderr, arg+"\n")
		}
	}
	if got := entries(t, cache); got != nil {
		t.Errorf("the cache was touched: %v", got)
	}
}

func TestPythonWithMoto_MissingOffline(t *testing.T) {
	t.Parallel()
	noMoto := pythonWithoutMoto(t)
	cache := t.TempDir()
	requirements := filepath.Join(repoRoot(t), "internal", "acctest", "emulator", "requirements.txt")

	r := run(t, "", offlinePip(t.TempDir(), cache), "bash", script(t, "python-with-moto"), noMoto)

	if r.code == 0 {
		t.Fatalf("exit 0 without any package index; stdout %q\n%s", r.stdout, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout %q, want nothing (the Makefile would take it for an interpreter)", r.stdout)
	}
	venvDir := filepath.Join(cache, "engflow-provider", "emulator-venv-py3.")
	for _, want := range []string{
		"moto is missing for " + noMoto + " (ModuleNotFoundError: No module named 'moto'): creating a virtualenv in " + venvDir,
		" from " + requirements,
		"pip could not install " + requirements,
		"Nothing was left in " + filepath.Join(cache, "engflow-provider"),
		"What to do:",
		"PYTHON=/path/to/python3",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if got := entries(t, filepath.Join(cache, "engflow-provider")); got != nil {
		t.Errorf("a failed build left %v in the cache", got)
	}
}

// The missing-moto path to the end, offline: pip installs moto[server]==5.2.1
// from a local wheel (a stand-in with moto's name, version and server
// module), the virtualenv is published under its key, and the next run
// reuses it without pip.
func TestPythonWithMoto_MissingBuildsAndReusesVenv(t *testing.T) {
	t.Parallel()
	noMoto := pythonWithoutMoto(t)
	wheels := t.TempDir()
	writeWheel(t, wheels, "moto", "5.2.1", map[string]string{
		"moto/__init__.py": "__version__ = \"5.2.1\"\n",
		"moto/server.py":   "",
	})
	requirements := filepath.Join(t.TempDir(), "requirements.txt")
	writeFile(t, requirements, []byte("moto[server]==5.2.1\n"), 0o644)
	cache := t.TempDir()
	env := offlinePip(wheels, cache)
	bootstrap := script(t, "python-with-moto")

	first := run(t, "", env, "bash", bootstrap, noMoto, requirements)
	if first.code != 0 {
		t.Fatalf("exit %d\n%s", first.code, first.stderr)
	}
	venvPython := strings.TrimSuffix(first.stdout, "\n")
	venv := filepath.Dir(filepath.Dir(venvPython))
	if filepath.Dir(venv) != filepath.Join(cache, "engflow-provider") || !strings.HasPrefix(filepath.Base(venv), "emulator-venv-py3.") {
		t.Fatalf("printed %q, want <cache>/engflow-provider/emulator-venv-py3.*/bin/python", first.stdout)
	}
	for _, want := range []string{"moto is missing for " + noMoto, "creating a virtualenv in " + venv + " from " + requirements, "virtualenv ready: " + venv} {
		if !strings.Contains(first.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, first.stderr)
		}
	}
	if got := mustRun(t, "", nil, venvPython, "-c", "import moto, moto.server; print(moto.__version__)"); got != "5.2.1\n" {
		t.Errorf("the venv's moto is %q", got)
	}
	// Published by renaming a link onto the name: the link and the directory
	// it names, nothing else (no scratch left over).
	target, err := os.Readlink(venv)
	if err != nil {
		t.Fatalf("%s is not the published link: %v", venv, err)
	}
	if got := entries(t, filepath.Dir(venv)); len(got) != 2 {
		t.Errorf("cache holds %v, want the link %s and its directory %s", got, filepath.Base(venv), target)
	}

	second := run(t, "", env, "bash", bootstrap, noMoto, requirements)
	if second.code != 0 || second.stdout != first.stdout {
		t.Fatalf("second run: exit %d, stdout %q, want %q\n%s", second.code, second.stdout, first.stdout, second.stderr)
	}
	if want := "moto is missing for " + noMoto + ": using the virtualenv " + venv; !strings.Contains(second.stderr, want) || strings.Contains(second.stderr, "creating") {
		t.Errorf("second run should reuse the venv and say so (%q):\n%s", want, second.stderr)
	}
}

// writeWheel writes a minimal pure-Python wheel that pip installs offline.
func writeWheel(t *testing.T, dir, name, version string, files map[string]string) {
	t.Helper()
	info := name + "-" + version + ".dist-info/"
	files[info+"METADATA"] = "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n"
	files[info+"WHEEL"] = "Wheel-Version: 1.0\nGenerator: citest\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
	var record strings.Builder
	for path := range files {
		record.WriteString(path + ",,\n")
	}
	record.WriteString(info + "RECORD,,\n")
	files[info+"RECORD"] = record.String()

	f, err := os.Create(filepath.Join(dir, name+"-"+version+"-py3-none-any.whl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z := zip.NewWriter(f)
	for path, content := range files {
		w, err := z.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
}
