package source

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A bulletin page (plain text or Markdown) holds one or more articles laid
// out like a newspaper page, often OCR'd. SplitPage tells its lines apart:
//
//	H  a Markdown heading (`## …`)
//	B  a byline (`□本报记者 …`, `记者 … 通讯员 …`, `本报评论员`)
//	O  a sign-off or credit line (see rule 5)
//	P  a body paragraph (long, or with sentence punctuation)
//	S  a short line without closing punctuation: headline, subtitle, kicker,
//	   section head, photo caption or a line of an infographic box
//
// Lines broken mid-sentence (OCR column breaks, a blank line between the two
// halves) are joined back first. Then article starts are found:
//
//  1. a headline block (H/S lines, at most a few, one blank line apart)
//     directly followed by a byline, or by a paragraph that opens with a
//     dateline byline (本报讯…);
//  2. on pages without any byline: every heading of the page's top level;
//  3. a block of short lines after a large gap (or at the top of the page)
//     that is followed by body text: a plain-text headline with its subtitles;
//  4. a block of three or more short lines after a large gap that is not
//     followed by body text: an infographic box, which is an article of its
//     own (its first line is the title).
//
//  5. what closes an article: a sign-off or credit line (O: （新华社北京1月1日电）,
//     （记者 张三摄）, （张明 赵天华）, （本栏均据新华社电）, 本版编辑：…) always; on a
//     dense page (one paragraph a line, no blank lines, as e-paper and PDF
//     exports come) also a paragraph that closes its sentence, unless the
//     page has no newspaper marks (a sign-off, two bylines or datelines, a
//     masthead date or a column of briefs) and its candidate headlines look
//     like one article's subheads: all of one length, or all short phrases
//     and phrase pairs (see parallelSubheads). After it, a run of short lines followed by body text is the
//     next article's headline group (inside an article that opened with a
//     byline or dateline, a lone short line is a subhead), and a paragraph
//     right after a sign-off starts an untitled article;
//  6. a photo marker （图片） starts an item titled by its caption;
//  7. an editor's note (编者按, 编者的话) right before a headline belongs to
//     that article.
//
// A headline group may hold a kicker, the main headline and a sub-headline:
// the title is a Markdown heading if there is one, else the first line that
// is not a column name (four characters or fewer), a series label, a date
// line, a parenthesised note or a ——sub-headline, preferring one without
// inner spaces (坚定信心 实干笃行 is a kicker).
//
// A document printed whole stays one article: once an article's title names
// a document (…条例, …决定, …报告) and the document follows (the title opens
// the page, or a note, contents, section or salutation comes next; a news
// headline about a document, 泰国通过新的野生动物保护法, does not count), it opens
// with a salutation (各位代表：) or it has enumerated sections (目录, 第一章,
// 一、, （一）), rule 5's dense-page clause is off until the next byline,
// dateline, sign-off or photo, or the article that puts it in force
// (本条例自…起施行。): its short lines are section heads. Enumerated lines are never headlines, nor
// are lines that end open (…《, …，) or that a line opening mid-sentence
// (、…, 》…) follows.
//
// A "large gap" is wider than the page's usual gap between paragraphs (on a
// dense page, any blank line). Everything else (section heads, captions,
// lone lines) stays inside the article it sits in. Bylines, sign-offs and
// credits are not part of the body.

type kind int

const (
	kP kind = iota // paragraph
	kS             // short line
	kH             // markdown heading
	kB             // byline
	kO             // sign-off or credit line: （新华社北京1月1日电）, （记者 张三摄）, 本版编辑：…
)

type unit struct {
	text  string
	kind  kind
	level int // heading level for kH
	gap   int // blank lines before this unit
	line  int // 1-based line number of its first line
	// datelineByline is set on a paragraph that opens with 本报讯 or similar.
	datelineByline bool
	photo          bool // a photo marker: （图片）
	section        bool // an enumerated section head: 一、…, 第一章, 目录
}

// RawArticle is one article as laid out on the page, before enrichment.
type RawArticle struct {
	Title string
	Body  string // paragraphs separated by blank lines
	Line  int    // line of the page where the article starts
}

// SplitPage splits the text of one bulletin page into articles. It never
// fails: text without recognisable structure becomes one article.
func SplitPage(text string) []RawArticle {
	units := joinBroken(readUnits(text))
	if len(units) == 0 {
		return nil
	}
	for i := 0; i+1 < len(units); i++ {
		// 新世纪，你好！ right above a byline or dateline is a headline
		// that ends in an exclamation or question mark.
		if units[i].kind == kP && exclaimedHeadline(units[i].text) && (units[i+1].kind == kB || units[i+1].datelineByline) {
			units[i].kind = kS
		}
	}
	starts := findStarts(units)
	var out []RawArticle
	for k, s := range starts {
		end := len(units)
		if k+1 < len(starts) {
			end = starts[k+1].at
		}
		if a, ok := buildArticle(units[s.at:end], s.title-s.at); ok {
			out = append(out, a)
		}
	}
	return out
}

