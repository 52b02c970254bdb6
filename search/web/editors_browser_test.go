package web_test

// Browser tests of the editors' loop: the /admin page, and the 热搜词 and
// result-open events of the search page and the widget, against the
// product's server with a real editors' store (editors_site_test.go).

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/govbulletin/bulletin/search"
)

const (
	jsKeyForm   = `!document.querySelector('#key-form').hidden`
	jsPanels    = `!document.querySelector('#panels').hidden`
	jsPoints    = `document.querySelectorAll('#chart svg circle.point').length`
	jsAdminIdle = `(document.querySelector('#notice').textContent === '' && document.querySelector('#audit').children.length > 0)`
)

// rowExpr finds the row of the table in box whose first cell is text.
func rowExpr(box, text string) string {
	return `[...document.querySelectorAll('` + box + ` tbody tr')].find(tr => tr.cells[0].textContent === ` + jsString(text) + `)`
}

// selectValue chooses an option of a <select>, as picking it would.
func selectValue(tb *tab, sel, v string) {
	tb.t.Helper()
	evalJS[any](tb, `(() => { const s = document.querySelector(`+jsString(sel)+`); s.value = `+jsString(v)+`;`+
		` s.dispatchEvent(new Event('change', {bubbles: true})); })()`)
}

// login types the key into the key form and sends it with Enter.
func login(tb *tab, key string) {
	tb.t.Helper()
	tb.waitFor("the key form", jsKeyForm+` && document.activeElement.id === 'key'`)
	tb.typeText(`document.querySelector('#key')`, key)
	tb.do(keys("\r"))
}

