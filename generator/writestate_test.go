package generator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func inodeOf(t *testing.T, p string) uint64 {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	return inode(fi)
}

// TestWriteOnlyChanged writes a site three times with a cache on disk:
// unchanged, the folder is left alone; with one file changed, the others
// are the same files (linked) and the changed one is new; a file someone
// edited in the output is written again.
func TestWriteOnlyChanged(t *testing.T) {
	if inode(mustStat(t, ".")) == 0 {
		t.Skip("no inode numbers on this system")
	}
	// Unchanged files wait for Commit, or past the budget of bytes held
	// (a big site) are linked at once: the same folder either way.
	for _, budget := range []int{0, 1} {
		t.Run(map[int]string{0: "held", 1: "linked at once"}[budget], func(t *testing.T) { writeOnlyChanged(t, budget) })
	}
}

func writeOnlyChanged(t *testing.T, budget int) {
	ctx := context.Background()
	cache := OpenCache(t.TempDir())
	out := filepath.Join(t.TempDir(), "public")
	files := map[string][]byte{"index.html": []byte("home"), "a/index.html": []byte("a"), "b/index.html": []byte("b")}
	write := func() {
		t.Helper()
		if err := Write(ctx, files, out, WriteOptions{Cache: cache, pendingBudget: budget}); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	write()
	dirIno, aIno := inodeOf(t, out), inodeOf(t, filepath.Join(out, "a/index.html"))

	write()
	if got := inodeOf(t, out); got != dirIno {
		t.Errorf("unchanged site: the output folder was replaced")
	}

	files["b/index.html"] = []byte("b2")
	write()
	if got := inodeOf(t, out); got == dirIno {
		t.Errorf("changed site: the output folder was not swapped")
	}
	if got := inodeOf(t, filepath.Join(out, "a/index.html")); got != aIno {
		t.Errorf("unchanged a/index.html was written again, not linked")
	}
	if b, _ := os.ReadFile(filepath.Join(out, "b/index.html")); string(b) != "b2" {
		t.Errorf("b/index.html = %q, want %q", b, "b2")
	}

	// Someone edits a file of the output: the next write must repair it,
	// and must not write through the link into the old copy.
	if err := os.WriteFile(filepath.Join(out, "a/index.html"), []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	write()
	if b, _ := os.ReadFile(filepath.Join(out, "a/index.html")); string(b) != "a" {
		t.Errorf("after an edit in the output: a/index.html = %q, want %q", b, "a")
	}
	for name, want := range files {
		if b, _ := os.ReadFile(filepath.Join(out, name)); string(b) != string(want) {
			t.Errorf("%s = %q, want %q", name, b, want)
		}
	}
}

func mustStat(t *testing.T, p string) os.FileInfo {
	t.Helper()
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi
}

// TestDamagedCacheFile checks that a cache file cut short is an empty
// cache, not an error or a wrong page.
func TestDamagedCacheFile(t *testing.T) {
	src := writeCacheSite(t)
	dir := t.TempDir()
	c := OpenCache(dir)
	want, err := Build(context.Background(), Options{Source: src, Cache: c})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, cacheFile)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 10, len(cacheMagic) + 32, len(b) / 2, len(b) - 1} {
		if err := os.WriteFile(p, b[:n], 0o644); err != nil {
			t.Fatal(err)
		}
		c := OpenCache(dir)
		got, err := Build(context.Background(), Options{Source: src, Cache: c})
		if err != nil {
			t.Fatalf("cache cut at %d bytes: %v", n, err)
		}
		sameFiles(t, "damaged cache", got.Files, want.Files)
	}
}

// TestWriteRefusesNamesOutside: a file name that would leave the output
// folder is refused, nothing is written beside it, and the staging folder
// goes.
func TestWriteRefusesNamesOutside(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	for _, name := range []string{"../buiten.html", "/abs.html", "a/../../b.html", `a\b.html`, "a\x00b"} {
		err := Write(context.Background(), map[string][]byte{"index.html": []byte("x"), name: []byte("y")}, out, WriteOptions{Source: t.TempDir(), ContentDir: "content"})
		if err == nil || !strings.Contains(err.Error(), "refusing to write") {
			t.Errorf("%q: got %v, want a refusal", name, err)
		}
	}
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if e.Name() != ".public.lock" {
			t.Errorf("left beside the output folder: %s", e.Name())
		}
	}
}
