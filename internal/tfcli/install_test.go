package tfcli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestInstallFromZipCopiesTheFileExecutable(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "src"), filepath.Join(dir, "dst")
	data := bytes.Repeat([]byte("not really an ELF binary\n"), 10000)
	if err := os.WriteFile(src, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := installFromZip(src, dst); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Errorf("installed %d bytes, want the %d of the source", len(got), len(data))
	}
	if fi, err := os.Stat(dst); err != nil || fi.Mode().Perm()&0o100 == 0 {
		t.Errorf("installed file %v (%v): want it executable", fi.Mode(), err)
	}
}
