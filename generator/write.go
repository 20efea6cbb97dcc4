package generator

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// manifestName is the file in the output folder that lists what the
// generator wrote, so it can tell its own output from anyone else's files.
const manifestName = ".kennisbank-manifest"

// WriteOptions control writing the output folder.
type WriteOptions struct {
	// Cache, when it is kept on disk (OpenCache), remembers what Write
	// wrote, so that the next Write links the files whose bytes did not
	// change instead of writing them again, and leaves the folder as it
	// is when nothing changed.
	Cache *Cache
	// Force allows replacing a folder that holds files kennisbank did
	// not write.
	Force bool
	// Source is the site folder; the output may not be it or contain it.
	Source     string
	ContentDir string

	pendingBudget int // 0: pendingBudget; tests set less
}

// Write puts the site into dir: it writes a staging folder beside dir and
// swaps it in only when everything is written, so a failed or killed
// build leaves the previous output as it was. It is a Writer given every
// file at once.
func Write(ctx context.Context, files map[string][]byte, dir string, opts WriteOptions) error {
	names := slices.Sorted(maps.Keys(files))
	w, err := OpenWriter(ctx, dir, opts)
	if err != nil {
		return err
	}
	defer w.Abort()
	if err := parallelErr(len(names), func(i int) error { return w.Add(names[i], files[names[i]]) }); err != nil {
		return err
	}
	return w.Commit()
}

// A Writer writes a site into an output folder file by file, as a build
// makes them (Options.Sink), so a big site is never in memory at once.
// Files go into a staging folder beside the output folder; Commit swaps it
// in, Abort throws it away: a failed or killed build leaves the previous
// output as it was.
//
// Two builds of one site write one after the other: OpenWriter waits for
// the other's lock (see lock), and checks the folder only once it holds
// it, so what it checks is what it replaces.
type Writer struct {
	ctx     context.Context
	dir     string // the output folder, where it really is
	staging string
	opts    WriteOptions
	unlock  func()
	prev    *writeState // what the last Write left there; nil: write all

	mu      sync.Mutex
	sums    map[string][32]byte // every file added; zero sums without a record
	dirs    map[string]bool     // folders made in staging
	copies  int                 // files written rather than linked
	pending int                 // bytes held in same
	closed  bool
	// same are files whose sum is what the record says the output folder
	// holds: they are linked (or written) only at Commit, and only when
	// something else changed, so an unchanged site costs no file at all.
	same []pendingFile
}

type pendingFile struct {
	name string
	sum  [32]byte
	b    []byte
}

// OpenWriter checks and locks the output folder dir and starts a staging
// folder beside it.
func OpenWriter(ctx context.Context, dir string, opts WriteOptions) (*Writer, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	// Write where the folder really is: through a symbolic link, the swap
	// would replace the link instead of the site behind it.
	dir = realPath(dir)
	if err := checkOutputPath(dir, opts); err != nil {
		return nil, err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	unlock, err := lock(ctx, dir)
	if err != nil {
		return nil, err
	}
	if err := checkOutputDir(dir, opts); err != nil {
		unlock()
		return nil, err
	}
	removeLeftovers(dir)
	staging, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".staging-")
	if err != nil {
		unlock()
		return nil, err
	}
	w := &Writer{ctx: ctx, dir: dir, staging: staging, opts: opts, unlock: unlock,
		sums: map[string][32]byte{}, dirs: map[string]bool{staging: true}}
	// With a cache on disk, write only what changed (see writestate.go).
	if opts.Cache.Dir() != "" {
		w.prev = readWriteState(opts.Cache, dir)
	}
	return w, nil
}

