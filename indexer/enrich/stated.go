package enrich

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/govbulletin/bulletin/indexer/govdoc"
	"github.com/govbulletin/bulletin/indexer/source"
)

// What a document states of its own date, read before the years its text
// merely names (see DocDate):
//
//   - the year of its title (2012年政府工作报告), unless the title aims at it
//     (到2035年…, 2035年远景目标, a year after next), looks back on it
//     (2023年工作总结) or names an event by it (2022年冬奥会…);
//   - the year of its document number (鲁政发〔2014〕20号, in any bracket
//     form: 〔〕 [] ［］ () （） 【】) on a line of its head or in its title;
//   - a date it states of itself: a publication label, a news dateline or
//     a masthead line (markedDate), a speech line under the title
//     (——2012年3月5日在…会议上), an adoption line
//     (（2012年3月14日第十一届全国人民代表大会第五次会议通过）) or a
//     signing date closing it (a line that is only a date, in digits or in
//     Chinese numerals: 二〇一四年三月五日);
//   - short of these, a review it opens with (一、2011年工作回顾) dates it
//     the year after.
//
// All work on normalised text (full-width digits and brackets folded).

// headLines and tailLines bound where a document's own statements are
// looked for: its first and its last non-empty lines.
const (
	headLines = 8
	tailLines = 4
)

var (
	// reNumberLabel is the label before a document number on its line:
	// 文号：国办发[2020]3号.
	reNumberLabel = regexp.MustCompile(`^\s*(?:发文字号|文号|发文号)\s*[:：]?\s*`)
	// reSpeechLine is the line under a speech's title: ——2012年3月5日在…上.
	reSpeechLine = regexp.MustCompile(`^[\s—\-–]*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*在`)
	// reAdoptionLine is an adoption or promulgation line in brackets:
	// (2012年3月14日第十一届全国人民代表大会第五次会议通过).
	reAdoptionLine = regexp.MustCompile(`^\s*[(（]\s*(?:经|于)?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[^()（）]{0,80}(?:通过|批准|公布|发布|印发|修订|修正|施行)`)
)

// nonEmptyLines returns the first n and the last m non-empty lines of
// text, trimmed (the two overlap in a short text).
func nonEmptyLines(text string, n, m int) (head, tail []string) {
	trim := func(l string) string { return strings.TrimSpace(strings.Trim(l, "\u200b\u200d\ufeff")) }
	for rest := text; len(head) < n && rest != ""; {
		l, after, _ := strings.Cut(rest, "\n")
		if l = trim(l); l != "" {
			head = append(head, l)
		}
		rest = after
	}
	for rest := text; len(tail) < m && rest != ""; {
		i := strings.LastIndexByte(rest, '\n')
		if l := trim(rest[i+1:]); l != "" {
			tail = append(tail, l)
		}
		if i < 0 {
			break
		}
		rest = rest[:i]
	}
	return head, tail
}

// titleYear returns the year a title states of its document, or 0: the
// latest year it names that it neither aims at nor looks back on, nor names
// an event by (2022年冬奥会场馆向公众开放: the text says when).
func titleYear(title string) int {
	title = source.FoldChineseDate(title)
	best := 0
	for _, m := range yearMentions(title) {
		if !plausibleYear(m.year) || m.year > time.Now().Year()+1 || m.from > 0 || targetOrPast(title, m) || eventName(title[m.end:]) {
			continue
		}
		if periodStart(title, m) {
			continue
		}
		best = max(best, m.year)
	}
	if best == 0 {
		if ns := govdoc.Find(title); len(ns) > 0 {
			best = ns[0].Year
		}
	}
	return best
}

// periodStart reports a year that opens a period (2021—2025年, 2021年至2025年).
func periodStart(text string, m yearMention) bool {
	rest := strings.TrimLeft(text[m.end:], " ")
	for _, sep := range []string{"—", "-", "–", "~", "～", "至", "到"} {
		if strings.HasPrefix(rest, sep) {
			after := strings.TrimLeft(strings.TrimPrefix(rest, sep), " ")
			return len(after) >= 4 && after[0] >= '0' && after[0] <= '9'
		}
	}
	return false
}

// targetOrPast reports a year mention a text aims at (到2025年, 2025年前)
// or looks back on (2011年工作回顾, 2023年工作总结).
func targetOrPast(text string, m yearMention) bool {
	before := lastRunes(text[:m.start], 4)
	if i := strings.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:] // a cue ending the line before is not this year's
	}
	before = strings.ReplaceAll(before, "截至", "") // 截至2020年 reports the past
	if hasSuffixAny(strings.TrimSpace(before), planCues) {
		return true
	}
	after := text[m.end:]
	for _, p := range []string{"前", "底前", "远景", "愿景", "以前", "以来"} {
		if strings.HasPrefix(after, p) {
			return true // 2025年前, 2035年远景目标; 2020年以来 (since: the past)
		}
	}
	return lookBack(after)
}

