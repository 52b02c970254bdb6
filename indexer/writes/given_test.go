package writes

import (
	"encoding/json"
	"reflect"
	"strings"
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

// TestGivenGovFields: a write's government-document fields, given under
// any of their names (gov.cn's pcode, puborg, pubtimeStr), are kept in its
// record under their own names and read back the same.
func TestGivenGovFields(t *testing.T) {
	body := []byte(`{"title":"国务院关于印发水污染防治行动计划的通知","body":"现将《水污染防治行动计划》印发给你们，请认真贯彻执行。",` +
		`"pcode":"国发(2015)17号","puborg":"国务院","pubtimeStr":"2015.04.16","成文日期":"2015年04月02日",` +
		`"索引号":"000014349/2015-00065","主题分类":"城乡建设、环境保护\\节能与资源综合利用","有效性":"有效"}`)
	d, err := Parse("gov-2015-17", body, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := source.Meta{Date: "2015-04-16", DocNo: "国发〔2015〕17号", Issuer: []string{"国务院"}, Written: "2015-04-02",
		IndexNo: "000014349/2015-00065", Category: "城乡建设、环境保护\\节能与资源综合利用", Validity: "有效"}
	if !reflect.DeepEqual(d.Given, want) {
		t.Fatalf("parsed %+v\nwant %+v", d.Given, want)
	}
	raw, err := json.Marshal(Given(d))
	if err != nil {
		t.Fatal(err)
	}
	back, dropped, bad := source.ParseArticleJSON(raw)
	if bad != "" || len(dropped) > 0 {
		t.Fatalf("%s: bad %q, dropped %v", raw, bad, dropped)
	}
	if !reflect.DeepEqual(back.Given, want) {
		t.Errorf("read back %+v\nfrom %s\nwant %+v", back.Given, raw, want)
	}
	// A write is refused, naming the field, when a value is bad.
	for _, bad := range []string{`"doc_no":"国发17号"`, `"doc_no":17`, `"issuer":{"a":1}`, `"written":"soon"`,
		`"index_no":"` + strings.Repeat("号", 201) + `"`, `"validity":true`, `"pubtimeStr":"2015.13.40"`} {
		if _, err := Parse("x", []byte(`{"title":"t","body":"b",`+bad+`}`), nil); err == nil {
			t.Errorf("written: %.60s", bad)
		}
	}
	if d, err := Parse("x", []byte(`{"title":"t","body":"b","issuer":["北京市民政局","北京市财政局"],"written":"2016年5月28日"}`), nil); err != nil ||
		strings.Join(d.Given.Issuer, ";") != "北京市民政局;北京市财政局" || d.Given.Written != "2016-05-28" {
		t.Errorf("a list of issuers and a date in Chinese: %+v, %v", d.Given, err)
	}
}
