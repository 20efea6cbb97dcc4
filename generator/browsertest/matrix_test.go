package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestMatrixPages loads each matrix page on a phone and a desktop, scrolls
// the table both ways and checks that the header row and the first column
// stay in view, applies a level filter and checks which cells stay
// visible, and saves screenshots.
func TestMatrixPages(t *testing.T) {
	b := New(t)
	base := Serve(t, buildExample(t).Files)
	shots := ScreenshotDir(t)
	for _, path := range []string{"matrix/", "programmatypen-matrix/", "programmatypen-vergeleken/"} {
		for _, vp := range []Viewport{Phone, Desktop} {
			t.Run(path+vp.Name, func(t *testing.T) {
				p := b.Open(t, base+path+"index.html", vp)
				p.Screenshot(t, shots, filepath.Base(path))
				if vp == Phone {
					noOverflow(t, p)
				}
				// Scroll the table's own box to its far corner.
				Eval[bool](t, p, `(() => { const s = document.querySelector(".matrix-scroll"); s.scrollTop = s.scrollHeight; s.scrollLeft = s.scrollWidth; return true })()`)
				time.Sleep(100 * time.Millisecond)
				got := Eval[map[string]float64](t, p, `(() => {
					const s = document.querySelector(".matrix-scroll").getBoundingClientRect();
					const head = document.querySelector(".matrix thead th").getBoundingClientRect();
					const first = document.querySelector(".matrix tbody tr:last-child th").getBoundingClientRect();
					const scroller = document.querySelector(".matrix-scroll");
					return {boxTop: s.top, boxLeft: s.left, headTop: head.top, firstLeft: first.left,
						scrolledY: scroller.scrollTop, scrolledX: scroller.scrollLeft, overflowX: scroller.scrollWidth - scroller.clientWidth}
				})()`)
				if got["scrolledY"] <= 0 {
					t.Fatalf("the table did not scroll: %v", got)
				}
				// The caption sits above the header row until the table
				// scrolls past it, so the header may be up to a caption
				// lower; it must never leave the box.
				if d := got["headTop"] - got["boxTop"]; d < -1 || d > 40 {
					t.Errorf("header row moved out of view: header top %v, box top %v", got["headTop"], got["boxTop"])
				}
				if got["overflowX"] > 0 {
					if d := got["firstLeft"] - got["boxLeft"]; d < -1 || d > 3 {
						t.Errorf("first column moved out of view: left %v, box left %v (scrolled %v)", got["firstLeft"], got["boxLeft"], got["scrolledX"])
					}
				}
				p.Screenshot(t, shots, filepath.Base(path)+"-scrolled")
				p.NoErrors(t)
			})
		}
	}
}

