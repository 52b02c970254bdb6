package server

import (
	"net/http"
	"strings"
	"testing"
)

// The widget on an allowed origin reports opened hits with a JSON POST:
// the preflight for it is granted to that origin only.
func TestCORSPreflightPost(t *testing.T) {
	for origin, want := range map[string]bool{hostOrigin: true, "http://evil.example": false} {
		req, _ := http.NewRequest(http.MethodOptions, ts.URL+"/api/events", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		granted := resp.Header.Get("Access-Control-Allow-Origin") == origin &&
			strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST")
		if granted != want {
			t.Errorf("preflight from %s: %d, allow-origin %q, allow-methods %q; want granted=%v", origin, resp.StatusCode,
				resp.Header.Get("Access-Control-Allow-Origin"), resp.Header.Get("Access-Control-Allow-Methods"), want)
		}
	}
}

// The editors' page is served with the search page's policy.
func TestAdminPage(t *testing.T) {
	resp, body := get(t, "/admin")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "管理密钥") {
		t.Fatalf("/admin: %d %.200s", resp.StatusCode, body)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("/admin CSP %q", csp)
	}
}
