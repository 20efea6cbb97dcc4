package browsertest

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"kennisbank/generator"
)

// buildExample builds the repository's example site in memory.
func buildExample(t *testing.T) *generator.Site {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("no go.mod above the test's working directory")
		}
		dir = filepath.Dir(dir)
	}
	site, err := generator.Build(context.Background(), generator.Options{Source: dir})
	if err != nil {
		t.Fatalf("building the example site: %v", err)
	}
	return site
}

// TestExampleSite opens the home page and an article of the example site
// on a phone and a desktop, as a reader using the keyboard would: no
// console errors, the skip link first and working, the main navigation
// working, and no sideways scrolling on a phone.
func TestExampleSite(t *testing.T) {
	b := New(t)
	base := Serve(t, buildExample(t).Files)
	shots := ScreenshotDir(t)
	pages := []struct{ name, path string }{
		{"home", "index.html"},
		{"artikel", "rollen/begeleider-van-de-leergroep/index.html"},
	}
	for _, pg := range pages {
		for _, vp := range []Viewport{Phone, Desktop} {
			t.Run(pg.name+"/"+vp.Name, func(t *testing.T) {
				p := b.Open(t, base+pg.path, vp)
				p.Screenshot(t, shots, pg.name)
				if vp == Phone {
					noOverflow(t, p)
				}

				// The first Tab reaches the skip link, shown on focus.
				if err := p.Do(chromedp.KeyEvent(kb.Tab)); err != nil {
					t.Fatal(err)
				}
				focused := Eval[string](t, p, `(e => e.tagName + "." + e.className + " " + e.getAttribute("href"))(document.activeElement)`)
				if want := "A.skip-link #kb_inhoud"; focused != want {
					t.Errorf("focus after the first Tab: got %q, want the skip link %q", focused, want)
				}
				if !Eval[bool](t, p, `(r => r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0 && r.right <= innerWidth)(document.activeElement.getBoundingClientRect())`) {
					t.Errorf("focused skip link: got it outside the window or hidden, want it visible")
				}
				// Following it moves focus to main#kb_inhoud.
				if err := p.Do(chromedp.KeyEvent(kb.Enter)); err != nil {
					t.Fatal(err)
				}
				if got := Eval[string](t, p, `document.activeElement.tagName + "#" + document.activeElement.id + " " + location.hash`); got != "MAIN#kb_inhoud #kb_inhoud" {
					t.Errorf("focus after following the skip link: got %q, want \"MAIN#kb_inhoud #kb_inhoud\"", got)
				}

				// The main navigation leads to the section.
				if err := p.Do(chromedp.Click(`//nav[contains(@class, "site-nav")]//a[normalize-space()="Rollen"]`)); err != nil {
					t.Fatalf("clicking Rollen in the main navigation: %v", err)
				}
				loc, err := p.WaitLocation("/rollen/index.html")
				if err != nil {
					t.Fatal(err)
				}
				if want := base + "rollen/index.html"; loc != want {
					t.Errorf("after clicking Rollen: got %s, want %s", loc, want)
				}
				if h1 := Eval[string](t, p, `document.querySelector("main h1").textContent`); h1 != "Rollen" {
					t.Errorf("after clicking Rollen: got heading %q, want \"Rollen\"", h1)
				}
				if vp == Phone {
					noOverflow(t, p)
				}
				p.NoErrors(t)
			})
		}
	}
}

// noOverflow fails when the page scrolls sideways, and names the widest
// elements that stick out.
func noOverflow(t *testing.T, p *Page) {
	t.Helper()
	width := Eval[int](t, p, "document.documentElement.scrollWidth")
	if width <= int(p.Viewport.Width) {
		return
	}
	// What sticks out: boxes past the right edge that no scroll box
	// holds, and the innermost boxes whose content (a long word, a table
	// that cannot shrink) is wider than they are.
	culprits := Eval[[]string](t, p, `(() => {
		const scrolled = e => { for (let a = e.parentElement; a; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return a !== document.documentElement && a !== document.body; return false; };
		const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + String(e.className).trim().split(/\s+/).join(".") : "");
		const all = [...document.querySelectorAll("body *")].filter(e => !scrolled(e));
		const past = all.filter(e => e.getBoundingClientRect().right > innerWidth + 1).map(e => name(e) + " right=" + Math.round(e.getBoundingClientRect().right));
		const wide = all.filter(e => getComputedStyle(e).overflowX === "visible" && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
			.filter(e => ![...e.children].some(c => c.scrollWidth > c.clientWidth + 1 || c.getBoundingClientRect().right > innerWidth + 1))
			.map(e => name(e) + " content " + e.scrollWidth + " wide in " + e.clientWidth);
		return past.concat(wide).slice(0, 5); })()`)
	t.Errorf("%s: got scrollWidth %d at %dpx, want at most %d (sticking out: %q)", p.URL, width, p.Viewport.Width, p.Viewport.Width, culprits)
}

// TestNoSidewaysScrollOnPhones opens the first page of every folder of
// the example site at phone width: none may scroll sideways (the skill
// pages once did, from their table of roles).
func TestNoSidewaysScrollOnPhones(t *testing.T) {
	b := New(t)
	site := buildExample(t)
	base := Serve(t, site.Files)
	first := map[string]string{}
	for name := range site.Files {
		dir, _, _ := strings.Cut(name, "/")
		if !strings.HasSuffix(name, "/index.html") || strings.Count(name, "/") < 2 {
			continue
		}
		if cur, ok := first[dir]; !ok || name < cur {
			first[dir] = name
		}
	}
	if len(first) < 6 {
		t.Fatalf("pages to check: %v, want one in each of the example's folders", first)
	}
	for _, dir := range slices.Sorted(maps.Keys(first)) {
		t.Run(dir, func(t *testing.T) {
			noOverflow(t, b.Open(t, base+first[dir], Phone))
		})
	}
}
