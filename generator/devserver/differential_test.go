package devserver

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDifferential makes 200 random changes (creates, edits in every
// editor's way, renames and deletes of pages, folders and static files),
// a few at a time, with a fixed seed. After each group, once the server
// is quiet, it must serve exactly what a clean build of the folder gives.
func TestDifferential(t *testing.T) {
	ops := 200
	if testing.Short() {
		ops = 60
	}
	dir := writeSite(t)
	// No links: a random delete would break them.
	writeFile(t, filepath.Join(dir, "content/notes/een.md"), page("Een", "Eerste tekst."))
	h := startServer(t, dir)
	rng := rand.New(rand.NewPCG(2024, 11))
	content := h.path("content")
	n := 0
	next := func() int { n++; return n }

	// listing returns the pages (or folders) under content/, sorted.
	listing := func(dirs bool) []string {
		var out []string
		filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
			if err != nil || p == content || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			if d.IsDir() == dirs && (dirs || strings.HasSuffix(p, ".md")) {
				out = append(out, p)
			}
			return nil
		})
		slices.Sort(out)
		return out
	}
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	words := strings.Fields("leren groep rol vaardigheid dialoog reflectie begeleider systeem contract opdracht deelnemer praktijk theorie")
	text := func() string {
		var b strings.Builder
		for i := range 5 + rng.IntN(40) {
			if i > 0 {
				b.WriteString(" ")
			}
			b.WriteString(pick(words))
		}
		b.WriteString(".")
		return b.String()
	}
	anyDir := func() string { return pick(append(listing(true), content)) }

	var log []string
	done := 0
	for done < ops {
		group := 1 + rng.IntN(4)
		for range group {
			done++
			var what string
			switch r := rng.IntN(100); {
			case r < 25: // a new page, sometimes in new folders
				dir := anyDir()
				if rng.IntN(4) == 0 {
					dir = filepath.Join(dir, fmt.Sprintf("d%d", next()))
					if rng.IntN(2) == 0 {
						dir = filepath.Join(dir, fmt.Sprintf("d%d", next()))
					}
				}
				k := next()
				check(t, os.MkdirAll(dir, 0o755))
				name := filepath.Join(dir, fmt.Sprintf("p%d.md", k))
				check(t, os.WriteFile(name, []byte(page(fmt.Sprintf("Pagina %d", k), text())), 0o644))
				what = "create " + name
			case r < 55: // an edit, in some editor's way
				pages := listing(false)
				if len(pages) == 0 {
					continue
				}
				p := pick(pages)
				style := editStyles[rng.IntN(len(editStyles))]
				title := strings.TrimSuffix(filepath.Base(p), ".md")
				if rng.IntN(3) == 0 {
					title = fmt.Sprintf("Titel %d", next())
				}
				if filepath.Base(p) == "_index.md" {
					title = "Sectie " + title
				}
				style.save(t, p, page(title, text()))
				what = style.name + " " + p
			case r < 65: // rename a page, maybe into another folder
				pages := listing(false)
				if len(pages) == 0 {
					continue
				}
				p := pick(pages)
				to := filepath.Join(anyDir(), fmt.Sprintf("p%d.md", next()))
				check(t, os.Rename(p, to))
				what = "rename " + p + " → " + to
			case r < 73: // rename a folder, maybe into another one
				dirs := listing(true)
				if len(dirs) == 0 {
					continue
				}
				d := pick(dirs)
				parent := anyDir()
				if within(parent, d) {
					parent = filepath.Dir(d)
				}
				to := filepath.Join(parent, fmt.Sprintf("d%d", next()))
				check(t, os.Rename(d, to))
				what = "rename folder " + d + " → " + to
			case r < 83: // delete a page
				pages := listing(false)
				if len(pages) == 0 {
					continue
				}
				p := pick(pages)
				check(t, os.Remove(p))
				what = "delete " + p
			case r < 88: // delete a folder
				dirs := listing(true)
				if len(dirs) == 0 {
					continue
				}
				d := pick(dirs)
				check(t, os.RemoveAll(d))
				what = "delete folder " + d
			case r < 92: // an empty folder is a section too
				d := filepath.Join(anyDir(), fmt.Sprintf("d%d", next()))
				check(t, os.Mkdir(d, 0o755))
				what = "mkdir " + d
			default: // static files
				name := h.path(fmt.Sprintf("static/files/s%d.txt", rng.IntN(5)))
				if rng.IntN(4) == 0 {
					os.Remove(name)
					what = "delete " + name
				} else {
					writeFile(t, name, text())
					what = "write " + name
				}
			}
			log = append(log, strings.ReplaceAll(what, h.dir+string(filepath.Separator), ""))
		}
		want, err := cleanBuild(t, h.dir)
		if err != nil {
			t.Fatalf("after %d changes a clean build fails (the test made a site with errors): %v\nchanges:\n%s", done, err, strings.Join(log, "\n"))
		}
		start := time.Now()
		deadline := start.Add(20 * time.Second)
		for {
			d := h.sameAsCleanBuild(want)
			if d == "" {
				if time.Since(start) > time.Second {
					t.Logf("after %d changes: equal after %v; last changes:\n%s", done, time.Since(start), strings.Join(log[max(0, len(log)-group):], "\n"))
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("after %d changes: %s\nlast changes:\n%s", done, d, strings.Join(log[max(0, len(log)-10):], "\n"))
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	t.Logf("%d changes, %d builds, %d batches skipped", done, h.s.Builds(), h.s.skipped.Load())
}