func TestAdminPage(t *testing.T) {
	f := startEditors(t, siteOptions{})
	if err := f.store.PutSynonyms(context.Background(), "编辑部", "医保", []string{"医保", "医疗保险"}); err != nil {
		t.Fatal(err)
	}
	pinIDs := articleIDs(t, "养老", 2)
	slices.Reverse(pinIDs)
	srv := f
	tb := newTab(t, 1280, 900, false)
	tb.navigate(srv.URL + "/admin")

	// Asked for the key first; nothing is asked of the API without it.
	tb.waitFor("the key prompt", jsKeyForm+` && !`+jsPanels)
	if n := len(f.allCalls()); n != 0 {
		t.Errorf("%d API calls before a key was given: %+v", n, f.allCalls())
	}
	if typ := evalJS[string](tb, `document.querySelector('#key').type`); typ != "password" {
		t.Errorf("key input type %q", typ)
	}

	// A wrong key: 401, back to the prompt with a message, nothing kept.
	login(tb, "wrong-key")
	tb.waitFor("the prompt after a refused key", jsKeyForm+` && document.querySelector('#key-error').textContent.includes('不正确')`)
	if k := evalJS[string](tb, `sessionStorage.getItem('bulletin-admin-key') || ''`); k != "" {
		t.Errorf("a refused key was kept: %q", k)
	}

	// The right key: the panels load.
	login(tb, adminKey)
	tb.waitFor("the panels", jsPanels+` && document.querySelector('#key-form').hidden && `+jsAdminIdle)
	if k := evalJS[string](tb, `sessionStorage.getItem('bulletin-admin-key')`); k != adminKey {
		t.Errorf("sessionStorage holds %q", k)
	}
	if k := evalJS[string](tb, `localStorage.length + ':' + document.cookie`); k != "0:" {
		t.Errorf("the key went beyond the tab's session storage: %q", k)
	}

	tb.screenshot("admin-desktop.png")

	// Top, zero-result and never-opened queries, most frequent first.
	tops := evalJS[[]string](tb, `[...document.querySelectorAll('#top tbody tr')].map(tr => tr.cells[0].textContent + '=' + tr.cells[1].textContent)`)
	if want := []string{"养老=9", "接诉即办=7", "绝无此事的词=2", xssQuery1 + "=1", xssQuery2 + "=1"}; fmt.Sprint(tops) != fmt.Sprint(want) {
		t.Errorf("top queries %q, want %q", tops, want)
	}
	zero := evalJS[[]string](tb, `[...document.querySelectorAll('#zero tbody tr')].map(tr => tr.cells[0].textContent)`)
	if fmt.Sprint(zero) != fmt.Sprint([]string{"绝无此事的词"}) {
		t.Errorf("zero-result queries %q", zero)
	}
	noclick := evalJS[[]string](tb, `[...document.querySelectorAll('#noclick tbody tr')].map(tr => tr.cells[0].textContent)`)
	if want := []string{"接诉即办", "绝无此事的词", xssQuery1, xssQuery2}; fmt.Sprint(noclick) != fmt.Sprint(want) {
		t.Errorf("never-opened queries %q", noclick)
	}
	if n := evalJS[int](tb, `document.querySelectorAll('#panels img, #panels script, #panels [onerror], #panels [onmouseover]').length`); n != 0 {
		t.Errorf("%d elements made from query text", n)
	}

	// The chart: one point a day, the day's count, described for screen readers.
	if n := evalJS[int](tb, jsPoints); n != 7 {
		t.Errorf("%d points for 7 days", n)
	}
	counts := evalJS[string](tb, `[...document.querySelectorAll('#chart circle.point')].map(c => c.dataset.count).join()`)
	if want := joinInts(perDay(7)); counts != want || !strings.Contains(want, "0,") {
		t.Errorf("per-day counts %s, want %s", counts, want)
	}
	a11y := evalJS[map[string]string](tb, `(() => { const s = document.querySelector('#chart svg');
		return {role: s.getAttribute('role'), label: s.getAttribute('aria-labelledby').split(' ').map(id => document.getElementById(id).textContent).join(' '),
		rows: String(document.querySelectorAll('#chart-table tbody tr').length)}; })()`)
	if a11y["role"] != "img" || !strings.Contains(a11y["label"], "每日搜索次数") || !strings.Contains(a11y["label"], fmt.Sprintf("合计 %d 次", sum(perDay(7)))) || a11y["rows"] != "7" {
		t.Errorf("chart accessibility: %v", a11y)
	}
	if len(f.callsTo("GET", "/api/admin/queries/daily")) == 0 {
		t.Error("the chart did not use the per-day figures")
	}
	selectValue(tb, "#days", "30")
	tb.waitFor("30 days", jsPoints+` === 30 && document.querySelectorAll('#chart-table tbody tr').length === 30`)
	if got, want := evalJS[string](tb, `[...document.querySelectorAll('#chart circle.point')].map(c => c.dataset.count).join()`),
		joinInts(perDay(30)); got != want {
		t.Errorf("30 days: per-day counts %s, want %s", got, want)
	}

	// Synonyms: add, listed, delete — each call with the key.
	tb.typeText(`document.querySelector('#syn-name')`, "卫健委")
	tb.typeText(`document.querySelector('#syn-words')`, "卫健委 卫生健康委员会")
	tb.click(`document.querySelector('#synonym-form button[type=submit]')`)
	put := f.waitCall(t, "PUT", "/api/admin/synonyms/卫健委")
	if put.Body != `{"words":["卫健委","卫生健康委员会"]}` || put.Auth != "Bearer "+adminKey {
		t.Errorf("synonym PUT: body %s, auth %q", put.Body, put.Auth)
	}
	tb.waitFor("the new synonym listed", rowExpr("#synonyms", "卫健委")+` !== undefined && `+rowExpr("#synonyms", "卫健委")+`.cells[1].textContent === '卫健委、卫生健康委员会'`)
	del := rowExpr("#synonyms", "医保") + `.querySelector('button[data-action=delete]')`
	tb.click(del)
	tb.waitFor("the delete button armed", del+`.textContent === '确认删除' && document.querySelector('#notice').textContent.includes('再按一次')`)
	if n := len(f.callsTo("DELETE", "/api/admin/synonyms/医保")); n != 0 {
		t.Error("one press deleted the synonym group")
	}
	tb.click(del)
	f.waitCall(t, "DELETE", "/api/admin/synonyms/医保")
	tb.waitFor("the deleted synonym gone, focus on the synonyms heading", rowExpr("#synonyms", "医保")+` === undefined && document.activeElement.id === 'h-synonyms'`)

	// Pins: from the top-queries table into the pin form, then saved.
	tb.click(rowExpr("#top", "养老") + `.querySelector('button[aria-label*="置顶"]')`)
	if got := evalJS[string](tb, `document.activeElement.id + ':' + document.querySelector('#pin-query').value`); got != "pin-ids:养老" {
		t.Errorf("after 置顶 in the table: focus:query = %q", got)
	}
	tb.do(keys(strings.Join(pinIDs, " ")))
	tb.do(keys("\r"))
	pin := f.waitCall(t, "PUT", "/api/admin/pins/养老")
	if want, _ := json.Marshal(map[string][]string{"ids": pinIDs}); pin.Body != string(want) || pin.Auth != "Bearer "+adminKey {
		t.Errorf("pin PUT: body %s, want %s; auth %q", pin.Body, want, pin.Auth)
	}
	tb.waitFor("the pin listed", rowExpr("#pins", "养老")+` !== undefined`)
	// The pin is in effect: the search lists the articles first, in its order.
	if hits := apiSearch(t, " 养老 ").Hits; len(hits) < 2 || hits[0].ID != pinIDs[0] || !hits[0].Pinned || hits[1].ID != pinIDs[1] || !hits[1].Pinned {
		t.Errorf("a search of the pinned query: %+v, want %q first, pinned", hits, pinIDs)
	}
	tb.click(rowExpr("#pins", "养老") + `.querySelector('button[data-action=delete]')`)
	tb.click(rowExpr("#pins", "养老") + `.querySelector('button[data-action=delete]')`)
	f.waitCall(t, "DELETE", "/api/admin/pins/养老")
	tb.waitFor("the pin gone, focus on the pins heading", rowExpr("#pins", "养老")+` === undefined && document.activeElement.id === 'h-pins'`)
	if hits := apiSearch(t, "养老").Hits; len(hits) > 0 && hits[0].Pinned {
		t.Errorf("the deleted pin still holds: %+v", hits[0])
	}
	// A pin to an unknown article: the API refuses it, its message is
	// shown, the form kept, nothing changed.
	tb.typeText(`document.querySelector('#pin-query')`, "接诉即办")
	tb.typeText(`document.querySelector('#pin-ids')`, "unknown-1\r")
	tb.waitFor("the refusal", `document.querySelector('#notice').textContent.includes('unknown-1') && `+
		`document.querySelector('#notice').classList.contains('error') && document.querySelector('#pin-ids').value === 'unknown-1'`)
	if pins, _ := f.store.Pins(context.Background()); len(pins) != 0 {
		t.Errorf("a refused pin was kept: %+v", pins)
	}

	// Hot words: block one from the list, unblock it from the blocked list.
	hot := `[...document.querySelectorAll('#hot-now li')].find(li => li.querySelector('.word').textContent === '接诉即办')`
	tb.click(hot + `.querySelector('button')`)
	f.waitCall(t, "PUT", "/api/admin/hot/blocked/接诉即办")
	blocked := `[...document.querySelectorAll('#blocked li')].find(li => li.querySelector('.word') && li.querySelector('.word').textContent === '接诉即办')`
	tb.waitFor("the blocked word listed, gone from the hot words", blocked+` !== undefined && `+hot+` === undefined`)
	if h := getJSON[struct{ Hot []string }](t, srv.URL+"/api/hot", ""); slices.Contains(h.Hot, "接诉即办") {
		t.Errorf("/api/hot lists the blocked query: %q", h.Hot)
	}
	tb.click(blocked + `.querySelector('button')`)
	f.waitCall(t, "DELETE", "/api/admin/hot/blocked/接诉即办")
	tb.waitFor("the unblocked word back among the hot words", hot+` !== undefined && `+blocked+` === undefined`)
	// Blocked from the form: the server keeps the query normalised.
	typed := "ＡＢＣ  测试"
	norm := search.NormalizeQuery(typed)
	if norm == typed {
		t.Fatalf("%q is its own normal form", typed)
	}
	tb.typeText(`document.querySelector('#block-query')`, typed)
	tb.click(`document.querySelector('#block-form button[value=block]')`)
	f.waitCall(t, "PUT", "/api/admin/hot/blocked/"+typed)
	normBlocked := `[...document.querySelectorAll('#blocked li .word')].map(w => w.textContent).join('|') === ` + jsString(norm)
	tb.waitFor("the normalised query blocked", normBlocked+` && document.querySelector('#block-query').value === ''`)

	// Dictionary: the API answers 501.
	if d := evalJS[string](tb, `document.querySelector('#dictionary').textContent`); !strings.Contains(d, "暂不支持") {
		t.Errorf("dictionary section: %q", d)
	}
	// The audit lists every change, newest first.
	tb.waitFor("the audit", `document.querySelectorAll('#audit tbody tr').length === 8`)
	if got := evalJS[string](tb, `[...document.querySelectorAll('#audit tbody tr')].map(tr => tr.cells[1].textContent + ' ' + tr.cells[2].textContent + ' ' + tr.cells[3].textContent).join('|')`); got !=
		"编辑部 hot.block "+norm+"|编辑部 hot.unblock 接诉即办|编辑部 hot.block 接诉即办|编辑部 pins.delete 养老|编辑部 pins.put 养老|编辑部 synonyms.delete 医保|编辑部 synonyms.put 卫健委|编辑部 synonyms.put 医保" {
		t.Errorf("audit rows: %s", got)
	}

	// Every admin call carried the key in the header, never in the URL.
	for _, c := range f.allCalls() {
		if strings.HasPrefix(c.Path, "/api/admin/") && c.Auth != "Bearer "+adminKey && c.Auth != "Bearer wrong-key" {
			t.Errorf("%s %s sent Authorization %q", c.Method, c.Path, c.Auth)
		}
	}
	for _, u := range tb.requestLog() {
		if strings.Contains(u, adminKey) {
			t.Errorf("the key is in a URL: %s", u)
		}
	}

	// Reload: the key holds for the tab.
	tb.do(reload())
	tb.waitFor("the panels after reload", jsPanels+` && `+jsAdminIdle)

	// The key stops working: back to the prompt.
	f.serve(t, "rotated")
	selectValue(tb, "#days", "7")
	tb.waitFor("the prompt after the key stopped working", jsKeyForm+` && `+`document.querySelector('#key-error').textContent !== ''`)

	if !evalJS[bool](tb, `window.__xss === undefined`) {
		t.Error("query text ran as script")
	}
	tb.assertNoPageErrors()
	tb.assertOnlyOrigins(srv.URL)
}

