package writes

import (
	"io"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/indexer/source"
	"github.com/govbulletin/bulletin/internal/errs"
)

// TestEmptyBodyWritesNothing checks an empty bulk body (blank, or only a
// byte order mark) is no error and no bad line, and one that is not JSON
// Lines at all is one bad line.
func TestEmptyBodyWritesNothing(t *testing.T) {
	for _, body := range []string{"", " \n\n", "\xef\xbb\xbf\n"} {
		if bl, bad := NewLines(strings.NewReader(body)); bl != nil || bad != nil {
			t.Errorf("%q: lines %v, bad %v; want none", body, bl, bad)
		}
	}
	if bl, bad := NewLines(strings.NewReader("\x00\x01\x02binary\x00\x00")); bl != nil || len(bad) != 1 || bad[0].Line != 1 {
		t.Errorf("binary body: lines %v, bad %v; want one bad line", bl, bad)
	}
	bl, bad := NewLines(strings.NewReader(`{"id":"a","title":"标题","body":"正文。"}` + "\n" + `{"title":"无编号","body":"正文。"}` + "\n"))
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
	if _, err := Parse("x", []byte(`{"title":"\u200b","body":"正文。"}`)); errs.KindOf(err) != errs.Invalid {
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
