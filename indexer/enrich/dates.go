package enrich

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/govbulletin/bulletin/indexer/source"
)

// Publication date of a page, in order of trust:
//
//  1. a date the input gives (front matter, HTML meta, JSON) — handled by the
//     caller;
//  2. a date in the text that marks publication: 发布时间/发布日期/日期：…,
//     a dateline (2024年3月5日电, …日讯), or a masthead line near the top that
//     is only a date;
//  3. the year inferred from the years the page names: plan years (将在2025年,
//     计划2025年, 到2025年, 2021—2025年) are not publication years; the latest
//     remaining year is, or the one after it when the page speaks of 去年 and
//     never of 今年;
//  4. nothing: year 0.

var (
	reDate      = `(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?`
	rePubMarked = regexp.MustCompile(`(?:发布|发稿|发表|更新|刊发|出版)?(?:时间|日期)\s*[:：]\s*` + reDate)
	reDateline  = regexp.MustCompile(reDate + `\s*(?:电|讯)`)
	reOnlyDate  = regexp.MustCompile(`^\s*` + reDate + `\s*(?:星期.|周.)?\s*$`)
	reYear      = regexp.MustCompile(`(\d{4})\s*年`)
	reYearRange = regexp.MustCompile(`(\d{4})\s*(?:年)?\s*[-—–~～至到]\s*(\d{4})\s*年`)
)

// planCues right before a year mark it as a target, not the time of reporting.
var planCues = []string{"将在", "将于", "将", "计划", "计划在", "计划于", "预计", "预计在", "预计于", "力争", "力争在", "争取", "争取在", "到", "至", "目标", "拟", "拟于", "拟在", "预期", "有望", "有望在", "有望于"}

// PageDate infers the publication date (YYYY-MM-DD or "") and year (0 if
// unknown) of a page from its text.
func PageDate(text string) (string, int) {
	if d, ok := markedDate(text); ok {
		y, _ := strconv.Atoi(d[:4])
		return d, y
	}
	return "", inferYear(text)
}

func markedDate(text string) (string, bool) {
	// The regexps are run only where their anchor words occur: scanning
	// every article with them costs more than segmenting it.
	for _, c := range []struct {
		re      *regexp.Regexp
		anchors []string
	}{{rePubMarked, []string{"时间", "日期"}}, {reDateline, []string{"日电", "日讯"}}} {
		if !containsAny(text, c.anchors) {
			continue
		}
		if m := c.re.FindStringSubmatch(text); m != nil {
			if d, ok := source.YMD(m[1], m[2], m[3]); ok {
				return d, true
			}
		}
	}
	lines := strings.Split(text, "\n")
	seen := 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if seen++; seen > 5 {
			break
		}
		if m := reOnlyDate.FindStringSubmatch(l); m != nil {
			if d, ok := source.YMD(m[1], m[2], m[3]); ok {
				return d, true
			}
		}
	}
	return "", false
}

func containsAny(s string, xs []string) bool {
	for _, x := range xs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

func inferYear(text string) int {
	maxYear := time.Now().Year() + 1
	plan := map[int]bool{}
	for _, m := range reYearRange.FindAllStringSubmatchIndex(text, -1) {
		a, _ := strconv.Atoi(text[m[2]:m[3]])
		b, _ := strconv.Atoi(text[m[4]:m[5]])
		if b > a {
			plan[b] = true
			_ = a // the start of a period is often the current year: keep it
		}
	}
	best := 0
	for _, m := range reYear.FindAllStringSubmatchIndex(text, -1) {
		y, _ := strconv.Atoi(text[m[2]:m[3]])
		if y < 1949 || y > maxYear || plan[y] {
			continue
		}
		before := lastRunes(text[:m[0]], 4)
		before = strings.ReplaceAll(before, "截至", "") // 截至2020年 reports the past
		if hasSuffixAny(strings.TrimSpace(before), planCues) || strings.HasPrefix(text[m[1]:], "前") || strings.HasPrefix(text[m[1]:], "底前") {
			continue
		}
		if y > best {
			best = y
		}
	}
	if best == 0 {
		return 0
	}
	if strings.Contains(text, "去年") && !strings.Contains(text, "今年") {
		return best + 1
	}
	return best
}
