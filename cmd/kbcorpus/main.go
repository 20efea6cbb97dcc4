// Command kbcorpus generates a large kennisbank site to benchmark the
// generator with.
//
// Usage:
//
//	go run ./cmd/kbcorpus -pages 10000 -out DIR [-seed 1] [-hugo] [-perdir 500]
//
// It writes DIR/site.toml and DIR/content/: 10 roles, 20 skills and 4
// programme types under rollen/, vaardigheden/ and programmatypen/ (the
// pages of the content format, with [vaardigheden] and [criteria] tables),
// and the other pages spread over artikelen/ (60%), reflecties/ (25%) and
// dialoog/ (15%), in subfolders of at most -perdir pages. Every folder has
// an _index.md. Each page has TOML front matter and 300 to 1,500 words of
// Dutch-looking Markdown: headings, lists, tables, footnotes, now and then
// a code block, a quote or a definition list, and 3 to 8 wikilinks to
// other pages by title, by folder/slug or with custom text.
//
// With -hugo it writes the same corpus for Hugo instead: hugo.toml,
// layouts/_default/ and content/ with the wikilinks turned into Markdown
// links to the target's pretty URL. Both forms make the same random
// choices, so they hold the same text.
//
// The same -seed gives the same bytes. A folder made by kbcorpus is
// emptied and written again; any other folder must be empty.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := (&cli{Stdout: os.Stdout, Stderr: os.Stderr}).Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// cli is the command with its output streams, so tests can run it.
type cli struct {
	Stdout, Stderr io.Writer
}

// options are the command-line flags.
type options struct {
	pages  int
	out    string
	seed   uint64
	hugo   bool
	perDir int
}

// Run runs the command with args (without the program name) and returns
// the exit code.
func (c *cli) Run(ctx context.Context, args []string) int {
	fl := flag.NewFlagSet("kbcorpus", flag.ContinueOnError)
	fl.SetOutput(c.Stderr)
	var o options
	fl.IntVar(&o.pages, "pages", 10000, "number of regular pages (_index.md files not counted)")
	fl.StringVar(&o.out, "out", "", "output folder (required)")
	fl.Uint64Var(&o.seed, "seed", 1, "random seed; the same seed gives the same bytes")
	fl.BoolVar(&o.hugo, "hugo", false, "write a Hugo site instead of a kennisbank site")
	fl.IntVar(&o.perDir, "perdir", 500, "most pages in one subfolder of artikelen/, reflecties/ and dialoog/")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if o.out == "" || fl.NArg() > 0 {
		fmt.Fprintln(c.Stderr, "usage: kbcorpus -pages N -out DIR [-seed 1] [-hugo] [-perdir 500]")
		return 2
	}
	start := time.Now()
	files, err := build(ctx, o)
	if err != nil {
		fmt.Fprintf(c.Stderr, "kbcorpus: %v\n", err)
		return 1
	}
	size := 0
	for _, f := range files {
		size += len(f.data)
	}
	fmt.Fprintf(c.Stdout, "kbcorpus: wrote %d files (%.1f MB) to %s in %v\n",
		len(files), float64(size)/1e6, o.out, time.Since(start).Round(time.Millisecond))
	return 0
}

// build plans, generates and writes the corpus; it returns the files
// written, the stamp not included.
func build(ctx context.Context, o options) ([]file, error) {
	pl, err := newPlan(o.pages, o.seed, o.perDir)
	if err != nil {
		return nil, err
	}
	f := formKennisbank
	if o.hugo {
		f = formHugo
	}
	workers := runtime.GOMAXPROCS(0)
	files, err := pl.generate(ctx, f, workers)
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	if err := prepareOut(o.out); err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	stamp := file{path: stampName, data: []byte(stampText(o))}
	if err := writeFiles(ctx, o.out, append([]file{stamp}, files...), workers); err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	return files, nil
}

// stampText records how a folder was generated.
func stampText(o options) string {
	var b strings.Builder
	fmt.Fprintf(&b, "kbcorpus -pages %d -seed %d -perdir %d", o.pages, o.seed, o.perDir)
	if o.hugo {
		b.WriteString(" -hugo")
	}
	b.WriteString("\n")
	return b.String()
}
