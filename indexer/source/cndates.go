package source

// Dates written in Chinese numerals (二〇一四年三月五日), as documents sign
// off and date themselves.

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	// reCNYear is a year in Chinese numerals written digit by digit.
	reCNYear = regexp.MustCompile(`[〇零○Ｏ一二三四五六七八九]{4}\s*年`)
	// reCNMonthDay is a month (and day) in Chinese numerals after a year
	// in digits: 2014年三月五日.
	reCNMonthDay = regexp.MustCompile(`(\d{4}\s*年)\s*([一二三四五六七八九十]{1,3})\s*月(?:\s*([一二三四五六七八九十]{1,3})\s*日)?`)
)

// ChineseDigit returns the ASCII digit of a Chinese numeral written digit
// by digit in years (〇 一 … 九, also 零 ○ Ｏ).
func ChineseDigit(r rune) (byte, bool) {
	d, ok := cnDigit[r]
	return d, ok
}

// cnDigit maps the Chinese numerals written digit by digit in years.
var cnDigit = map[rune]byte{'〇': '0', '零': '0', '○': '0', 'Ｏ': '0', '一': '1', '二': '2', '三': '3',
	'四': '4', '五': '5', '六': '6', '七': '7', '八': '8', '九': '9'}

// FoldChineseDate rewrites a date in Chinese numerals (二〇一四年三月五日,
// 二〇一四年十二月三十一日) with digits; other text is returned as it is.
func FoldChineseDate(s string) string {
	if !strings.Contains(s, "年") {
		return s
	}
	s = reCNYear.ReplaceAllStringFunc(s, func(m string) string {
		var b strings.Builder
		for _, r := range m {
			if d, ok := cnDigit[r]; ok {
				b.WriteByte(d)
			}
		}
		return b.String() + "年"
	})
	return reCNMonthDay.ReplaceAllStringFunc(s, func(m string) string {
		g := reCNMonthDay.FindStringSubmatch(m)
		mo, ok := chineseNumber([]rune(g[2]))
		if !ok || mo > 12 {
			return m
		}
		out := g[1] + strconv.Itoa(mo) + "月"
		if g[3] != "" {
			d, ok := chineseNumber([]rune(g[3]))
			if !ok {
				return m
			}
			out += strconv.Itoa(d) + "日"
		}
		return out
	})
}

// chineseNumber reads 1–31 written in Chinese numerals: 五, 十, 十二, 二十, 三十一.
func chineseNumber(rs []rune) (int, bool) {
	n, tens := 0, false
	for _, r := range rs {
		if r == '十' {
			if tens {
				return 0, false
			}
			tens = true
			n = max(n, 1) * 10
			continue
		}
		d, ok := cnDigit[r]
		if !ok || d == '0' || n%10 != 0 || n > 0 && !tens {
			return 0, false
		}
		n += int(d - '0')
	}
	return n, n >= 1 && n <= 31
}
