package generator

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"kennisbank/themes"
)

// cacheSite has a page, rollen/coach, that other pages reach in every way
// a page can be referred to: a wikilink by path, a Markdown link, a
// relation in front matter, an answer, a tag and its section's list.
const cacheSite = `
-- site.toml --
title = "Cache"

[[relations]]
key = "rollen"
targets = ["rollen"]
-- content/_index.md --
+++
title = "Start"
+++
Zie [[rollen/coach]].
-- content/rollen/_index.md --
+++
title = "Rollen"
+++
-- content/rollen/coach.md --
+++
title = "Coach"
tags = ["begeleiden"]
+++
## Werkwijze

De coach werkt met vragen.
-- content/rollen/mentor.md --
+++
title = "Mentor"
tags = ["begeleiden"]
+++
Anders dan de [coach](coach.md).
-- content/artikelen/_index.md --
+++
title = "Artikelen"
+++
-- content/artikelen/vragen.md --
+++
title = "Vragen stellen"
rollen = ["rollen/coach"]
+++
Lees [[rollen/coach#Werkwijze]] en [[Mentor]].
-- content/artikelen/antwoord.md --
+++
title = "Antwoord"
antwoord_op = "Vragen stellen"
+++
Een antwoord zonder links.
-- content/artikelen/los.md --
+++
title = "Los"
+++
Een pagina die niemand noemt.
`

func writeCacheSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range txtar.Parse([]byte(cacheSite)).Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s: %q not found", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// sameFiles reports every file that differs between two builds.
func sameFiles(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range slices.Compact(names) {
		if !bytes.Equal(got[n], want[n]) {
			t.Errorf("%s: %s differs from a build without a cache", what, n)
		}
	}
}

// TestCacheNeverStale edits a page that others refer to and rebuilds with
// the cache of the build before: every page that shows the page's title
// must change, and the whole output must be what a build without a cache
// makes.
func TestCacheNeverStale(t *testing.T) {
	for _, onDisk := range []bool{false, true} {
		name := map[bool]string{false: "memory", true: "disk"}[onDisk]
		t.Run(name, func(t *testing.T) {
			src := writeCacheSite(t)
			cache, dir := &Cache{}, t.TempDir()
			// On disk, every build reads the cache afresh and saves it,
			// as separate runs of kennisbank build do.
			build := func(c *Cache) *Site {
				t.Helper()
				if c != nil && onDisk {
					c = OpenCache(dir)
					cache = c
				}
				site, err := Build(context.Background(), Options{Source: src, Cache: c})
				if err != nil {
					t.Fatalf("build: %v", err)
				}
				if err := c.Save(); err != nil {
					t.Fatalf("saving the cache: %v", err)
				}
				return site
			}
			before := build(cache)
			if again := build(cache); cache.Hits == 0 {
				t.Fatalf("second build: no cache hits")
			} else {
				sameFiles(t, "unchanged rebuild", again.Files, before.Files)
			}

			editFile(t, filepath.Join(src, "content/rollen/coach.md"), `title = "Coach"`, `title = "Leercoach"`)
			after := build(cache)
			sameFiles(t, "after a title edit", after.Files, build(nil).Files)

			// Every page with an edge to the coach shows its title.
			coach := "rollen/coach/index.html"
			var referring []string
			for _, e := range after.Edges {
				if e.To.Path == "rollen/coach.md" {
					referring = append(referring, e.From.OutputPath())
				}
			}
			referring = append(referring, coach, "rollen/index.html", "tags/begeleiden/index.html", "a-z/index.html")
			slices.Sort(referring)
			referring = slices.Compact(referring)
			if len(referring) < 7 {
				t.Fatalf("only %d pages refer to the coach: %v", len(referring), referring)
			}
			for _, f := range referring {
				if bytes.Equal(before.Files[f], after.Files[f]) {
					t.Errorf("%s did not change after the coach's title changed", f)
				}
				if !strings.Contains(string(after.Files[f]), "Leercoach") {
					t.Errorf("%s does not show the new title", f)
				}
			}
			if !bytes.Equal(before.Files["artikelen/los/index.html"], after.Files["artikelen/los/index.html"]) {
				t.Errorf("a page that does not show the coach changed")
			}

			// A body edit: the page and the sentences quoted from it.
			editFile(t, filepath.Join(src, "content/artikelen/vragen.md"), "Lees [[", "Lees eerst [[")
			sameFiles(t, "after a body edit", build(cache).Files, build(nil).Files)
		})
	}
}

