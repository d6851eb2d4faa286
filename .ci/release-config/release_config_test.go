// Package releaseconfig checks the repository's .goreleaser.yml. It is a
// module of its own so that goreleaser's requirements never move the
// provider's dependency versions.
package releaseconfig

import (
	"slices"
	"testing"

	"github.com/goreleaser/goreleaser/v2/pkg/config"
)

// .goreleaser.yml loads with goreleaser's own strict loader (an unknown or
// misspelt key, or a value of the wrong type, is an error) and has the
// shape the Terraform Registry needs. This is what CI checks: building all
// of goreleaser for `goreleaser check` (make release-check, run before a
// release) cost CI about 6 CPU-minutes.
func TestReleaseConfig_loadsAndSuitsTheRegistry(t *testing.T) {
	t.Parallel()
	p, err := config.Load("../../.goreleaser.yml")
	if err != nil {
		t.Fatalf(".goreleaser.yml: %v", err)
	}
	if len(p.Archives) != 1 || !slices.Equal(p.Archives[0].Formats, []string{"zip"}) {
		t.Errorf("archives = %+v, want one, zip: the registry takes zip files only", p.Archives)
	}
	manifest := func(files []config.ExtraFile) bool {
		return slices.ContainsFunc(files, func(f config.ExtraFile) bool { return f.Glob == "terraform-registry-manifest.json" })
	}
	if !manifest(p.Checksum.ExtraFiles) || !manifest(p.Release.ExtraFiles) {
		t.Error("the registry manifest must be released and covered by the SHA256SUMS file")
	}
	if len(p.Signs) != 1 || p.Signs[0].Artifacts != "checksum" {
		t.Errorf("signs = %+v, want one signature, of the checksum file", p.Signs)
	}
}
