package web_test

// A small harness over chromedp for the browser tests: one headless
// Chromium per test binary, one tab per test, every network request and
// every page exception of the tab recorded.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

const (
	tabTimeout  = 40 * time.Second // the whole of one test's browser work
	waitTimeout = 10 * time.Second // one condition
)

// chromiumPath finds Debian's chromium (or $CHROMIUM).
func chromiumPath() string {
	candidates := []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}
	if p := os.Getenv("CHROMIUM"); p != "" {
		candidates = []string{p}
	}
	for _, p := range candidates {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

var browser struct {
	once   sync.Once
	ctx    context.Context
	cancel func()
	err    error
}

// requireBrowser starts Chromium once, or skips the test (fails it on CI)
// when there is none.
func requireBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		msg := "chromium not found (apt-get install chromium, or set $CHROMIUM): browser tests NOT RUN"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip("!!!!! " + msg + " !!!!!")
	}
	browser.once.Do(func() { browser.err = startBrowser(path) })
	if browser.err != nil {
		t.Fatalf("starting %s: %v", path, browser.err)
	}
	return browser.ctx
}

func startBrowser(path string) error {
	dir, err := os.MkdirTemp("", "bulletin-chromium-")
	if err != nil {
		return err
	}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(1280, 800),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("lang", "zh-CN"),
	)
	ctx, cancel := chromedp.NewContext(allocCtx)
	browser.ctx = ctx
	browser.cancel = func() {
		cancel()
		allocCancel()
		os.RemoveAll(dir)
	}
	// The first Run starts the browser; it must have no timeout.
	if err := chromedp.Do(ctx); err != nil {
		browser.cancel()
		return err
	}
	return nil
}

// closeBrowser stops Chromium if a test started it (from TestMain).
func closeBrowser() {
	if browser.cancel != nil {
		browser.cancel()
	}
}

// tab is one browser tab of a test.
type tab struct {
	t      *testing.T
	ctx    context.Context
	mobile bool // touch emulation: clicks are taps

	mu         sync.Mutex
	requests   []string // URLs of every request the page made
	exceptions []string // uncaught exceptions and console errors
}

// newTab opens a tab with a viewport of w×h CSS pixels.
func newTab(t *testing.T, w, h int64, mobile bool) *tab {
	t.Helper()
	parent := requireBrowser(t)
	tb := &tab{t: t, mobile: mobile}
	tabCtx, cancel := chromedp.NewContext(parent, chromedp.WithListener(tb.listen))
	t.Cleanup(cancel)
	if err := chromedp.Do(tabCtx); err != nil { // open the tab, no timeout
		t.Fatalf("opening a tab: %v", err)
	}
	ctx, cancelT := context.WithTimeout(tabCtx, tabTimeout)
	t.Cleanup(cancelT)
	tb.ctx = ctx
	var opts []chromedp.EmulateViewportOption
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	tb.do(chromedp.EmulateViewport(w, h, opts...))
	t.Cleanup(func() {
		if t.Failed() {
			tb.mu.Lock()
			defer tb.mu.Unlock()
			t.Logf("requests: %q", tb.requests)
			t.Logf("page errors: %q", tb.exceptions)
		}
	})
	return tb
}

// listen runs in the tab's event loop: record, return fast.
func (tb *tab) listen(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		tb.requests = append(tb.requests, e.Request.URL)
	case *runtime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		tb.exceptions = append(tb.exceptions, fmt.Sprintf("%s (%s:%d)", msg, d.URL, d.LineNumber+1))
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value))
			}
			tb.exceptions = append(tb.exceptions, "console.error: "+strings.Join(parts, " "))
		}
	}
}

func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

func (tb *tab) navigate(u string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(u))
}

