package web_test

// Browser tests: the search page and the <bulletin-search> widget, driven in
// headless Chromium against a real server over a real index of the seeds
// plus hostile bulletins, and government documents written to it with their
// issuers and types (see TestMain).

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/search/embedded"
	"github.com/govbulletin/bulletin/search/server"
	"github.com/govbulletin/bulletin/seeds"
)

// xssQuery finds the hostile bulletin that TestMain adds to the index.
const xssQuery = "注入演练"

// xssBulletin is a bulletin page whose headline and body carry script.
const xssBulletin = `注入演练<script>window.__xss=1</script><img src=x onerror="window.__xss=1">

本报讯 朝阳区望京街道近日开展网络安全注入演练，检验公告系统能否安全显示正文。演练材料中写有<script>window.__xss=1</script>这样的脚本代码。

演练还检查了图片标签<img src=x onerror="window.__xss=1">的显示。注入演练结束后，各单位总结了经验。
`

// engine serves every test of the binary: the seeds plus xssBulletin.
var engine *embedded.Engine

func TestMain(m *testing.M) {
	code, err := runMain(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser tests:", err)
		code = 1
	}
	os.Exit(code)
}

func runMain(m *testing.M) (int, error) {
	defer closeBrowser()
	tmp, err := os.MkdirTemp("", "bulletin-web-test-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)

	// The corpus: copies of the seeds and the hostile page.
	corpus := filepath.Join(tmp, "corpus")
	if err := os.CopyFS(corpus, seeds.FS); err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(corpus, "xss.txt"), []byte(xssBulletin), 0o644); err != nil {
		return 0, err
	}
	if err := os.WriteFile(filepath.Join(corpus, "long.txt"), []byte(longBulletin()), 0o644); err != nil {
		return 0, err
	}
	dir := filepath.Join(tmp, "index")
	if _, err := indexer.BuildFS(context.Background(), dir, indexer.Config{}, os.DirFS(corpus)); err != nil {
		return 0, fmt.Errorf("indexing: %w", err)
	}
	engine, err = embedded.Open(dir, embedded.Options{Poll: -1, Live: &embedded.LiveOptions{}})
	if err != nil {
		return 0, err
	}
	defer engine.Close()
	if err := writeGovdocs(engine); err != nil {
		return 0, err
	}
	return m.Run(), nil
}

