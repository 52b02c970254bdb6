package govdoc

import (
	"bufio"
	_ "embed"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

// Fields are what a government document's metadata block (信息公开) states.
// Dates are as written; the reader that calls Block normalises them with
// its own date rules.
type Fields struct {
	DocNo     string   // normalised: 京政办发〔2016〕26号
	Issuer    []string // 发文机关 and 联合发文单位, in order
	Written   string   // 成文日期, as written
	Published string   // 发布日期, as written
	IndexNo   string   // 索引号, as given
	Category  string   // 主题分类, as given
	Validity  string   // 有效性, as given
}

// Empty reports Fields with nothing set.
func (f Fields) Empty() bool {
	return f.DocNo == "" && len(f.Issuer) == 0 && f.Written == "" && f.Published == "" &&
		f.IndexNo == "" && f.Category == "" && f.Validity == ""
}

// MaxValueRunes bounds one field's value: a longer one is not a field
// value but text that happened to follow a label.
const MaxValueRunes = 200

//go:embed data/labels.tsv
var labelsFile string

type labelTable struct {
	field map[string]string // label (simplified) → field name
	re    *regexp.Regexp    // a label, bracketed or followed by a colon
}

var labels = sync.OnceValue(func() *labelTable {
	t := &labelTable{field: map[string]string{}}
	var names []string
	sc := bufio.NewScanner(strings.NewReader(labelsFile))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		label, field, ok := strings.Cut(line, "\t")
		if !ok {
			panic("govdoc: labels.tsv: no tab in " + line)
		}
		t.field[label] = field
		// Tables print labels spaced out (索 引 号): spaces between the
		// label's characters are allowed.
		var pat []string
		for _, r := range label {
			pat = append(pat, regexp.QuoteMeta(string(r)))
		}
		names = append(names, strings.Join(pat, `\s*`))
	}
	// Longer labels first: 联合发文单位 before 发文单位.
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	alt := strings.Join(names, "|")
	// A label counts when it is bracketed ([发文字号], 【发文字号】) or
	// followed by a colon (发文字号：).
	t.re = regexp.MustCompile(`(?:[\[【〔]\s?(` + alt + `)\s?[\]】〕]\s?[:]?|(` + alt + `)\s?[:])`)
	return t
})

// Block reads the metadata fields that lines state: `[发文字号] 值`,
// `【发文字号】值`, `发文字号：值`, several on one line or one a line, in
// simplified or traditional script. A label without a value, or a value
// longer than MaxValueRunes, is ignored. It is safe for concurrent use.
func Block(lines []string) Fields {
	var f Fields
	t := labels()
	for _, line := range lines {
		// Normalisation maps rune for rune, so the offsets it gives hold
		// in the original line: values are taken from what was written.
		norm := analysis.Normalize(line)
		orig := []rune(line)
		normRunes := []rune(norm)
		locs := t.re.FindAllStringSubmatchIndex(norm, -1)
		for i, m := range locs {
			label := ""
			if m[2] >= 0 {
				label = norm[m[2]:m[3]]
			} else {
				label = norm[m[4]:m[5]]
			}
			end := len(norm)
			if i+1 < len(locs) {
				end = locs[i+1][0]
			}
			from := runeIndex(norm, m[1])
			to := runeIndex(norm, end)
			if from > len(orig) || to > len(orig) || len(normRunes) != len(orig) {
				continue
			}
			value := cleanValue(string(orig[from:to]))
			if value == "" || len([]rune(value)) > MaxValueRunes {
				continue
			}
			f.set(t.field[strings.Join(strings.Fields(label), "")], value)
		}
	}
	return f
}

// runeIndex converts a byte offset of s to a rune offset.
func runeIndex(s string, b int) int { return len([]rune(s[:b])) }

// cleanValue trims the separators around a value.
func cleanValue(v string) string {
	return strings.TrimFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || r == '|' || r == '｜' || r == '；' || r == ';' || r == '，' || r == ','
	})
}

// set fills one field, the first value winning (a page that repeats its
// block says the same twice).
func (f *Fields) set(field, v string) {
	switch field {
	case "doc_no":
		if f.DocNo == "" {
			if n, ok := Parse(v); ok {
				f.DocNo = n.String()
			} else if ns := Find(v); len(ns) > 0 {
				f.DocNo = ns[0].String()
			}
		}
	case "issuer":
		for _, part := range SplitIssuers(v) {
			if !contains(f.Issuer, part) {
				f.Issuer = append(f.Issuer, part)
			}
		}
	case "written":
		setOnce(&f.Written, v)
	case "published":
		setOnce(&f.Published, v)
	case "index_no":
		setOnce(&f.IndexNo, v)
	case "category":
		setOnce(&f.Category, v)
	case "validity":
		setOnce(&f.Validity, v)
	}
}

func setOnce(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// SplitIssuers splits a list of issuing offices as sites print it:
// separated by spaces, 、, commas or semicolons.
func SplitIssuers(v string) []string {
	parts := strings.FieldsFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("、，,；;/", r)
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" && len([]rune(p)) <= 40 {
			out = append(out, p)
		}
	}
	return out
}