// A server without admin keys answers 403: the page says so.
func TestAdminNotEnabled(t *testing.T) {
	srv := startEditors(t, siteOptions{noKeys: true, empty: true})
	tb := newTab(t, 1280, 800, false)
	tb.navigate(srv.URL + "/admin")
	login(tb, "anything")
	tb.waitFor("the refusal", jsKeyForm+` && document.querySelector('#key-error').textContent.includes('--admin-keys')`)
	tb.assertNoPageErrors()
}

// At phone width the page fits, every field has a label, and the keyboard
// alone gets through. The server offers no per-day figures here: the
// chart is summed from the query totals.
func TestAdminPhone(t *testing.T) {
	f := startEditors(t, siteOptions{noDaily: true})
	srv := f
	tb := newTab(t, 390, 844, true)
	tb.navigate(srv.URL + "/admin")
	login(tb, adminKey)
	tb.waitFor("the panels", jsPanels+` && `+jsAdminIdle+` && `+jsPoints+` === 7`)
	counts := evalJS[string](tb, `[...document.querySelectorAll('#chart circle.point')].map(c => c.dataset.count).join()`)
	if want := joinInts(perDay(7)); counts != want {
		t.Errorf("per-day counts from totals %s, want %s", counts, want)
	}
	if c := f.callsTo("GET", "/api/admin/queries/daily"); len(c) == 0 || c[0].Status != http.StatusNotFound {
		t.Errorf("per-day figures asked: %+v", c)
	}
	for k := 1; k <= 7; k++ {
		if !slices.ContainsFunc(f.callsTo("GET", "/api/admin/queries"), func(c apiCall) bool { return strings.HasPrefix(c.Query, fmt.Sprintf("days=%d&", k)) }) {
			t.Errorf("the totals of the last %d days were not asked for", k)
		}
	}
	if over := evalJS[int](tb, `document.documentElement.scrollWidth - innerWidth`); over > 0 {
		t.Errorf("the page is %dpx wider than the phone", over)
	}
	if n := evalJS[int](tb, `[...document.querySelectorAll('input, select')].filter(i => !i.labels || !i.labels.length).length`); n != 0 {
		t.Errorf("%d fields without a label", n)
	}
	if n := evalJS[int](tb, `[...document.querySelectorAll('#panels button')].filter(b => !(b.getAttribute('aria-label') || b.textContent.trim())).length`); n != 0 {
		t.Errorf("%d buttons without a name", n)
	}
	// Keyboard: a synonym entered and saved with Enter.
	tb.typeText(`document.querySelector('#syn-name')`, "医保局")
	evalJS[any](tb, `document.querySelector('#syn-words').focus()`)
	tb.do(keys("医保局 医疗保障局\r"))
	f.waitCall(t, "PUT", "/api/admin/synonyms/医保局")
	tb.screenshot("admin-phone.png")
	tb.assertNoPageErrors()
	tb.assertOnlyOrigins(srv.URL)
}

