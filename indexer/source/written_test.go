package source

import (
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/indexer/schema"
)

func TestParseWrittenArticle(t *testing.T) {
	const tb = `"title":"昌平区回龙观新建社区食堂","body":"昌平区回龙观街道新建社区食堂。"`
	for _, c := range []struct {
		in, refused string // refused: a word of the error; "" for taken
	}{
		{`{` + tb + `}`, ""},
		{`{` + tb + `,"date":"2024-02-29","url":"https://a.gov.cn/1","source":"区政府网","districts":["昌平"],"topics":["养老服务"]}`, ""},
		{`{` + tb + `,"date":"","url":null,"districts":null}`, ""},
		{`{` + tb + `,"date":" 2024-01-05 "}`, ""},
		{`{` + tb + `,"date":"2024-13-45"}`, `"date"`},
		{`{` + tb + `,"date":"2023-02-29"}`, `"date"`},
		{`{` + tb + `,"date":"yesterday"}`, `"date"`},
		{`{` + tb + `,"date":"20240101"}`, `"date"`},
		{`{` + tb + `,"date":"2024-1-5"}`, `"date"`},
		{`{` + tb + `,"date":"+024-01-05"}`, `"date"`},
		{`{` + tb + `,"date":1704067200}`, `"date"`},
		{`{` + tb + `,"publish_time":"2024/01/05"}`, `"publish_time"`},
		{`{` + tb + `,"url":5}`, `"url"`},
		{`{` + tb + `,"link":{"href":"x"}}`, `"link"`},
		{`{` + tb + `,"source":true}`, `"source"`},
		{`{` + tb + `,"districts":[1,2]}`, `"districts"`},
		{`{` + tb + `,"districts":"昌平区"}`, `"districts"`},
		{`{` + tb + `,"districts":["昌平区",""]}`, `"districts"`},
		{`{` + tb + `,"topics":["a\u0000b"]}`, `"topics"`},
		{`{` + tb + `,"topics":["` + strings.Repeat("长", 65) + `"]}`, `"topics"`},
		{`{"id":"a\u0000","title":"t","body":"b"}`, `"id"`},
		{`{"title":"\u200b\u200c","body":"b"}`, `"title"`},
		{`{"title":"t","body":" \u2060 "}`, `"body"`},
		{`{"title":"t"}`, `"body"`},
		{`[1]`, "object"},
	} {
		d, err := ParseWrittenArticle([]byte(c.in))
		switch {
		case c.refused == "" && err != nil:
			t.Errorf("%s: refused (%v)", c.in, err)
		case c.refused != "" && (err == nil || !strings.Contains(err.Error(), c.refused)):
			t.Errorf("%s: %v, want refused naming %s", c.in, err, c.refused)
		case err == nil && d.Given.Date != "" && schema.CheckDate("date", d.Given.Date) != nil:
			t.Errorf("%s: date %q", c.in, d.Given.Date)
		}
	}
	// An export only drops a bad optional value (with a problem).
	d, dropped, bad := ParseArticleJSON([]byte(`{` + tb + `,"date":"2024-13-45","url":5}`))
	if bad != "" || len(dropped) != 2 || d.Given.Date != "" || d.Given.URL != "" {
		t.Errorf("an export with bad values: %+v %q %q", d.Given, dropped, bad)
	}
}

// FuzzWrittenArticle: whatever a write holds, reading it never panics, and
// an article taken holds only values every path takes (so a restart, which
// reads it back as an export, keeps it as it was).
func FuzzWrittenArticle(f *testing.F) {
	f.Add([]byte(`{"id":"a","title":"t","body":"b","date":"2024-02-29","districts":["昌平"],"url":"u"}`))
	f.Add([]byte(`{"title":"\u200b","body":"b","date":"20240101","districts":[1]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseWrittenArticle(data)
		if err != nil {
			return
		}
		if !schema.Visible(d.Title) || !schema.Visible(d.Body) || schema.CheckDate("date", d.Given.Date) != nil {
			t.Errorf("taken: %+v", d)
		}
		if d.IDGiven && schema.CheckID(d.ID) != nil {
			t.Errorf("taken with id %q", d.ID)
		}
		for _, n := range append(d.Given.Districts, d.Given.Topics...) {
			if schema.CheckName("x", n) != nil {
				t.Errorf("taken with name %q", n)
			}
		}
		e, _, bad := ParseArticleJSON(data)
		if bad != "" || e.ID != d.ID || e.Title != d.Title || e.Body != d.Body || e.Given.Date != d.Given.Date {
			t.Errorf("taken by the write API, read otherwise as an export: %+v / %+v %q", d, e, bad)
		}
	})
}

// BenchmarkParseArticle compares the write API's read of an article with
// an export's (the strict checks' cost).
func BenchmarkParseArticle(b *testing.B) {
	line := []byte(`{"id":"hd-2022-0815","title":"海淀区学院路街道推进老旧小区综合整治","body":"` + strings.Repeat("海淀区学院路街道推进老旧小区综合整治，加装电梯，改造管网，新建停车位。", 40) + `","date":"2022-08-15","source":"海淀区人民政府网","url":"https://www.bjhd.gov.cn/a/1.html","districts":["海淀区"],"topics":["住房保障"]}`)
	b.Run("export", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ParseArticleJSON(line)
		}
	})
	b.Run("write", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ParseWrittenArticle(line)
		}
	})
}
