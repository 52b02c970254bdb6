package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/search/server"
)

// TestBulkLineOverLimit posts a bulk body whose second line (an article of
// 17 MiB) is longer than a line may be: it is reported by its number in
// the answer's errors, and the lines around it are written.
func TestBulkLineOverLimit(t *testing.T) {
	dir := seedIndex(t)
	ts, _, _ := liveServer(t, dir, server.Options{})
	var b strings.Builder
	b.WriteString(`{"id":"ok-1","title":"房山区长阳镇新建公园","body":"房山区长阳镇新建一座口袋公园。"}` + "\n")
	b.WriteString(`{"id":"huge","title":"超长文章","body":"` + strings.Repeat("长", 17<<20/3+1) + `"}` + "\n")
	b.WriteString(`{"id":"ok-2","title":"平谷区大桃节开幕","body":"平谷区大桃文化节开幕。"}` + "\n")
	a := call(t, "POST", ts.URL+"/api/articles/_bulk", testKey, b.String())
	if a.status != 200 {
		t.Fatalf("bulk: %d %s", a.status, a.raw)
	}
	var res struct {
		Indexed int
		Errors  []struct {
			Line    int
			Message string
		}
	}
	if err := json.Unmarshal([]byte(a.raw), &res); err != nil {
		t.Fatal(err)
	}
	if res.Indexed != 2 || len(res.Errors) != 1 || res.Errors[0].Line != 2 || !strings.Contains(res.Errors[0].Message, "longer") {
		t.Errorf("bulk answer: %s", a.raw)
	}
	if a := call(t, "GET", ts.URL+"/api/articles/huge", "", ""); a.status != 404 {
		t.Errorf("the line over the limit was written: %d", a.status)
	}
}
