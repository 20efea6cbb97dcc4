package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"kennisbank/generator"
)

// site is a small valid site; tests add or replace files.
const site = `
-- site.toml --
title = "Kennisbank"
base_url = "https://voorbeeld.nl/"
-- content/_index.md --
+++
title = "Start"
+++
Naar de [[Coach]].
-- content/rollen/_index.md --
+++
title = "Rollen"
+++
-- content/rollen/coach.md --
+++
title = "Coach"
date = 2026-03-01
+++
Tekst.
`

// writeSite writes site with the files of extra added or replaced into
// dir, creating it.
func writeSite(t *testing.T, dir, extra string) {
	t.Helper()
	files := map[string][]byte{}
	for _, a := range []string{site, extra} {
		for _, f := range txtar.Parse([]byte(a)).Files {
			files[f.Name] = f.Data
		}
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs the command line with env as its whole environment.
func run(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	c := &CLI{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }}
	code := c.Run(context.Background(), args)
	return result{code, stdout.String(), stderr.String()}
}

// snapshot reads every file under dir.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // substring
		stderr string // substring
	}{
		{name: "no command", args: nil, code: 2, stderr: "Usage:"},
		{name: "help", args: []string{"help"}, code: 0, stdout: "kennisbank build [flags]"},
		{name: "-h", args: []string{"-h"}, code: 0, stdout: "kennisbank check [flags]"},
		{name: "help of a command", args: []string{"help", "build"}, code: 0, stderr: "-force"},
		{name: "unknown command", args: []string{"bouw"}, code: 2, stderr: `kennisbank: unknown command "bouw"`},
		{name: "unknown flag", args: []string{"build", "--snel"}, code: 2, stderr: "flag provided but not defined: -snel"},
		{name: "stray argument", args: []string{"build", "extra"}, code: 2, stderr: `kennisbank build: unexpected argument "extra"`},
		{name: "check format", args: []string{"check", "--format", "xml"}, code: 2, stderr: `--format must be text or json, not "xml"`},
		{name: "new without title", args: []string{"new", "rollen"}, code: 2, stderr: `usage: kennisbank new SECTION "Titel"`},
		{name: "bad memory limit", args: []string{"build", "--memory-limit", "veel"}, code: 2, stderr: `--memory-limit "veel": not a size: write it as 512MiB, 1.5GiB or 2GB, or off`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, nil, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit code: got %d, want %d (stderr %q)", r.code, tt.code, r.stderr)
			}
			if !strings.Contains(r.stdout, tt.stdout) {
				t.Errorf("stdout: got %q, want it to contain %q", r.stdout, tt.stdout)
			}
			if !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr: got %q, want it to contain %q", r.stderr, tt.stderr)
			}
		})
	}
}

func TestBuild(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir, "")
	r := run(t, nil, "build", "--source", dir)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("got exit %d, stderr %q, want 0 and nothing", r.code, r.stderr)
	}
	out := filepath.Join(dir, "public")
	if !strings.HasPrefix(r.stdout, "built 3 pages in 2 sections, ") || !strings.Contains(r.stdout, " files written to "+out+" in ") {
		t.Errorf("stdout: got %q, want a summary naming %s", r.stdout, out)
	}
	files := snapshot(t, out)
	for _, f := range []string{"index.html", "rollen/index.html", "rollen/coach/index.html", "feed.xml", "sitemap.xml", ".kennisbank-manifest"} {
		if _, ok := files[f]; !ok {
			t.Errorf("%s: got no such file in the output, want one", f)
		}
	}

	t.Run("quiet", func(t *testing.T) {
		r := run(t, nil, "build", "--source", dir, "--quiet")
		if r.code != 0 || r.stdout != "" || r.stderr != "" {
			t.Errorf("got exit %d, stdout %q, stderr %q, want 0 and no output", r.code, r.stdout, r.stderr)
		}
	})
	t.Run("SOURCE_DATE_EPOCH", func(t *testing.T) {
		r := run(t, map[string]string{"SOURCE_DATE_EPOCH": "1767225600"}, "build", "--source", dir, "--quiet")
		if r.code != 0 {
			t.Fatalf("got exit %d, stderr %q, want 0", r.code, r.stderr)
		}
		feed, _ := os.ReadFile(filepath.Join(out, "feed.xml"))
		if want := "<updated>2026-01-01T00:00:00Z</updated>"; !strings.Contains(string(feed), want) {
			t.Errorf("feed.xml: got %q, want the build date %s", feed, want)
		}
		r = run(t, map[string]string{"SOURCE_DATE_EPOCH": "gisteren"}, "build", "--source", dir)
		if want := "kennisbank: SOURCE_DATE_EPOCH=\"gisteren\" is not a number of seconds\n"; r.code != 2 || r.stderr != want {
			t.Errorf("got exit %d, stderr %q, want 2 and %q", r.code, r.stderr, want)
		}
	})
}

