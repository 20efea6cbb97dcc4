package generator

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

// siteBase is a valid site that error cases add a broken file to.
const siteBase = `
-- site.toml --
title = "Fouten"
-- content/_index.md --
+++
title = "Start"
+++
-- content/rollen/coach.md --
+++
title = "Coach"
+++
Tekst.
`

// TestBuildErrors checks that Build reports each content error as a
// diagnostic at the file, line and column to fix, every error at once,
// sorted, and returns a *BuildError.
func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name  string
		files string // txtar added to siteBase
		want  []string
	}{
		{
			name: "malformed TOML front matter",
			files: `-- content/kapot.md --
+++
title = "Kapot"
weight = = 3
+++
`,
			want: []string{"content/kapot.md:3:10: invalid TOML front matter: expected value but found '=' instead [front-matter]"},
		},
		{
			name: "missing title",
			files: `-- content/naamloos.md --
+++
summary = "Geen titel"
+++
`,
			want: []string{`content/naamloos.md:1:1: front matter has no title: add title = "…" [missing-title]`},
		},
		{
			name: "two files with one URL",
			files: `-- content/rollen/coach/_index.md --
+++
title = "Coaches"
+++
`,
			want: []string{"content/rollen/coach/_index.md:1:1: rollen/coach.md and rollen/coach/_index.md both become /rollen/coach/: give one of them another file name or slug [duplicate-url]"},
		},
		{
			name: "a slug that takes another page's URL",
			files: `-- content/rollen/trainer.md --
+++
title = "Trainer"
slug = "coach"
+++
`,
			want: []string{"content/rollen/trainer.md:3:1: rollen/coach.md and rollen/trainer.md both become /rollen/coach/: give one of them another file name or slug [duplicate-url]"},
		},
		{
			name: "every error at once, sorted",
			files: `-- content/b.md --
+++
title = "B"
weight = "zwaar"
+++
-- content/a.md --
+++
+++
`,
			want: []string{
				`content/a.md:1:1: front matter has no title: add title = "…" [missing-title]`,
				"content/b.md:3:1: weight must be a whole number [front-matter]",
			},
		},
		{
			name: "unknown site.toml key",
			files: `-- site.toml --
title = "Fouten"
titel = "Fouten"
`,
			want: []string{`site.toml:2:1: unknown key "titel" in site.toml: remove it or check its spelling (see README, site.toml reference) [unknown-key]`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := txtar.Parse([]byte(siteBase))
			for _, f := range txtar.Parse([]byte(tt.files)).Files {
				a.Files = replaceFile(a.Files, f)
			}
			dir := writeSite(t, a)
			// Build from inside the site folder, as "kennisbank build"
			// does by default, so paths are relative to it.
			t.Chdir(dir)
			_, err := Build(context.Background(), Options{Source: "."})
			var be *BuildError
			if !errors.As(err, &be) {
				t.Fatalf("got error %v, want a *BuildError", err)
			}
			var got []string
			for _, d := range be.Diagnostics {
				got = append(got, d.String()+" ["+d.Code+"]")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func replaceFile(files []txtar.File, f txtar.File) []txtar.File {
	for i := range files {
		if files[i].Name == f.Name {
			files[i] = f
			return files
		}
	}
	return append(files, f)
}

// snapshot reads every file under dir, so a test can tell whether a
// folder changed byte for byte.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[rel+"/"] = ""
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWriteRefuses checks every output folder Write refuses, and that a
// refused folder is left as it was.
func TestWriteRefuses(t *testing.T) {
	files := map[string][]byte{"index.html": []byte("<p>nieuw</p>")}
	tmp := t.TempDir()
	home := filepath.Join(tmp, "home")
	t.Setenv("HOME", home)
	src := filepath.Join(tmp, "site")
	for _, d := range []string{home, filepath.Join(src, "content", "rollen"), filepath.Join(tmp, "vreemd"), filepath.Join(tmp, "oud")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "vreemd", "foto.jpg"), []byte("jpg"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A folder kennisbank wrote, with one file added by hand.
	if err := Write(context.Background(), files, filepath.Join(tmp, "oud"), WriteOptions{Source: src, ContentDir: "content"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "oud", "notitie.txt"), []byte("mijn"), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, dir string
		want      string
	}{
		{"the site folder", src, "it is the site folder or a parent of it"},
		{"a parent of the site folder", tmp, "it is the site folder or a parent of it"},
		{"the content folder", filepath.Join(src, "content"), "it is, contains or lies inside the content folder"},
		{"inside the content folder", filepath.Join(src, "content", "rollen"), "it is, contains or lies inside the content folder"},
		{"the home folder", home, "it is your home folder"},
		{"the root", "/", "it is the root of the file system"},
		{"a folder with other files", filepath.Join(tmp, "vreemd"), "it has files kennisbank did not write; empty it, choose another folder, or pass --force to replace it"},
		{"an output folder with a file added", filepath.Join(tmp, "oud"), "notitie.txt was not written by kennisbank; move it to static/ so every build copies it, or pass --force to replace the folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before map[string]string
			if tt.dir != "/" {
				before = snapshot(t, tt.dir)
			}
			err := Write(context.Background(), files, tt.dir, WriteOptions{Source: src, ContentDir: "content"})
			if err == nil {
				t.Fatalf("got no error, want a refusal")
			}
			want := "refusing output folder " + tt.dir + ": " + tt.want
			if got := err.Error(); !strings.HasPrefix(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
			if tt.dir != "/" {
				if diff := cmp.Diff(before, snapshot(t, tt.dir)); diff != "" {
					t.Errorf("refused folder changed (-before +after):\n%s", diff)
				}
			}
		})
	}

	t.Run("a parent of a content folder outside the site", func(t *testing.T) {
		// content_dir may point elsewhere; its parent is refused too.
		dir := filepath.Join(tmp, "elders")
		err := Write(context.Background(), files, dir, WriteOptions{Source: src, ContentDir: "../elders/content"})
		want := "refusing output folder " + dir + ": it is, contains or lies inside the content folder"
		if err == nil || err.Error() != want {
			t.Errorf("got %v, want %q", err, want)
		}
	})
	t.Run("force replaces a folder with other files", func(t *testing.T) {
		dir := filepath.Join(tmp, "vreemd")
		if err := Write(context.Background(), files, dir, WriteOptions{Source: src, ContentDir: "content", Force: true}); err != nil {
			t.Fatalf("got %v, want the folder replaced", err)
		}
		want := map[string]string{"./": "", manifestName: "index.html\n", "index.html": "<p>nieuw</p>"}
		if diff := cmp.Diff(want, snapshot(t, dir)); diff != "" {
			t.Errorf("output (-want +got):\n%s", diff)
		}
	})
}

// TestWriteReplacesOwnOutput checks that Write replaces a folder it wrote
// before, removing files the new build no longer has, and leaves no
// staging folder behind.
func TestWriteReplacesOwnOutput(t *testing.T) {
	tmp := t.TempDir()
	out := filepath.Join(tmp, "public")
	opts := WriteOptions{Source: filepath.Join(tmp, "site"), ContentDir: "content"}
	first := map[string][]byte{"index.html": []byte("1"), "oud/index.html": []byte("oud")}
	second := map[string][]byte{"index.html": []byte("2"), "nieuw/index.html": []byte("nieuw")}
	for _, files := range []map[string][]byte{first, second} {
		if err := Write(context.Background(), files, out, opts); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{"./": "", manifestName: "index.html\nnieuw/index.html\n", "index.html": "2", "nieuw/": "", "nieuw/index.html": "nieuw"}
	if diff := cmp.Diff(want, snapshot(t, out)); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".staging-") || strings.Contains(e.Name(), ".old-") {
			t.Errorf("got %s beside the output folder, want no staging or old folder left", e.Name())
		}
	}
}

// TestWriteFailureKeepsOutput checks that a Write that fails half-way
// leaves the previous output byte for byte.
func TestWriteFailureKeepsOutput(t *testing.T) {
	tmp := t.TempDir()
	out := filepath.Join(tmp, "public")
	opts := WriteOptions{Source: filepath.Join(tmp, "site"), ContentDir: "content"}
	if err := Write(context.Background(), map[string][]byte{"index.html": []byte("oud"), "a/index.html": []byte("a")}, out, opts); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name  string
		ctx   context.Context
		files map[string][]byte
	}{
		{"canceled", canceled, map[string][]byte{"index.html": []byte("nieuw")}},
		{"a path outside the folder", context.Background(), map[string][]byte{"index.html": []byte("nieuw"), "../buiten.html": []byte("x")}},
		{"an absolute path", context.Background(), map[string][]byte{"index.html": []byte("nieuw"), "/etc/x": []byte("x")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Write(tt.ctx, tt.files, out, opts); err == nil {
				t.Fatalf("got no error, want one")
			}
			if diff := cmp.Diff(before, snapshot(t, out)); diff != "" {
				t.Errorf("output changed (-before +after):\n%s", diff)
			}
			if _, err := os.Stat(filepath.Join(tmp, "buiten.html")); err == nil {
				t.Errorf("got buiten.html written beside the output folder, want nothing written")
			}
		})
	}
}
