package web_test

import (
	"net/url"
	"testing"
)

func TestScratchShots(t *testing.T) {
	srv := startSearch(t, nil)
	tb := newTab(t, 390, 844, true)
	tb.navigate(srv.URL + "/?q=" + url.QueryEscape("注入演练"))
	tb.waitFor("results", jsIdle+` && `+jsHitCount+` > 0`)
	tb.click(`document.querySelector('#results .hit h2 a')`)
	tb.waitFor("article", `document.querySelectorAll('#article-body p').length > 0`)
	tb.screenshot("scratch-phone-article.png")
	tb.navigate(srv.URL + "/?q=" + url.QueryEscape("养老") + "&district=昌平区&size=1")
	tb.waitFor("results", jsIdle+` && `+jsHitCount+` > 0`)
	tb.click(`document.querySelector('#filters summary')`)
	tb.screenshot("scratch-phone-filters.png")
	td := newTab(t, 1280, 800, false)
	td.navigate(srv.URL + "/?q=" + url.QueryEscape("养老") + "&district=昌平区&size=1")
	td.waitFor("results", jsIdle+` && `+jsHitCount+` > 0`)
	td.screenshot("scratch-desktop-filtered.png")
}
