// Command kbgoldmark renders every Markdown file under a folder with plain
// goldmark, as fast as the machine allows, and throws the HTML away. It is
// the limit a kennisbank build is compared with: the Markdown work alone,
// without templates, links or writing files.
//
// Usage:
//
//	go run ./cmd/kbgoldmark DIR
//
// It strips the +++ front matter of each .md file and renders the body
// with the extensions kennisbank uses (GFM, footnotes, definition lists,
// typographer, heading IDs) on runtime.GOMAXPROCS workers, one goldmark
// instance each, and prints the number of files, the Markdown bytes, the
// HTML bytes and the time taken.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: kbgoldmark DIR")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	st, err := renderAll(ctx, os.DirFS(os.Args[1]), runtime.GOMAXPROCS(0))
	if err != nil {
		fmt.Fprintf(os.Stderr, "kbgoldmark: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("kbgoldmark: %d files, %d bytes of Markdown, %d bytes of HTML in %v\n",
		st.Files, st.In, st.Out, time.Since(start).Round(time.Millisecond))
}

// stats counts the work done.
type stats struct {
	Files   int
	In, Out int64 // Markdown bytes read (front matter included), HTML bytes written
}

// newMarkdown returns a goldmark instance with kennisbank's extensions.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.DefinitionList, extension.Typographer),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
}

// renderAll renders every .md file of fsys on workers goroutines and
// discards the HTML. Files are read by the workers, so reading is part of
// the measured work, as it is for a site generator.
func renderAll(ctx context.Context, fsys fs.FS, workers int) (stats, error) {
	workers = max(1, workers)
	paths := make(chan string)
	results := make(chan stats, workers)
	errs := make(chan error, workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			md := newMarkdown() // goldmark instances are not shared between goroutines
			var st stats
			out := &countingWriter{w: io.Discard}
			for p := range paths {
				src, err := fs.ReadFile(fsys, p)
				if err != nil {
					errs <- err
					cancel()
					break
				}
				if err := md.Convert(stripFrontMatter(src), out); err != nil {
					errs <- fmt.Errorf("%s: %w", p, err)
					cancel()
					break
				}
				st.Files++
				st.In += int64(len(src))
			}
			st.Out = out.n
			for range paths { // drain after an error so the walker ends
			}
			results <- st
		})
	}
	walkErr := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		select {
		case paths <- p:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(paths)
	wg.Wait()
	close(results)
	var total stats
	for st := range results {
		total.Files += st.Files
		total.In += st.In
		total.Out += st.Out
	}
	select {
	case err := <-errs:
		return total, err
	default:
	}
	return total, walkErr
}

// stripFrontMatter returns src without a leading +++ TOML block; a file
// without one, or with an unclosed one, is returned whole.
func stripFrontMatter(src []byte) []byte {
	rest, ok := bytes.CutPrefix(src, []byte("+++"))
	if !ok {
		return src
	}
	rest = bytes.TrimLeft(rest, " \t")
	if !bytes.HasPrefix(rest, []byte("\n")) && !bytes.HasPrefix(rest, []byte("\r\n")) {
		return src // "+++text" is not a front matter fence
	}
	for len(rest) > 0 {
		line, next, _ := bytes.Cut(rest, []byte("\n"))
		if string(bytes.TrimRight(line, " \t\r")) == "+++" {
			return next
		}
		rest = next
	}
	return src
}

// countingWriter counts the bytes written to w.
type countingWriter struct {
	w io.Writer
	n int64
}

// Write writes p to the underlying writer and counts it.
func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
