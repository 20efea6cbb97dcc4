package devserver

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/google/go-cmp/cmp"

	"kennisbank/themes"
)

// Each way editors save a file, as a function writing data to name.
var editStyles = []struct {
	name string
	save func(t testing.TB, name, data string)
}{
	{"write", func(t testing.TB, name, data string) {
		// Open without truncating, write, truncate to size.
		f, err := os.OpenFile(name, os.O_WRONLY, 0)
		check(t, err)
		_, err = f.WriteAt([]byte(data), 0)
		check(t, err)
		check(t, f.Truncate(int64(len(data))))
		check(t, f.Close())
	}},
	{"truncate-and-write", func(t testing.TB, name, data string) {
		check(t, os.WriteFile(name, []byte(data), 0o644))
	}},
	{"temp-and-rename", func(t testing.TB, name, data string) {
		tmp := filepath.Join(filepath.Dir(name), "."+filepath.Base(name)+".tmp1234")
		check(t, os.WriteFile(tmp, []byte(data), 0o644))
		check(t, os.Rename(tmp, name))
	}},
	{"vim", func(t testing.TB, name, data string) {
		// vim's writebackup: probe the folder with 4913, move the
		// original aside, write a new file, drop the backup. Its swap
		// file sits beside the file all along.
		dir := filepath.Dir(name)
		check(t, os.WriteFile(filepath.Join(dir, "4913"), nil, 0o644))
		check(t, os.Remove(filepath.Join(dir, "4913")))
		check(t, os.WriteFile(filepath.Join(dir, "."+filepath.Base(name)+".swp"), []byte("swap"), 0o644))
		check(t, os.Rename(name, name+"~"))
		check(t, os.WriteFile(name, []byte(data), 0o644))
		check(t, os.Remove(name+"~"))
	}},
	{"jetbrains", func(t testing.TB, name, data string) {
		// JetBrains' safe write.
		check(t, os.WriteFile(name+"___jb_tmp___", []byte(data), 0o644))
		check(t, os.Rename(name, name+"___jb_old___"))
		check(t, os.Rename(name+"___jb_tmp___", name))
		check(t, os.Remove(name+"___jb_old___"))
	}},
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestEditStyles saves a page 20 times in each editor's way, waiting for
// each edit to be served, then 20 times without waiting: the last one is
// served. Temp and backup files never become pages.
func TestEditStyles(t *testing.T) {
	for _, style := range editStyles {
		t.Run(style.name, func(t *testing.T) {
			t.Parallel()
			h := startServer(t, writeSite(t))
			name := h.path("content/notes/een.md")
			for i := range 20 {
				want := fmt.Sprintf("Versie %d van %s.", i, style.name)
				style.save(t, name, page("Een", want))
				h.waitFor("/notes/een/", want)
			}
			for i := range 20 {
				style.save(t, name, page("Een", fmt.Sprintf("Snel %d.", i)))
			}
			h.waitFor("/notes/een/", "Snel 19.")
			h.waitCleanBuild(15 * time.Second)
			files, err := h.s.state.Load().site.ReadAll(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			for p := range files {
				if strings.Contains(p, "~") || strings.Contains(p, "___jb_") || strings.Contains(p, "4913") || strings.Contains(p, ".swp") || strings.Contains(p, "tmp1234") {
					t.Errorf("served %s, made from an editor's temp file", p)
				}
			}
		})
	}
}

// TestNewNestedFolders creates 50 nested folders, each with a page written
// at once: every page appears, and later edits in the deepest folders are
// seen (they are watched).
func TestNewNestedFolders(t *testing.T) {
	h := startServer(t, writeSite(t))
	for i := range 50 {
		dir := h.path(fmt.Sprintf("content/map%d/b/c", i))
		check(t, os.MkdirAll(dir, 0o755))
		check(t, os.WriteFile(filepath.Join(dir, "p.md"), []byte(page(fmt.Sprintf("Diep %d", i), fmt.Sprintf("Diepe tekst %d.", i))), 0o644))
	}
	for i := range 50 {
		h.waitFor(fmt.Sprintf("/map%d/b/c/p/", i), fmt.Sprintf("Diepe tekst %d.", i))
	}
	for _, i := range []int{0, 49} {
		h.write(fmt.Sprintf("content/map%d/b/c/p.md", i), page("Diep", "Later bewerkt."))
		h.waitFor(fmt.Sprintf("/map%d/b/c/p/", i), "Later bewerkt.")
	}
	h.waitCleanBuild(15 * time.Second)
}

// TestRenameDeleteFolders renames and removes folders: old URLs answer
// 404, new ones serve, and the renamed folder is still watched.
func TestRenameDeleteFolders(t *testing.T) {
	h := startServer(t, writeSite(t))
	h.write("content/notes/sub/diep.md", page("Diep", "In een submap."))
	h.waitFor("/notes/sub/diep/", "In een submap.")

	check(t, os.Rename(h.path("content/notes"), h.path("content/notities")))
	h.waitStatus("/notes/een/", http.StatusNotFound)
	h.waitFor("/notities/een/", "Eerste tekst.")
	h.waitFor("/notities/sub/diep/", "In een submap.")
	// Watches follow the rename, down to the subfolder.
	h.write("content/notities/sub/diep.md", page("Diep", "Na het hernoemen."))
	h.waitFor("/notities/sub/diep/", "Na het hernoemen.")
	h.write("content/notities/een.md", page("Een", "Ook na het hernoemen."))
	h.waitFor("/notities/een/", "Ook na het hernoemen.")

	// Rename back over the old name, then a subfolder only.
	check(t, os.Rename(h.path("content/notities"), h.path("content/notes")))
	h.waitStatus("/notities/een/", http.StatusNotFound)
	h.waitFor("/notes/een/", "Ook na het hernoemen.")
	check(t, os.Rename(h.path("content/notes/sub"), h.path("content/notes/onder")))
	h.waitStatus("/notes/sub/diep/", http.StatusNotFound)
	h.waitFor("/notes/onder/diep/", "Na het hernoemen.")
	h.write("content/notes/onder/diep.md", page("Diep", "Weer bewerkt."))
	h.waitFor("/notes/onder/diep/", "Weer bewerkt.")

	// A folder moved out of the site, and one moved in.
	outside := t.TempDir()
	check(t, os.Rename(h.path("content/notes/onder"), filepath.Join(outside, "onder")))
	h.waitStatus("/notes/onder/diep/", http.StatusNotFound)
	check(t, os.Rename(filepath.Join(outside, "onder"), h.path("content/verhalen/terug")))
	h.waitFor("/verhalen/terug/diep/", "Weer bewerkt.")
	h.write("content/verhalen/terug/diep.md", page("Diep", "Teruggekomen."))
	h.waitFor("/verhalen/terug/diep/", "Teruggekomen.")

	check(t, os.RemoveAll(h.path("content/notes")))
	h.waitStatus("/notes/een/", http.StatusNotFound)
	h.waitStatus("/notes/", http.StatusNotFound)
	h.waitCleanBuild(15 * time.Second)
}

// TestTouchAndChmod: events that change no bytes cost no build.
func TestTouchAndChmod(t *testing.T) {
	h := startServer(t, writeSite(t))
	// Let the first build settle, so these events cannot have happened
	// during it.
	time.Sleep(settle + 50*time.Millisecond)
	builds := h.s.Builds()
	name := h.path("content/notes/een.md")
	data, err := os.ReadFile(name)
	check(t, err)
	steps := []struct {
		what string
		do   func()
	}{
		{"touch", func() {
			now := time.Now().Add(time.Hour)
			check(t, os.Chtimes(name, now, now))
		}},
		{"chmod", func() { check(t, os.Chmod(name, 0o600)) }},
		{"save unchanged", func() { check(t, os.WriteFile(name, data, 0o600)) }},
		{"touch a stylesheet", func() {
			now := time.Now()
			check(t, os.Chtimes(h.path("static/css/extra.css"), now, now))
		}},
	}
	for _, step := range steps {
		skipped := h.s.skipped.Load()
		step.do()
		eventually(t, 10*time.Second, step.what+" is seen and skipped", func() (bool, string) {
			return h.s.skipped.Load() > skipped, fmt.Sprintf("%d builds", h.s.Builds())
		})
		if got := h.s.Builds(); got != builds {
			t.Fatalf("%s: %d builds, want %d (no rebuild)", step.what, got, builds)
		}
	}
	// A real change still builds.
	h.write("content/notes/een.md", page("Een", "Echt veranderd."))
	h.waitFor("/notes/een/", "Echt veranderd.")
}

// TestStorm changes 1,500 files at once (with git checkout when git is
// there): the server stays up, builds at most twice, and serves what a
// clean build gives.
func TestStorm(t *testing.T) {
	n := 1500
	dir := writeSite(t)
	for i := range n {
		writeFile(t, filepath.Join(dir, "content/bulk", fmt.Sprintf("p%04d.md", i)), page(fmt.Sprintf("Pagina %d", i), "Oud."))
	}
	git := gitRepo(t, dir)
	if git != nil {
		git("checkout", "-q", "-b", "nieuw")
		for i := range n {
			writeFile(t, filepath.Join(dir, "content/bulk", fmt.Sprintf("p%04d.md", i)), page(fmt.Sprintf("Pagina %d", i), "Nieuw."))
		}
		git("commit", "-q", "-a", "-m", "nieuw")
		git("checkout", "-q", "main")
	}
	h := startServer(t, dir)
	h.waitFor("/bulk/p0000/", "Oud.")
	time.Sleep(settle)
	before := h.s.Builds()
	if git != nil {
		git("checkout", "-q", "nieuw")
	} else {
		for i := range n {
			writeFile(t, filepath.Join(dir, "content/bulk", fmt.Sprintf("p%04d.md", i)), page(fmt.Sprintf("Pagina %d", i), "Nieuw."))
		}
	}
	h.waitFor(fmt.Sprintf("/bulk/p%04d/", n-1), "Nieuw.")
	h.waitCleanBuild(60 * time.Second)
	// Give a third build the time to start, if one were coming.
	time.Sleep(4 * stormQuiet)
	if got := h.s.Builds() - before; got > 2 {
		t.Errorf("%d files changed at once: %d builds, want at most 2", n, got)
	}
	t.Logf("%d files changed: %d build(s)", n, h.s.Builds()-before)
	h.waitCleanBuild(10 * time.Second)
}

// gitRepo makes dir a git repository with everything committed on main,
// and returns a function that runs git there; nil when git is missing.
func gitRepo(t *testing.T, dir string) func(args ...string) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Log("git not found: writing the files from the test instead")
		return nil
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	git("init", "-q", "-b", "main")
	git("add", ".")
	git("commit", "-q", "-m", "begin")
	return git
}

// TestWatchLimit: when the system's watch limit is reached, the server
// says so once, with the setting to raise, and polls instead.
func TestWatchLimit(t *testing.T) {
	adds := 0
	h := startServer(t, writeSite(t), func(s *Server) {
		s.watchAdd = func(w *fsnotify.Watcher, dir string) error {
			adds++
			if adds > 3 {
				return syscall.ENOSPC
			}
			return w.Add(dir)
		}
	})
	h.write("content/notes/een.md", page("Een", "Gezien door polling."))
	h.waitFor("/notes/een/", "Gezien door polling.")
	h.write("content/nieuw/map/p.md", page("Nieuw", "Nieuwe map, gepold."))
	h.waitFor("/nieuw/map/p/", "Nieuwe map, gepold.")
	if n := strings.Count(h.stderr.String(), "limit on watched folders"); n != 1 {
		t.Errorf("the watch limit was named %d times, want once; stderr:\n%s", n, h.stderr.String())
	}
}

// TestWatcherBatches drives the watcher with made-up events: a storm
// becomes one batch, temp files and the output folder never count, an
// overflow asks for a rescan, events pile up while the rebuild loop is
// busy, and an endless trickle still gets a batch out after maxWait.
func TestWatcherBatches(t *testing.T) {
	dir := writeSite(t)
	w := newWatcher(initialLayout(dir, ""), 0, io.Discard)
	events := make(chan fsnotify.Event)
	errs := make(chan error)
	w.events, w.errs = events, errs
	out := make(chan batch)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.run(ctx, out); close(done) }()
	defer func() { cancel(); <-done }()

	p := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
	receive := func(what string) batch {
		t.Helper()
		select {
		case b := <-out:
			return b
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: no batch", what)
			return batch{}
		}
	}

	for i := range 1500 {
		events <- fsnotify.Event{Name: p(fmt.Sprintf("content/bulk/p%04d.md", i)), Op: fsnotify.Write}
	}
	if b := receive("a storm"); len(b.paths) != 1500 || b.rescan {
		t.Errorf("a storm of 1500 events: batch of %d paths (rescan %v), want one batch of 1500", len(b.paths), b.rescan)
	}

	ignored := []string{
		"public/index.html", "public/notes/een/index.html", ".git/index", "README.md", "Makefile",
		"content/notes/.een.md.swp", "content/notes/een.md~", "content/notes/.#een.md", "content/notes/4913",
		"content/notes/een.md___jb_tmp___", "content/notes/een.md___jb_old___", "content/.DS_Store",
		"content/.hidden/x.md", "themes/other/layouts/page.html", "cmd/main.go",
	}
	for _, name := range ignored {
		events <- fsnotify.Event{Name: p(name), Op: fsnotify.Write}
	}
	events <- fsnotify.Event{Name: p("content/notes/een.md"), Op: fsnotify.Create}
	events <- fsnotify.Event{Name: p("site.toml"), Op: fsnotify.Rename}
	events <- fsnotify.Event{Name: p("layouts/page.html"), Op: fsnotify.Write}
	events <- fsnotify.Event{Name: p("themes/default/layouts/page.html"), Op: fsnotify.Write}
	b := receive("relevant events among ignored ones")
	want := map[string]bool{p("content/notes/een.md"): true, p("site.toml"): true, p("layouts/page.html"): true, p("themes/default/layouts/page.html"): true}
	if diff := cmp.Diff(want, b.paths); diff != "" {
		t.Errorf("batch (-want +got):\n%s", diff)
	}

	errs <- fsnotify.ErrEventOverflow
	if b := receive("an overflow"); !b.rescan {
		t.Errorf("after an overflow: %+v, want a rescan", b)
	}

	// Nobody takes batches for a while (a build runs): events pile up.
	for i := range 10 {
		events <- fsnotify.Event{Name: p(fmt.Sprintf("content/a%d.md", i)), Op: fsnotify.Write}
		time.Sleep(2 * stormQuiet)
	}
	if b := receive("events during a build"); len(b.paths) != 10 {
		t.Errorf("events that came while the loop was busy: %d paths, want all 10 in one batch", len(b.paths))
	}

	// A trickle faster than the quiet period still gets batched.
	start := time.Now()
	for i := 0; ; i++ {
		select {
		case b := <-out:
			if took := time.Since(start); took > defaultMaxWait+500*time.Millisecond || len(b.paths) == 0 {
				t.Errorf("a trickle of events got its first batch after %v with %d paths, want about %v", took, len(b.paths), defaultMaxWait)
			}
			return
		case events <- fsnotify.Event{Name: p(fmt.Sprintf("content/t%d.md", i)), Op: fsnotify.Write}:
			time.Sleep(defaultQuiet / 3)
		case <-time.After(5 * time.Second):
			t.Fatal("a trickle of events never got a batch")
		}
	}
}

