package writes

import (
	"io"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/indexer/enrich"
	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/internal/errs"
)

// TestEmptyBodyWritesNothing checks an empty bulk body (blank, or only a
// byte order mark) is no error and no bad line, and one that is not JSON
// Lines at all is one bad line.
func TestEmptyBodyWritesNothing(t *testing.T) {
	for _, body := range []string{"", " \n\n", "\xef\xbb\xbf\n"} {
		if bl, bad := NewLines(strings.NewReader(body), nil); bl != nil || bad != nil {
			t.Errorf("%q: lines %v, bad %v; want none", body, bl, bad)
		}
	}
	if bl, bad := NewLines(strings.NewReader("\x00\x01\x02binary\x00\x00"), nil); bl != nil || len(bad) != 1 || bad[0].Line != 1 {
		t.Errorf("binary body: lines %v, bad %v; want one bad line", bl, bad)
	}
	bl, bad := NewLines(strings.NewReader(`{"id":"a","title":"标题","body":"正文。"}`+"\n"+`{"title":"无编号","body":"正文。"}`+"\n"), nil)
	if bl == nil || bad != nil {
		t.Fatalf("lines %v, bad %v", bl, bad)
	}
	docs, bad, err := bl.Next(10)
	if err != io.EOF || len(docs) != 1 || len(bad) != 1 || bad[0].Line != 2 {
		t.Errorf("docs %v, bad %v, err %v; want one article and line 2 bad", docs, bad, err)
	}
}

// TestErrorsHaveKinds checks the writers' errors carry the kinds the
// server maps to statuses.
func TestErrorsHaveKinds(t *testing.T) {
	if _, err := Parse("x", []byte(`{"title":"\u200b","body":"正文。"}`), nil); errs.KindOf(err) != errs.Invalid {
		t.Errorf("a title of a zero-width space: %v", err)
	}
	if err := Check([]source.Doc{{ID: "x", Title: "\u200b", Body: "正文。"}}); errs.KindOf(err) != errs.Invalid {
		t.Errorf("Check of a title of a zero-width space: %v", err)
	}
	if err := Check([]source.Doc{{ID: "x", Title: "标题", Body: "正文。"}}); err != nil {
		t.Errorf("Check of a good article: %v", err)
	}
	if !IsNotFound(NotFound()) || errs.KindOf(Failed(io.ErrUnexpectedEOF)) != errs.Internal || Failed(nil) != nil {
		t.Error("NotFound or Failed lost its kind")
	}
	if errs.KindOf(Unavailable(io.EOF)) != errs.Unavailable {
		t.Error("Unavailable lost its kind")
	}
}

// TestWriteRules checks a write is held to the write API's rules, by PUT
// and line by line in a bulk body: the id by schema.CheckID, a bad value
// refuses the article naming its field (an export would only drop it),
// and districts must be the region's, given back by their gazetteer
// names.
func TestWriteRules(t *testing.T) {
	en, err := enrich.New(enrich.Config{})
	if err != nil {
		t.Fatal(err)
	}
	const tb = `"title":"昌平区回龙观社区开展垃圾分类宣传","body":"昌平区回龙观街道开展垃圾分类宣传活动。"`
	d, err := Parse(" a1 ", []byte(`{`+tb+`,"districts":["昌平"],"date":"2024-03-01"}`), en)
	if err != nil || d.ID != "a1" || len(d.Given.Districts) != 1 || d.Given.Districts[0] != "昌平区" || d.Given.Date != "2024-03-01" {
		t.Fatalf("good article: %+v, %v", d, err)
	}
	for _, c := range []struct{ id, body, field string }{
		{"a\x01b", `{` + tb + `}`, "id"},
		{"a\xffb", `{` + tb + `}`, "id"},
		{"a1", `{` + tb + `,"date":"20240301"}`, "date"},
		{"a1", `{` + tb + `,"date":"2024-02-30"}`, "date"},
		{"a1", `{` + tb + `,"url":5}`, "url"},
		{"a1", `{` + tb + `,"districts":"昌平区"}`, "districts"},
		{"a1", `{` + tb + `,"districts":["浦东新区"]}`, "浦东新区"},
		{"a1", `{"title":"\u200c","body":"正文。"}`, "title"},
		{"a1", `{"title":"标题","body":"\u2060\ufeff"}`, "body"},
		{"a1", `{"id":"a2",` + tb + `}`, "a2"},
	} {
		_, err := Parse(c.id, []byte(c.body), en)
		if errs.KindOf(err) != errs.Invalid || !strings.Contains(err.Error(), c.field) {
			t.Errorf("PUT %q %s: %v; want an Invalid error naming %s", c.id, c.body, err, c.field)
		}
	}
	body := `{"id":"b1",` + tb + `,"districts":["昌平"]}` + "\n" +
		`{"id":"b2",` + tb + `,"districts":["浦东新区"]}` + "\n" +
		`{"id":"b3",` + tb + `,"date":"2024/03/01"}` + "\n" +
		`{"id":"b\u0000",` + tb + `}` + "\n"
	bl, bad := NewLines(strings.NewReader(body), en)
	if bl == nil || bad != nil {
		t.Fatalf("lines %v, bad %v", bl, bad)
	}
	docs, bad, err := bl.Next(10)
	if err != io.EOF || len(docs) != 1 || docs[0].ID != "b1" || docs[0].Given.Districts[0] != "昌平区" {
		t.Fatalf("docs %+v, err %v; want b1 alone, in 昌平区", docs, err)
	}
	bad = SortLines(bad)
	if len(bad) != 3 || bad[0].Line != 2 || !strings.Contains(bad[0].Message, "浦东新区") ||
		bad[1].Line != 3 || !strings.Contains(bad[1].Message, "date") || bad[2].Line != 4 || !strings.Contains(bad[2].Message, "id") {
		t.Errorf("bad lines %+v; want 2 (district), 3 (date), 4 (id)", bad)
	}
}
