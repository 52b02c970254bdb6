package govdoc

import (
	"bufio"
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

//go:embed data/offices.txt
var officesFile string

var officeEnds = sync.OnceValue(func() []string {
	var ws []string
	sc := bufio.NewScanner(strings.NewReader(officesFile))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			ws = append(ws, w)
		}
	}
	return ws
})

// MaxOfficeRunes bounds the name of one issuing office.
const MaxOfficeRunes = 40

// Office reports whether a line is the name of an issuing office, as a
// signature under a document prints it (国务院办公厅, 北京市民政局): Han
// characters only (spaces between them allowed), at least three, at most
// MaxOfficeRunes, ending as an office's name ends (data/offices.txt). A
// line holding several offices separated by spaces is one too. It is safe
// for concurrent use.
func Office(line string) bool {
	line = strings.TrimSpace(analysis.Normalize(line))
	n := utf8.RuneCountInString(line)
	if n < 3 || n > MaxOfficeRunes*3 {
		return false
	}
	for _, name := range strings.Fields(line) {
		if utf8.RuneCountInString(name) < 2 || utf8.RuneCountInString(name) > MaxOfficeRunes {
			return false
		}
		for _, r := range name {
			if !unicode.Is(unicode.Han, r) && r != '、' {
				return false
			}
		}
		ok := false
		for _, end := range officeEnds() {
			if strings.HasSuffix(name, end) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// Label returns the field a table cell or a line names when it is only a
// label of a metadata block (发文字号, 索 引 号：, 【發文機關】): "doc_no",
// "issuer", "written", "published", "index_no", "category" or "validity".
func Label(s string) (string, bool) {
	norm := analysis.Normalize(s)
	norm = strings.Join(strings.Fields(norm), "")
	norm = strings.Trim(norm, "[]【】〔〕:：")
	f, ok := labels().field[norm]
	return f, ok
}