// startSearch starts the product's server, allowing the given origins to
// call its API cross-origin.
func startSearch(t *testing.T, corsOrigins []string) *httptest.Server {
	t.Helper()
	h, err := server.New(engine, server.Options{CORSOrigins: corsOrigins})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// pageJS are helpers evaluated in the search page.
const (
	jsParams    = `new URLSearchParams(location.search)`
	jsIdle      = `(!document.querySelector('#results').hasAttribute('aria-busy') && document.querySelector('#status').textContent !== '')`
	jsHitCount  = `document.querySelectorAll('#results .hit').length`
	jsFirstHit  = `(document.querySelector('#results .hit a[data-id]') || {dataset: {}}).dataset.id`
	jsFacetExpr = `document.querySelector('button[data-facet="district"][data-value="昌平区"]')`
)

func TestPage(t *testing.T) {
	srv := startSearch(t, nil)
	tb := newTab(t, 1280, 800, false)
	tb.navigate(srv.URL + "/")
	tb.waitFor("the initial listing", jsIdle+` && `+jsHitCount+` > 0`)

	// "/" focuses the search box from anywhere on the page.
	evalJS[any](tb, `document.activeElement.blur()`)
	tb.do(pressKey("/", "Slash", 191))
	if got := evalJS[string](tb, `document.activeElement.id + ':' + document.activeElement.value`); got != "q:" {
		t.Errorf(`after "/": focus:value = %q, want "q:" (focused, no slash typed)`, got)
	}

	// Type and submit: results with highlighted snippets.
	tb.typeText(`document.querySelector('#q')`, "养老驿站")
	tb.click(`document.querySelector('#search-form button[type=submit]')`)
	tb.waitFor("results for 养老驿站", jsParams+`.get('q') === '养老驿站' && `+jsIdle+
		` && document.querySelector('#results .hit .snippet mark') !== null`)
	all := evalJS[int](tb, jsHitCount)
	if status := evalJS[string](tb, `document.querySelector('#status').textContent`); !strings.Contains(status, "条结果") {
		t.Errorf("status = %q", status)
	}

	// Click the 昌平区 facet: URL and results filtered.
	want := evalJS[int](tb, `+`+jsFacetExpr+`.querySelector('.n').textContent`)
	tb.click(jsFacetExpr)
	tb.waitFor("the district filter", jsParams+`.getAll('district').join() === '昌平区' && `+jsIdle+
		` && `+jsFacetExpr+`.getAttribute('aria-pressed') === 'true'`)
	if got := evalJS[int](tb, jsHitCount); got != min(want, 10) {
		t.Errorf("with 昌平区: %d hits, facet said %d", got, want)
	}
	if n := evalJS[int](tb, `[...document.querySelectorAll('#results .hit .districts')].filter(e => !e.textContent.includes('昌平区')).length`); n != 0 {
		t.Errorf("%d hits outside 昌平区 under the 昌平区 filter", n)
	}

	// Click again: filter cleared.
	tb.click(jsFacetExpr)
	tb.waitFor("the cleared filter", `!`+jsParams+`.has('district') && `+jsIdle+
		` && `+jsFacetExpr+`.getAttribute('aria-pressed') === 'false'`)
	if got := evalJS[int](tb, jsHitCount); got != all {
		t.Errorf("after clearing: %d hits, want %d", got, all)
	}

	// Several values at once: on the full listing, 昌平区 or 朝阳区.
	tb.navigate(srv.URL + "/")
	tb.waitFor("the full listing", jsIdle+` && `+jsHitCount+` > 0`)
	chaoyang := `document.querySelector('button[data-facet="district"][data-value="朝阳区"]')`
	nCP := evalJS[int](tb, `+`+jsFacetExpr+`.querySelector('.n').textContent`)
	nCY := evalJS[int](tb, `+`+chaoyang+`.querySelector('.n').textContent`)
	tb.click(jsFacetExpr)
	tb.waitFor("昌平区", jsIdle+` && `+jsFacetExpr+`.getAttribute('aria-pressed') === 'true'`)
	if got := evalJS[int](tb, jsHitCount); got != min(nCP, 10) {
		t.Errorf("listing with 昌平区: %d hits, facet said %d", got, nCP)
	}
	tb.click(chaoyang)
	tb.waitFor("昌平区 + 朝阳区", jsIdle+` && `+chaoyang+`.getAttribute('aria-pressed') === 'true' && `+
		jsParams+`.getAll('district').sort().join() === ['昌平区', '朝阳区'].sort().join()`)
	if got := evalJS[int](tb, jsHitCount); got < max(nCP, nCY) || got > min(nCP+nCY, 10) {
		t.Errorf("昌平区 or 朝阳区: %d hits, facets said %d and %d", got, nCP, nCY)
	}
	// A chip of the active filters removes its value.
	tb.click(`document.querySelector('#active-list button[data-value="朝阳区"]')`)
	tb.waitFor("朝阳区 removed by its chip", jsIdle+` && `+jsParams+`.getAll('district').join() === '昌平区'`)

	// Sort by date.
	tb.click(`document.querySelector('button[data-sort="date"]')`)
	tb.waitFor("date order", jsIdle+` && `+jsParams+`.get('sort') === 'date' && `+
		`document.querySelector('button[data-sort="date"]').getAttribute('aria-pressed') === 'true'`)

	// Back to the 养老驿站 results.
	tb.navigate(srv.URL + "/?q=" + url.QueryEscape("养老驿站"))
	tb.waitFor("results for 养老驿站", jsIdle+` && `+jsHitCount+` === `+fmt.Sprint(all))

	// Article view, and back to the results.
	title := evalJS[string](tb, `document.querySelector('#results .hit h2 a').textContent`)
	tb.click(`document.querySelector('#results .hit h2 a')`)
	tb.waitFor("the article", jsParams+`.has('article') && !document.querySelector('#article-view').hidden`+
		` && document.querySelector('#article-title').textContent === `+jsString(title)+
		` && document.querySelectorAll('#article-body p').length > 0`)
	if got := evalJS[string](tb, `document.activeElement.id`); got != "article-title" {
		t.Errorf("focus after opening an article: #%s", got)
	}
	evalJS[any](tb, `history.back()`)
	tb.waitFor("the results after back", `!`+jsParams+`.has('article') && document.querySelector('#article-view').hidden`+
		` && !document.querySelector('#search-view').hidden && `+jsHitCount+` === `+fmt.Sprint(all))

	// Pagination with size=1; reload and back keep the state of the URL.
	tb.navigate(srv.URL + "/?q=" + url.QueryEscape("养老") + "&size=1")
	tb.waitFor("page 1", jsIdle+` && `+jsHitCount+` === 1 && !document.querySelector('#pager').hidden`)
	first := evalJS[string](tb, jsFirstHit)
	tb.click(`document.querySelector('#pager a[rel=next]')`)
	tb.waitFor("page 2", jsParams+`.get('page') === '2' && `+jsIdle+` && `+jsFirstHit+` !== `+jsString(first)+
		` && document.querySelector('#pager [aria-current=page]').textContent === '2'`)
	second := evalJS[string](tb, jsFirstHit)
	tb.do(reload())
	tb.waitFor("page 2 after reload", jsIdle+` && `+jsFirstHit+` === `+jsString(second)+
		` && document.querySelector('#q').value === '养老' && document.querySelector('#pager [aria-current=page]').textContent === '2'`)
	evalJS[any](tb, `history.back()`)
	tb.waitFor("page 1 after back", `!`+jsParams+`.has('page') && `+jsIdle+` && `+jsFirstHit+` === `+jsString(first))

	tb.assertNoPageErrors()
	tb.assertOnlyOrigins(srv.URL) // offline: nothing but the server itself
}

// Suggestions while typing: a listbox the keyboard can drive.
func TestPageSuggest(t *testing.T) {
	srv := startSearch(t, nil)
	tb := newTab(t, 1280, 800, false)
	tb.navigate(srv.URL + "/")
	tb.waitFor("the initial listing", jsIdle)
	tb.typeText(`document.querySelector('#q')`, "养")
	tb.waitFor("suggestions", `!document.querySelector('#suggest').hidden && document.querySelectorAll('#suggest [role=option]').length > 0 && document.querySelector('#q').getAttribute('aria-expanded') === 'true'`)
	first := evalJS[string](tb, `document.querySelector('#suggest [role=option]').textContent`)
	tb.do(keys(kb.ArrowDown))
	if got := evalJS[string](tb, `document.querySelector('#q').getAttribute('aria-activedescendant')`); got != "suggest-0" {
		t.Errorf("aria-activedescendant = %q after ArrowDown", got)
	}
	tb.do(keys("\r"))
	tb.waitFor("the search for the suggestion", jsParams+`.get('q') === `+jsString(first)+` && `+jsIdle+
		` && document.querySelector('#suggest').hidden`)
	tb.assertNoPageErrors()
}

// Chinese input methods: nothing is searched while a composition is open.
func TestPageIMEComposition(t *testing.T) {
	srv := startSearch(t, nil)
	tb := newTab(t, 1280, 800, false)
	tb.navigate(srv.URL + "/")
	tb.waitFor("the initial listing", jsIdle)
	evalJS[any](tb, `document.querySelector('#q').focus()`)

	tb.do(imeCompose("yang'lao"))
	if v := evalJS[string](tb, `document.querySelector('#q').value`); v != "yang'lao" {
		t.Fatalf("composition text not in the box: %q", v)
	}
	tb.do(sleep(700)) // well past the typing debounce
	for _, r := range tb.requestLog() {
		if strings.Contains(r, "yang") {
			t.Errorf("request during an open composition: %s", r)
		}
	}
	if q := evalJS[string](tb, jsParams+`.get('q') || ''`); q != "" {
		t.Errorf("URL changed during composition: q=%q", q)
	}

	tb.do(imeCommit("养老"))
	tb.waitFor("the search after the composition ends", jsParams+`.get('q') === '养老' && `+jsIdle)
	tb.assertNoPageErrors()
}

// hostPage serves a page of another origin that embeds the widget under
// hostile CSS.
func hostPage(searchURL *string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>内网首页</title>
<style>input,button,mark,li{color:red!important;display:none!important}</style>
</head><body>
<p><a id="host-link" href="#">主机页面链接</a></p>
<script src="%s/embed.js"></script>
<bulletin-search placeholder="搜索政务新闻"></bulletin-search>
</body></html>`, *searchURL)
	}))
}

const (
	jsWidget  = `document.querySelector('bulletin-search').shadowRoot`
	jsWInput  = jsWidget + `.querySelector('input')`
	jsWHits   = jsWidget + `.querySelectorAll('ol li').length`
	jsWStatus = jsWidget + `.querySelector('.status').textContent`
	jsWIdle   = `!document.querySelector('bulletin-search').hasAttribute('aria-busy')`
)

func TestWidget(t *testing.T) {
	var searchURL string
	host := hostPage(&searchURL)
	defer host.Close()
	srv := startSearch(t, []string{host.URL})
	searchURL = srv.URL

	tb := newTab(t, 1280, 800, false)
	tb.navigate(host.URL + "/")
	tb.waitFor("the widget", `customElements.get('bulletin-search') && `+jsWidget+` !== null`)
	if mode := evalJS[string](tb, jsWidget+`.mode`); mode != "open" {
		t.Errorf("shadow root mode %q", mode)
	}

	tb.typeText(jsWInput, "养老")
	tb.do(keys("\r"))
	tb.waitFor("widget results", jsWIdle+` && `+jsWHits+` > 0 && `+jsWidget+`.querySelector('ol li .snippet mark') !== null`)

	// Isolation: host CSS does not reach in, widget CSS does not leak out.
	style := evalJS[map[string]string](tb, `(() => {
		const s = getComputedStyle(`+jsWInput+`), li = getComputedStyle(`+jsWidget+`.querySelector('ol li'));
		const a = getComputedStyle(document.querySelector('#host-link'));
		return {input: s.display, color: s.color, li: li.display, hostWeight: a.fontWeight};
	})()`)
	if style["input"] == "none" || style["li"] == "none" || style["color"] == "rgb(255, 0, 0)" {
		t.Errorf("host CSS leaked into the widget: %v", style)
	}
	if style["hostWeight"] != "400" {
		t.Errorf("widget CSS leaked into the host: link font-weight %s", style["hostWeight"])
	}

	// Click-to-filter by district in the widget.
	facet := jsWidget + `.querySelector('button[data-f="district"][data-v="昌平区"]')`
	want := evalJS[int](tb, `+`+facet+`.querySelector('small').textContent`)
	tb.click(facet)
	tb.waitFor("the widget's filter", jsWIdle+` && `+facet+`.getAttribute('aria-pressed') === 'true'`)
	if got := evalJS[int](tb, jsWHits); got != min(want, 10) {
		t.Errorf("widget with 昌平区: %d hits, facet said %d", got, want)
	}
	if status := evalJS[string](tb, jsWStatus); !strings.Contains(status, fmt.Sprintf("共 %d 条", want)) {
		t.Errorf("widget status %q, want total %d", status, want)
	}
	tb.click(facet)
	tb.waitFor("the widget's cleared filter", jsWIdle+` && `+facet+`.getAttribute('aria-pressed') === 'false'`)

	tb.assertNoPageErrors()
	tb.assertOnlyOrigins(host.URL, srv.URL)
}

// Article text with <script> and <img onerror> must run nothing, in the
// page or in a host page.
func TestXSS(t *testing.T) {
	var searchURL string
	host := hostPage(&searchURL)
	defer host.Close()
	srv := startSearch(t, []string{host.URL})
	searchURL = srv.URL

	const noXSS = `window.__xss === undefined`
	const badNodes = `.querySelectorAll('script, img, [onerror]').length`

	tb := newTab(t, 1280, 800, false)
	tb.navigate(srv.URL + "/?q=" + url.QueryEscape(xssQuery))
	tb.waitFor("the hostile article's hit", jsIdle+` && `+jsHitCount+` > 0`)
	if evalJS[int](tb, `document.querySelector('#results')`+badNodes) != 0 {
		t.Error("script or img element inside the page's results")
	}
	// The markup shows as text, decoded once: no entity is left over.
	results := evalJS[string](tb, `document.querySelector('#results').textContent`)
	if !strings.Contains(results, "<script>window.__xss=1</script>") {
		t.Errorf("the payload should show as text; results: %.300s", results)
	}
	for _, ent := range []string{"&lt;", "&gt;", "&amp;", "&quot;", "&#34;", "&#39;"} {
		if strings.Contains(results, ent) {
			t.Errorf("results text holds the entity %s: %.300s", ent, results)
		}
	}
	tb.click(`document.querySelector('#results .hit h2 a')`)
	tb.waitFor("the hostile article", `!document.querySelector('#article-view').hidden && document.querySelectorAll('#article-body p').length > 0`)
	if evalJS[int](tb, `document.querySelector('#article-view')`+badNodes) != 0 {
		t.Error("script or img element inside the article view")
	}
	if text := evalJS[string](tb, `document.querySelector('#article-view').textContent`); !strings.Contains(text, "onerror") {
		t.Errorf("the payload should show as text; article text: %.200s", text)
	}
	tb.do(sleep(200)) // let a failed image load fire onerror, if any
	if !evalJS[bool](tb, noXSS) {
		t.Error("window.__xss was set on the search page")
	}

	tw := newTab(t, 1280, 800, false)
	tw.navigate(host.URL + "/")
	tw.waitFor("the widget", `customElements.get('bulletin-search') && `+jsWidget+` !== null`)
	tw.typeText(jsWInput, xssQuery)
	tw.do(keys("\r"))
	tw.waitFor("the widget's hits", jsWIdle+` && `+jsWHits+` > 0`)
	tw.do(sleep(200))
	if evalJS[int](tw, jsWidget+badNodes) != 0 {
		t.Error("script or img element inside the widget")
	}
	if !evalJS[bool](tw, noXSS) {
		t.Error("window.__xss was set on the host page")
	}
	tb.assertOnlyOrigins(srv.URL)
	tw.assertOnlyOrigins(host.URL, srv.URL)
}

// TestScreenshots saves how the page looks (UPDATE_SCREENSHOTS=1).
func TestScreenshots(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	srv := startSearch(t, nil)
	for _, v := range []struct {
		name   string
		w, h   int64
		mobile bool
	}{
		{"desktop", 1280, 800, false},
		{"phone", 390, 844, true},
	} {
		tb := newTab(t, v.w, v.h, v.mobile)
		tb.navigate(srv.URL + "/?q=" + url.QueryEscape("人才公寓"))
		tb.waitFor("results", jsIdle+` && `+jsHitCount+` > 0`)
		// No horizontal scrolling at any width.
		if over := evalJS[int](tb, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
			t.Errorf("%s: page is %dpx wider than the viewport", v.name, over)
		}
		tb.screenshot(v.name + ".png")
		tb.assertNoPageErrors()
	}
}

// longBulletin is one long article whose rare word (巡河日志) first
// appears far below the top, then twice more.
func longBulletin() string {
	var b strings.Builder
	b.WriteString("---\ntitle: 通州区河长制工作年度总结\ndate: 2023-12-28\n---\n\n")
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, "第%d项，区河长办会同各街道乡镇持续推进河湖管护工作，组织开展清河行动，落实属地责任，加强日常监督检查，确保河道水质稳定向好，群众满意度不断提升。", i)
		if i == 30 || i == 45 || i == 58 {
			b.WriteString("各级河长按时填写巡河日志，问题发现后及时交办。")
		}
		if i == 40 {
			b.WriteString("依据京政办发〔2016〕26号文件精神，完善河湖管护考核。")
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// An article opens at its first match; the buttons and N / Shift+N move
// between matches, and the status counts them.
func TestArticleMatches(t *testing.T) {
	srv := startSearch(t, nil)
	tb := newTab(t, 1280, 800, false)
	tb.navigate(srv.URL + "/?q=" + url.QueryEscape("巡河日志 -停水"))
	tb.waitFor("results for 巡河日志", jsIdle+` && `+jsHitCount+` === 1`)
	tb.click(`document.querySelector('#results .hit h2 a')`)
	status := `document.querySelector('#match-status').textContent`
	tb.waitFor("the article at its first match", `!document.querySelector('#article-view').hidden && `+status+` === '第 1 / 3 处'`)
	inView := `(() => { const m = document.querySelector('#article-body mark.current'); const r = m.getBoundingClientRect();` +
		` return r.top >= 0 && r.bottom <= innerHeight; })()`
	if !evalJS[bool](tb, inView) {
		t.Error("the first match is not in view when the article opens")
	}
	if y := evalJS[float64](tb, `scrollY`); y == 0 {
		t.Error("the article opened at the top, not at its first match")
	}
	if n := evalJS[int](tb, `[...document.querySelectorAll('#article-body mark')].filter(m => m.textContent === '停水').length`); n != 0 {
		t.Errorf("an excluded word is marked %d times", n)
	}
	tb.click(`document.querySelector('#match-next')`)
	tb.waitFor("the second match", status+` === '第 2 / 3 处'`)
	tb.do(pressKey("n", "KeyN", 78))
	tb.waitFor("the third match by the N key", status+` === '第 3 / 3 处'`)
	tb.do(pressKey("n", "KeyN", 78))
	tb.waitFor("back to the first match", status+` === '第 1 / 3 处'`)
	tb.click(`document.querySelector('#match-prev')`)
	tb.waitFor("the last match from the first", status+` === '第 3 / 3 处'`)
	if !evalJS[bool](tb, inView) {
		t.Error("the current match is not in view")
	}

	// A document number typed with other brackets is marked as the text
	// prints it.
	tb.navigate(srv.URL + "/?q=" + url.QueryEscape("京政办发[2016]26号"))
	tb.waitFor("results for the number", jsIdle+` && `+jsHitCount+` >= 1`)
	tb.click(`document.querySelector('#results .hit h2 a')`)
	tb.waitFor("the number marked", `!document.querySelector('#article-view').hidden && `+status+` === '第 1 / 1 处'`+
		` && document.querySelector('#article-body mark.current').textContent === '京政办发〔2016〕26号'`)
	tb.assertNoPageErrors()
}

// The 高级搜索 form builds the box's syntax and the date filters into an
// ordinary URL; every field is labelled and the form fits a phone.
func TestAdvancedSearch(t *testing.T) {
	srv := startSearch(t, nil)
	for _, width := range []int64{1280, 375} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			tb := newTab(t, width, 800, width < 600)
			tb.navigate(srv.URL + "/")
			tb.waitFor("the listing", jsIdle)
			tb.click(`document.querySelector('#advanced summary')`)
			tb.waitFor("the open form", `document.querySelector('#advanced').open`)
			if n := evalJS[int](tb, `[...document.querySelectorAll('#advanced-form input')].filter(i => !i.labels || i.labels.length === 0).length`); n != 0 {
				t.Errorf("%d inputs of the form have no label", n)
			}
			if over := evalJS[bool](tb, `document.documentElement.scrollWidth > innerWidth`); over {
				t.Error("the open form is wider than the window")
			}
			set := func(name, v string) {
				evalJS[any](tb, `(() => { const i = document.querySelector('#advanced-form [name=`+name+`]'); i.value = `+jsString(v)+`; })()`)
			}
			set("all", "养老 驿站")
			set("any", "朝阳 海淀")
			set("not", "停水")
			set("exact", "社区服务")
			set("issuer", "北京市民政局")
			set("doc_no", "京政办发[2016]26号")
			set("date_from", "2020-01-01")
			set("date_to", "2024-12-31")
			tb.click(`document.querySelector('#advanced-form input[name=where][value=title]')`)
			tb.screenshot(fmt.Sprintf("advanced-%d.png", width))
			tb.click(`document.querySelector('#advanced-form button[type=submit]')`)
			want := `标题:养老 标题:驿站 标题:"社区服务" 标题:朝阳 | 标题:海淀 发文机关:北京市民政局 文号:京政办发[2016]26号 -停水`
			tb.waitFor("the built search", jsParams+`.get('q') === `+jsString(want)+` && `+jsParams+`.get('date_from') === '2020-01-01'`+
				` && `+jsParams+`.get('date_to') === '2024-12-31' && `+jsIdle)
			if st := evalJS[string](tb, `document.querySelector('#status').textContent`); strings.HasPrefix(st, "搜索失败") || strings.HasPrefix(st, "无法连接") {
				t.Errorf("the built search failed: %s", st)
			}
			if got := evalJS[string](tb, `document.querySelector('#q').value`); got != want {
				t.Errorf("the box holds %q, want %q", got, want)
			}
			if n := evalJS[int](tb, `document.querySelectorAll('#active-list button[data-dates]').length`); n != 1 {
				t.Errorf("%d date chips, want 1", n)
			}
			tb.click(`document.querySelector('#active-list button[data-dates]')`)
			tb.waitFor("the dates cleared by their chip", `!`+jsParams+`.has('date_from') && !`+jsParams+`.has('date_to') && `+jsIdle)
			tb.assertNoPageErrors()
		})
	}
}
