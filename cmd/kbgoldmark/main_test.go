package main

import (
	"context"
	"testing"
	"testing/fstest"
)

func TestStripFrontMatter(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"front matter", "+++\ntitle = \"x\"\n+++\n\n# Kop\n", "\n# Kop\n"},
		{"crlf", "+++\r\ntitle = \"x\"\r\n+++\r\nTekst", "Tekst"},
		{"none", "# Kop\n", "# Kop\n"},
		{"unclosed", "+++\ntitle = \"x\"\n", "+++\ntitle = \"x\"\n"},
		{"not a fence", "+++tekst\n+++\n", "+++tekst\n+++\n"},
		{"closing at end", "+++\na = 1\n+++", ""},
		{"empty front matter", "+++\n+++\nTekst", "Tekst"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(stripFrontMatter([]byte(tt.in))); got != tt.want {
				t.Errorf("stripFrontMatter(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRenderAll(t *testing.T) {
	page := "+++\ntitle = \"x\"\n+++\n\n## Kop\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\nTekst[^1].\n\n[^1]: Noot.\n"
	fsys := fstest.MapFS{
		"content/a.md":       {Data: []byte(page)},
		"content/sub/b.md":   {Data: []byte(page)},
		"content/sub/c.md":   {Data: []byte("Alleen tekst.\n")},
		"content/notes.txt":  {Data: []byte("no markdown")},
		"layouts/single.htm": {Data: []byte("<p>")},
	}
	tests := []struct {
		name    string
		workers int
	}{
		{"one worker", 1},
		{"more workers than files", 8},
		{"zero workers", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := renderAll(context.Background(), fsys, tt.workers)
			if err != nil {
				t.Fatal(err)
			}
			wantIn := int64(2*len(page) + len("Alleen tekst.\n"))
			if st.Files != 3 || st.In != wantIn {
				t.Errorf("got %d files, %d bytes; want 3 files, %d bytes", st.Files, st.In, wantIn)
			}
			// Two tables with footnotes and a paragraph make well over 300 bytes of HTML.
			if st.Out < 300 {
				t.Errorf("got %d bytes of HTML, want at least 300", st.Out)
			}
		})
	}
}

func TestRenderAllCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fsys := fstest.MapFS{"a.md": {Data: []byte("x")}, "b.md": {Data: []byte("y")}}
	if _, err := renderAll(ctx, fsys, 1); err == nil {
		t.Errorf("renderAll with a cancelled context returned no error")
	}
}
