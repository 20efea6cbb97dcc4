package devserver

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const chromium = "/usr/bin/chromium"

// browser starts a headless Chromium for the test, with a fresh profile,
// and returns the context of its first tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing; CI must run the browser tests (apt-get install -y chromium)", chromium)
		}
		t.Skipf("%s is missing (apt-get install -y chromium); skipping the browser test", chromium)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// Start the browser now, without a timeout (a timeout would stop it).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", chromium, err)
	}
	return ctx
}

// tab is one browser tab on the dev server.
type tab struct {
	t   *testing.T
	ctx context.Context
	url string
}

// newTab opens another tab in the same browser.
func (b *tab) newTab() *tab {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.t.Cleanup(cancel)
	// The first run ties the tab to its context: no timeout here.
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("new tab: %v", err)
	}
	return &tab{t: b.t, ctx: ctx, url: b.url}
}

func (b *tab) open(path string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(b.url+path)); err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
}

// eval runs a script in the page and returns its boolean result; an error
// (the page is reloading) counts as false.
func (b *tab) eval(script string) (bool, string) {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script))
	if err != nil {
		return false, err.Error()
	}
	return v, ""
}

func (b *tab) do(script string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](script)); err != nil {
		b.t.Fatalf("%s: %v", script, err)
	}
}

// until polls a script in the page until it returns true.
func (b *tab) until(what, script string) {
	b.t.Helper()
	eventually(b.t, 20*time.Second, what, func() (bool, string) {
		ok, err := b.eval(script)
		return ok, err
	})
}

// TestBrowser opens two tabs in Chromium: both reload by themselves after
// an edit (keeping the scroll position), show the error overlay after a
// bad edit and drop it after the fix, and a stylesheet edit swaps the
// stylesheets without a reload.
func TestBrowser(t *testing.T) {
	dir := writeSite(t)
	var long strings.Builder
	for i := range 200 {
		fmt.Fprintf(&long, "Alinea %d van een lange pagina, om te kunnen scrollen.\n\n", i)
	}
	writeFile(t, dir+"/content/verhalen/lang.md", page("Lang", "Begin van de pagina.\n\n"+long.String()))
	h := startServer(t, dir)

	ctx := browser(t)
	one := &tab{t: t, ctx: ctx, url: h.url}
	one.open("/verhalen/lang/")
	two := one.newTab()
	two.open("/notes/een/")
	for _, tb := range []*tab{one, two} {
		// Wait for live reload to be listening before editing.
		tb.until("the page has the live reload script", `!!document.querySelector('script[src="/__kennisbank/live.js"]')`)
	}
	eventually(t, 10*time.Second, "both tabs listen", func() (bool, string) {
		return h.s.hub.count() >= 1, fmt.Sprintf("%d streams", h.s.hub.count())
	})
	one.do(`window.scrollTo(0, 1500); window.kbMarker = 1`)
	two.do(`window.kbMarker = 1`)

	// An edit reloads both tabs; the long page keeps its place.
	h.write("content/verhalen/lang.md", page("Lang", "Nieuw begin.\n\n"+long.String()))
	one.until("tab one reloads with the edit", `window.kbMarker === undefined && document.body.innerText.includes("Nieuw begin.")`)
	two.until("tab two reloads too", `window.kbMarker === undefined && document.readyState === "complete"`)
	one.until("tab one keeps its scroll position", `document.readyState === "complete" && Math.abs(window.scrollY - 1500) < 50`)

	// A bad edit: both tabs show the errors over the page.
	one.do(`window.kbMarker = 2`)
	two.do(`window.kbMarker = 2`)
	h.write("content/notes/een.md", "+++\ntitle = \"Een\nkapot\n+++\n")
	for i, tb := range []*tab{one, two} {
		tb.until(fmt.Sprintf("tab %d shows the error overlay", i+1),
			`(document.getElementById("kennisbank-errors") || {textContent: ""}).textContent.includes("content/notes/een.md:2:")`)
	}
	// A tab opened while the error lasts shows it too.
	three := one.newTab()
	three.open("/notes/twee/")
	three.until("a new tab shows the error overlay", `!!document.getElementById("kennisbank-errors")`)

	// The fix drops the overlay, and the tabs reload with the new page.
	h.write("content/notes/een.md", page("Een", "Hersteld."))
	for i, tb := range []*tab{one, two, three} {
		tb.until(fmt.Sprintf("tab %d drops the overlay", i+1), `document.readyState === "complete" && !document.getElementById("kennisbank-errors")`)
	}
	two.until("tab two shows the fixed page", `document.body.innerText.includes("Hersteld.")`)

	// A stylesheet edit swaps the stylesheets in place: no reload.
	one.do(`window.kbMarker = 3`)
	h.write("static/css/search.css", "body { border-top: 7px solid rgb(1, 2, 3); }\n") // overrides the theme's
	one.until("tab one has the new stylesheet without reloading",
		`window.kbMarker === 3 && getComputedStyle(document.body).borderTopWidth === "7px"`)
	h.write("static/css/search.css", "body { border-top: 9px solid rgb(1, 2, 3); }\n")
	one.until("and again",
		`window.kbMarker === 3 && getComputedStyle(document.body).borderTopWidth === "9px" && document.querySelectorAll('link[href*="search.css"]').length === 1`)
	t.Logf("%d tabs share %d event stream(s)", 3, h.s.hub.count())

	// The server goes away, the site changes, the server comes back on
	// the same port: the tab reconnects, learns it missed a build, and
	// reloads.
	port := h.url[strings.LastIndex(h.url, ":")+1:]
	h.stop()
	h.write("content/notes/een.md", page("Een", "Terwijl de server weg was."))
	h2 := startServer(t, dir, func(s *Server) { s.opts.Port, _ = strconv.Atoi(port) })
	if h2.url != h.url {
		t.Fatalf("restarted on %s, want %s", h2.url, h.url)
	}
	two.until("tab two reloads after the server returns", `document.body.innerText.includes("Terwijl de server weg was.")`)
}
