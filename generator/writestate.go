package generator

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// When Write is given a cache kept on disk, it records in the cache's
// folder what it wrote into an output folder: every file's sum, size,
// modification time and inode. The next Write of the same folder writes
// only what changed:
//
//   - when every file has the bytes it had and is still the file Write
//     left there (same size, time and inode), the folder is left as it is;
//   - otherwise the staging folder gets a hard link to each such file and
//     a fresh copy of every other, and is swapped in as always.
//
// A file someone touched since is written anew, and a missing or damaged
// record means a full write.

// fileState is one file as Write left it.
type fileState struct {
	sum   [32]byte
	size  int64
	mtime int64 // nanoseconds
	ino   uint64
}

// writeState is what Write left in one output folder.
type writeState struct {
	dir   string
	files map[string]fileState
}

// writeStateFile is the record's name in the cache folder for an output
// folder.
func writeStateFile(c *Cache, dir string) string {
	sum := sha256.Sum256([]byte(dir))
	return filepath.Join(c.dir, "output-"+hex.EncodeToString(sum[:8]))
}

// readWriteState reads the record of dir; nil means write everything.
func readWriteState(c *Cache, dir string) *writeState {
	if c == nil || c.dir == "" {
		return nil
	}
	b, err := os.ReadFile(writeStateFile(c, dir))
	if err != nil {
		return nil
	}
	d := decoder{b: b}
	st := &writeState{dir: d.string(), files: map[string]fileState{}}
	for n := d.count(); n > 0 && d.err == nil; n-- {
		name := d.string()
		var f fileState
		f.sum = d.sum()
		f.size, f.mtime, f.ino = int64(d.int()), int64(d.int()), d.uint()
		st.files[name] = f
	}
	if d.err != nil || st.dir != dir {
		return nil
	}
	return st
}

// current reports whether the file name in the output folder is the one
// Write left there and has the given sum.
func (st *writeState) current(name string, sum [32]byte) bool {
	if st == nil {
		return false
	}
	f, ok := st.files[name]
	if !ok || f.sum != sum {
		return false
	}
	fi, err := os.Lstat(filepath.Join(st.dir, filepath.FromSlash(name)))
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	return fi.Size() == f.size && fi.ModTime().UnixNano() == f.mtime && inode(fi) == f.ino
}

// link makes dst a hard link to the file name in the output folder, if
// that file is current; it reports whether it did.
func (st *writeState) link(name string, sum [32]byte, dst string) bool {
	if !st.current(name, sum) {
		return false
	}
	if os.Link(filepath.Join(st.dir, filepath.FromSlash(name)), dst) != nil {
		return false
	}
	// The file may have been replaced between the look and the link.
	if fi, err := os.Lstat(dst); err != nil || inode(fi) != st.files[name].ino || fi.Size() != st.files[name].size {
		os.Remove(dst)
		return false
	}
	return true
}

// unchanged reports whether the output folder already holds exactly the
// files, manifest included.
func (st *writeState) unchanged(names []string, sums map[string][32]byte) bool {
	if st == nil || len(st.files) != len(names) {
		return false
	}
	m, err := os.ReadFile(filepath.Join(st.dir, manifestName))
	if err != nil || !bytes.Equal(m, []byte(strings.Join(names, "\n")+"\n")) {
		return false
	}
	var changed atomic.Bool
	parallel(len(names), func(i int) bool {
		if !st.current(names[i], sums[names[i]]) {
			changed.Store(true)
			return false
		}
		return true
	})
	return !changed.Load()
}

// recordWriteState records what the output folder dir now holds.
func recordWriteState(c *Cache, dir string, names []string, sums map[string][32]byte) error {
	if c == nil || c.dir == "" {
		return nil
	}
	states := make([]fileState, len(names))
	var failed atomic.Bool
	parallel(len(names), func(i int) bool {
		fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(names[i])))
		if err != nil {
			failed.Store(true)
			return false
		}
		states[i] = fileState{sum: sums[names[i]], size: fi.Size(), mtime: fi.ModTime().UnixNano(), ino: inode(fi)}
		return true
	})
	path := writeStateFile(c, dir)
	if failed.Load() {
		os.Remove(path)
		return nil
	}
	var e encoder
	e.string(dir)
	e.uint(uint64(len(names)))
	for i, n := range names {
		e.string(n)
		e.sum(states[i].sum)
		e.int(int(states[i].size))
		e.int(int(states[i].mtime))
		e.uint(states[i].ino)
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, e.b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// parallelErr calls fn for 0 ≤ i < n on GOMAXPROCS goroutines until one
// fails, and returns the first error.
func parallelErr(n int, fn func(i int) error) error {
	var first error
	var mu sync.Mutex
	parallel(n, func(i int) bool {
		err := fn(i)
		if err != nil {
			mu.Lock()
			first = cmp.Or(first, err)
			mu.Unlock()
		}
		return err == nil
	})
	return first
}

// parallel calls fn for 0 ≤ i < n on GOMAXPROCS goroutines, until fn
// returns false.
func parallel(n int, fn func(i int) bool) {
	workers := max(1, min(runtime.GOMAXPROCS(0), n))
	var wg sync.WaitGroup
	var mu sync.Mutex
	next, stop := 0, false
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if stop || next >= n {
					mu.Unlock()
					return
				}
				// Hand out runs of indexes, so the lock is rarely taken.
				from, to := next, min(n, next+64)
				next = to
				mu.Unlock()
				for i := from; i < to; i++ {
					if !fn(i) {
						mu.Lock()
						stop = true
						mu.Unlock()
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}
