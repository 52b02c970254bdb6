package source

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Where articles start: headlines told by their form and by what follows
// them, headline groups, documents printed whole, and subheads that are not
// headlines (see page.go).

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
	//
	// In such an article a lone short line is still a brief's headline
	// when what follows tells so: one paragraph, then another headline of
	// that kind or the end of the page (briefHeadline).
	docMode, bylined, subheads, story, place := false, false, 0, 0, ""
	for i := 0; i < len(units); i++ {
		u := units[i]
		switch {
		case isStart[i]:
			docMode = titleOf[i] >= 0 && documentTitle(units[titleOf[i]].text) && printedWhole(units, titleOf[i])
			bylined, subheads, story, place = false, 0, 0, ""
			for k := i; k < len(units); k++ {
				if units[k].kind != kS && units[k].kind != kH {
					bylined = units[k].kind == kB || units[k].datelineByline
					break
				}
			}
		case u.kind == kO:
			docMode, bylined, subheads, story, place = false, false, 0, 0, ""
		}
		if u.kind == kP {
			if story == 0 && u.datelineByline {
				place = datelinePlace(u.text)
			}
			story += utf8.RuneCountInString(u.text)
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
			if bylined && units[i-1].kind == kP && end-i < 2 && !documentTitle(units[i].text) && !briefHeadline(units, isStart, i, subheads > 0, story, place) {
				subheads++
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
				docMode, bylined, subheads, story, place = false, false, 0, 0, ""
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

	// A document's signature (its issuing offices, then the date it was
	// written: 国务院 / 2016年5月28日) closes the article above it: it
	// starts none.
	for i := 1; i < len(units); i++ {
		if end := signatureEnd(units, i); end > i && units[i-1].kind == kP {
			for k := i; k < end; k++ {
				isStart[k] = false
			}
			i = end - 1
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
