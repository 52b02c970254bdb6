package enrich

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// What surrounds a name in the text: a division suffix, a longer ordinary
// word it is part of, another place before it (see gazetteer.go).

// placeFreq: jieba frequency from which a place name (ns) is known well
// enough to mark the name after it as that place's.
const placeFreq = 50

// directionRunes make up names of a compass part or of the country rather
// than of a place (华北, 东南, 南郊, 中国).
const directionRunes = "东南西北中华国内外上下郊部方"

// divisionSuffix reports text that opens with a division or place suffix:
// a jieba word such as 温泉镇 or 双井桥 is still the place.
func divisionSuffix(rest []byte) bool {
	for _, x := range []string{"街道", "镇", "乡", "地区", "区", "县", "村", "社区", "路", "街", "桥", "门", "园", "湖", "河", "山"} {
		if bytes.HasPrefix(rest, []byte(x)) {
			return true
		}
	}
	return false
}

// partOfWord reports a name that opens a longer ordinary word of the text
// (金盏花, 新华社, 胜利油田, 光明日报). District names are exempt (海淀法院,
// 丰台站 are there). A name that needs no evidence keeps counting in the
// names of what is there: a hospital, a station, a street, a compound
// (安贞医院, 四惠东, 安贞里).
func (g *Gazetteer) partOfWord(text string, m mention) bool {
	if m.kind == kindDistrict || m.kind == kindDistrictShort {
		return false
	}
	for _, w := range g.longer[m.name] {
		if !strings.HasPrefix(text[m.start:], w) {
			continue
		}
		if m.need == evNone && hasPrefixAny(w[len(m.name):], localSuffixes) {
			continue
		}
		return true
	}
	return false
}

// localSuffixes: what follows a place name in the name of something there.
var localSuffixes = []string{"里", "站", "医院", "大街", "东", "西", "南", "北", "高速", "公路", "中学", "小学", "学校", "法院", "书店", "商场", "公园"}

func hasPrefixAny(s string, xs []string) bool {
	for _, x := range xs {
		if strings.HasPrefix(s, x) {
			return true
		}
	}
	return false
}

// afterPlace reports a name right after a place name that is not the
// region's (南京新街口, 西安鼓楼, 台北天桥, 南京：新街口…).
func (g *Gazetteer) afterPlace(text string, at int) bool {
	// 南京：新街口… in a headline: the colon or a space may come between.
	before := lastRunes(strings.TrimRight(text[:at], "：: \u3000·"), 4)
	for i := range before {
		if n := utf8.RuneCountInString(before[i:]); n >= 2 && g.places[before[i:]] {
			return true
		}
	}
	return false
}

func sameRegion(prov, region string) bool {
	return prov == region || trimSuffixes(prov, "省", "市", "自治区") == region
}

// countyLevel tells district-level units from the statistics-only units
// (development zones) the division data also lists.
func countyLevel(name string) bool {
	for _, s := range []string{"区", "县", "市", "旗"} {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

func trimSuffixes(s string, suffixes ...string) string {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) && utf8.RuneCountInString(s)-utf8.RuneCountInString(x) >= 2 {
			return strings.TrimSuffix(s, x)
		}
	}
	return s
}

func shortDistrict(d string) string {
	return trimSuffixes(d, "自治县", "新区", "区", "县", "旗")
}

func shortTown(t string) string {
	return trimSuffixes(t, "街道办事处", "办事处", "街道", "地区", "镇", "乡")
}
