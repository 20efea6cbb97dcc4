package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
)

// file is one generated file; path is relative to the output folder and
// uses slashes.
type file struct {
	path string
	data []byte
}

// stampName is the file that marks a folder as made by kbcorpus, so that a
// later run may empty it.
const stampName = ".kbcorpus"

// generate returns every file of the corpus in form f, in a fixed order.
// Pages are rendered by up to workers goroutines; each page has its own
// random stream, so the result does not depend on scheduling.
func (pl *plan) generate(ctx context.Context, f form, workers int) ([]file, error) {
	var files []file
	if f == formHugo {
		files = hugoFiles()
	} else {
		files = []file{{path: "site.toml", data: siteTOML()}}
	}
	for j, fo := range pl.folders {
		files = append(files, file{path: path.Join("content", fo.dir, "_index.md"), data: pl.renderFolder(j, f)})
	}
	base := len(files)
	files = append(files, make([]file, len(pl.pages))...)
	err := parallel(ctx, len(pl.pages), workers, func(i int) error {
		files[base+i] = file{path: "content/" + pl.pages[i].path() + ".md", data: pl.renderPage(i, f)}
		return nil
	})
	return files, err
}

// prepareOut makes dir ready to receive a corpus: it creates it, or, when
// an earlier run of kbcorpus made it, removes what that run wrote (and
// nothing else: a build's output folder next to content/ stays). It
// refuses any other folder that is not empty.
func prepareOut(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, stampName)); err != nil {
		return fmt.Errorf("%s: folder is not empty and was not made by kbcorpus; remove it or choose another -out", dir)
	}
	for _, name := range []string{"content", "layouts", "site.toml", "hugo.toml", stampName} {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// writeFiles writes files under dir with up to workers goroutines; it is
// the only function that writes the corpus to disk.
func writeFiles(ctx context.Context, dir string, files []file, workers int) error {
	var dirs []string
	for _, f := range files {
		dirs = append(dirs, path.Dir(f.path))
	}
	slices.Sort(dirs)
	for _, d := range slices.Compact(dirs) {
		if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
	}
	return parallel(ctx, len(files), workers, func(i int) error {
		return os.WriteFile(filepath.Join(dir, filepath.FromSlash(files[i].path)), files[i].data, 0o644)
	})
}

// parallel calls fn for 0 ≤ i < n on up to workers goroutines and returns
// the first error, or the context's error when it is cancelled.
func parallel(ctx context.Context, n, workers int, fn func(i int) error) error {
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		errOnce sync.Once
		first   error
	)
	for range max(1, min(workers, n)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				err := ctx.Err()
				if err == nil {
					err = fn(i)
				}
				if err != nil {
					errOnce.Do(func() { first = err })
					next.Store(int64(n)) // stop the other workers
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}
