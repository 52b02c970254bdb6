package source

import (
	"strings"
	"testing"
)

func TestRunningLine(t *testing.T) {
	cases := []struct {
		s    string
		top  bool
		want bool
	}{
		{"- 3 -", false, true},
		{"12", false, true},
		{"第 4 版", true, true},
		{"第12页", false, true},
		{"3 / 12", false, true},
		{"Page 7 of 9", false, true},
		{"责任编辑：赵敏  美术编辑：孙悦", false, true},
		{"北京社区周报 2025年4月18日 星期五", true, true},
		{"2025年4月18日", false, false}, // a notice's signature date at a page foot
		{"要闻 第3版", false, true},
		{"海淀区社区卫生服务中心延时服务覆盖全区", true, false},
		{"2024年，全区新建养老驿站12家，服务老人3万人次。", true, false},
		{"编辑部地址：北京市东城区", false, false},
	}
	for _, c := range cases {
		if got := runningLine(c.s, c.top); got != c.want {
			t.Errorf("runningLine(%q, top=%v) = %v, want %v", c.s, c.top, got, c.want)
		}
	}
}

func TestJoinLines(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{"区卫生健康委还结合接诉", "即办工单", "区卫生健康委还结合接诉即办工单"},
		{"the Beijing", "municipal office", "the Beijing municipal office"},
		{"a govern-", "ment report", "a government report"},
		{"COVID-", "19", "COVID-19"},
		{"共有", "2025年", "共有2025年"},
		{"Wi-Fi覆盖", "全区", "Wi-Fi覆盖全区"},
	}
	for _, c := range cases {
		if got := joinLines(c.a, c.b); got != c.want {
			t.Errorf("joinLines(%q, %q) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

// chars lays out text as characters of size 10 from (x, y) on, one per
// 10 units; "\n" moves to the next line (14 units down).
func chars(x, y float64, text string) []box {
	var out []box
	cx := x
	for _, r := range text {
		if r == '\n' {
			cx, y = x, y-14
			continue
		}
		out = append(out, box{text: string(r), l: cx, r: cx + 10, b: y, t: y + 10, size: 10})
		cx += 10
	}
	return out
}

// TestLayoutColumns: a page with a running header and footer, two columns;
// the second article starts at the foot of the first column and goes on
// at the top of the second, which is shorter. Read column by column.
func TestLayoutColumns(t *testing.T) {
	var bs []box
	bs = append(bs, chars(20, 580, "东城周报 2024年5月6日")...)
	bs = append(bs, chars(20, 480, "第一篇标题在这里\n正文第一行写满了十个字\n正文第二行写满了十个字")...)
	bs = append(bs, chars(20, 400, "第二篇标题在这里\n第二篇正文开始在左栏底")...)
	bs = append(bs, chars(200, 480, "部再接右栏顶部的正文。")...)
	bs = append(bs, chars(190, 10, "- 2 -")...)
	out := layoutDoc([]layoutPage{{w: 400, h: 600, boxes: bs}})
	text := out[0].text
	if out[0].date != "2024-05-06" {
		t.Errorf("masthead date %q", out[0].date)
	}
	want := []string{"第一篇标题在这里", "第二篇标题在这里", "第二篇正文开始在左栏底部再接右栏顶部的正文。"}
	at := 0
	for _, w := range want {
		i := strings.Index(text[at:], w)
		if i < 0 {
			t.Fatalf("%q missing or out of order in:\n%s", w, text)
		}
		at += i + len(w)
	}
	for _, bad := range []string{"东城周报", "- 2 -"} {
		if strings.Contains(text, bad) {
			t.Errorf("running line %q kept:\n%s", bad, text)
		}
	}
}

// TestUpright: the e-paper layout of TestLayoutColumns turned a quarter
// (text running up the page, as on a page drawn rotated) and written
// vertically (竖排: columns top to bottom, right to left) reads the same.
func TestUpright(t *testing.T) {
	var bs []box
	bs = append(bs, chars(20, 480, "第一篇标题在这里\n正文第一行写满了十个字")...)
	bs = append(bs, chars(200, 480, "右栏的正文也要读到。")...)
	page := layoutPage{w: 400, h: 600, boxes: bs}
	want := layoutDoc([]layoutPage{page})[0].text
	turn := func(p layoutPage, up bool) layoutPage {
		q := layoutPage{w: p.h, h: p.w}
		for _, b := range p.boxes {
			if up { // inverse of upright's clockwise turn
				q.boxes = append(q.boxes, box{text: b.text, l: p.h - b.t, r: p.h - b.b, b: b.l, t: b.r, size: b.size})
			} else {
				q.boxes = append(q.boxes, box{text: b.text, l: b.b, r: b.t, b: p.w - b.r, t: p.w - b.l, size: b.size})
			}
		}
		return q
	}
	for _, up := range []bool{true, false} {
		got := layoutDoc([]layoutPage{upright(turn(page, up))})[0].text
		if got != want {
			t.Errorf("turned (up=%v):\n%s\nwant:\n%s", up, got, want)
		}
	}
	if got := upright(page); &got.boxes[0] != &page.boxes[0] {
		t.Error("a page that reads left to right was changed")
	}
}
