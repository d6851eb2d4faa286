package diagguide

// The messages the troubleshooting guide lists: the first cell of every
// row of its tables headed "Message". A cell names one message or several
// split by " / ", each in backticks, each marked "Warning" or "Error or
// warning" when it is not an error; placeholders are written <like-this>.

import (
	"fmt"
	"os"
	"regexp"
	"strings"
)

const guidePath = "templates/guides/troubleshooting.md.tmpl"

// guideMessage is one message the guide names, and where.
type guideMessage struct {
	text string // normalised
	sev  severity
	line int
}

var guideEntry = regexp.MustCompile("^(Warning |Error or warning )?`([^`]+)`$")

// readGuide returns the guide's messages, and the rows it cannot read.
func readGuide(path string) ([]guideMessage, []string, error) {
	page, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var msgs []guideMessage
	var problems []string
	inTable := false
	for i, line := range strings.Split(string(page), "\n") {
		cells := strings.Split(line, "|")
		if !strings.HasPrefix(line, "|") || len(cells) < 3 {
			inTable = false
			continue
		}
		first := strings.TrimSpace(cells[1])
		switch {
		case first == "Message":
			inTable = true
			continue
		case !inTable || strings.Trim(first, "-") == "":
			continue
		}
		for _, part := range strings.Split(first, " / ") {
			m := guideEntry.FindStringSubmatch(part)
			if m == nil {
				problems = append(problems, fmt.Sprintf("%s:%d: %q is not `message`, Warning `message` or "+
					"Error or warning `message`", path, i+1, part))
				continue
			}
			sev := map[string]severity{"": sevError, "Warning ": sevWarning, "Error or warning ": sevError | sevWarning}[m[1]]
			msgs = append(msgs, guideMessage{text: normalise(m[2]), sev: sev, line: i + 1})
		}
	}
	return msgs, problems, nil
}
