package dedup

import (
	"slices"
	"strings"
	"testing"
)

func TestWrapperRulesParse(t *testing.T) {
	r := rules()
	if len(r.prefix) == 0 || len(r.line) == 0 || len(r.inline) == 0 {
		t.Fatalf("embedded rules: %d prefix, %d line, %d inline", len(r.prefix), len(r.line), len(r.inline))
	}
	for _, bad := range []string{"prefix ^x", "nosuch\tx", "line\t(["} {
		if _, err := parseRules("bad.txt", "# c\n"+bad+"\n"); err == nil || !strings.Contains(err.Error(), "bad.txt:2") {
			t.Errorf("parseRules(%q) = %v, want an error naming bad.txt:2", bad, err)
		}
	}
}

func TestNormalize(t *testing.T) {
	const body = "各位居民：\n因管线施工，朝阳区望京街道将于2024年3月5日8时至18时停水。"
	want := Normalize("关于望京街道临时停水的通知", body)
	if want != "关于望京街道临时停水的通知各位居民因管线施工朝阳区望京街道将于2024年3月5日8时至18时停水" {
		t.Fatalf("Normalize = %q", want)
	}
	for _, tc := range []struct {
		name, title, body string
	}{
		{"prefix 转发：", "转发：关于望京街道临时停水的通知", body},
		{"prefix 【转载】", "【转载】关于望京街道临时停水的通知", body},
		{"prefix 转载:", "转载:关于望京街道临时停水的通知", body},
		{"prefix [转载] full width", "［转载］关于望京街道临时停水的通知", body},
		{"prefix glued", "转发关于望京街道临时停水的通知", body},
		{"source and editor lines", "关于望京街道临时停水的通知", "来源：朝阳区人民政府网站\n发布时间：2024-03-01 10:22　浏览次数：1234\n" + body + "\n责任编辑：王五\n审核：李四"},
		{"byline", "关于望京街道临时停水的通知", "作者：朝阳区水务局\n摄影：张三\n" + body},
		{"original title and link", "转自：关于望京街道临时停水的通知", "原标题：望京停水\n" + body + "\n原文链接：https://example.gov.cn/a.html"},
		{"furniture", "关于望京街道临时停水的通知", "【字体：大 中 小】\n" + body + "\n【打印本页】【关闭窗口】\n分享到：微信 微博 QQ空间\n扫一扫在手机打开当前页"},
		{"furniture glued", "关于望京街道临时停水的通知", body + "【打印本页】【关闭窗口】"},
		{"source note at the end", "关于望京街道临时停水的通知", body + "（来源：朝阳融媒）"},
		{"full width", "关于望京街道临时停水的通知", "各位居民：\n因管线施工，朝阳区望京街道将于２０２４年３月５日８时至１８时停水。"},
		{"half width punctuation", "关于望京街道临时停水的通知", "各位居民:\n因管线施工,朝阳区望京街道将于2024年3月5日8时至18时停水."},
		{"traditional", "關於望京街道臨時停水的通知", "各位居民：\n因管線施工，朝陽區望京街道將於2024年3月5日8時至18時停水。"},
		{"layout", "关于望京街道临时停水的通知", "　　各位居民：\r\n\r\n　　因管线施工，朝阳区望京街道将于 2024 年 3 月 5 日 8 时至 18 时停水。"},
	} {
		if got := Normalize(tc.title, tc.body); got != want {
			t.Errorf("%s: Normalize = %q\nwant %q", tc.name, got, want)
		}
	}
}

// TestNormalizeKeepsText: lines that look like wrappers but are the
// notice's own text stay.
func TestNormalizeKeepsText(t *testing.T) {
	for _, tc := range []struct{ name, title, body, keep string }{
		{"a long line starting with 来源", "t", "来源：" + strings.Repeat("资金来自市级财政专项和区级配套，", 6), "资金来自市级财政专项"},
		{"a title starting with 转发 as a word", "转发文件的规定", "正文", "转发文件的规定"},
		{"a schedule line", "t", "时间：2024年3月5日9时", "时间2024年3月5日9时"},
		{"资金来源 in text", "t", "资金来源：区财政", "资金来源区财政"},
	} {
		if got := Normalize(tc.title, tc.body); !strings.Contains(got, tc.keep) {
			t.Errorf("%s: Normalize = %q, lost %q", tc.name, got, tc.keep)
		}
	}
}

func TestTokens(t *testing.T) {
	same := func(a, b string) bool {
		x, _ := tokens(a)
		y, _ := tokens(b)
		return slices.Equal(x, y)
	}
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"2024年3月5日", "2024年03月05日", true},
		{"增长5.2%", "增长5.2%", true},
		{"增长5.2%", "增长5.3%", false},
		{"京政发〔2024〕3号", "京政发[2024]3号", true},
		{"京政发〔2024〕3号", "京政发(2024)第3号", true},
		{"京政发〔2024〕3号", "京政办发〔2024〕3号", false},
		{"二〇二四年三月五日", "二〇二四年三月六日", false},
		{"朝阳区望京街道", "朝阳区望京街道", true},
		{"朝阳区望京街道", "海淀区望京街道", false},
		{"望京街道京顺路", "望京街道安立路", false},
		{"没有数字的文字", "也没有数字的话", true},
	} {
		if got := same(tc.a, tc.b); got != tc.same {
			t.Errorf("tokens(%q) = tokens(%q): %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
	if _, n := tokens(strings.Repeat("第1条，", 300)); n != 300 {
		t.Errorf("300 figures: %d tokens", n)
	}
	if ts, _ := tokens(strings.Repeat("第1条，", 300)); len(ts) != maxTokens {
		t.Errorf("kept %d tokens, want %d", len(ts), maxTokens)
	}
}