// readUnits turns lines into units, counting the blank lines between them.
func readUnits(text string) []unit {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var units []unit
	gap := 1 << 20 // the page start counts as a large gap
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimFunc(raw, unicode.IsSpace)
		if line == "" {
			gap++
			continue
		}
		u := unit{text: line, gap: gap, line: i + 1}
		gap = 0
		switch {
		case headingLevel(line) > 0:
			u.kind, u.level = kH, headingLevel(line)
			u.text = strings.TrimSpace(strings.TrimLeft(line, "#"))
			if u.text == "" {
				continue
			}
		case isSignoff(line):
			u.kind = kO
		case isByline(line):
			u.kind = kB
		case isBodyLike(line):
			u.kind = kP
			u.datelineByline = opensWithDateline(line)
		default:
			u.kind = kS
			u.photo = isPhotoMarker(line)
			u.section = isSectionHead(line)
		}
		if u.kind == kO && (len(units) == 0 || units[len(units)-1].kind == kS || units[len(units)-1].kind == kH) {
			// Right under a headline, a short parenthesised line is part
			// of the headline group (（摘要）), not a sign-off.
			u.kind = kS
		}
		units = append(units, u)
	}
	return units
}

func headingLevel(line string) int {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n == len(line) || line[n] != ' ' {
		return 0
	}
	return n
}

var bylineMarks = "□■◆◇●○▲△★☆"

// isByline recognises a byline line: a short line that names reporters.
func isByline(line string) bool {
	if len(line) > 60*utf8.UTFMax || utf8.RuneCountInString(line) > 60 {
		return false
	}
	s := strings.TrimLeft(line, bylineMarks+" \u3000")
	marked := len(s) < len(line)
	for _, p := range []string{"本报记者", "本报通讯员", "本报特约记者", "本报评论员", "本报特约评论员", "评论员", "记者", "通讯员", "文/", "文／", "文 /", "图/", "图／", "撰稿", "摄影", "供稿"} {
		if strings.HasPrefix(s, p) {
			// "记者从…了解到" opens a sentence, not a byline.
			return marked || !strings.ContainsAny(s, "。，；：从获了")
		}
	}
	// 新华社记者 张三, 人民日报记者 李四 王五, 本报驻京记者 赵六
	return (strings.Contains(s, "记者") || strings.Contains(s, "通讯员") || strings.Contains(s, "评论员")) &&
		agencyByline.MatchString(s)
}

var agencyByline = regexp.MustCompile(`^\p{Han}{1,8}(记者|通讯员|评论员)[ \x{3000}]+\p{Han}{2,4}([ \x{3000}、]+\p{Han}{2,4}){0,4}$`)

