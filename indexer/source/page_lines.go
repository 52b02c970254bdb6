package source

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Kinds of line on a page: headings, bylines, datelines, sign-offs and credits,
// photo markers, section heads, and body-like lines (see page.go).

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
	// photoNumber is the number of a photo a credit line ends with:
	// （本报开罗电）（2）, 新华社记者 王强摄（1）.
	photoNumber = regexp.MustCompile(`[ \x{3000}]*[（(][ \x{3000}]*[0-9０-９]{1,2}[ \x{3000}]*[）)]$`)
	// 本版编辑：张丽, 责任编辑：李四, 新华社记者 周密摄
	creditRe = regexp.MustCompile(`^(本版编辑|本版责编|责任编辑|责编|编辑|校对|美编|版式设计)[:：\s]|^[\p{Han}]{0,6}(记者|通讯员|摄影)[\p{Han} \x{3000}、]{0,16}摄$`)
)

// isSignoff recognises a sign-off or credit line: （新华社北京1月1日电）,
// （记者 张三摄）, （张明 赵天华）, （本栏均据新华社电）, 本版编辑：张丽.
func isSignoff(line string) bool {
	if len(line) > 40*utf8.UTFMax || utf8.RuneCountInString(line) > 40 || isPhotoMarker(line) {
		return false
	}
	if rest := photoNumber.ReplaceAllString(line, ""); rest != line && rest != "" {
		line = rest // （本报渥太华电）（3）: the credit of the third photo
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