// TestPolling serves with --poll: edits, new folders, renames and deletes
// are seen without inotify.
func TestPolling(t *testing.T) {
	h := startServer(t, writeSite(t), func(s *Server) { s.opts.Poll = 50 * time.Millisecond })
	h.write("content/notes/een.md", page("Een", "Gepold."))
	h.waitFor("/notes/een/", "Gepold.")
	h.write("content/x/y/z.md", page("Z", "Diep gepold."))
	h.waitFor("/x/y/z/", "Diep gepold.")
	check(t, os.Rename(h.path("content/x"), h.path("content/w")))
	h.waitStatus("/x/y/z/", http.StatusNotFound)
	h.waitFor("/w/y/z/", "Diep gepold.")
	check(t, os.RemoveAll(h.path("content/w")))
	h.waitStatus("/w/y/z/", http.StatusNotFound)
	h.waitCleanBuild(10 * time.Second)
}

// TestSiteConfig: site.toml saved by a rename is seen, and when it
// switches to a theme in themes/, that folder is watched from then on.
func TestSiteConfig(t *testing.T) {
	h := startServer(t, writeSite(t))
	cfg, err := os.ReadFile(h.path("site.toml"))
	check(t, err)
	editStyles[2].save(t, h.path("site.toml"), strings.Replace(string(cfg), "Testsite", "Andere titel", 1))
	h.waitFor("/notes/een/", "Andere titel")

	// A theme of the site's own: a copy of the built-in one.
	check(t, fs.WalkDir(themes.FS, "default", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(themes.FS, p)
		if err != nil {
			return err
		}
		writeFile(t, h.path("themes/eigen/"+strings.TrimPrefix(p, "default/")), string(data))
		return nil
	}))
	h.write("site.toml", strings.Replace(string(cfg), "language", "theme = \"eigen\"\nlanguage", 1))
	h.waitCleanBuild(10 * time.Second)
	layout, err := os.ReadFile(h.path("themes/eigen/layouts/page.html"))
	check(t, err)
	h.write("themes/eigen/layouts/page.html", strings.Replace(string(layout), "<h1>", "<h1 class=\"eigen\">", 1))
	h.waitFor("/notes/een/", `<h1 class="eigen">`)
	h.write("themes/eigen/i18n/nl.toml", "")
	h.waitCleanBuild(10 * time.Second)
	// Back to the built-in theme: themes/eigen no longer matters.
	h.write("site.toml", string(cfg))
	eventually(t, 10*time.Second, "the built-in theme is back", func() (bool, string) {
		_, body := h.get("/notes/een/")
		return !strings.Contains(body, `class="eigen"`), "still the site's theme"
	})
	h.waitCleanBuild(10 * time.Second)
}