// TestMatrixFilter applies the level filter and checks that exactly the
// cells of that level stay visible, and that sorting by a column puts the
// strongest levels first.
func TestMatrixFilter(t *testing.T) {
	b := New(t)
	base := Serve(t, buildExample(t).Files)
	p := b.Open(t, base+"matrix/index.html", Desktop)
	if err := p.Do(chromedp.Poll[chromedp.Void](`!document.querySelector(".matrix-controls").hidden`, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("the filter controls did not appear: %v", err)
	}
	if err := p.Do(chromedp.SetValue(chromedp.CSS("#kb_level_filter"), "kern")); err != nil {
		t.Fatal(err)
	}
	Eval[bool](t, p, `document.getElementById("kb_level_filter").dispatchEvent(new Event("change")) || true`)
	counts := Eval[map[string]int](t, p, `(() => {
		const cells = [...document.querySelectorAll("#kb_matrix td.cell")];
		const shown = cells.filter(c => c.dataset.level && !c.classList.contains("dim"));
		return {shown: shown.length, kern: cells.filter(c => c.dataset.level === "kern").length,
			wrong: shown.filter(c => c.dataset.level !== "kern").length}
	})()`)
	if counts["wrong"] != 0 || counts["shown"] != counts["kern"] || counts["kern"] == 0 {
		t.Errorf("after filtering on kern: %v, want only and all kern cells shown", counts)
	}
	// Sort by the first role's column: its kern rows come first.
	if err := p.Do(chromedp.Click(chromedp.CSS(`#kb_matrix thead th:nth-child(2) button`))); err != nil {
		t.Fatal(err)
	}
	ranks := Eval[[]int](t, p, `[...document.querySelectorAll("#kb_matrix tbody tr")].map(r => +r.children[1].dataset.rank || 99)`)
	for i := 1; i < len(ranks); i++ {
		if ranks[i] < ranks[i-1] {
			t.Fatalf("rows not sorted by the first column: %v", ranks)
		}
	}
	p.NoErrors(t)
}

// TestSearchExample types Dutch queries into the real search field of the
// example site, served over HTTP and opened from disk, on a phone and a
// desktop. A concept's name puts the page about it first; other queries
// find their article among the first three.
func TestSearchExample(t *testing.T) {
	b := New(t)
	site := buildExample(t)
	dir := t.TempDir()
	for name, data := range site.Files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bases := map[string]string{"http": Serve(t, site.Files), "file": "file://" + dir + "/"}
	queries := []struct {
		q, top string
		first  bool // top must be the first result, not just among the first three
	}{
		{"contracteren", "Psychologisch contracteren", true},
		{"eigenaarschap", "Eigenaarschap teruggeven", false},
		{"leerbegeleiders", "", false},
		{"systeemdyn", "Systeemdynamiek", false},
		{"cocreatie", "Het cocreatieteam", false},
	}
	// settled is true once the results shown are those search.js gives for
	// the whole text in the field, not those of a word half typed.
	const settled = `(() => {
		const q = document.getElementById("kb_search_input").value;
		const want = window.__kbWant;
		if (!want || want.q !== q) {
			const w = window.__kbWant = {q: q};
			__kbSearch.query(q, "").then(r => { w.titles = r.results.map(x => x.title); });
			return false;
		}
		const shown = [...document.querySelectorAll("#kb_search_results .kb-search__title")].map(e => e.textContent);
		return want.titles !== undefined && JSON.stringify(shown) === JSON.stringify(want.titles);
	})()`
	for scheme, base := range bases {
		for _, vp := range []Viewport{Phone, Desktop} {
			t.Run(fmt.Sprintf("%s/%s", scheme, vp.Name), func(t *testing.T) {
				p := b.Open(t, base+"rollen/coach-en-beoordelaar/index.html", vp)
				if err := p.Do(chromedp.Poll[chromedp.Void](`document.querySelector(".kb-search--js") !== null`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
					t.Fatalf("search did not start: %v", err)
				}
				for _, q := range queries {
					Eval[bool](t, p, `(() => { const i = document.getElementById("kb_search_input"); i.value = ""; i.dispatchEvent(new Event("input")); return true })()`)
					if err := p.Do(chromedp.Click(chromedp.CSS("#kb_search_input")), chromedp.KeyEvent(q.q),
						chromedp.WaitVisible(chromedp.CSS("#kb_search_results-0"))); err != nil {
						t.Fatalf("%q: no results: %v", q.q, err)
					}
					if err := p.Do(chromedp.Poll[chromedp.Void](settled, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
						t.Fatalf("%q: the results shown are not those of the whole query: %v", q.q, err)
					}
					got := Eval[[]string](t, p, `[...document.querySelectorAll("#kb_search_results .kb-search__title")].map(e => e.textContent)`)
					top3 := got[:min(3, len(got))]
					t.Logf("%q: %q", q.q, top3)
					inTop3 := false
					for _, title := range top3 {
						inTop3 = inTop3 || title == q.top
					}
					switch {
					case q.top == "":
					case q.first && got[0] != q.top:
						t.Errorf("%q: results %q, want %q first", q.q, got, q.top)
					case !inTop3:
						t.Errorf("%q: results %q, want %q among the first three", q.q, got, q.top)
					}
				}
				p.Screenshot(t, ScreenshotDir(t), "search-"+scheme)
				p.NoErrors(t)
			})
		}
	}
}
