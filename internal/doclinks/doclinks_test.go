// Package doclinks holds the links between the provider's docs pages to
// forms that work on the Terraform Registry. The registry serves a page
// docs/<type>/<slug>.md at .../latest/docs/<type>/<slug>, without ".md",
// and the provider's index at .../latest/docs, without a trailing slash,
// so that a relative link on it resolves one level too high; it rewrites
// no links. The templates link other pages by their absolute registry
// address (registryDocs); a relative link without ".md" between pages
// below docs/ also resolves, and is accepted.
package doclinks

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const registryDocs = "https://registry.terraform.io/providers/engflow/engflow/latest/docs"

var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

func TestTemplateLinksWorkOnTheRegistry(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(filepath.Join(root, "templates"), func(file string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(file, ".md.tmpl") {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(root, "templates"), file)
		page := strings.TrimSuffix(filepath.ToSlash(rel), ".md.tmpl") // index, guides/x, resources/x
		content, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(content), -1) {
			if problem := check(root, page, m[1]); problem != "" {
				t.Errorf("templates/%s: link %s %s", rel, m[1], problem)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// check says what is wrong with a link on page, or "".
func check(root, page, link string) string {
	target, _, _ := strings.Cut(link, "#")
	switch {
	case target == "":
		return "" // within the page
	case strings.HasPrefix(target, registryDocs):
		return exists(root, strings.TrimPrefix(strings.TrimPrefix(target, registryDocs), "/"))
	case strings.Contains(target, "://"), strings.HasPrefix(target, "mailto:"):
		return ""
	case strings.HasSuffix(target, ".md"):
		return "names a file: the registry serves pages without .md; write " + registryDocs + "/<type>/<slug>"
	case page == "index":
		return "is relative on the index page, which the registry serves at .../docs without a trailing slash: write " +
			registryDocs + "/<type>/<slug>"
	}
	return exists(root, path.Join(path.Dir(page), target))
}

// exists says whether docs/ holds the page (the index for "").
func exists(root, page string) string {
	if page == "" {
		page = "index"
	}
	if _, err := os.Stat(filepath.Join(root, "docs", filepath.FromSlash(page)+".md")); err != nil {
		return "leads to no page: docs/" + page + ".md does not exist"
	}
	return ""
}