// TestDiskCacheBudget: a cache kept on disk keeps entries only up to its
// budget, and the builds it serves equal clean ones. A budget that holds
// half the site keeps about half; the next run renders the rest again.
func TestDiskCacheBudget(t *testing.T) {
	src := writeSite(t, txtar.Parse([]byte(cacheSite)))
	clean, err := Build(context.Background(), Options{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	full := OpenCache(t.TempDir())
	if _, err := Build(context.Background(), Options{Source: src, Cache: full}); err != nil {
		t.Fatal(err)
	}
	if full.size <= 0 || full.size > diskBudget {
		t.Fatalf("an unbounded run's cache: %d bytes", full.size)
	}
	dir := t.TempDir()
	for run := range 2 {
		c := OpenCache(dir)
		c.budget = full.size / 2
		site, err := Build(context.Background(), Options{Source: src, Cache: c})
		if err != nil {
			t.Fatal(err)
		}
		if c.size > c.budget {
			t.Errorf("run %d: the cache holds %d bytes, over its budget of %d", run, c.size, c.budget)
		}
		if c.size < c.budget/4 {
			t.Errorf("run %d: the cache holds only %d bytes of a budget of %d", run, c.size, c.budget)
		}
		var sum int64
		for _, e := range c.md {
			sum += e.bytes()
		}
		for _, e := range c.pages {
			sum += int64(len(e.out))
		}
		for _, e := range c.extras {
			sum += e.bytes()
		}
		if sum != c.size {
			t.Errorf("run %d: size says %d bytes, the entries hold %d", run, c.size, sum)
		}
		for name, want := range clean.Files {
			if !bytes.Equal(site.Files[name], want) {
				t.Errorf("run %d: %s differs from a clean build", run, name)
			}
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLazySearchIndexCached: a lazy build (the dev server's) makes the
// search index after it ended; the next build of the same sources must
// still find it in the cache. Found in review.
func TestLazySearchIndexCached(t *testing.T) {
	var cache Cache
	ctx := context.Background()
	opts := Options{Source: repoRoot(t), Cache: &cache, Lazy: true}
	a, err := Build(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.File("search/meta.js"); err != nil {
		t.Fatal(err)
	}
	b, err := Build(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if cache.extras["search"] == nil {
		t.Fatal("the next build of the same sources dropped the search index the one before stored")
	}
	before := cache.extras["search"]
	if _, _, err := b.File("search/meta.js"); err != nil {
		t.Fatal(err)
	}
	if cache.extras["search"] != before {
		t.Error("the second build made the search index again instead of taking it from the cache")
	}
}

// TestConcurrentBuildsShareCache: builds that run at once on one cache (a
// dev server may start one before the last has ended) each make what a
// build without a cache makes. Run it with -race too.
func TestConcurrentBuildsShareCache(t *testing.T) {
	src := writeCacheSite(t)
	want, err := Build(context.Background(), Options{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	cache := &Cache{}
	var wg sync.WaitGroup
	sites := make([]*Site, 4)
	errs := make([]error, len(sites))
	for i := range sites {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sites[i], errs[i] = Build(context.Background(), Options{Source: src, Cache: cache})
		}()
	}
	wg.Wait()
	for i, s := range sites {
		if errs[i] != nil {
			t.Fatalf("build %d: %v", i, errs[i])
		}
		sameFiles(t, fmt.Sprintf("build %d of 4 at once", i), s.Files, want.Files)
	}
	if again, err := Build(context.Background(), Options{Source: src, Cache: cache}); err != nil || cache.Hits == 0 {
		t.Fatalf("a build after them: %v, %d hits", err, cache.Hits)
	} else {
		sameFiles(t, "a build after them", again.Files, want.Files)
	}
}

// TestCacheFitsMemoryLimit: a disk cache gives way to the build when the
// site is too big for both within the memory limit (at 50,000 pages a
// cache beside the build took 3.5 GB against a 1.8 GB limit): it keeps
// nothing, drops what an earlier run kept, and the build is a clean one.
func TestCacheFitsMemoryLimit(t *testing.T) {
	src := writeCacheSite(t)
	clean, err := Build(context.Background(), Options{Source: src})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	roomy := OpenCache(dir)
	if _, err := Build(context.Background(), Options{Source: src, Cache: roomy}); err != nil {
		t.Fatal(err)
	}
	if roomy.size == 0 {
		t.Fatal("with memory to spare the cache kept nothing")
	}
	if err := roomy.Save(); err != nil {
		t.Fatal(err)
	}

	// A limit that the build alone fills.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(len(clean.Pages)) * buildBytesPerPage))
	tight := OpenCache(dir)
	site, err := Build(context.Background(), Options{Source: src, Cache: tight})
	if err != nil {
		t.Fatal(err)
	}
	// (Empty pages' entries hold nothing and may stay.)
	if tight.size != 0 || len(tight.pages) != 0 || tight.Hits != 0 {
		t.Errorf("under a tight limit the cache holds %d bytes, %d pages, %d hits", tight.size, len(tight.pages), tight.Hits)
	}
	sameFiles(t, "under a tight limit", site.Files, clean.Files)
	if err := tight.Save(); err != nil {
		t.Fatal(err)
	}
	again := OpenCache(dir)
	again.load()
	if again.size != 0 {
		t.Errorf("the saved cache still holds %d bytes", again.size)
	}
}

// TestThemeCopiedIntoSite: an author copies the built-in theme into the
// site to change it, while the dev server runs (one Cache); an edit of
// the copy's stylesheet must show. Found in review: the theme cache took
// the copy for the built-in theme and kept serving the built-in CSS.
func TestThemeCopiedIntoSite(t *testing.T) {
	src := writeCacheSite(t)
	cache := &Cache{}
	build := func() *Site {
		t.Helper()
		site, err := Build(context.Background(), Options{Source: src, Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		return site
	}
	build()
	sub, err := fs.Sub(themes.FS, "default")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(src, "themes", "default"), sub); err != nil {
		t.Fatal(err)
	}
	build()
	css := filepath.Join(src, "themes", "default", "static", "css", "main.css")
	if err := os.WriteFile(css, []byte("/* bewerkt */ body{color:red}"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := string(build().Files["css/main.css"]); got != "/* bewerkt */ body{color:red}" {
		t.Errorf("css/main.css after editing the site's copy of the theme: %.60q", got)
	}
}