// TestBuildErrors checks the message, position and exit code of each
// content error, and that the output folder stays as it was.
func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name  string
		files string
		want  []string // stderr lines
	}{
		{
			name: "malformed TOML front matter",
			files: `-- content/rollen/kapot.md --
+++
title = "Kapot"
tags = ["a" "b"]
+++
`,
			want: []string{"content/rollen/kapot.md:3:13: invalid TOML front matter: expected a comma (',') or array terminator (']'), but got '\"'"},
		},
		{
			name: "missing title",
			files: `-- content/rollen/naamloos.md --
+++
summary = "Zonder titel"
+++
`,
			want: []string{`content/rollen/naamloos.md:1:1: front matter has no title: add title = "…"`},
		},
		{
			name: "two files with one URL",
			files: `-- content/rollen/coach/_index.md --
+++
title = "Coaches"
+++
`,
			want: []string{"content/rollen/coach/_index.md:1:1: rollen/coach.md and rollen/coach/_index.md both become /rollen/coach/: give one of them another file name or slug"},
		},
		{
			name: "unknown site.toml key",
			files: `-- site.toml --
title = "Kennisbank"

[markup]
unsafe_html = false
typografie = true
`,
			want: []string{`site.toml:5:1: unknown key "markup.typografie" in site.toml: remove it or check its spelling (see README, site.toml reference)`},
		},
		{
			name: "unresolved link",
			files: `-- content/rollen/coach.md --
+++
title = "Coach"
+++
Zie de [[Trainer]].
`,
			want: []string{`content/rollen/coach.md:4:8: unresolved link "[[Trainer]]"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeSite(t, dir, "")
			// Build from inside the site folder, as authors do.
			t.Chdir(dir)
			if r := run(t, nil, "build", "--quiet"); r.code != 0 {
				t.Fatalf("first build: got exit %d, stderr %q, want 0", r.code, r.stderr)
			}
			before := snapshot(t, "public")
			writeSite(t, dir, tt.files)

			r := run(t, nil, "build")
			if r.code != 1 {
				t.Errorf("exit code: got %d, want 1", r.code)
			}
			lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
			if len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], "build failed: ") {
				t.Fatalf("stderr: got %q, want diagnostics and a last line \"build failed: …\"", r.stderr)
			}
			if got := lines[:len(lines)-1]; !cmp.Equal(tt.want, got) {
				t.Errorf("diagnostics (-want +got):\n%s", cmp.Diff(tt.want, got))
			}
			if want := "build failed: 1 error(s); the output folder was left as it was"; lines[len(lines)-1] != want {
				t.Errorf("last line: got %q, want %q", lines[len(lines)-1], want)
			}
			if r.stdout != "" {
				t.Errorf("stdout: got %q, want nothing", r.stdout)
			}
			if diff := cmp.Diff(before, snapshot(t, "public")); diff != "" {
				t.Errorf("output folder changed after a failed build (-before +after):\n%s", diff)
			}
			// Pages go to a staging folder while they render: a failed
			// build leaves none behind.
			for _, pattern := range []string{".public.staging-*", ".public.old-*"} {
				if left, _ := filepath.Glob(pattern); len(left) > 0 {
					t.Errorf("a failed build left %q beside the output folder", left)
				}
			}

			// check reports the same diagnostics, on stdout, with exit 1.
			r = run(t, nil, "check")
			if r.code != 1 || !strings.HasPrefix(r.stdout, tt.want[0]+"\n") {
				t.Errorf("check: got exit %d, stdout %q, want 1 and %q first", r.code, r.stdout, tt.want[0])
			}
		})
	}
}

// TestOutputFolderRefused checks every output folder build refuses, with
// its message and exit code, and that the folder is left as it was.
func TestOutputFolderRefused(t *testing.T) {
	tmp := t.TempDir()
	src := filepath.Join(tmp, "site")
	writeSite(t, src, "")
	home := filepath.Join(tmp, "home")
	foreign := filepath.Join(tmp, "eigen-map")
	for _, d := range []string{home, foreign} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(foreign, "foto.jpg"), []byte("jpg"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)

	tests := []struct {
		name, out string
		reason    string
	}{
		{"the site folder", src, "it is the site folder or a parent of it; use a folder such as " + filepath.Join(src, "public")},
		{"a parent of the site folder", tmp, "it is the site folder or a parent of it; use a folder such as " + filepath.Join(src, "public")},
		{"the content folder", filepath.Join(src, "content"), "it is, contains or lies inside the content folder"},
		{"a folder inside the content folder", filepath.Join(src, "content", "rollen"), "it is, contains or lies inside the content folder"},
		{"the home folder", home, "it is your home folder"},
		{"the root", "/", "it is the root of the file system"},
		{"a folder with files kennisbank did not write", foreign, "it has files kennisbank did not write; empty it, choose another folder, or pass --force to replace it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before map[string]string
			if tt.out != "/" {
				before = snapshot(t, tt.out)
			}
			r := run(t, nil, "build", "--source", src, "--out", tt.out)
			if r.code != 1 {
				t.Errorf("exit code: got %d, want 1", r.code)
			}
			if want := "kennisbank: write: refusing output folder " + tt.out + ": " + tt.reason + "\n"; r.stderr != want {
				t.Errorf("stderr: got %q, want %q", r.stderr, want)
			}
			if tt.out != "/" {
				if diff := cmp.Diff(before, snapshot(t, tt.out)); diff != "" {
					t.Errorf("refused folder changed (-before +after):\n%s", diff)
				}
			}
		})
	}

	t.Run("a parent of a content folder elsewhere", func(t *testing.T) {
		dir := filepath.Join(tmp, "apart")
		writeSite(t, dir, "-- site.toml --\ntitle = \"K\"\ncontent_dir = \"bronnen/content\"\n")
		writeSite(t, filepath.Join(dir, "bronnen"), "")
		out := filepath.Join(dir, "bronnen")
		r := run(t, nil, "build", "--source", dir, "--out", out)
		if want := "kennisbank: write: refusing output folder " + out + ": it is, contains or lies inside the content folder\n"; r.code != 1 || r.stderr != want {
			t.Errorf("got exit %d, stderr %q, want 1 and %q", r.code, r.stderr, want)
		}
	})

	t.Run("--force replaces a folder with other files", func(t *testing.T) {
		r := run(t, nil, "build", "--source", src, "--out", foreign, "--force", "--quiet")
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("got exit %d, stderr %q, want 0", r.code, r.stderr)
		}
		files := snapshot(t, foreign)
		if _, ok := files["foto.jpg"]; ok {
			t.Errorf("foto.jpg: got it kept, want the folder replaced")
		}
		if _, ok := files["index.html"]; !ok {
			t.Errorf("index.html: got no such file, want the site written")
		}
		// The folder is now kennisbank's: the next build needs no --force.
		if r := run(t, nil, "build", "--source", src, "--out", foreign, "--quiet"); r.code != 0 {
			t.Errorf("second build: got exit %d, stderr %q, want 0", r.code, r.stderr)
		}
	})

	t.Run("a file added to the output folder", func(t *testing.T) {
		out := filepath.Join(tmp, "uit")
		if r := run(t, nil, "build", "--source", src, "--out", out, "--quiet"); r.code != 0 {
			t.Fatalf("first build: got exit %d, stderr %q", r.code, r.stderr)
		}
		if err := os.WriteFile(filepath.Join(out, "rollen", "notitie.txt"), []byte("mijn"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := run(t, nil, "build", "--source", src, "--out", out)
		want := "kennisbank: write: refusing output folder " + out + ": " + filepath.Join("rollen", "notitie.txt") + " was not written by kennisbank; move it to static/ so every build copies it, or pass --force to replace the folder\n"
		if r.code != 1 || r.stderr != want {
			t.Errorf("got exit %d, stderr %q, want 1 and %q", r.code, r.stderr, want)
		}
	})
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	// An article nothing links to is only a warning.
	writeSite(t, dir, `-- content/rollen/wees.md --
+++
title = "Wees"
+++
Niemand verwijst hierheen.
`)
	r := run(t, nil, "check", "--source", dir)
	if r.code != 0 {
		t.Errorf("exit code: got %d, want 0 with only warnings", r.code)
	}
	want := `content/rollen/wees.md:1:1: warning: no page links to "Wees": link it from a related article`
	if !strings.HasPrefix(r.stdout, want+"\n") || !strings.Contains(r.stdout, "0 error(s), 1 warning(s) in ") {
		t.Errorf("stdout: got %q, want %q and a count", r.stdout, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Errorf("public: got a folder, want check to write nothing")
	}

	r = run(t, nil, "check", "--source", dir, "--format", "json")
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("check --format json: %v in %q", err, r.stdout)
	}
	wantJSON := []map[string]any{{"file": "content/rollen/wees.md", "line": 1.0, "column": 1.0, "severity": "warning", "code": "orphan", "message": `no page links to "Wees": link it from a related article`}}
	if diff := cmp.Diff(wantJSON, got); diff != "" {
		t.Errorf("check --format json (-want +got):\n%s", diff)
	}
}

func TestParseBytes(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1792MiB", 1792 << 20, true},
		{"1.5GiB", 3 << 29, true},
		{"2GB", 2e9, true},
		{"512KiB", 512 << 10, true},
		{"off", math.MaxInt64, true},
		{"0", math.MaxInt64, true},
		{"", 0, false},
		{"12", 0, false},
		{"-1GiB", 0, false},
		{"GiB", 0, false},
		{"1e300GB", 0, false},
	}
	for _, tt := range tests {
		got, err := parseBytes(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestMemoryLimit: build sets Go's soft memory limit from --memory-limit,
// to 1792 MiB without it, and leaves a GOMEMLIMIT from the environment
// alone.
func TestMemoryLimit(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(before)
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	dir := t.TempDir()
	writeSite(t, dir, "")
	tests := []struct {
		env  map[string]string
		args []string
		want int64
	}{
		{nil, nil, 1792 << 20},
		{nil, []string{"--memory-limit", "1GiB"}, 1 << 30},
		{nil, []string{"--memory-limit", "off"}, math.MaxInt64},
		{map[string]string{"GOMEMLIMIT": "3GiB"}, nil, 12345},                                  // the runtime's, untouched
		{map[string]string{"GOMEMLIMIT": "3GiB"}, []string{"--memory-limit", "2GiB"}, 2 << 30}, // the flag wins
	}
	for _, tt := range tests {
		debug.SetMemoryLimit(12345)
		args := append([]string{"build", "--quiet", "--no-cache", "--source", dir}, tt.args...)
		if r := run(t, tt.env, args...); r.code != 0 {
			t.Fatalf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
		if got := debug.SetMemoryLimit(-1); got != tt.want {
			t.Errorf("env %v, %v: memory limit %d, want %d", tt.env, tt.args, got, tt.want)
		}
	}
	// GOGC: the build's own, unless the environment sets one.
	for _, tt := range []struct {
		env  map[string]string
		want int
	}{{nil, generator.GCPercent}, {map[string]string{"GOGC": "50"}, 77}} {
		debug.SetGCPercent(77)
		if r := run(t, tt.env, "build", "--quiet", "--no-cache", "--source", dir); r.code != 0 {
			t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
		}
		if got := debug.SetGCPercent(77); got != tt.want {
			t.Errorf("env %v: GOGC %d, want %d", tt.env, got, tt.want)
		}
	}
}

// TestServeMemorySettings: serve runs with the same garbage collector
// settings as build (generator.GCPercent and --memory-limit), and refuses
// a limit it cannot read.
func TestServeMemorySettings(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	dir := t.TempDir()
	writeSite(t, dir, "")
	// A cancelled context: serve sets up, then stops.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	c := &CLI{Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
	c.Run(ctx, []string{"serve", "--source", dir, "--port", "0", "--memory-limit", "3GiB"})
	if got := debug.SetGCPercent(100); got != generator.GCPercent {
		t.Errorf("serve: GOGC %d, want %d", got, generator.GCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != 3<<30 {
		t.Errorf("serve --memory-limit 3GiB: limit %d", got)
	}
	if r := run(t, nil, "serve", "--source", dir, "--memory-limit", "veel"); r.code != 2 || !strings.Contains(r.stderr, "--memory-limit") {
		t.Errorf("serve --memory-limit veel: exit %d, stderr %q", r.code, r.stderr)
	}
}
