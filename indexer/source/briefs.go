package source

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Briefs inside a full article: a lone short line after a story's
// paragraph is a subhead of the story, or the headline of a brief that
// follows it (see findStarts, rule 5).

// briefHeadline reports a lone short line inside a full article that is
// the headline of a brief after it (德首批女兵加入作战部队 after a court
// report): a whole clause (not a phrase or a phrase pair), followed by one
// paragraph and then the end of the page, a sign-off, another article's
// start, or another such headline with its one paragraph. A subhead is
// followed by paragraphs that go on with the story; the subheads of one
// article (one paragraph each) are of one length or all phrases. After
// the article has shown a subhead, or when it is short (story: the runes of
// its paragraphs so far), one such line alone is its last subhead: a run of
// two briefs at least is needed, unless the item closes with a sign-off
// filed from another place than the article's dateline (（本报渥太华电） after
// 本报内罗毕1月2日电).
func briefHeadline(units []unit, isStart []bool, i int, hadSubheads bool, story int, place string) bool {
	var lens []int
	elsewhere := false
	for k := i; ; {
		if !briefLike(units, isStart, k) {
			// What follows the last paragraph is no brief's headline: it
			// must open another article (a headline group, a byline).
			if len(lens) > 0 && !(k+1 < len(units) && (units[k+1].kind == kS || units[k+1].kind == kB || units[k+1].datelineByline)) {
				lens = lens[:len(lens)-1]
			}
			break
		}
		lens = append(lens, utf8.RuneCountInString(units[k].text))
		if len(lens) == maxBriefRun {
			break // enough to judge the run by (and the walk stays short)
		}
		if k += 2; k >= len(units) || units[k].kind == kO || isStart[k] || units[k].photo {
			if k < len(units) && units[k].kind == kO && len(lens) == 1 {
				p := datelinePlace(units[k].text)
				elsewhere = place != "" && p != "" && p != place
			}
			break // the end of the page, a sign-off or another article
		}
		if units[k].kind != kS {
			lens = lens[:len(lens)-1] // the story goes on: a subhead
			break
		}
	}
	if len(lens) == 0 || len(lens) < 2 && !elsewhere && (hadSubheads || story < longStory) {
		return false
	}
	if len(lens) >= 2 {
		sort.Ints(lens)
		if lens[len(lens)-1]-lens[0] <= 1 {
			return false // parallel: one article's subheads
		}
	}
	return true
}

// datelinePlace returns the place a dateline or sign-off names: 内罗毕 of
// 本报内罗毕1月2日电, 渥太华 of （本报渥太华电）; "" when it names none.
func datelinePlace(text string) string {
	if m := placeRe.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

var placeRe = regexp.MustCompile(`^[（(]?据?(?:本报|新华社|中新社|中新网)(?:驻\p{Han}{1,6}记者)?(\p{Han}{2,8}?)(?:[0-9０-９一二三四五六七八九十]{1,3}月[0-9０-９一二三四五六七八九十]{1,3}日)?专?电`)

// maxBriefRun is how many headlines of a run of briefs briefHeadline reads
// ahead.
const maxBriefRun = 8

// longStory is the length from which the article before a lone brief is a
// full story (a brief runs to a paragraph or two).
const longStory = 400

// briefLike reports a short line at units[k] shaped like a brief's
// headline (a whole clause, not a phrase, a phrase pair or a series
// label) and followed by one closed paragraph that says when.
func briefLike(units []unit, isStart []bool, k int) bool {
	if k+1 >= len(units) {
		return false
	}
	u, p := units[k], units[k+1]
	if u.kind != kS || !titleLike(u) || strings.ContainsAny(u.text, " \u3000") || kickerRe.MatchString(u.text) ||
		utf8.RuneCountInString(u.text) <= subheadRunes || isEditorNote(u.text) || isStart[k] {
		return false
	}
	return p.kind == kP && closes(p.text) && !startsMidSentence(p.text) && !isStart[k+1] &&
		briefTimeRe.MatchString(firstRunes(p.text, 48))
}

// briefTimeRe: a brief reports an event and says when, early on (德国国防部2日
// 宣布, 日前, 去年); a subhead's paragraph goes on with its story.
var briefTimeRe = regexp.MustCompile(`[0-9０-９]{1,2}日|[一二三四五六七八九十]{1,3}日[^本]|日前|近日|昨天|昨日|今天|今日|当天|当日|本周|上周|近期|去年|今年|本月|上月|[0-9０-９]{4}年`)

// firstRunes returns the first n runes of s (all of s if shorter).
func firstRunes(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}
