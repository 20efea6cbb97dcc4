package devserver

import (
	"encoding/binary"
	"hash/maphash"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// inputs remembers a hash of the bytes of every file a build reads, taken
// just before the build, so a batch of events that changed no bytes (a
// touch, a chmod, a save without changes) costs no build.
type inputs struct {
	seed  maphash.Seed
	keys  [2]maphash.Seed  // for key's two lanes
	files map[string]entry // absolute path → what was there
}

// entry is one input: a file's hash, or a folder (folders are sections).
type entry struct {
	sum uint64
	dir bool
}

func newInputs() *inputs {
	return &inputs{seed: maphash.MakeSeed(), keys: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}, files: map[string]entry{}}
}

// key identifies everything recorded: two builds of inputs with the same
// key give the same site, since a build is a function of its inputs. Each
// file's path and hash count once, in any order; two independent lanes
// make a 128-bit key.
func (in *inputs) key() [2]uint64 {
	var k [2]uint64
	var b [9]byte
	for p, e := range in.files {
		binary.LittleEndian.PutUint64(b[:], e.sum)
		b[8] = 0
		if e.dir {
			b[8] = 1
		}
		for i, seed := range in.keys {
			var h maphash.Hash
			h.SetSeed(seed)
			h.WriteString(p)
			h.Write(b[:])
			k[i] += h.Sum64()
		}
	}
	return k
}

// scan reads every input of l afresh and returns the paths whose entry
// differs from what was recorded (added, changed or gone).
func (in *inputs) scan(l layout) []string {
	cur := make(map[string]entry, len(in.files))
	in.read(l, l.root, cur)
	changed := differ(in.files, cur)
	in.files = cur
	return changed
}

// update reads the given paths afresh (a folder with everything in it)
// and returns the paths whose entry differs from what was recorded.
func (in *inputs) update(l layout, paths map[string]bool) []string {
	var changed []string
	for p := range paths {
		cur := map[string]entry{}
		fi, err := os.Lstat(p)
		exists := err == nil
		if exists && fi.IsDir() {
			in.read(l, p, cur)
		} else if exists && l.input(p) {
			cur[p] = in.sum(p, fi.Mode(), make([]byte, 32<<10))
		}
		old, recorded := in.files[p]
		before := map[string]entry{}
		if (exists && fi.IsDir()) || old.dir || (!recorded && !exists) {
			// A folder appeared, went or changed: compare everything
			// under it.
			for q, e := range in.files {
				if within(q, p) {
					before[q] = e
					delete(in.files, q)
				}
			}
		} else if recorded {
			before[p] = old
			delete(in.files, p)
		}
		changed = append(changed, differ(before, cur)...)
		maps.Copy(in.files, cur)
	}
	return changed
}

// differ returns the paths whose entries differ between a and b.
func differ(a, b map[string]entry) []string {
	var out []string
	for p, e := range a {
		if f, ok := b[p]; !ok || f != e {
			out = append(out, p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			out = append(out, p)
		}
	}
	return out
}

// onlyStylesheets reports whether changed (paths from scan or update)
// holds nothing but stylesheets, and folders outside the content folder
// (a new css/ folder): no page shows a stylesheet's bytes, so the browsers
// can swap stylesheets instead of reloading. A .css file in a layouts/
// folder is a template, which a layout may inline: not a stylesheet.
func (in *inputs) onlyStylesheets(l layout, changed []string) bool {
	for _, p := range changed {
		if strings.HasSuffix(p, ".css") && !inLayouts(l, p) {
			continue
		}
		if e, ok := in.files[p]; ok && e.dir && !within(p, l.content) {
			continue
		}
		if fi, err := os.Stat(p); err == nil && fi.IsDir() && !within(p, l.content) {
			continue
		}
		return false
	}
	return len(changed) > 0
}

// inLayouts reports whether p is in a layouts/ folder of the site or of a
// theme.
func inLayouts(l layout, p string) bool {
	rel, err := filepath.Rel(l.root, p)
	if err != nil {
		return false
	}
	return slices.Contains(strings.Split(filepath.ToSlash(rel), "/"), "layouts")
}

// read records every input at or under start into m. Files are hashed
// by a few goroutines at once: reading many small files is mostly waiting
// for system calls.
func (in *inputs) read(l layout, start string, m map[string]entry) {
	type job struct {
		p    string
		mode fs.FileMode
	}
	var jobs []job
	l.walk(start, func(p string, d fs.DirEntry) {
		if l.input(p) {
			jobs = append(jobs, job{p, d.Type()})
		}
	})
	sums := make([]entry, len(jobs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(len(jobs), 2*runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			buf := make([]byte, 32<<10)
			for {
				i := int(next.Add(1)) - 1
				if i >= len(jobs) {
					return
				}
				sums[i] = in.sum(jobs[i].p, jobs[i].mode, buf)
			}
		})
	}
	wg.Wait()
	for i, j := range jobs {
		m[j.p] = sums[i]
	}
}

// sum hashes what is at p, reading through buf. A file that cannot be
// read gets a hash of its own, so making it readable again is a change.
func (in *inputs) sum(p string, mode fs.FileMode, buf []byte) entry {
	var h maphash.Hash
	h.SetSeed(in.seed)
	switch {
	case mode.IsDir():
		return entry{dir: true}
	case mode&fs.ModeSymlink != 0:
		target, _ := os.Readlink(p)
		h.WriteString("symlink\x00" + target)
	case mode.IsRegular():
		f, err := os.Open(p)
		if err != nil {
			h.WriteString("unreadable\x00")
			break
		}
		h.WriteString("file\x00")
		for {
			n, err := f.Read(buf)
			h.Write(buf[:n])
			if err == io.EOF {
				break
			}
			if err != nil {
				h.WriteString("\x00unreadable")
				break
			}
		}
		f.Close()
	default:
		h.WriteString("special\x00" + mode.Type().String())
	}
	return entry{sum: h.Sum64()}
}
