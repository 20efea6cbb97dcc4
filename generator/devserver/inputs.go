package devserver

import (
	"hash/maphash"
	"io"
	"io/fs"
	"maps"
	"os"
)

// inputs remembers a hash of the bytes of every file a build reads, taken
// just before the build, so a batch of events that changed no bytes (a
// touch, a chmod, a save without changes) costs no build.
type inputs struct {
	seed  maphash.Seed
	files map[string]entry // absolute path → what was there
}

// entry is one input: a file's hash, or a folder (folders are sections).
type entry struct {
	sum uint64
	dir bool
}

func newInputs() *inputs {
	return &inputs{seed: maphash.MakeSeed(), files: map[string]entry{}}
}

// scan reads every input of l afresh and reports whether anything differs
// from what was recorded.
func (in *inputs) scan(l layout) bool {
	cur := make(map[string]entry, len(in.files))
	in.read(l, l.root, cur)
	changed := !maps.Equal(cur, in.files)
	in.files = cur
	return changed
}

// update reads the given paths afresh (a folder with everything in it)
// and reports whether anything differs from what was recorded.
func (in *inputs) update(l layout, paths map[string]bool) bool {
	changed := false
	for p := range paths {
		cur := map[string]entry{}
		fi, err := os.Lstat(p)
		exists := err == nil
		if exists && fi.IsDir() {
			in.read(l, p, cur)
		} else if exists && l.input(p) {
			cur[p] = in.sum(p, fi.Mode())
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
		if !maps.Equal(before, cur) {
			changed = true
		}
		maps.Copy(in.files, cur)
	}
	return changed
}

// read records every input at or under start into m.
func (in *inputs) read(l layout, start string, m map[string]entry) {
	l.walk(start, func(p string, d fs.DirEntry) {
		if !l.input(p) {
			return
		}
		m[p] = in.sum(p, d.Type())
	})
}

// sum hashes what is at p. A file that cannot be read gets a hash of its
// own, so making it readable again is a change.
func (in *inputs) sum(p string, mode fs.FileMode) entry {
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
		if _, err := io.Copy(&h, f); err != nil {
			h.WriteString("\x00unreadable")
		}
		f.Close()
	default:
		h.WriteString("special\x00" + mode.Type().String())
	}
	return entry{sum: h.Sum64()}
}
