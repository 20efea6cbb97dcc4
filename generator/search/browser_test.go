package search

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const chromiumPath = "/usr/bin/chromium"

// TestBrowser runs search.js in headless Chromium on a site written to a
// temporary folder and opened over file://: the stemmer and normaliser
// against the Go ones, the ranking against the Go copy in query_test.go,
// and the search field as a visitor uses it, on a phone and a desktop.
func TestBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser test needs %s: %v", chromiumPath, err)
		}
		t.Skipf("skipping browser test: %s not found (install chromium; with CI=true this fails)", chromiumPath)
	}
	dir := writeTestSite(t)
	page := "file://" + filepath.ToSlash(filepath.Join(dir, "rollen", "leerbegeleider", "index.html"))

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ctx, cancel = chromedp.NewExecAllocator(ctx, opts...)
	defer cancel()
	ctx, cancel = chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("open %s: %v", page, err)
	}

	t.Run("stem vectors", func(t *testing.T) {
		vs := readStemVectors(t)
		mismatches, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(
			`%s.filter(v => __kbSearch.stem(v.Word) !== v.Stem)
				.map(v => v.Word + ": got " + __kbSearch.stem(v.Word) + ", want " + v.Stem)`, mustJSON(t, vs))))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mismatches {
			t.Errorf("search.js stem %s", m)
		}
		t.Logf("%d stem vectors checked in Chromium", len(vs))
	})

	t.Run("normalize", func(t *testing.T) {
		data, err := os.ReadFile("testdata/normalize.txt")
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, l := range strings.Split(string(data), "\n") {
			if l != "" && !strings.HasPrefix(l, "#") {
				lines = append(lines, l)
			}
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](fmt.Sprintf(
			`%s.map(l => __kbSearch.normalize(l))`, mustJSON(t, lines))))
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range lines {
			want := Normalize(l)
			if want == nil {
				want = []string{}
			}
			if diff := cmp.Diff(want, got[i]); diff != "" {
				t.Errorf("normalize(%q): search.js differs from Go (-go +js):\n%s", l, diff)
			}
		}
	})

	t.Run("ranking as in Go", func(t *testing.T) {
		files, err := Build(testDocs())
		if err != nil {
			t.Fatal(err)
		}
		ix := openIndex(t, files)
		queries := []struct{ q, typ string }{
			{"contracteren", ""}, {"contracte", ""}, {"contract", ""}, {"leerbegeleiders", ""},
			{"eigenaarschap ", ""}, {"interveniëren", ""}, {"vaardighe", ""}, {"groep", ""},
			{"dynamiek ", ""}, {"psychologisch contract", ""}, {"leer", "rol"}, {"de groep", "begrip"},
			{"leermanager xyzzy", ""}, {"de het ", ""},
			// Name matches: whole names, half names, aliases, an open word.
			{"systeemdynamiek ", ""}, {"groepsdynamiek", ""}, {"impliciet contract ", ""},
			{"contractant van het leren", ""}, {"eigenaarschap", "dialoog"}, {"open programma", ""},
		}
		type jsResult struct {
			Total  int
			URLs   []string
			Scores []float64
		}
		for _, q := range queries {
			want, wantTotal, _ := ix.query(q.q, q.typ, maxResults)
			got, err := chromedp.Run(ctx, chromedp.Evaluate[jsResult](fmt.Sprintf(
				`__kbSearch.query(%s, %s).then(r => ({Total: r.total, URLs: r.results.map(x => x.url), Scores: r.results.map(x => x.score)}))`,
				mustJSON(t, q.q), mustJSON(t, q.typ)), chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			wantURLs := topURLs(want)
			if diff := cmp.Diff(wantURLs, got.URLs, cmpopts.EquateEmpty()); diff != "" || got.Total != wantTotal {
				t.Errorf("query %q type %q: search.js found %d, Go %d; results (-go +js):\n%s", q.q, q.typ, got.Total, wantTotal, diff)
			}
			var wantScores []float64
			for _, r := range want {
				wantScores = append(wantScores, r.Score)
			}
			if diff := cmp.Diff(wantScores, got.Scores, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("query %q type %q: scores differ (-go +js):\n%s", q.q, q.typ, diff)
			}
		}
	})

	for _, width := range []int64{360, 1280} {
		t.Run(fmt.Sprintf("ui %dpx", width), func(t *testing.T) {
			testUI(t, ctx, page, width)
		})
	}
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// eval runs a JavaScript expression in the page and decodes its value.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// testUI types into the search field like a visitor: "/" to focus,
// results as you type, the type filter, arrow keys and Enter.
func testUI(t *testing.T, ctx context.Context, page string, width int64) {
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(width, 800),
		chromedp.Navigate(page),
		chromedp.WaitReady("body"),
		chromedp.Poll[chromedp.Void](`document.querySelector(".kb-search--js") !== null`, chromedp.WithPollingTimeout(10*time.Second)),
		pressKey("/", "Slash", 191),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.activeElement.id`); got != "kb_search_input" {
		t.Fatalf("after /: focus on %q, want the search field", got)
	}
	if got := eval[string](t, ctx, `document.activeElement.value`); got != "" {
		t.Errorf("after /: the field holds %q, want it empty", got)
	}
	err = chromedp.Do(ctx,
		chromedp.KeyEvent("contracteren"),
		chromedp.WaitVisible(chromedp.CSS("#kb_search_results-0")),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The results of a word half typed may show first; wait for the whole word's.
	err = chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`document.querySelector("#kb_search_results-0 .kb-search__title").textContent === "Psychologisch contracteren"`,
		chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil {
		got := eval[string](t, ctx, `document.querySelector("#kb_search_results-0 .kb-search__title").textContent`)
		t.Errorf("top result %q, want Psychologisch contracteren", got)
	}
	if got := eval[string](t, ctx, `document.querySelector("#kb_search_results-0 .kb-search__title mark").textContent`); got != "contracteren" {
		t.Errorf("highlighted %q in the top title, want contracteren", got)
	}
	if got := eval[string](t, ctx, `document.querySelector(".kb-search__status").textContent`); !strings.HasSuffix(got, " resultaten") || strings.HasPrefix(got, "0") {
		t.Errorf("status %q, want a count of resultaten", got)
	}
	if got := eval[string](t, ctx, `document.getElementById("kb_search_input").getAttribute("aria-expanded")`); got != "true" {
		t.Errorf("aria-expanded = %q with results shown, want true", got)
	}
	panel := eval[map[string]float64](t, ctx, `(() => {
		const r = document.querySelector(".kb-search__panel").getBoundingClientRect();
		return {left: r.left, right: r.right, width: r.width, vw: document.documentElement.clientWidth}; })()`)
	if panel["left"] < 0 || panel["right"] > panel["vw"] || panel["width"] < 200 {
		t.Errorf("results panel at %v, want inside the %dpx viewport", panel, width)
	}

	// Filter on the type "rol", then choose the first result with the keyboard.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.kb-search__filter[data-type="rol"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector("#kb_search_results-0")?.dataset.type === "rol"`, chromedp.WithPollingTimeout(5*time.Second)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.querySelector("#kb_search_results-0 .kb-search__title").textContent`); got != "Contractant van het leren" {
		t.Errorf("top result of type rol %q, want Contractant van het leren", got)
	}
	if got := eval[string](t, ctx, `document.querySelector('.kb-search__filter[data-type="rol"]').getAttribute("aria-pressed")`); got != "true" {
		t.Errorf("filter rol: aria-pressed = %q, want true", got)
	}
	if got := eval[int](t, ctx, `[...document.querySelectorAll(".kb-search__result")].filter(li => li.dataset.type !== "rol").length`); got != 0 {
		t.Errorf("filter rol shows %d results of other types", got)
	}
	err = chromedp.Do(ctx,
		chromedp.Focus(chromedp.CSS("#kb_search_input")),
		chromedp.KeyEvent(kb.ArrowDown),
	)
	if err != nil {
		t.Fatal(err)
	}
	active := eval[string](t, ctx, `document.getElementById("kb_search_input").getAttribute("aria-activedescendant")`)
	selected := eval[string](t, ctx, `document.getElementById("kb_search_results-0").getAttribute("aria-selected")`)
	if active != "kb_search_results-0" || selected != "true" {
		t.Errorf("after ArrowDown: aria-activedescendant %q, aria-selected %q; want the first option selected", active, selected)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	// Enter navigates; poll from Go, as the page's context goes away.
	const want = "/rollen/contractant-van-het-leren/index.html"
	var loc string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if loc, err = chromedp.Run(ctx, chromedp.Location()); err == nil && strings.HasSuffix(loc, want) {
			return
		}
	}
	t.Errorf("after Enter on the first result: at %s (%v), want …%s", loc, err, want)
}

// pressKey presses a printable key the way a keyboard does: one keyDown
// that carries the text, so that preventDefault on keydown keeps the
// character from being typed. (KeyEvent sends a separate char event.)
func pressKey(text, code string, keyCode int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
			p := input.DispatchKeyEventParams{Type: typ, Key: text, Code: code, WindowsVirtualKeyCode: keyCode}
			if typ == input.DispatchKeyEventTypeKeyDown {
				p.Text, p.UnmodifiedText = text, text
			}
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, p); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeTestSite writes the index of testDocs, search.js, search.css and a
// page per document, each with the search partial, to a temporary folder.
func writeTestSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files, err := Build(testDocs())
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{"js/search.js", "css/search.css"} {
		b, err := os.ReadFile("../../themes/default/static/" + src)
		if err != nil {
			t.Fatal(err)
		}
		files[src] = b
	}
	for _, d := range append(testDocs(), Doc{URL: "", Title: "Kennisbank"}) {
		depth := strings.Count(d.URL, "/")
		files[d.URL+"index.html"] = []byte(testPage(t, d.Title, strings.Repeat("../", depth)))
	}
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func testPage(t *testing.T, title, root string) string {
	return `<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + title + `</title>
<style>
:root { --fg: #1f2328; --bg: #fdfdfb; --muted: #5b6470; --accent: #0b5cad; --border: #d6dae0; }
body { margin: 0; font: 1rem/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; justify-content: space-between; padding: .75rem 1rem; }
</style>
<link rel="stylesheet" href="` + root + `css/search.css">
</head>
<body>
<header><a href="` + root + `index.html">Kennisbank</a>
` + renderPartial(t, root) + `
</header>
<main><h1>` + title + `</h1></main>
</body>
</html>
`
}
