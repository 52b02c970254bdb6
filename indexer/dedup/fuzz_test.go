package dedup

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzNormalize: the normaliser never panics, returns valid UTF-8 without
// punctuation or spaces, and is idempotent; the sketch of any text compares
// equal to itself.
func FuzzNormalize(f *testing.F) {
	for _, s := range [][2]string{
		{"转发：关于停水的通知", "来源：朝阳区\n各位居民：\n2024年3月5日停水。\n【打印本页】【关闭窗口】"},
		{"【转载】關於２０２４年", "責任編輯：王五\n分享到：微信 微博\n扫一扫"},
		{"", "（来源：北京日报）"},
		{"转发转发转发", "\x00\xff\n\r\n"},
		{"京政发〔2024〕3号", "京政发[2024]3号 望京街道 二〇二四年三月"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, title, body string) {
		n := Normalize(title, body)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q, %q) = %q: invalid UTF-8", title, body, n)
		}
		if strings.ContainsAny(n, " \n\t:,.。，") {
			t.Fatalf("Normalize(%q, %q) = %q: spaces or punctuation left", title, body, n)
		}
		if again := Normalize("", n); again != n {
			t.Fatalf("Normalize not idempotent: %q → %q → %q", title+"|"+body, n, again)
		}
		sk := newSketch(title, body)
		if len(sk.bottom) > bottomK || len(sk.tokens) > maxTokens || len(sk.lead) > len(sk.tokens) {
			t.Fatalf("sketch over its bounds: %d shingles, %d tokens, %d lead tokens", len(sk.bottom), len(sk.tokens), len(sk.lead))
		}
		if m := compare(sk, sk, DefaultThresholds()); sk.size >= DefaultThresholds().MinShingles && !m.Duplicate {
			t.Fatalf("an article is not a copy of itself: %+v", m)
		}
	})
}
