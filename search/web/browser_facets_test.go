package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/document"

	"github.com/govbulletin/bulletin/indexer"
	"github.com/govbulletin/bulletin/indexer/analysis"
	"github.com/govbulletin/bulletin/indexer/schema"
	"github.com/govbulletin/bulletin/search"
	"github.com/govbulletin/bulletin/search/embedded"
	"github.com/govbulletin/bulletin/search/searchtest"
)

// xssIssuer is the issuer of a hostile notice: markup that must show as
// text in the facets and chips.
const xssIssuer = `<img src=x onerror="window.__xss=1">`

// govdocs are the government documents of searchtest.GovdocArticles and a
// hostile notice, issuers and types set.
func govdocs() []*schema.Article {
	return append(searchtest.GovdocArticles(), &schema.Article{
		ID: "xss-issuer", Title: "注入演练情况的通知", Body: "注入演练通知：<img src=x onerror=\"window.__xss=1\">照常显示。",
		Date: "2024-06-01", Year: 2024, Issuer: []string{xssIssuer}, Type: "政策文件",
	})
}

// writeGovdocs writes govdocs to the live engine as the write API does,
// and waits until searches see them.
func writeGovdocs(e *embedded.Engine) error {
	arts := govdocs()
	docs := make([]*document.Document, len(arts))
	for i, a := range arts {
		docs[i] = indexer.Document(a, analysis.Normalize(a.Title), analysis.Normalize(a.Body), e.Segmenter())
	}
	before := e.Info().Documents
	if err := e.Apply(docs, arts, nil); err != nil {
		return fmt.Errorf("writing government documents: %w", err)
	}
	for deadline := time.Now().Add(time.Minute); e.Info().Documents < before+len(arts); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			return fmt.Errorf("the written government documents never became visible")
		}
	}
	return nil
}