// eventName reports text right after a year that makes it part of an
// event's name (2022年冬奥会, 2010年上海世博会, 2008年北京奥运会): in a title,
// the year of the event, not of the writing. (In the text such a year may
// be either, an event ahead or one just held: it is weighed as any other.)
func eventName(after string) bool {
	s := firstRunes(after, 8)
	for _, w := range eventWords {
		if i := strings.Index(s, w); i >= 0 && !strings.ContainsAny(s[:i], "，。；、,;：: ") {
			return true
		}
	}
	return false
}

// eventWords name events held in a year.
var eventWords = []string{"奥运会", "冬奥会", "残奥会", "世博会", "博览会", "亚运会", "运动会", "大运会", "全运会", "园博会", "世园会", "进博会", "服贸会", "世界杯", "锦标赛"}

// lookBack reports text right after a year that looks back on it:
// 工作回顾, 国内工作的回顾, 工作总结, 的总结.
func lookBack(after string) bool {
	s := firstRunes(after, 8)
	for _, w := range []string{"回顾", "总结", "述职"} {
		if i := strings.Index(s, w); i >= 0 && !strings.ContainsAny(s[:i], "，。；,;") {
			return true
		}
	}
	return false
}

func plausibleYear(y int) bool { return y >= 1949 && y <= 2100 }

// docNumberYear returns the year of the document number that opens a line
// of the head of text (鲁政发〔2014〕20号, 文号：国办发[2020]3号), or 0.
func docNumberYear(head []string) int {
	for _, l := range head {
		l = reNumberLabel.ReplaceAllString(l, "")
		if i := strings.Index(l, "号"); i > 0 {
			if n, ok := govdoc.Parse(l[:i+len("号")]); ok {
				return n.Year
			}
		}
	}
	return 0
}

// statedDate returns the date a document states of itself, in order: a
// publication label, dateline or masthead (markedDate), a speech or an
// adoption line in its head, a signing date closing it.
func statedDate(text string, head, tail []string) (string, bool) {
	if d, ok := markedDate(text); ok {
		return d, true
	}
	for _, l := range head {
		l = source.FoldChineseDate(l)
		for _, re := range []*regexp.Regexp{reSpeechLine, reAdoptionLine} {
			if m := re.FindStringSubmatch(l); m != nil {
				if d, ok := source.YMD(m[1], m[2], m[3]); ok {
					return d, true
				}
			}
		}
	}
	for _, l := range tail {
		if d, ok := source.OnlyDate(source.FoldChineseDate(l)); ok {
			return d, true
		}
	}
	return "", false
}

// DocDate infers the date (YYYY-MM-DD or "") and the year (0 if unknown)
// of one document from its normalised title and body: what the document
// states of itself first — the year of its title, of its document number,
// the date of its dateline, speech, adoption or signing line — then the
// years its text names (as PageDate). A stated date whose year differs from
// the stated year is not returned (the year is).
func DocDate(title, body string) (string, int) {
	text := title + "\n" + body
	head, tail := nonEmptyLines(body, headLines, tailLines)
	year := titleYear(title)
	if year == 0 {
		year = docNumberYear(head)
	}
	d, ok := statedDate(text, head, tail)
	switch {
	case ok && (year == 0 || d[:4] == strconv.Itoa(year)):
		y, _ := strconv.Atoi(d[:4])
		return d, y
	case year > 0:
		return "", year
	}
	if y := reviewedYear(head); y > 0 {
		return "", y + 1
	}
	return "", inferYear(text)
}

// reviewedYear returns the year a heading in the head of a document looks
// back on (一、2011年工作回顾, 一、１９９６年国内工作的回顾): a report that
// opens by reviewing a year was written the year after. 0 if none.
func reviewedYear(head []string) int {
	for _, l := range head {
		if utf8.RuneCountInString(l) > 30 || !strings.Contains(l, "回顾") {
			continue
		}
		for _, m := range yearMentions(l) {
			if plausibleYear(m.year) && lookBack(l[m.end:]) {
				return m.year
			}
		}
	}
	return 0
}

// GivenYear returns the date for a document whose input gives its year
// (and no date): the date it states of itself, if it falls in that year.
func GivenYear(title, body string, year int) string {
	head, tail := nonEmptyLines(body, headLines, tailLines)
	if d, ok := statedDate(title+"\n"+body, head, tail); ok && d[:4] == strconv.Itoa(year) {
		return d
	}
	return ""
}
