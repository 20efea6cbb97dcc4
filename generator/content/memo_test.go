package content

import (
	"context"
	"testing"
	"testing/fstest"
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