// The 发文机关 and 类型 facets of the page and of the widget: counts as the
// API gives them, click to filter (OR within, AND across), chips to clear.
func TestIssuerAndTypeFacets(t *testing.T) {
	const mz = "北京市民政局"
	arts := govdocs()
	_, byIssuer, _ := searchtest.GovdocExpect(arts, nil, nil)
	_, _, typesOfMZ := searchtest.GovdocExpect(arts, []string{mz}, nil)
	jpTotal, _, _ := searchtest.GovdocExpect(arts, []string{mz}, []string{"政策解读"})
	jdTotal, _, _ := searchtest.GovdocExpect(arts, nil, []string{"政策解读"})

	var searchURL string
	host := hostPage(&searchURL)
	defer host.Close()
	srv := startSearch(t, []string{host.URL})
	searchURL = srv.URL

	tb := newTab(t, 1280, 800, false)
	tb.navigate(srv.URL + "/")
	tb.waitFor("the listing", jsIdle+` && `+jsHitCount+` > 0`)
	if got := evalJS[string](tb, `document.querySelector('#facet-issuer').textContent + '|' + document.querySelector('#facet-type').textContent`); got != "发文机关|类型" {
		t.Errorf("facet headings %q, want 发文机关|类型", got)
	}
	issuerBtn := `document.querySelector('button[data-facet="issuer"][data-value="` + mz + `"]')`
	typeBtn := `document.querySelector('button[data-facet="type"][data-value="政策解读"]')`
	count := func(btn string) int { return evalJS[int](tb, `+`+btn+`.querySelector('.n').textContent`) }
	if got := count(issuerBtn); got != byIssuer[mz] {
		t.Errorf("%s: %d on the page, want %d", mz, got, byIssuer[mz])
	}

	tb.click(issuerBtn)
	tb.waitFor("the issuer filter", jsParams+`.getAll('issuer').join() === '`+mz+`' && `+jsIdle+
		` && `+issuerBtn+`.getAttribute('aria-pressed') === 'true'`)
	if got := evalJS[int](tb, jsHitCount); got != min(byIssuer[mz], 10) {
		t.Errorf("issued by %s: %d hits, want %d", mz, got, byIssuer[mz])
	}
	if got := count(typeBtn); got != typesOfMZ["政策解读"] {
		t.Errorf("政策解读 under %s: %d, want %d", mz, got, typesOfMZ["政策解读"])
	}
	tb.click(typeBtn)
	tb.waitFor("issuer and type", jsParams+`.getAll('type').join() === '政策解读' && `+jsIdle+
		` && `+typeBtn+`.getAttribute('aria-pressed') === 'true'`)
	if got := evalJS[int](tb, jsHitCount); got != jpTotal {
		t.Errorf("%s × 政策解读: %d hits, want %d", mz, got, jpTotal)
	}
	chips := evalJS[string](tb, `[...document.querySelectorAll('#active-list button')].map(b => b.getAttribute('aria-label')).join('|')`)
	if chips != "取消筛选：发文机关 "+mz+"|取消筛选：类型 政策解读" {
		t.Errorf("chips %q", chips)
	}
	// The issuer's chip clears the issuer alone.
	tb.click(`document.querySelector('#active-list button[data-facet="issuer"]')`)
	tb.waitFor("the issuer chip", `!`+jsParams+`.has('issuer') && `+jsParams+`.get('type') === '政策解读' && `+jsIdle)
	if got := evalJS[int](tb, jsHitCount); got != jdTotal {
		t.Errorf("政策解读: %d hits, want %d", got, jdTotal)
	}
	// The hostile issuer: text in its facet button and its chip.
	tb.navigate(srv.URL + "/?issuer=" + url.QueryEscape(xssIssuer))
	tb.waitFor("the hostile issuer", jsIdle+` && `+jsHitCount+` === 1`)
	shown := evalJS[string](tb, `document.querySelector('#facets').textContent + document.querySelector('#active-list').textContent`)
	if strings.Count(shown, xssIssuer) != 2 {
		t.Errorf("the hostile issuer should show as text twice (facet, chip): %.300s", shown)
	}
	tb.do(sleep(200))
	if n := evalJS[int](tb, `document.querySelectorAll('img, [onerror]').length`); n != 0 || !evalJS[bool](tb, `window.__xss === undefined`) {
		t.Errorf("the hostile issuer made %d elements or ran", n)
	}
	tb.assertNoPageErrors()
	tb.assertOnlyOrigins(srv.URL)

	// Long issuer names fit a phone.
	tp := newTab(t, 390, 844, true)
	tp.navigate(srv.URL + "/?type=" + url.QueryEscape("政策文件"))
	tp.waitFor("the listing on a phone", jsIdle+` && `+jsHitCount+` > 0`)
	evalJS[any](tp, `document.querySelectorAll('details').forEach(d => { d.open = true; })`)
	if !evalJS[bool](tp, `document.querySelector('#facet-issuer').getClientRects().length > 0`) {
		t.Error("phone: the issuer facet is not shown with the filters open")
	}
	if over := evalJS[int](tp, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
		t.Errorf("phone: the page with the issuer facet is %dpx wider than the viewport", over)
	}

	// The widget.
	tw := newTab(t, 1280, 800, false)
	tw.navigate(host.URL + "/")
	tw.waitFor("the widget", `customElements.get('bulletin-search') && `+jsWidget+` !== null`)
	tw.typeText(jsWInput, "养老")
	tw.do(keys("\r"))
	tw.waitFor("widget results", jsWIdle+` && `+jsWHits+` > 0`)
	if got := evalJS[string](tw, `[...`+jsWidget+`.querySelectorAll('.facet')].map(f => f.getAttribute('aria-label')).filter(l => l === '发文机关' || l === '类型').join()`); got != "发文机关,类型" {
		t.Errorf("widget facet groups %q, want 发文机关,类型", got)
	}
	wIssuer := jsWidget + `.querySelector('button[data-f="issuer"][data-v="` + mz + `"]')`
	wType := jsWidget + `.querySelector('button[data-f="type"][data-v="政策文件"]')`
	want := evalJS[int](tw, `+`+wIssuer+`.querySelector('small').textContent`)
	tw.click(wIssuer)
	tw.waitFor("the widget's issuer filter", jsWIdle+` && `+wIssuer+`.getAttribute('aria-pressed') === 'true'`)
	if status := evalJS[string](tw, jsWStatus); !strings.Contains(status, fmt.Sprintf("共 %d 条", want)) {
		t.Errorf("widget status %q, want total %d", status, want)
	}
	want = evalJS[int](tw, `+`+wType+`.querySelector('small').textContent`)
	tw.click(wType)
	tw.waitFor("the widget's type filter", jsWIdle+` && `+wType+`.getAttribute('aria-pressed') === 'true'`)
	if got := evalJS[int](tw, jsWHits); got != min(want, 10) {
		t.Errorf("widget, %s × 政策文件: %d hits, facet said %d", mz, got, want)
	}
	resp, err := engine.Search(context.Background(), search.Request{Query: "养老", Issuers: []string{mz}, Types: []string{"政策文件"}})
	if err != nil || int(resp.Total) != want {
		t.Errorf("the API: %v %v, the widget's facet said %d", resp.Total, err, want)
	}
	tw.click(wIssuer)
	tw.waitFor("the widget's cleared issuer", jsWIdle+` && `+wIssuer+`.getAttribute('aria-pressed') === 'false' && `+wType+`.getAttribute('aria-pressed') === 'true'`)
	tw.assertNoPageErrors()
	tw.assertOnlyOrigins(host.URL, srv.URL)
}
