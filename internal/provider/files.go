package provider

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// readableFile expands a leading ~/ (as the hashicorp/aws provider does for
// its file arguments) and checks that path is a file this process can
// read. source names the argument or environment variable it came from,
// what the file's role: both go into the error.
func readableFile(source, path, what string) (string, error) {
	if rest, ok := strings.CutPrefix(path, "~/"); ok {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fileProblem(source, path, what, err)
		}
		path = filepath.Join(home, rest)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", fileProblem(source, path, what, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return "", fileProblem(source, path, what, err)
	}
	if info.IsDir() {
		return "", fileProblem(source, path, what, errors.New("it is a directory"))
	}
	return path, nil
}

func fileProblem(source, path, what string, err error) error {
	return &configError{
		Summary: fmt.Sprintf("Cannot read %s", what),
		Detail: fmt.Sprintf("%s names %s as %s, which cannot be read: %s.\n\nCheck the path (relative paths start from "+
			"the directory terraform runs in), that the file exists on the machine running terraform, and that it is "+
			"readable by that user; or unset %s.", source, path, what, err, source),
	}
}
