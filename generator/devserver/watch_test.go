package devserver

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
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
			st := h.s.state.Load()
			for p := range st.files {
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
	time.Sleep(4 * defaultQuiet)
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