// evalJS evaluates a JavaScript expression and decodes its JSON value.
func evalJS[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitFor polls until the expression is truthy.
func (tb *tab) waitFor(what, expr string) {
	tb.t.Helper()
	_, err := chromedp.Run(tb.ctx, chromedp.Poll[chromedp.Void](expr,
		chromedp.WithPollingTimeout(waitTimeout), chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		loc, _ := chromedp.Run(tb.ctx, chromedp.Location())
		tb.t.Fatalf("waiting for %s: %v\n  condition: %s\n  location: %s", what, err, expr, loc)
	}
}

// click sends a real mouse click (a tap on mobile) to the centre of the element that the
// JavaScript expression returns (which may be inside a shadow root).
func (tb *tab) click(elemExpr string) {
	tb.t.Helper()
	type point struct{ X, Y float64 }
	p := evalJS[*point](tb, `(() => {
		const e = `+elemExpr+`;
		if (!e) return null;
		e.scrollIntoView({block: 'center'});
		const r = e.getBoundingClientRect();
		return {X: r.left + r.width / 2, Y: r.top + r.height / 2};
	})()`)
	if p == nil {
		tb.t.Fatalf("click: no element %s", elemExpr)
	}
	if tb.mobile {
		tb.do(chromedp.TapXY(p.X, p.Y))
	} else {
		tb.do(chromedp.MouseClickXY(p.X, p.Y))
	}
}

// typeText focuses the element and types text with key events.
func (tb *tab) typeText(elemExpr, text string) {
	tb.t.Helper()
	evalJS[chromedp.Void](tb, `(`+elemExpr+`).focus()`)
	tb.do(chromedp.KeyEvent(text))
}

// requestLog returns a copy of the URLs requested so far.
func (tb *tab) requestLog() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.requests...)
}

// pageErrors returns the exceptions and console errors seen so far.
func (tb *tab) pageErrors() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.exceptions...)
}

// assertOnlyOrigins checks that every request went to one of the origins
// (the product must work without any external resource).
func (tb *tab) assertOnlyOrigins(origins ...string) {
	tb.t.Helper()
	allowed := map[string]bool{}
	for _, o := range origins {
		allowed[o] = true
	}
	reqs := tb.requestLog()
	if len(reqs) == 0 {
		tb.t.Fatal("no request recorded: the network log is not working")
	}
	for _, r := range reqs {
		u, err := url.Parse(r)
		if err != nil {
			tb.t.Errorf("unparsable request URL %q", r)
			continue
		}
		if u.Scheme == "data" {
			continue
		}
		if origin := u.Scheme + "://" + u.Host; !allowed[origin] {
			tb.t.Errorf("request left the allowed origins %v: %s", origins, r)
		}
	}
}

// assertNoPageErrors fails on any uncaught exception or console error.
func (tb *tab) assertNoPageErrors() {
	tb.t.Helper()
	if errs := tb.pageErrors(); len(errs) > 0 {
		tb.t.Errorf("page errors: %q", errs)
	}
}

// screenshot saves the viewport as PNG under testdata/screenshots when
// UPDATE_SCREENSHOTS=1.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	if os.Getenv("UPDATE_SCREENSHOTS") != "1" {
		return
	}
	buf, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("screenshot: %v", err)
	}
	dir := filepath.Join("testdata", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("wrote %s", path)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Small actions with readable names.

func keys(s string) chromedp.Action[chromedp.Void] { return chromedp.KeyEvent(s) }
func reload() chromedp.Action[chromedp.Void]       { return chromedp.Reload() }
func sleep(ms int) chromedp.Action[chromedp.Void] {
	return chromedp.Sleep(time.Duration(ms) * time.Millisecond)
}

// imeCompose opens (or updates) an input-method composition in the focused
// element, as typing pinyin does before a candidate is chosen.
func imeCompose(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		n := int64(len([]rune(text)))
		_, err := cdp.Call(ctx, t, input.ImeSetComposition, input.ImeSetCompositionParams{
			Text: text, SelectionStart: n, SelectionEnd: n,
		})
		return err
	})
}

// imeCommit ends the composition with the chosen text.
func imeCommit(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
		return err
	})
}

// pressKey types one printable key the way a real keyboard does: rawKeyDown,
// char, keyUp. Unlike chromedp.KeyEvent (keyDown, char), a page that cancels
// the keydown also suppresses the char, as in a real browser.
func pressKey(key, code string, keyCode int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, p := range []input.DispatchKeyEventParams{
			{Type: input.DispatchKeyEventTypeRawKeyDown, Key: key, Code: code, WindowsVirtualKeyCode: keyCode},
			{Type: input.DispatchKeyEventTypeChar, Key: key, Code: code, Text: key, UnmodifiedText: key},
			{Type: input.DispatchKeyEventTypeKeyUp, Key: key, Code: code, WindowsVirtualKeyCode: keyCode},
		} {
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, p); err != nil {
				return err
			}
		}
		return nil
	})
}
