package source

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/govbulletin/bulletin/indexer/schema"
)

// The date matchers of the project, one set: the readers use them for the
// dates that web pages show and that exports and front matter give, and
// enrich for the publication dates that bulletin text states.

// dateNum is a date written with digits: 2024-03-05, 2024/3/5, 2024.03.05,
// 2024年3月5日 (the year, month and day are its groups).
const dateNum = `(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?`

var (
	reLooseDate   = regexp.MustCompile(`^\s*` + dateNum)
	reCompactDate = regexp.MustCompile(`^\s*(\d{4})(\d{2})(\d{2})(?:\D|$)`)
	// rePubLabelDate is a date labelled as the publication's: 发布时间：…
	rePubLabelDate = regexp.MustCompile(`(?:发布|发稿|发表|发文|印发|刊发)(?:时间|日期)\s*[:：]\s*` + dateNum)
	// reLabelDate is a date after any time or date label: 日期：…, 更新时间：…
	reLabelDate = regexp.MustCompile(`(?:时间|日期)\s*[:：]\s*` + dateNum)
	// reDateline is a news dateline: 2024年3月5日电, …日讯.
	reDateline = regexp.MustCompile(dateNum + `\s*(?:电|讯)`)
	// reOnlyDate is a line that is only a date (a masthead), perhaps with
	// the day of the week.
	reOnlyDate = regexp.MustCompile(`^\s*` + dateNum + `\s*(?:星期.|周.)?\s*$`)
)

// matchDate returns the date of re's first match in s, if it is a valid date.
func matchDate(re *regexp.Regexp, s string) (string, bool) {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return YMD(m[1], m[2], m[3])
}

// LabelledDate returns the date after the first time or date label of text
// (发布时间：2024-03-05, 日期：2024年3月5日), if it is a valid date.
func LabelledDate(text string) (string, bool) { return matchDate(reLabelDate, text) }

// DatelineDate returns the date of the first dateline of text (2024年3月5日电,
// …日讯), if it is a valid date.
func DatelineDate(text string) (string, bool) { return matchDate(reDateline, text) }

// OnlyDate returns the date of a line that is only a date (perhaps with the
// day of the week), such as a masthead line.
func OnlyDate(line string) (string, bool) { return matchDate(reOnlyDate, line) }

// parseLooseDate reads dates as sites and exports write them: 2024-03-05,
// 2024-03-05 10:20, 2024/3/5, 2024.03.05, 2024年03月05日, 20240305.
func parseLooseDate(s string) (string, bool) {
	if d, ok := matchDate(reLooseDate, s); ok {
		return d, true
	}
	if reLooseDate.MatchString(s) {
		return "", false
	}
	return matchDate(reCompactDate, s)
}

// YMD formats a date given as digit strings (2024, 3, 5) as YYYY-MM-DD,
// if it is a valid date.
func YMD(y, m, d string) (string, bool) {
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	if !ValidDate(yi, mi, di) {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", yi, mi, di), true
}

// ValidDate checks a calendar date in the range bulletins can have.
func ValidDate(y, m, d int) bool { return schema.ValidDate(y, m, d) }