// The search page shows 热搜词 under the box and reports opened hits.
func TestPageHotWordsAndEvents(t *testing.T) {
	f := startEditors(t, siteOptions{})
	srv := f
	tb := newTab(t, 1280, 800, false)
	tb.navigate(srv.URL + "/")
	tb.waitFor("the hot words", jsIdle+` && !document.querySelector('#hot').hidden && document.querySelectorAll('#hot-list a').length === 4`)
	tb.screenshot("hot-words.png")
	words := evalJS[[]string](tb, `[...document.querySelectorAll('#hot-list a')].map(a => a.textContent)`)
	// The most searched of the last 7 days that found something.
	if want := []string{"养老", "接诉即办", xssQuery1, xssQuery2}; fmt.Sprint(words) != fmt.Sprint(want) {
		t.Errorf("hot words %q, want %q", words, want)
	}
	if n := evalJS[int](tb, `document.querySelectorAll('#hot b, #hot [onmouseover]').length`); n != 0 {
		t.Error("a hot word was parsed as HTML")
	}
	if href := evalJS[string](tb, `document.querySelector('#hot-list a').getAttribute('href')`); href != "/?q="+url.QueryEscape("养老") {
		t.Errorf("hot word link %q", href)
	}

	// A hot word searches it.
	tb.click(`document.querySelector('#hot-list a')`)
	tb.waitFor("the hot word's results", jsParams+`.get('q') === '养老' && `+jsIdle+` && `+jsHitCount+` > 1`)
	f.mu.Lock()
	f.calls = nil // the events of this search only
	f.mu.Unlock()
	if q := evalJS[string](tb, `document.querySelector('#q').value`); q != "养老" {
		t.Errorf("box holds %q", q)
	}

	// Opening the second hit reports query, id and rank; the article opens.
	id := evalJS[string](tb, `document.querySelectorAll('#results .hit a[data-id]')[1].dataset.id`)
	tb.click(`document.querySelectorAll('#results .hit h2 a')[1]`)
	tb.waitFor("the article", `!document.querySelector('#article-view').hidden && `+jsParams+`.get('article') === `+jsString(id))
	ev := f.waitCall(t, "POST", "/api/events")
	var got struct {
		Query string `json:"query"`
		ID    string `json:"id"`
		Rank  int    `json:"rank"`
	}
	if err := json.Unmarshal([]byte(ev.Body), &got); err != nil || got.Query != "养老" || got.ID != id || got.Rank != 2 {
		t.Errorf("event %s (%v), want query 养老, id %s, rank 2", ev.Body, err, id)
	}
	var keys map[string]any
	json.Unmarshal([]byte(ev.Body), &keys)
	if len(keys) != 3 {
		t.Errorf("event carries more than query, id, rank: %s", ev.Body)
	}
	// The server counted the open.
	waitClicks(t, f, "养老", 4)
	tb.assertNoPageErrors()
	tb.assertOnlyOrigins(srv.URL)

	// No hot words, or a failing call: nothing shown.
	for _, v := range []struct {
		name   string
		opts   siteOptions
		status int
	}{
		{"empty", siteOptions{empty: true}, http.StatusOK},
		{"failing", siteOptions{hotFail: true}, http.StatusInternalServerError},
	} {
		srv := startEditors(t, v.opts)
		tb := newTab(t, 1280, 800, false)
		tb.navigate(srv.URL + "/")
		tb.waitFor("the listing", jsIdle+` && `+jsHitCount+` > 0`)
		if c := srv.waitCall(t, "GET", "/api/hot"); c.Status != v.status {
			t.Errorf("%s hot words: /api/hot answered %d, want %d", v.name, c.Status, v.status)
		}
		tb.do(sleep(100)) // the page reads the answer
		if !evalJS[bool](tb, `document.querySelector('#hot').hidden`) {
			t.Errorf("%s hot words: the list is shown", v.name)
		}
	}
}

