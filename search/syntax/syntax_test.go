package syntax

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in    string
		want  string // Query.String()
		plain bool
	}{
		{"养老驿站", "养老驿站", true},
		{"养老驿站 接诉即办", "养老驿站 接诉即办", true},
		{"养老驿站\u3000接诉即办", "养老驿站 接诉即办", true},
		{`"养老 驿站"`, `"养老 驿站"`, false},
		{`“接诉即办”`, `"接诉即办"`, false},
		{"养老 -海淀", "养老 -海淀", false},
		{`养老 -"海淀区"`, `养老 -"海淀区"`, false},
		{"养老 | 医疗", "养老 | 医疗", false},
		{"养老|医疗", "养老 | 医疗", false},
		{"养老 OR 医疗 交通", "养老 | 医疗 交通", false},
		{"标题:养老", "title:养老", false},
		{"标题：养老 正文:驿站", "title:养老 body:驿站", false},
		{"Title:养老", "title:养老", false},
		{`文号:"京政办发〔2016〕26号"`, `doc_no:"京政办发〔2016〕26号"`, false},
		{"发文机关:北京市人民政府办公厅", "issuer:北京市人民政府办公厅", false},
		{"發文機關:北京市人民政府", "issuer:北京市人民政府", false},
		{"-标题:通知 养老", "养老 -title:通知", false},
		{"京政办发〔2016〕26号", "京政办发〔2016〕26号", true},
		{"京政办发[2016]26号", "京政办发[2016]26号", true},
		// Broken syntax is text.
		{`"`, "", true},
		{`养老 "驿站`, "养老 驿站", true},
		{"养老 -", "养老 -", true},
		{"标题:", "标题:", true},
		{"标题: 养老", "标题: 养老", true},
		{"OR 养老", "OR 养老", true},
		{"养老 OR", "养老 OR", true},
		{"| 养老 |", "养老", true},
		{"-- 养老", "-- 养老", true},
		{"http://www.beijing.gov.cn", "http://www.beijing.gov.cn", true},
		{"2015-2020年", "2015-2020年", true},
		{`""`, "", true},
	}
	for _, tt := range tests {
		q := Parse(tt.in)
		if got := q.String(); got != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := q.Plain(); got != tt.plain {
			t.Errorf("Parse(%q).Plain() = %v, want %v", tt.in, got, tt.plain)
		}
	}
}

func TestWords(t *testing.T) {
	q := Parse(`标题:养老 "驿站 服务" -海淀 医疗 | 卫生`)
	if got, want := q.Words(), "养老 驿站 服务 医疗 卫生"; got != want {
		t.Errorf("Words() = %q, want %q", got, want)
	}
}

func TestHostile(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("-", 200),
		strings.Repeat(`"`, 199),
		strings.Repeat(`-"`, 100),
		strings.Repeat("标题:", 40),
		strings.Repeat("| OR ", 40),
		strings.Repeat(`"a "b" c"`, 20),
	} {
		q := Parse(in)
		for _, c := range q.Must {
			for _, term := range c.Any {
				if term.Text == "" {
					t.Errorf("Parse(%.20q…): an empty term", in)
				}
			}
		}
	}
}

// FuzzParse checks that Parse never panics, never yields an empty or
// invalid term, and that the canonical form parses to itself.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"养老 驿站", `"a b" -c d | e`, "标题:养老 -正文:x", `-"`, "OR", "文号:京政发〔2015〕17号"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		q := Parse(s)
		check := func(term Term) {
			if term.Text == "" || !utf8.ValidString(term.Text) {
				t.Fatalf("Parse(%q): bad term %+v", s, term)
			}
		}
		for _, c := range q.Must {
			if len(c.Any) == 0 {
				t.Fatalf("Parse(%q): empty clause", s)
			}
			for _, term := range c.Any {
				check(term)
			}
		}
		for _, term := range q.Not {
			check(term)
		}
		canon := q.String()
		if again := Parse(canon).String(); again != canon {
			t.Fatalf("Parse(%q) = %q, which parses to %q", s, canon, again)
		}
	})
}
