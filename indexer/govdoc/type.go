package govdoc

import (
	"bufio"
	_ "embed"
	"strings"
	"sync"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

// The article types. Every article has one.
const (
	TypePolicy         = "政策文件" // a numbered or formally issued document
	TypeInterpretation = "政策解读" // 解读, 答记者问, 图解 of a document
	TypeNotice         = "公告公示" // 公告, 公示, 通告 without a number
	TypeNews           = "新闻"
)

//go:embed data/types.tsv
var typesFile string

//go:embed data/doc_kinds.txt
var docKindsFile string

var docKinds = sync.OnceValue(func() []string {
	var ws []string
	sc := bufio.NewScanner(strings.NewReader(docKindsFile))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			ws = append(ws, w)
		}
	}
	return ws
})

// issuedTitle reports a title naming a document an office issues:
// …关于…的意见, …的通知 (data/doc_kinds.txt).
func issuedTitle(t string) bool {
	t = strings.TrimRight(strings.TrimSpace(t), "》>」』")
	if !strings.Contains(t, "关于") {
		return false
	}
	for _, k := range docKinds() {
		if strings.HasSuffix(t, "的"+k) {
			return true
		}
	}
	return false
}

type typeRule struct{ word, typ string }

var typeRules = sync.OnceValue(func() []typeRule {
	var rules []typeRule
	sc := bufio.NewScanner(strings.NewReader(typesFile))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		w, t, ok := strings.Cut(line, "\t")
		if !ok {
			panic("govdoc: types.tsv: no tab in " + line)
		}
		rules = append(rules, typeRule{w, t})
	}
	return rules
})

// Type tells an article's type from its title and the fields it states:
// 政策解读 by its title; 政策文件 when it has a number; 公告公示 by its
// title; 政策文件 when an office signed and dated it, or its issuer is
// known and its title names a document an office issues; else 新闻.
func Type(title string, f Fields) string {
	t := analysis.Normalize(title)
	for _, r := range typeRules() {
		if r.typ == TypeInterpretation && strings.Contains(t, r.word) {
			return TypeInterpretation
		}
	}
	if f.DocNo != "" {
		return TypePolicy
	}
	for _, r := range typeRules() {
		if strings.Contains(t, r.word) {
			return r.typ
		}
	}
	// Formally issued: an office signs it and dates it, or its issuer is
	// given and its title names a document an office issues (…关于…的意见).
	// A signed 通告 or 公示 without a number stays 公告公示 (above).
	if len(f.Issuer) > 0 && (f.Written != "" || issuedTitle(t)) {
		return TypePolicy
	}
	return TypeNews
}
