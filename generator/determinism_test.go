package generator

import (
	"bytes"
	"context"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

// TestDeterministic builds the example site twice, once on one CPU and
// once on all of them, and requires the same files with the same bytes:
// no map order, time or scheduling may reach the output.
func TestDeterministic(t *testing.T) {
	root := repoRoot(t)
	build := func(procs int) *Site {
		t.Helper()
		prev := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(prev)
		site, err := Build(context.Background(), Options{Source: root})
		if err != nil {
			t.Fatalf("building the example site: %v", err)
		}
		return site
	}
	a, b := build(1), build(max(4, runtime.NumCPU()))
	names := func(s *Site) []string {
		var out []string
		for n := range s.Files {
			out = append(out, n)
		}
		slices.Sort(out)
		return out
	}
	if diff := cmp.Diff(names(a), names(b)); diff != "" {
		t.Fatalf("file names differ between builds (-first +second):\n%s", diff)
	}
	for _, n := range names(a) {
		if !bytes.Equal(a.Files[n], b.Files[n]) {
			t.Errorf("%s differs between builds:\n%s", n, cmp.Diff(string(a.Files[n]), string(b.Files[n])))
		}
	}
	if diff := cmp.Diff(a.Diagnostics, b.Diagnostics); diff != "" {
		t.Errorf("diagnostics differ between builds (-first +second):\n%s", diff)
	}
}

// TestLazyEqualsFull builds the example site and every fixture site in
// full and lazily (as the dev server does), and requires the same files
// with the same bytes from Site.ReadAll, and the same answer from
// Site.File for each name.
func TestLazyEqualsFull(t *testing.T) {
	sources := map[string]Options{"example": {Source: repoRoot(t)}}
	for _, name := range fixtureNames(t) {
		f := loadFixture(t, name)
		sources[name] = Options{Source: writeSite(t, f.archive), Drafts: f.opts.Drafts}
	}
	// No fixture has aliases; their redirect pages are made lazily too.
	sources["aliases"] = Options{Source: writeSite(t, txtar.Parse([]byte(`-- site.toml --
title = "Aliassen"
-- content/notes/een.md --
+++
title = "Een"
aliases = ["oud/een", "/heel-oud/"]
+++
Tekst met [[Twee]].
-- content/notes/twee.md --
+++
title = "Twee"
+++
Tekst.
`)))}
	for name, opts := range sources {
		t.Run(name, func(t *testing.T) {
			full, ferr := Build(context.Background(), opts)
			opts.Lazy = true
			lazy, lerr := Build(context.Background(), opts)
			if (ferr == nil) != (lerr == nil) {
				t.Fatalf("full build: %v; lazy build: %v", ferr, lerr)
			}
			if ferr != nil {
				return
			}
			got, err := lazy.ReadAll(context.Background())
			if err != nil {
				t.Fatalf("ReadAll: %v", err)
			}
			if diff := cmp.Diff(names(full.Files), names(got)); diff != "" {
				t.Fatalf("file names (-full +lazy):\n%s", diff)
			}
			for n, want := range full.Files {
				if !bytes.Equal(got[n], want) {
					t.Errorf("%s differs:\n%s", n, cmp.Diff(string(want), string(got[n])))
				}
				b, ok, err := lazy.File(n)
				if !ok || err != nil || !bytes.Equal(b, want) {
					t.Errorf("File(%q) = %d bytes, %v, %v; want the full build's %d bytes", n, len(b), ok, err, len(want))
				}
			}
			if _, ok, _ := lazy.File("no/such/page/index.html"); ok {
				t.Error("File of a name the site does not have says it has it")
			}
		})
	}
}

func names(files map[string][]byte) []string {
	return slices.Sorted(maps.Keys(files))
}

// TestSinkEqualsFiles builds the example site twice: into Site.Files and
// then Write, and straight into a Writer as pages render (what "kennisbank
// build" does). Both output folders must hold the same files and bytes.
func TestSinkEqualsFiles(t *testing.T) {
	root := repoRoot(t)
	site, err := Build(context.Background(), Options{Source: root})
	if err != nil {
		t.Fatal(err)
	}
	a := filepath.Join(t.TempDir(), "a")
	if err := Write(context.Background(), site.Files, a, WriteOptions{Source: root, ContentDir: "content"}); err != nil {
		t.Fatal(err)
	}
	b := filepath.Join(t.TempDir(), "b")
	w, err := OpenWriter(context.Background(), b, WriteOptions{Source: root, ContentDir: "content"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	streamed, err := Build(context.Background(), Options{Source: root, Sink: w})
	if err != nil {
		t.Fatal(err)
	}
	if len(streamed.Files) != 0 {
		t.Errorf("a build with a sink kept %d files in Site.Files, want none", len(streamed.Files))
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, want := streamed.Stats.Files, site.Stats.Files; got != want {
		t.Errorf("Stats.Files: %d with a sink, %d without", got, want)
	}
	read := func(dir string) map[string]string {
		files := map[string]string{}
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			files[filepath.ToSlash(rel)] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	if diff := cmp.Diff(read(a), read(b)); diff != "" {
		t.Errorf("output folders differ (-Files and Write +Sink):\n%s", diff)
	}
}
