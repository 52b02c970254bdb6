package source

import (
	"strings"
	"unicode"
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
//     （记者 张三摄）, （张明 赵天华）, （本栏均据新华社电）, 本版编辑：…, also with a
//     photo's number after it: （本报渥太华电）（3）) always; on a
//     dense page (one paragraph a line, no blank lines, as e-paper and PDF
//     exports come) also a paragraph that closes its sentence, unless the
//     page has no newspaper marks (a sign-off, two bylines or datelines, a
//     masthead date or a column of briefs) and its candidate headlines look
//     like one article's subheads: all of one length, or all short phrases
//     and phrase pairs (see parallelSubheads). After it, a run of short lines followed by body text is the
//     next article's headline group (inside an article that opened with a
//     byline or dateline, a lone short line is a subhead, unless what follows
//     tells a brief's headline: one paragraph, then another such headline, a
//     sign-off or the end of the page, see briefHeadline), and a paragraph
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
