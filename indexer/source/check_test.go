package source

import (
	"strings"
	"testing"
)

// TestCheckDoc checks the one article check of every path holds the
// schema's rules: an id by schema.CheckID (an article not given one yet
// passes), a title and a body by schema.Visible.
func TestCheckDoc(t *testing.T) {
	const title, body = "怀柔区雁栖湖环湖骑行", "怀柔区雁栖湖举办环湖骑行活动。"
	for _, d := range []Doc{
		{ID: "a1", Title: title, Body: body},
		{Title: title, Body: body},
		{ID: "https://www.example.gov.cn/a/1.html", Title: "〇", Body: "1"},
	} {
		if why := CheckDoc(d); why != "" {
			t.Errorf("%+v refused: %s", d, why)
		}
	}
	for _, c := range []struct {
		d    Doc
		want string
	}{
		{Doc{ID: "a\x00b", Title: title, Body: body}, "id"},
		{Doc{ID: "a\nb", Title: title, Body: body}, "id"},
		{Doc{ID: "a\xffb", Title: title, Body: body}, "id"},
		{Doc{ID: strings.Repeat("x", MaxIDLen+1), Title: title, Body: body}, "id"},
		{Doc{ID: "a1", Title: "\u200c", Body: body}, "title"},
		{Doc{ID: "a1", Title: "\u200b\ufeff \u2060", Body: body}, "title"},
		{Doc{ID: "a1", Title: title, Body: "\u00ad\u200d\n"}, "body"},
		{Doc{ID: "a1", Title: title + "\xff", Body: body}, "UTF-8"},
	} {
		if why := CheckDoc(c.d); !strings.Contains(why, c.want) {
			t.Errorf("%+q: %q, want a refusal naming %s", c.d.ID+" "+c.d.Title+" "+c.d.Body, why, c.want)
		}
	}
}
