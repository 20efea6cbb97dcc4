package content

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"
)

// TestMemo loads a folder three times with one memo: unchanged files give
// equal pages that are copies, not the same page; a changed file is parsed
// again; a broken file keeps its error; a removed file is forgotten.
func TestMemo(t *testing.T) {
	fsys := fstest.MapFS{
		"a.md":     {Data: []byte("+++\ntitle = \"A\"\n+++\nTekst.\n")},
		"b.md":     {Data: []byte("+++\ntitle = \"B\"\n+++\nTekst.\n")},
		"kapot.md": {Data: []byte("+++\ntitle = \n+++\n")},
	}
	var memo Memo
	load := func() (map[string]*Page, Diagnostics) {
		t.Helper()
		set, diags := Load(context.Background(), fsys, Options{Memo: &memo})
		pages := map[string]*Page{}
		for _, p := range set.Pages {
			pages[p.Path] = p
		}
		return pages, diags
	}
	first, d1 := load()
	fsys["b.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"B2\"\n+++\nAnders.\n")}
	second, d2 := load()
	if first["a.md"] == second["a.md"] {
		t.Error("an unchanged file gave the same *Page twice: a build could change the page of the build before")
	}
	if first["a.md"].Title != "A" || second["a.md"].Title != "A" {
		t.Errorf("unchanged file: titles %q and %q, want A", first["a.md"].Title, second["a.md"].Title)
	}
	if got := second["b.md"]; got.Title != "B2" || string(got.Body) != "Anders.\n" {
		t.Errorf("changed file: title %q body %q, want the new ones", got.Title, got.Body)
	}
	if len(d1) != 1 || d1.Error() != d2.Error() {
		t.Errorf("the broken file's error: first load %v, second %v; want the same one error", d1, d2)
	}
	delete(fsys, "b.md")
	load()
	if _, ok := memo.entries["b.md"]; ok {
		t.Error("a removed file is still remembered")
	}
	if len(memo.entries) != 2 {
		t.Errorf("memo holds %d files, want 2", len(memo.entries))
	}
}

// TestMemoStat: with a real folder, a file the memo read while it was old
// enough is not read again while its stat stays the same, and every kind
// of change to it is seen: new bytes of the same size with the old
// modification time put back, a file replaced by a rename, a new file.
func TestMemoStat(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	page := func(title string) string { return "+++\ntitle = \"" + title + "\"\n+++\nTekst.\n" }
	write("a.md", page("Aaaa"))
	write("b.md", page("Bbbb"))
	memo := Memo{Margin: 50 * time.Millisecond} // well above the file system clock's tick
	load := func() map[string]string {
		t.Helper()
		set, diags := Load(context.Background(), os.DirFS(dir), Options{Memo: &memo})
		if len(diags) > 0 {
			t.Fatal(diags)
		}
		titles := map[string]string{}
		for _, p := range set.Pages {
			titles[p.Path] = p.Title
		}
		return titles
	}
	time.Sleep(60 * time.Millisecond) // older than the margin
	load()
	skipped := memo.skipped
	if got := load(); got["a.md"] != "Aaaa" || memo.skipped != skipped+2 {
		t.Fatalf("second load: titles %v, %d files not read; want Aaaa and both files trusted", got, memo.skipped-skipped)
	}

	// Same size, modification time put back: the change time tells.
	fi, err := os.Stat(filepath.Join(dir, "a.md"))
	if err != nil {
		t.Fatal(err)
	}
	write("a.md", page("Axxx"))
	if err := os.Chtimes(filepath.Join(dir, "a.md"), fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if got := load(); got["a.md"] != "Axxx" {
		t.Errorf("after a same-size edit with the old time put back: title %q, want Axxx", got["a.md"])
	}
	// Replaced by a rename (editors' atomic save).
	time.Sleep(60 * time.Millisecond)
	load()
	write("b.tmp", page("Byyy"))
	if err := os.Rename(filepath.Join(dir, "b.tmp"), filepath.Join(dir, "b.md")); err != nil {
		t.Fatal(err)
	}
	if got := load(); got["b.md"] != "Byyy" {
		t.Errorf("after a rename over the file: title %q, want Byyy", got["b.md"])
	}
	// A file read while it was fresh is read again next time.
	write("c.md", page("Cccc"))
	load()
	write("c.md", page("Czzz"))
	if got := load(); got["c.md"] != "Czzz" {
		t.Errorf("a file edited right after it was read: title %q, want Czzz", got["c.md"])
	}
}

// TestReadAtMost: the size from the listing is only a hint: a file that
// shrank or grew since is read as it is now, and never past the limit.
func TestReadAtMost(t *testing.T) {
	fsys := fstest.MapFS{"a.md": {Data: []byte("0123456789")}}
	tests := []struct {
		limit int
		size  int64
		want  string
	}{
		{100, 10, "0123456789"}, // as listed
		{100, 4, "0123456789"},  // grew since
		{100, 50, "0123456789"}, // shrank since
		{100, -1, "0123456789"}, // unknown
		{6, 10, "012345"},       // the limit holds
		{6, 3, "012345"},        // also when the file grew
		{6, -1, "012345"},
	}
	for _, tt := range tests {
		got, err := readAtMost(fsys, "a.md", tt.limit, tt.size)
		if err != nil || string(got) != tt.want {
			t.Errorf("readAtMost(limit %d, size %d) = %q, %v; want %q", tt.limit, tt.size, got, err, tt.want)
		}
	}
}
