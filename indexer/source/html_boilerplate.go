package source

// Boilerplate lines of web pages (breadcrumbs, publication info, print and
// share bars), dropped from the body text.

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// boilerMarks in a short line (or one that is not a sentence) mark it as
// page furniture that survived inside the content container.
var boilerMarks = []string{"当前位置", "您现在的位置", "您的位置", "所在位置", "现在位置",
	"版权所有", "ICP备", "ICP证", "公网安备", "主办单位", "承办单位", "主办：", "承办：", "网站标识码",
	"联系我们", "网站地图", "技术支持", "分享到", "【打印", "打印本页", "打印此页", "【关闭", "关闭窗口",
	"【收藏", "扫一扫", "字号：", "字号:", "【字体", "返回顶部", "上一篇", "下一篇", "责任编辑",
	"浏览次数", "阅读次数", "访问量", "点击数"}

// infoLabels: two of them on one line make it the article's info bar.
var infoLabels = []string{"发布时间", "发布日期", "来源：", "来源:", "作者：", "作者:", "浏览", "字号", "点击", "编辑："}

var (
	reInfoLine    = regexp.MustCompile(`^(?:发布时间|发布日期|发稿时间|日期|来源|信息来源|文章来源)\s*[:：]`)
	reBracketLine = regexp.MustCompile(`^(?:[【\[][^】\]]{1,10}[】\]]\s*)+$`)
	reBrowserLine = regexp.MustCompile(`建议.{0,30}浏览器|分辨率`)
	furnitureWord = regexp.MustCompile(`打印|关闭|收藏|分享|返回顶部|返回|字号|字体|默认|本页|窗口|繁體|繁体|简体|无障碍|微信|微博|QQ空间|扫一扫|打开|[大中小]|[\s|｜/:：【】\[\]·•>＞»]`)
)

func isBoilerplate(l string) bool {
	n := utf8.RuneCountInString(l)
	sentence := strings.ContainsRune(l, '。')
	if !sentence || n <= 24 {
		for _, m := range boilerMarks {
			if strings.Contains(l, m) {
				return true
			}
		}
		if reBrowserLine.MatchString(l) {
			return true
		}
	}
	if n <= 100 && !sentence {
		if reInfoLine.MatchString(l) {
			return true
		}
		labels := 0
		for _, m := range infoLabels {
			if strings.Contains(l, m) {
				labels++
			}
		}
		if labels >= 2 {
			return true
		}
	}
	if n <= 40 && (reBracketLine.MatchString(l) || furnitureWord.ReplaceAllString(l, "") == "") {
		return true
	}
	return false
}

// cleanBodyLines drops boilerplate lines and a repeat of the title at the top.
func cleanBodyLines(lines []string, title, docTitle string) []string {
	var out []string
	for _, l := range lines {
		if isBoilerplate(l) {
			continue
		}
		if len(out) == 0 && (l == title || l == docTitle) {
			continue
		}
		out = append(out, l)
	}
	return out
}
