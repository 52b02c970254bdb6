package schema

import (
	"strings"
	"testing"
)

func TestCheckID(t *testing.T) {
	for id, ok := range map[string]bool{
		"cms-0001": true, "通知·2024/第1号": true, "https://www.example.gov.cn/a/1.html": true,
		strings.Repeat("a", MaxIDLen): true, strings.Repeat("a", MaxIDLen+1): false,
		"": false, "  ": false, "a\xff\xfeb": false, "\xc0\xaf": false,
		"a\x00b": false, "a\nb": false, "a\x7fb": false, "a\u0085b": false, "a\tb": false,
	} {
		if err := CheckID(id); (err == nil) != ok {
			t.Errorf("CheckID(%q) = %v, want ok %v", id, err, ok)
		}
	}
}

func TestVisible(t *testing.T) {
	for s, ok := range map[string]bool{
		"标题": true, "a": true, "2024": true, "《》": true, "¥": true, " \u200b 标 ": true,
		"": false, " \t\n": false, "\u200b": false, "\u200c\u200d\u2060\ufeff\u00ad": false,
		"\u3000": false, "\u0301": false, "\x00\x01": false, "\ufffd": false, "\u3164": false,
	} {
		if Visible(s) != ok {
			t.Errorf("Visible(%q) = %v, want %v", s, !ok, ok)
		}
	}
}

func TestCheckDate(t *testing.T) {
	for d, ok := range map[string]bool{
		"": true, "2024-02-29": true, "1949-01-01": true, "2100-12-31": true,
		"2023-02-29": false, "2024-13-45": false, "2024-00-10": false, "1948-12-31": false,
		"20240101": false, "2024/01/01": false, "2024-1-1": false, "yesterday": false,
		"2024-01-01T00:00:00Z": false, "+024-01-01": false, " 2024-01-01": false, "２０２４-01-01": false,
	} {
		if err := CheckDate("date", d); (err == nil) != ok {
			t.Errorf("CheckDate(%q) = %v, want ok %v", d, err, ok)
		}
	}
}
