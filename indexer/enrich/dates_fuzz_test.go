package enrich

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/govbulletin/bulletin/indexer/analysis"
)

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// FuzzDocDate: whatever a document holds, dating it never panics; a date is
// YYYY-MM-DD and its year is the year returned; a year is 0 or plausible.
func FuzzDocDate(f *testing.F) {
	for _, s := range [][2]string{
		{"2012年政府工作报告", "——2012年3月5日在第十一届全国人民代表大会第五次会议上\n一、2011年工作回顾\n到2015年。"},
		{"关于表彰的决定", "鲁政发〔2014〕20号\n北京市人民政府\n二〇二三年十二月五日"},
		{"决议", "（2012年3月14日第十一届全国人民代表大会第五次会议通过）"},
		{"二〇", "二〇二三年十三月三十二日\n一九五八年二十二月"},
		{"发布时间：2024-02-30", "新华社北京2024年3月5日电 日电日讯时间日期"},
		{"", "年年年\n年"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, title, body string) {
		title, body = analysis.Normalize(title), analysis.Normalize(body)
		check := func(date string, year int) {
			if year != 0 && !plausibleYear(year) {
				t.Errorf("year %d", year)
			}
			if date != "" && (!isoDate.MatchString(date) || date[:4] != strconv.Itoa(year)) {
				t.Errorf("date %q with year %d", date, year)
			}
		}
		check(DocDate(title, body))
		check(PageDate(title + "\n" + body))
		if d := GivenYear(title, body, 2012); d != "" && d[:4] != "2012" {
			t.Errorf("given year 2012, date %q", d)
		}
	})
}