// Add writes the file name (a slash path inside the output folder). It may
// be called from several goroutines at once.
func (w *Writer) Add(name string, b []byte) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if !localPath(name) {
		return fmt.Errorf("refusing to write %q: it is not a path inside the output folder", name)
	}
	var sum [32]byte
	if w.opts.Cache.Dir() != "" {
		sum = sha256.Sum256(b)
	}
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return fmt.Errorf("writing %s after the output was committed or aborted", name)
	}
	if _, dup := w.sums[name]; dup {
		w.mu.Unlock()
		return fmt.Errorf("two files named %s in one build", name)
	}
	w.sums[name] = sum
	if w.prev != nil && w.prev.files[name].sum == sum {
		budget := w.opts.pendingBudget
		if budget == 0 {
			// A site too big to keep a cache within the memory limit
			// holds no files either (see Cache.fit).
			budget = int(min(pendingBudget, w.opts.Cache.fitBudget()))
		}
		if w.pending+len(b) <= budget {
			w.same = append(w.same, pendingFile{name, sum, b})
			w.pending += len(b)
			w.mu.Unlock()
			return nil
		}
		// Too much held already: link it now (or write it, if the
		// output folder's copy is not current).
		w.mu.Unlock()
		wrote, err := w.write(name, sum, b, true)
		if wrote {
			w.mu.Lock()
			w.copies++
			w.mu.Unlock()
		}
		return err
	}
	w.copies++
	w.mu.Unlock()
	_, err := w.write(name, sum, b, false)
	return err
}

// pendingBudget bounds the bytes of unchanged files a Writer holds until
// Commit; the rest are linked into the staging folder at once. An
// unchanged site of up to about 12,000 pages (200 MiB at 10,000) costs
// no file at all; at 50,000 pages the held files took 1.2 GB.
const pendingBudget = 256 << 20

// write puts a file into the staging folder: a hard link to the output
// folder's copy when link is set and that copy is current, else the bytes;
// it reports whether it wrote them.
func (w *Writer) write(name string, sum [32]byte, b []byte, link bool) (bool, error) {
	p := filepath.Join(w.staging, filepath.FromSlash(name))
	parent := filepath.Dir(p)
	w.mu.Lock()
	made := w.dirs[parent]
	w.mu.Unlock()
	if !made {
		// Most folders are a page's own, in a folder made already: one
		// call, and the walk up only when that is not so.
		if err := os.Mkdir(parent, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			if err := os.MkdirAll(parent, 0o755); err != nil {
				return false, err
			}
		}
		w.mu.Lock()
		w.dirs[parent] = true
		w.mu.Unlock()
	}
	if link && w.prev.link(name, sum, p) {
		return false, nil
	}
	return true, writeFile(p, b)
}

// Commit swaps the staging folder in; when every file is what the output
// folder already holds, it leaves the folder as it is.
func (w *Writer) Commit() error {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return errors.New("the output was committed or aborted already")
	}
	w.closed = true
	w.mu.Unlock()
	defer w.unlock()
	committed := false
	defer func() {
		if !committed {
			os.RemoveAll(w.staging)
		}
	}()
	if err := w.ctx.Err(); err != nil {
		return err
	}
	names := slices.Sorted(maps.Keys(w.sums))
	if w.prev != nil && w.copies == 0 && !w.opts.Force && w.prev.unchanged(names, w.sums) {
		return nil
	}
	if err := parallelErr(len(w.same), func(i int) error {
		f := w.same[i]
		_, err := w.write(f.name, f.sum, f.b, true)
		return err
	}); err != nil {
		return err
	}
	manifest := strings.Join(names, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(w.staging, manifestName), []byte(manifest), 0o644); err != nil {
		return err
	}
	if err := os.Chmod(w.staging, 0o755); err != nil {
		return err
	}
	if err := swap(w.staging, w.dir); err != nil {
		return err
	}
	committed = true
	if w.opts.Cache.Dir() != "" {
		// Without a record the next build writes everything; that is all
		// a failure here costs.
		_ = recordWriteState(w.opts.Cache, w.dir, names, w.sums)
	}
	return nil
}

// Abort throws the staging folder away, unless Commit ran; the output
// folder stays as it was.
func (w *Writer) Abort() {
	w.mu.Lock()
	closed := w.closed
	w.closed = true
	w.mu.Unlock()
	if closed {
		return
	}
	os.RemoveAll(w.staging)
	w.unlock()
}