// The widget shows the hot words and reports opened hits to its search host.
func TestWidgetHotWordsAndEvents(t *testing.T) {
	var searchURL string
	host := hostPage(&searchURL)
	defer host.Close()
	f := startEditors(t, siteOptions{cors: []string{host.URL}})
	srv := f
	searchURL = srv.URL

	tb := newTab(t, 1280, 800, false)
	tb.navigate(host.URL + "/")
	hot := jsWidget + `.querySelector('.hot')`
	tb.waitFor("the widget's hot words", `customElements.get('bulletin-search') && `+jsWidget+` !== null && !`+hot+`.hidden && `+hot+`.querySelectorAll('button').length === 4`)
	if n := evalJS[int](tb, hot+`.querySelectorAll('b, [onmouseover]').length`); n != 0 {
		t.Error("a hot word was parsed as HTML in the widget")
	}
	tb.click(hot + `.querySelector('button')`)
	tb.waitFor("the widget's results for the hot word", jsWIdle+` && `+jsWHits+` > 1 && `+jsWInput+`.value === '养老'`)
	id := evalJS[string](tb, jsWidget+`.querySelector('ol li a').dataset.id`)
	tb.click(jsWidget + `.querySelector('ol li a')`)
	ev := f.waitCall(t, "POST", "/api/events")
	if ev.Body != fmt.Sprintf(`{"query":"养老","id":%s,"rank":1}`, jsString(id)) || ev.Origin != host.URL {
		t.Errorf("widget event %s from %q", ev.Body, ev.Origin)
	}
	waitClicks(t, f, "养老", 4)
	tb.assertNoPageErrors()
	tb.assertOnlyOrigins(host.URL, srv.URL)
}

// joinInts is xs as the page's JavaScript joins numbers: "1,0,2".
func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
