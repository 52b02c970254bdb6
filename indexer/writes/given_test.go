package writes

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/govbulletin/bulletin/indexer/source"
)

// TestGivenJSONRoundTrip: what a write log record keeps of an article (its
// given fields, the year too) reads back as it was given, so a replay
// infers what the acknowledged write did.
func TestGivenJSONRoundTrip(t *testing.T) {
	d := source.Doc{ID: "r-2012", Title: "政府工作报告", Body: "各位代表：", Given: source.Meta{
		Date: "", Year: 2012, Source: "国务院", URL: "http://example.gov.cn/r", Districts: []string{"东城区"}, Topics: []string{"教育"}}}
	raw, err := json.Marshal(Given(d))
	if err != nil {
		t.Fatal(err)
	}
	back, dropped, bad := source.ParseArticleJSON(raw)
	if bad != "" || len(dropped) > 0 {
		t.Fatalf("%s: bad %q, dropped %v", raw, bad, dropped)
	}
	if !reflect.DeepEqual(back.Given, d.Given) || back.ID != d.ID || back.Title != d.Title || back.Body != d.Body {
		t.Errorf("read back %+v\nfrom %s\nwant %+v", back, raw, d)
	}
}