// localPath reports whether name stays inside the folder it is joined to.
func localPath(name string) bool {
	return filepath.IsLocal(filepath.FromSlash(name)) && !strings.Contains(name, "\\") && !strings.ContainsRune(name, 0)
}

// checkOutputDir refuses output folders whose replacement would destroy
// something (see checkOutputPath), and folders that are files or hold files
// not written by kennisbank.
func checkOutputDir(dir string, opts WriteOptions) error {
	if err := checkOutputPath(dir, opts); err != nil {
		return err
	}
	dir = realPath(dir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if fi, serr := os.Stat(dir); serr == nil && !fi.IsDir() {
		return fmt.Errorf("refusing output folder %s: it is a file, not a folder", dir)
	}
	if err != nil {
		return err
	}
	if len(entries) == 0 || opts.Force {
		return nil
	}
	return checkManifest(dir)
}

// checkOutputPath refuses output folders by where they are: the file
// system root, the home folder, the site itself, its content, a parent of
// either, or a folder inside one the build reads.
func checkOutputPath(dir string, opts WriteOptions) error {
	// Compare real locations: a symbolic link must not let the output
	// folder stand for the site or the home folder.
	dir = realPath(dir)
	home, _ := os.UserHomeDir()
	if home != "" {
		home = realPath(home)
	}
	src, _ := filepath.Abs(opts.Source)
	src = realPath(src)
	contentDir := realPath(filepath.Join(src, opts.ContentDir))
	switch {
	case dir == filepath.Dir(dir):
		return fmt.Errorf("refusing output folder %s: it is the root of the file system", dir)
	case home != "" && dir == home:
		return fmt.Errorf("refusing output folder %s: it is your home folder", dir)
	case dir == src || within(src, dir):
		return fmt.Errorf("refusing output folder %s: it is the site folder or a parent of it; use a folder such as %s", dir, filepath.Join(src, "public"))
	case dir == contentDir || within(contentDir, dir) || within(dir, contentDir):
		return fmt.Errorf("refusing output folder %s: it is, contains or lies inside the content folder", dir)
	}
	// Output inside a folder the build reads would be read back by the
	// next build, and grow with every build.
	for _, in := range []string{"static", "layouts", "i18n", "themes", "archetypes"} {
		if d := realPath(filepath.Join(src, in)); dir == d || within(dir, d) {
			return fmt.Errorf("refusing output folder %s: it lies inside the site's %s/ folder, which every build reads, so each build would copy the one before it", dir, in)
		}
	}
	return nil
}

// checkManifest refuses a folder with files that kennisbank's manifest
// does not list.
func checkManifest(dir string) error {
	m, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return fmt.Errorf("refusing output folder %s: it has files kennisbank did not write; empty it, choose another folder, or pass --force to replace it", dir)
	}
	known := map[string]bool{manifestName: true}
	for _, l := range strings.Split(string(m), "\n") {
		known[l] = true
	}
	var foreign string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || foreign != "" {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if !known[filepath.ToSlash(rel)] {
			foreign = rel
		}
		return nil
	})
	if foreign != "" {
		return fmt.Errorf("refusing output folder %s: %s was not written by kennisbank; move it to static/ so every build copies it, or pass --force to replace the folder", dir, foreign)
	}
	return nil
}

// realPath resolves symbolic links in p, or in the longest part of it that
// exists, so paths can be compared by where they really are.
func realPath(p string) string {
	p = filepath.Clean(p)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	return filepath.Join(realPath(parent), filepath.Base(p))
}

// within reports whether child is strictly inside parent.
func within(child, parent string) bool {
	rel, err := filepath.Rel(parent, child)
	return err == nil && rel != "." && filepath.IsLocal(rel)
}

// removeLeftovers deletes staging and old folders that a killed build
// left beside dir. It only touches names that Write itself makes.
func removeLeftovers(dir string) {
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() && (strings.HasPrefix(n, "."+base+".staging-") || strings.HasPrefix(n, "."+base+".old-")) {
			os.RemoveAll(filepath.Join(parent, n))
		}
	}
}
