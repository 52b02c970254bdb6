package web_test

import (
	"io"
	"net/http"
	"testing"
)

func TestScratchAPI(t *testing.T) {
	srv := startSearch(t, nil)
	for _, p := range []string{"/api/search?q=%E6%B3%A8%E5%85%A5%E6%BC%94%E7%BB%83", "/api/search?q=%E5%85%BB%E8%80%81%E9%A9%BF%E7%AB%99&size=2", "/api/suggest?q=%E5%85%BB", "/api/search?q=%E5%85%BB%E8%80%81%E9%A9%BF%E6%88%98&size=1", "/api/search?page=99"} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		t.Logf("%s %d %v\n%s", p, res.StatusCode, res.Header, b)
	}
}