// opensWithDateline reports a paragraph that begins with a dateline byline
// such as 本报讯（记者 张三）, 本报北京5月3日电 or 新华社耶路撒冷1月1日电.
func opensWithDateline(line string) bool {
	s := strings.TrimLeft(line, bylineMarks+" \u3000")
	for _, p := range []string{"本报讯", "本报电", "本报专电", "新华社电", "据新华社电", "【本报讯】"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	// The dateline is at most a few dozen characters: match on the head
	// only (the paragraph may be long).
	head := s
	if len(head) > 120 {
		head = head[:120]
		for len(head) > 0 && !utf8.RuneStart(s[len(head)]) {
			head = head[:len(head)-1]
		}
	}
	return strings.Contains(head, "月") && strings.ContainsAny(head, "电讯") && datelineRe.MatchString(head)
}

// datelineRe: an agency or paper, a place and a date, then 电 or 讯, at the
// start of a paragraph (新华社北京1月1日电, 本报石家庄1月1日电, 中新网上海3月5日电).
var datelineRe = regexp.MustCompile(`^(据)?[\p{Han}A-Za-z]{1,6}(社|网|报|台)[\p{Han}]{0,8}[0-9０-９一二三四五六七八九十]{1,3}月[0-9０-９一二三四五六七八九十]{1,3}日(专)?(电|讯)`)

// Sign-off and credit lines close the article before them and are not
// article text.
var (
	// 新华社北京1月1日电, 据新华社乌鲁木齐1月2日电, 本栏均据新华社电, 记者 张三摄
	signoffEnd   = regexp.MustCompile(`(电|摄|报道|供图|供稿|整理)$`)
	signoffStart = regexp.MustCompile(`^(本报|新华社|中新社|据|记者|通讯员|本栏|文/|图/|文／|图／)`)
	// （张明 赵天华）, （周涛、王磊）, （张明赵天华）: names alone in
	// parentheses; also （下转第二版）, which ends an article too.
	signoffNames = regexp.MustCompile(`^\p{Han}{2,4}([ \x{3000}、]+\p{Han}{2,4}){0,3}$|^\p{Han}{4,9}$`)
	// （新华社记者 王晓明 李华）, （本报记者 张三 通讯员 李四）
	signoffReporters = regexp.MustCompile(`^(\p{Han}{1,6}(社|报|台|网))?(驻\p{Han}{1,8})?(特约|实习)?(记者|通讯员)[\p{Han} \x{3000}、]{2,24}$`)
	// 本栏均据新华社电, 以上均据新华社电, 据新华社电 on a line of its own;
	// inside parentheses: 作者单位：…, 作者系…
	sourceLine = regexp.MustCompile(`^(本栏|本版|以上)?(稿件)?均?据\p{Han}{2,8}(电|报道|消息)$`)
	authorNote = regexp.MustCompile(`^(作者单位|作者系|作者为|作者是|本文作者)|^(文|图|摄影)[/／]|^据《?\p{Han}{1,8}(社|报|台|网)》?|^来源[:：]|^完$`)
	// 新华社发, 新华社发 王强摄: a wire photo's credit on its own line.
	wireCredit = regexp.MustCompile(`^\p{Han}{1,6}社发([ \x{3000}]*\p{Han}{2,4}[ \x{3000}]*摄)?$`)
	// 本版编辑：张丽, 责任编辑：李四, 新华社记者 周密摄
	creditRe = regexp.MustCompile(`^(本版编辑|本版责编|责任编辑|责编|编辑|校对|美编|版式设计)[:：\s]|^[\p{Han}]{0,6}(记者|通讯员|摄影)[\p{Han} \x{3000}、]{0,16}摄$`)
)

// isSignoff recognises a sign-off or credit line: （新华社北京1月1日电）,
// （记者 张三摄）, （张明 赵天华）, （本栏均据新华社电）, 本版编辑：张丽.
func isSignoff(line string) bool {
	if len(line) > 40*utf8.UTFMax || utf8.RuneCountInString(line) > 40 || isPhotoMarker(line) {
		return false
	}
	if !strings.HasPrefix(line, "（") && !strings.HasPrefix(line, "(") && !strings.HasSuffix(line, "摄") && !strings.Contains(line, "编") && !strings.Contains(line, "校对") && !strings.Contains(line, "据") && !strings.HasSuffix(line, "社发") {
		return false // cheap test first: most lines are none of these
	}
	if sourceLine.MatchString(line) || wireCredit.MatchString(line) {
		return true
	}
	if creditRe.MatchString(line) {
		return true
	}
	inner, ok := parenthesised(line)
	if ok && authorNote.MatchString(inner) {
		return true
	}
	if !ok || strings.ContainsAny(inner, "。，；！？") {
		return false
	}
	inner = strings.TrimSpace(inner)
	if signoffNames.MatchString(inner) || signoffReporters.MatchString(inner) {
		return true
	}
	return signoffEnd.MatchString(inner) && (signoffStart.MatchString(inner) || strings.Contains(inner, "记者") || utf8.RuneCountInString(inner) <= 24)
}

// parenthesised returns the text inside a line wholly in parentheses.
func parenthesised(line string) (string, bool) {
	for _, p := range [][2]string{{"（", "）"}, {"(", ")"}} {
		if strings.HasPrefix(line, p[0]) && strings.HasSuffix(line, p[1]) {
			inner := line[len(p[0]) : len(line)-len(p[1])]
			if !strings.ContainsAny(inner, "（）()") {
				return inner, true
			}
		}
	}
	return "", false
}

// isPhotoMarker recognises the line that marks a photo item: （图片）, 【图片】.
func isPhotoMarker(line string) bool {
	s := strings.Trim(line, "（）()【】[] \u3000")
	return s == "图片" || s == "图" || s == "照片" || s == "组图" || s == "图片新闻"
}

// sectionRe: enumerated heads of a document's parts (一、 （一） 1. 第一章
// 第二节 第三条 第一部分), and the table of contents.
var sectionRe = regexp.MustCompile(`^(目\s*录|[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百0-9０-９]+[）)]|[0-9０-９]+[、．.]|第[一二三四五六七八九十百0-9]+[章节条部编篇款]|附\s*则|附件|附录)`)

func isSectionHead(line string) bool { return sectionRe.MatchString(line) }

// exclaimedHeadline reports a short line that ends in ！ or ？ and holds
// no other sentence: 新世纪，你好！, 谁来守护老街？
func exclaimedHeadline(line string) bool {
	if n := utf8.RuneCountInString(line); n < 4 || n > 20 {
		return false
	}
	r, size := utf8.DecodeLastRuneInString(line)
	if r != '！' && r != '？' && r != '!' && r != '?' {
		return false
	}
	head := line[:len(line)-size]
	return !strings.ContainsAny(head, "。！？；：“”\"") && strings.Count(head, "，") <= 1
}

// closes reports whether a line ends a sentence.
func closes(line string) bool {
	r, size := utf8.DecodeLastRuneInString(line)
	switch r {
	case '。', '！', '？', '；', '…', '!', '?', ';', '：', ':':
		return true
	case '”', '’', '）', ')', '」', '』', '"':
		prev, _ := utf8.DecodeLastRuneInString(line[:len(line)-size])
		switch prev {
		case '。', '！', '？', '…', '!', '?':
			return true
		}
	}
	return false
}

// bodyRunes is the length from which a line without punctuation at its end
// is still body text (headlines and captions are shorter).
const bodyRunes = 36

func isBodyLike(line string) bool {
	if closes(line) || utf8.RuneCountInString(line) >= bodyRunes {
		return true
	}
	r := []rune(line)
	for _, c := range r[:len(r)-1] {
		if c == '。' || c == '！' || c == '？' || c == '；' {
			return true
		}
	}
	return false
}

// joinBroken rejoins lines broken mid-sentence: a paragraph (or a short
// fragment with a comma inside running text) that does not close its
// sentence continues in the next unit, unless that is a heading or byline or
// lies beyond a large gap.
func joinBroken(units []unit) []unit {
	big := largeGap(units)
	// On a dense page (one paragraph a line) a short line with a comma
	// after a closed sentence is a headline, not a broken line's middle.
	isDense := dense(units)
	var out []unit
	for i := 0; i < len(units); i++ {
		u := units[i]
		parts := []string{u.text} // joined once at the end: no quadratic copying
		last := u.text
		for i+1 < len(units) {
			n := units[i+1]
			if closes(last) || n.kind == kH || n.kind == kB || n.gap >= big || u.kind == kH || u.kind == kB {
				break
			}
			inBody := u.kind == kP ||
				strings.ContainsAny(u.text, "，、") && len(out) > 0 && out[len(out)-1].kind == kP && u.gap < big &&
					!(isDense && closes(out[len(out)-1].text))
			if !inBody || !(n.kind == kP || closes(n.text)) {
				break
			}
			parts = append(parts, n.text)
			last = n.text
			u.kind = kP
			i++
		}
		if len(parts) > 1 {
			var b strings.Builder
			b.WriteString(parts[0])
			for k := 1; k < len(parts); k++ {
				b.WriteString(joinSep(parts[k-1], parts[k]))
				b.WriteString(parts[k])
			}
			u.text = b.String()
		}
		out = append(out, u)
	}
	return out
}

// joinSep is what goes between two halves of a broken line: nothing
// between CJK text, one space between Latin words.
func joinSep(a, b string) string {
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	if ra < 0x80 && rb < 0x80 && (unicode.IsLetter(ra) || unicode.IsDigit(ra)) && (unicode.IsLetter(rb) || unicode.IsDigit(rb)) {
		return " "
	}
	return ""
}

// largeGap returns the number of blank lines from which a gap separates
// blocks: one more than the usual gap between consecutive paragraphs.
func largeGap(units []unit) int {
	var gaps []int
	for i := 1; i < len(units); i++ {
		if units[i].kind == kP && units[i-1].kind == kP {
			gaps = append(gaps, units[i].gap)
		}
	}
	if dense(units) {
		return 1 // one paragraph a line: any blank line is a large gap
	}
	typical := 1
	if len(gaps) > 0 {
		sort.Ints(gaps)
		typical = gaps[len(gaps)/2]
		if typical < 1 {
			// One paragraph a line, no blank lines (e-paper and PDF
			// exports): any blank line is a large gap.
			return 1
		}
	}
	return typical + 1
}

// dense reports a page laid out one paragraph a line without blank lines,
// where only the form of lines tells headlines from body text.
//
// Text in narrow columns (a PDF text layer, an OCR'd column: every line cut
// at the column's width) is not dense in this sense: its short lines are
// pieces of paragraphs, not headlines. It shows as most short lines having
// the same length.
func dense(units []unit) bool {
	zero := 0
	for i := 1; i < len(units); i++ {
		if units[i].gap == 0 {
			zero++
		}
	}
	return len(units) >= 4 && 2*zero > len(units)-1 && !columns(units)
}

// newspaper reports a page that shows a newspaper page's marks: a sign-off
// or credit line, two bylines or datelines, a masthead date line
// (2024年5月20日 星期一) or a column of briefs (城区简讯, 海外拾零).
func newspaper(units []unit) bool {
	bylines := 0
	for _, u := range units {
		switch {
		case u.kind == kO:
			return true
		case u.kind == kB || u.datelineByline:
			bylines++
		case u.kind == kS && (mastheadRe.MatchString(u.text) || briefsColumnRe.MatchString(u.text)):
			return true
		}
	}
	return bylines >= 2
}

var (
	mastheadRe     = regexp.MustCompile(`^[0-9０-９]{4}年[0-9０-９]{1,2}月[0-9０-９]{1,2}日\s*星期[一二三四五六日天]`)
	briefsColumnRe = regexp.MustCompile(`^\p{Han}{0,4}(简讯|快讯|短讯|速递|速览|拾零|集锦|一览|动态|简报)$`)
)

// columns reports text cut at a fixed column width: at least 8 lines, half
// or more of all lines (headlines and paragraphs alike) within one
// character of the same length. Headlines alone may share a length; whole
// paragraphs, one a line, do not.
func columns(units []unit) bool {
	byLen := map[int]int{}
	lines := 0
	for _, u := range units {
		if u.kind == kS || u.kind == kP {
			byLen[utf8.RuneCountInString(u.text)]++
			lines++
		}
	}
	if lines < 8 {
		return false
	}
	for n := range byLen {
		if 2*(byLen[n-1]+byLen[n]+byLen[n+1]) >= lines {
			return true
		}
	}
	return false
}

type start struct{ at, title int }

func findStarts(units []unit) []start {
	big := largeGap(units)
	// Only a dense page laid out like a newspaper page (a sign-off or
	// credit line, or two bylines or datelines) is split at headlines told
	// by form alone: one article exported one paragraph a line keeps its
	// subheads.
	oneALine := dense(units)
	isDense := oneALine && (newspaper(units) || !parallelSubheads(units))
	hasByline := false
	minLevel := 7
	for _, u := range units {
		if u.kind == kB || u.datelineByline {
			hasByline = true
		}
		if u.kind == kH && u.level < minLevel {
			minLevel = u.level
		}
	}
	isStart := make([]bool, len(units))
	titleOf := make([]int, len(units))

	// headlineBlock walks back from units[i] (exclusive) over H/S lines one
	// gap apart, at most four, and returns the first index of the block.
	headlineBlock := func(i int) int {
		j := i
		for j > 0 && i-j < 4 && units[j].gap < big && (units[j-1].kind == kH || units[j-1].kind == kS) {
			j--
		}
		return j
	}
	mark := func(from, to int) { // block units[from:to]
		if from >= to {
			return
		}
		isStart[from], titleOf[from] = true, pickTitle(units, from, to, oneALine)
	}

	for i, u := range units {
		// Rule 1: bylines.
		if u.kind == kB || u.datelineByline {
			if j := headlineBlock(i); j < i {
				mark(j, i)
			}
		}
		// Rule 2: top-level headings on pages without bylines.
		if u.kind == kH && !hasByline && u.level == minLevel {
			mark(i, i+1)
		}
		// A heading after a large gap starts an article in any case.
		if u.kind == kH && u.gap >= big && i > 0 {
			mark(i, i+1)
		}
	}
	// Rules 3 and 4: runs of short lines (no paragraph between them).
	for i := 0; i < len(units); {
		if !(units[i].kind == kS || units[i].kind == kH) {
			i++
			continue
		}
		j := i + 1
		for j < len(units) && (units[j].kind == kS || units[j].kind == kH) {
			j++
		}
		followedByBody := j < len(units) && units[j].gap < big
		switch {
		case followedByBody:
			// Rule 3: the part of the run after its last large gap is a
			// headline block if a large gap (or the page top) precedes it.
			k := j - 1
			for k > i && units[k].gap < big {
				k--
			}
			if units[k].gap >= big && j-k <= 4 && !anyStart(isStart, k, j) {
				mark(k, j)
			}
		case j-i >= 3 && !anyStart(isStart, i, j):
			// Rule 4: an infographic box.
			mark(i, i+1)
		}
		i = j
	}

	// Rule 5: what closes an article. A sign-off or credit line ends the
	// article before it; on a dense page (one paragraph a line), so does a
	// paragraph that closes its sentence. A run of short lines after that,
	// followed by body text, is the next article's headline group (its
	// enumerated section heads excepted); a paragraph right after a
	// sign-off starts an untitled article.
	//
	// A document printed whole (a law, a decision, a report or speech: its
	// title says so, it opens with a salutation such as 各位代表：, or it
	// has enumerated sections) stays one article: inside it, short lines
	// are its section heads, and only a byline, dateline, sign-off or
	// photo item starts the next article.
	//
	// An article that opened with a byline or dateline is a full article:
	// inside it, a lone short line is a subhead; only a headline group (two
	// lines or more) or a column label (四字栏名) before a headline starts the
	// next article there.
	docMode, bylined := false, false
	for i := 0; i < len(units); i++ {
		u := units[i]
		switch {
		case isStart[i]:
			docMode = titleOf[i] >= 0 && documentTitle(units[titleOf[i]].text) && printedWhole(units, titleOf[i])
			bylined = false
			for k := i; k < len(units); k++ {
				if units[k].kind != kS && units[k].kind != kH {
					bylined = units[k].kind == kB || units[k].datelineByline
					break
				}
			}
		case u.kind == kO:
			docMode, bylined = false, false
		}
		if u.section || isSalutation(u.text) {
			docMode = true
		}
		if i > 0 && units[i-1].kind == kP && inForce(units[i-1].text) {
			docMode = false // the document's last article: 本条例自…起施行。
		}
		closed := i > 0 && units[i-1].kind == kO ||
			isDense && (i == 0 || !docMode && units[i-1].kind == kP && closes(units[i-1].text))
		if !closed {
			continue
		}
		switch units[i].kind {
		case kP:
			if i > 0 && units[i-1].kind == kO && !isStart[i] {
				isStart[i], titleOf[i] = true, -1
			}
		case kS, kH:
			j := i
			for j < len(units) && (units[j].kind == kS || units[j].kind == kH) {
				j++
			}
			if j == len(units) || units[j].kind == kO || anyStart(isStart, i, j) || units[i].photo {
				break
			}
			end := j
			for k := i; k < j; k++ {
				if units[k].section {
					end = k
					break
				}
			}
			if end == i || (units[j].kind != kP && units[j].kind != kB && end == j) {
				break
			}
			if bylined && units[i-1].kind == kP && end-i < 2 && !documentTitle(units[i].text) {
				break // a subhead of the article (a document's title is not)
			}
			from := i
			if end-from > 4 {
				from = end - 4
			}
			if next := units[j].text; units[j].kind == kP && startsMidSentence(next) {
				break // a broken sentence goes on: “城市轨道交通” / “、地下管廊…”
			}
			if hasTitle(units, from, end) {
				mark(from, end)
				docMode, bylined = false, false
				for k := from; k < end; k++ {
					docMode = docMode || documentTitle(units[k].text) && printedWhole(units, k)
				}
			}
		}
	}
	// Photo items: the marker starts an item titled by its caption.
	for i, u := range units {
		if u.photo && i+1 < len(units) && units[i+1].kind == kP {
			if i > 0 && isStart[i-1] && titleOf[i-1] == i-1 {
				// A headline right above the photo titles the item
				// (春风又绿江南岸 / （图片） / caption / credit).
				isStart[i] = false
				continue
			}
			isStart[i], titleOf[i] = true, -1
			if i+2 < len(units) {
				isStart[i+1] = false
			}
		}
	}
	// An editor's note (编者按) before a headline belongs to that article.
	for i := 0; i+1 < len(units); i++ {
		if isEditorNote(units[i].text) && isStart[i+1] {
			isStart[i], titleOf[i] = true, titleOf[i+1]
			isStart[i+1] = false
		}
	}

	var starts []start
	for i := range units {
		if !isStart[i] {
			continue
		}
		if n := len(starts); n > 0 && labelOnly(units, starts[n-1], i) {
			// A column label (法治, 国际) before an editor's note or a
			// headline is not an article: it joins the next.
			starts[n-1].title = titleOf[i]
			continue
		}
		starts = append(starts, start{at: i, title: titleOf[i]})
	}
	if len(starts) == 0 || starts[0].at > 0 {
		// Text before the first headline: an untitled article if it has body
		// text, else (a masthead, a caption) it joins the first article.
		hasBody := false
		end := len(units)
		if len(starts) > 0 {
			end = starts[0].at
		}
		for _, u := range units[:end] {
			if u.kind == kP {
				hasBody = true
			}
		}
		if hasBody || len(starts) == 0 {
			starts = append([]start{{at: 0, title: -1}}, starts...)
		} else {
			starts[0].at = 0
		}
	}
	return starts
}

// labelOnly reports a start whose block up to next holds no body
// paragraph and no headline, only a column label or similar short line.
func labelOnly(units []unit, s start, next int) bool {
	if s.title >= 0 && (units[s.title].kind == kH || titleLike(units[s.title])) {
		return false
	}
	for k := s.at; k < next; k++ {
		if units[k].kind == kP || units[k].kind == kH || units[k].photo {
			return false
		}
	}
	return true
}

// pickTitle chooses the main headline of a headline group units[from:to]:
// a Markdown heading if there is one; else the first line that is not a
// kicker or column name (four characters or fewer), a sub-headline (——…),
// a date line, a parenthesised note or a section head, preferring one
// without inner spaces (kickers and sub-headlines often pair two phrases:
// 坚定信心 实干笃行).
//
// The preference for lines without spaces holds on dense pages only: on
// other pages a short line may be the first piece of a broken paragraph.
func pickTitle(units []unit, from, to int, preferPlain bool) int {
	for k := from; k < to; k++ {
		if units[k].kind == kH {
			return k
		}
	}
	first, plain := -1, -1
	var like []int
	for k := from; k < to; k++ {
		if titleLike(units[k]) {
			like = append(like, k)
		}
	}
	if len(like) == 3 && like[2]-like[0] == 2 && preferPlain {
		// 引题, 主题, 副题: the main headline is in the middle.
		return like[1]
	}
	for k := from; k < to; k++ {
		if !titleLike(units[k]) {
			continue
		}
		if first < 0 {
			first = k
		}
		if plain < 0 && !strings.ContainsAny(units[k].text, " \u3000") && !kickerRe.MatchString(units[k].text) {
			plain = k
		}
	}
	switch {
	case plain >= 0 && preferPlain:
		return plain
	case first >= 0:
		return first
	}
	for k := from; k < to; k++ {
		if shortHeadline(units, k) {
			return k
		}
	}
	return from
}

func hasTitle(units []unit, from, to int) bool {
	for k := from; k < to; k++ {
		if units[k].kind == kH || titleLike(units[k]) || shortHeadline(units, k) {
			return true
		}
	}
	return false
}

// shortHeadline reports a headline of three or four characters (夜市开张,
// 冬日暖阳): a short line is a column label (海外拾零, 以案说法) when a
// headline follows it, and a headline when body text, or a photo, does.
func shortHeadline(units []unit, k int) bool {
	u := units[k]
	if u.kind != kS || u.photo || u.section || k+1 >= len(units) {
		return false
	}
	if n := utf8.RuneCountInString(u.text); n < 3 || n > 4 || briefsColumnRe.MatchString(u.text) || dateLineRe.MatchString(u.text) {
		return false
	}
	if _, ok := parenthesised(u.text); ok || strings.ContainsAny(u.text, "，、：:（(") {
		return false
	}
	next := units[k+1]
	return next.photo || next.kind == kP && !isEditorNote(next.text) && !startsMidSentence(next.text)
}

// kickerRe: a series or column label above a headline (系列报道之一,
// 城市更新·新变化).
var kickerRe = regexp.MustCompile(`[·•]|之[一二三四五六七八九十]+$|[（(][一二三四五六七八九十]+[）)]$`)

var dateLineRe = regexp.MustCompile(`^[0-9０-９]{4}年[0-9０-９]{1,2}月[0-9０-９]{1,2}日|星期[一二三四五六日天]|农历`)

func titleLike(u unit) bool {
	if u.kind != kS || u.photo || u.section {
		return false
	}
	t := u.text
	// A line ending open (…《, …，) or holding two clauses is a broken
	// sentence or a lead-in, not a headline.
	if last, _ := utf8.DecodeLastRuneInString(t); strings.ContainsRune("，、《“（(,", last) || strings.Count(t, "，") >= 2 {
		return false
	}
	if _, ok := parenthesised(t); ok {
		return false
	}
	return utf8.RuneCountInString(t) > 4 &&
		!strings.HasPrefix(t, "—") && !strings.HasPrefix(t, "－") && !strings.HasPrefix(t, "--") &&
		!dateLineRe.MatchString(t)
}

// printedWhole reports whether the document named by the headline at
// units[t] is printed whole after it, rather than reported on (南非实施新的
// 控烟法 is news about a law): the headline opens the page (a file holding
// one document), or a parenthesised note (（…通过）, （草案）), a table of
// contents, a section head or a salutation follows within two lines.
func printedWhole(units []unit, t int) bool {
	if enacted(units[t].text) {
		return false
	}
	first := true
	for k := 0; k < t; k++ {
		if units[k].kind == kP || units[k].kind == kB || titleLike(units[k]) {
			first = false
			break
		}
	}
	if first {
		return true
	}
	for k := t + 1; k < len(units) && k <= t+2; k++ {
		u := units[k]
		if _, ok := parenthesised(u.text); ok || u.section || isSalutation(u.text) {
			return true
		}
	}
	return false
}

// enactVerbs: what a news headline about a document does with it (泰国通过
// 新的野生动物保护法, 国务院印发《…规划》). Before 关于 or 《 they make the
// headline news; after them they are part of the document's name (关于实施
// …的意见).
var enactVerbs = []string{"通过", "实施", "出台", "发布", "印发", "修订", "审议", "颁布", "施行", "公布", "签署", "表决", "推出", "制定", "起草", "废除", "生效"}

func enacted(title string) bool {
	head := title
	for _, stop := range []string{"关于", "《"} {
		if i := strings.Index(head, stop); i >= 0 {
			head = head[:i]
		}
	}
	for _, v := range enactVerbs {
		if strings.Contains(head, v) {
			return true
		}
	}
	return false
}

// inForceRe: the closing article of a law or decision printed whole
// (第十一条 本条例自2004年5月1日起施行。, 五、本决议自公布之日起施行。).
var inForceRe = regexp.MustCompile(`^(第[一二三四五六七八九十百零〇0-9]+条[\s\x{3000}]*|[一二三四五六七八九十]+[、．.])?本\p{Han}{1,12}自.{1,30}施行。$`)

func inForce(text string) bool {
	return strings.HasSuffix(text, "施行。") && inForceRe.MatchString(text)
}

// parallelSubheads reports a page whose candidate headlines (short
// title-like lines between a closed paragraph and body text) are all of
// one length, or all pairs of phrases (数字赋能 茶园增收) or short phrases
// (交通先行): the subheads of one article (加强组织领导 / 强化隐患排查 /
// 做好应急值守), not the headlines of several articles, which are mostly
// whole clauses of varied length.
// subheadRunes: a line this short is a phrase (交通先行, 先问需再改造)
// rather than a headline's whole clause.
const subheadRunes = 6

func parallelSubheads(units []unit) bool {
	var lens []int
	spaced := 0
	for i := 1; i+1 < len(units); i++ {
		u := units[i]
		if !(titleLike(u) || shortHeadline(units, i)) || units[i-1].kind != kP || !closes(units[i-1].text) || units[i+1].kind != kP {
			continue
		}
		n := utf8.RuneCountInString(u.text)
		lens = append(lens, n)
		if strings.ContainsAny(u.text, " \u3000") || n <= subheadRunes {
			spaced++
		}
	}
	if len(lens) < 2 {
		return len(lens) == 1 // one lone line: a subhead as likely as a headline
	}
	if spaced == len(lens) {
		return true
	}
	sort.Ints(lens)
	return lens[len(lens)-1]-lens[0] <= 1
}

// documentTitle recognises the title of a document printed whole: a law,
// regulation, decision, resolution, report, speech or plan.

func documentTitle(text string) bool {
	t := strings.TrimSpace(text)
	// Cheap test first: the title ends with one of the document words,
	// or with a parenthesised note after it (（草案）, （摘要）).
	if strings.HasSuffix(t, "）") || strings.HasSuffix(t, ")") {
		if i := strings.LastIndexAny(t, "（("); i > 0 {
			t = t[:i]
		}
	}
	for _, w := range documentWords {
		if strings.HasSuffix(t, w) {
			return true
		}
	}
	return false
}

var documentWords = []string{"法", "条例", "规定", "办法", "细则", "决定", "决议", "公报", "报告", "讲话", "纲要", "意见", "通知", "公告", "章程", "规划", "方案"}

// isSalutation recognises a speech's opening: 各位代表：, 同志们！
var salutationRe = regexp.MustCompile(`^(各位代表|各位委员|同志们|代表们|女士们|朋友们)[，,：:！!]`)

func isSalutation(text string) bool {
	for _, p := range salutations {
		if strings.HasPrefix(text, p) {
			return salutationRe.MatchString(text)
		}
	}
	return false
}

var salutations = []string{"各位", "同志们", "代表们", "女士们", "朋友们"}

// startsMidSentence reports a line that opens with punctuation that only
// continues a sentence (、》，) : the line before it was not a headline.
func startsMidSentence(text string) bool {
	r, _ := utf8.DecodeRuneInString(text)
	return strings.ContainsRune("，、。；：！？》」』）)”’,.;:", r)
}

// isEditorNote recognises an editor's note: 编者按：…, 【编者的话】….
func isEditorNote(text string) bool {
	s := strings.TrimLeft(text, "【[（( \u3000")
	return strings.HasPrefix(s, "编者按") || strings.HasPrefix(s, "编者的话") || strings.HasPrefix(s, "编后")
}

func anyStart(isStart []bool, from, to int) bool {
	for k := from; k < to; k++ {
		if isStart[k] {
			return true
		}
	}
	return false
}

// buildArticle assembles an article from its units; title is the index of
// the title unit within them, or -1 when the article has no headline.
func buildArticle(us []unit, title int) (RawArticle, bool) {
	a := RawArticle{Line: us[0].line}
	var paras []string
	for k, u := range us {
		switch {
		case k == title:
			// ■伦敦千年大厦正式关闭: the bullet of a column of briefs is
			// not part of the headline.
			a.Title = strings.TrimLeft(u.text, bylineMarks+"·• \u3000")
			if a.Title == "" {
				a.Title = u.text
			}
		case k < title && u.kind == kS && !titleLike(u) && !u.photo && !u.section:
			// above the headline: a masthead, date line or column label
		case u.kind == kB, u.kind == kO:
			// bylines, sign-offs and credits are not article text
		case u.photo && k+1 < len(us) && k != 0:
			// a photo marker under the item's headline
		default:
			paras = append(paras, u.text)
		}
	}
	if a.Title == "" && len(paras) > 0 {
		if us[0].photo && len(paras) > 1 {
			paras = paras[1:] // the marker
			a.Title = captionTitle(paras[0])
		} else {
			a.Title = firstSentence(paras[0])
		}
	}
	a.Body = strings.Join(paras, "\n\n")
	if strings.TrimSpace(a.Body) == "" && a.Title == "" {
		return a, false
	}
	return a, true
}

// captionTitle gives a photo item its caption's first sentence as title.
func captionTitle(p string) string {
	r := []rune(p)
	for i, c := range r {
		if c == '。' || c == '！' || c == '？' {
			r = r[:i]
			break
		}
	}
	if len(r) > 60 {
		r = append(r[:60], '…')
	}
	return string(r)
}

// firstSentence gives a title for an article without a headline.
func firstSentence(p string) string {
	r := []rune(p)
	for i, c := range r {
		if c == '。' || c == '！' || c == '？' || c == '，' && i >= 12 {
			r = r[:i]
			break
		}
	}
	if len(r) > 40 {
		r = append(r[:40], '…')
	}
	return string(r)
}
