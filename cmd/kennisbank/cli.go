package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"kennisbank/generator"
	"kennisbank/generator/config"
	"kennisbank/generator/content"
)

// CLI is the command line, with its streams, so tests can run it.
type CLI struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Now gives today's date for "new"; nil means time.Now.
	Now func() time.Time
}

const usage = `kennisbank builds a cross-linked static knowledge base from Markdown.

Usage:
  kennisbank build [flags]            build the site into the output folder
  kennisbank check [flags]            check links, relations and front matter; write nothing
  kennisbank serve [flags]            build, serve on 127.0.0.1 and rebuild on every change
  kennisbank new SECTION "Titel"      start a new article from an archetype
  kennisbank help [COMMAND]           show this help, or a command's flags

Run "kennisbank COMMAND -h" for the flags of a command.
`

// Run runs one command and returns the exit code.
func (c *CLI) Run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.Stderr, usage)
		return 2
	}
	switch args[0] {
	case "build":
		return c.build(ctx, args[1:])
	case "check":
		return c.check(ctx, args[1:])
	case "serve":
		return c.serve(ctx, args[1:])
	case "new":
		return c.new(args[1:])
	case "help", "-h", "--help":
		if len(args) > 1 {
			return c.Run(ctx, []string{args[1], "-h"})
		}
		fmt.Fprint(c.Stdout, usage)
		return 0
	}
	fmt.Fprintf(c.Stderr, "kennisbank: unknown command %q\n\n%s", args[0], usage)
	return 2
}

func (c *CLI) flags(name, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\nUsage: kennisbank %s [flags]\n\nFlags:\n", summary, name)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; it returns -1 when the command should go on.
func parse(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "kennisbank %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return 2
	}
	return -1
}

type buildFlags struct {
	source, out         string
	drafts, allowBroken bool
}

func (b *buildFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&b.source, "source", ".", "site folder, holding site.toml")
	fs.BoolVar(&b.drafts, "drafts", false, "include pages with draft = true")
	fs.BoolVar(&b.allowBroken, "allow-broken-links", false, "report unresolved links as warnings and build anyway")
}

func (c *CLI) options(b buildFlags) (generator.Options, error) {
	opts := generator.Options{Source: b.source, Drafts: b.drafts, AllowBrokenLinks: b.allowBroken}
	if s := c.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return opts, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a number of seconds", s)
		}
		opts.BuildDate = time.Unix(n, 0).UTC()
	}
	return opts, nil
}

func (c *CLI) build(ctx context.Context, args []string) int {
	fs := c.flags("build", "Build the site: read site.toml and content/, write the output folder (public/ by default).\nThe previous output stays as it was unless the build succeeds.")
	var b buildFlags
	b.register(fs)
	fs.StringVar(&b.out, "out", "", "output folder (default: output_dir from site.toml, \"public\")")
	force := fs.Bool("force", false, "replace an output folder that holds files kennisbank did not write")
	quiet := fs.Bool("quiet", false, "print nothing on success")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	memprofile := fs.String("memprofile", "", "write a heap profile to this file after the build")
	cacheDir := fs.String("cache", "", "keep the build cache in this folder, outside the output folder\n(default: a folder for this site in the user's cache folder)")
	noCache := fs.Bool("no-cache", false, "build everything afresh, without reading or writing a cache")
	memLimit := memoryLimitFlag(fs)
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if err := c.setMemoryLimit(*memLimit); err != nil {
		fmt.Fprintf(c.Stderr, "kennisbank: %v\n", err)
		return 2
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintf(c.Stderr, "kennisbank: %v\n", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(c.Stderr, "kennisbank: %v\n", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	opts, err := c.options(b)
	if err != nil {
		fmt.Fprintf(c.Stderr, "kennisbank: %v\n", err)
		return 2
	}
	if !*noCache {
		dir := *cacheDir
		if dir == "" {
			dir, _ = generator.DefaultCacheDir(b.source) // no cache folder: build without
		}
		if dir != "" {
			opts.Cache = generator.OpenCache(dir)
		}
	}
	start := time.Now()
	cfg, err := config.Load(filepath.Join(b.source, "site.toml"))
	if err != nil {
		// The build reads site.toml first, and reports why it does not
		// load with the file's position.
		site, err := generator.Build(ctx, opts)
		if code := c.report(site, err); code != 0 {
			return code
		}
		fmt.Fprintf(c.Stderr, "kennisbank: site.toml: %v\n", err)
		return 1
	}
	out := b.out
	if out == "" {
		out = filepath.Join(b.source, cfg.OutputDir)
	}
	// Every build replaces the output folder: a cache in it would be lost,
	// and then be a file kennisbank did not write.
	cache := opts.Cache
	if dir := cache.Dir(); dir != "" && inside(dir, out) {
		cache = nil
	}
	// Pages go to the output's staging folder as they are rendered; the
	// folder is swapped in only when the build succeeded.
	w, err := generator.OpenWriter(ctx, out, generator.WriteOptions{Force: *force, Source: b.source, ContentDir: cfg.ContentDir, Cache: cache})
	if err != nil {
		fmt.Fprintf(c.Stderr, "kennisbank: write: %v\n", err)
		return 1
	}
	defer w.Abort()
	opts.Sink = w
	site, err := generator.Build(ctx, opts)
	if code := c.report(site, err); code != 0 {
		return code
	}
	if err := w.Commit(); err != nil {
		fmt.Fprintf(c.Stderr, "kennisbank: write: %v\n", err)
		return 1
	}
	if cache == nil && opts.Cache != nil {
		fmt.Fprintf(c.Stderr, "kennisbank: not keeping the cache in %s, inside the output folder: choose another folder with --cache\n", opts.Cache.Dir())
	}
	if err := cache.Save(); err != nil {
		fmt.Fprintf(c.Stderr, "kennisbank: %v (the site was built; the next build starts without a cache)\n", err)
	}
	if *memprofile != "" {
		if f, err := os.Create(*memprofile); err == nil {
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	if !*quiet {
		st := site.Stats
		fmt.Fprintf(c.Stdout, "built %d pages in %d sections, %d files written to %s in %v\n",
			st.Pages, st.Sections, st.Files, out, time.Since(start).Round(time.Millisecond))
	}
	return 0
}

// inside reports whether path is dir or lies inside it.
func inside(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && filepath.IsLocal(rel)
}

// report prints diagnostics and returns the exit code for a build result.
func (c *CLI) report(site *generator.Site, err error) int {
	var be *generator.BuildError
	switch {
	case errors.As(err, &be):
		for _, d := range be.Diagnostics {
			fmt.Fprintln(c.Stderr, d.String())
		}
		n := 0
		for _, d := range be.Diagnostics {
			if d.Severity == content.Error {
				n++
			}
		}
		fmt.Fprintf(c.Stderr, "build failed: %d error(s); the output folder was left as it was\n", n)
		return 1
	case err != nil:
		fmt.Fprintf(c.Stderr, "kennisbank: %v\n", err)
		return 1
	}
	for _, d := range site.Diagnostics {
		fmt.Fprintln(c.Stderr, d.String())
	}
	return 0
}

func (c *CLI) check(ctx context.Context, args []string) int {
	fs := c.flags("check", "Check everything a build checks, plus orphan pages, missing relations and malformed URLs,\nwithout writing output. Exit 1 on errors, 0 when there are only warnings.")
	var b buildFlags
	b.register(fs)
	format := fs.String("format", "text", "output format: text or json")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(c.Stderr, "kennisbank check: --format must be text or json, not %q\n", *format)
		return 2
	}
	opts, err := c.options(b)
	if err != nil {
		fmt.Fprintf(c.Stderr, "kennisbank: %v\n", err)
		return 2
	}
	start := time.Now()
	diags, err := generator.Check(ctx, opts)
	if err != nil {
		fmt.Fprintf(c.Stderr, "kennisbank: %v\n", err)
		return 1
	}
	if *format == "json" {
		if diags == nil {
			diags = content.Diagnostics{}
		}
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(diags)
	} else {
		errs, warns := 0, 0
		for _, d := range diags {
			fmt.Fprintln(c.Stdout, d.String())
			if d.Severity == content.Error {
				errs++
			} else {
				warns++
			}
		}
		fmt.Fprintf(c.Stdout, "%d error(s), %d warning(s) in %v\n", errs, warns, time.Since(start).Round(time.Millisecond))
	}
	if diags.HasErrors() {
		return 1
	}
	return 0
}

func (c *CLI) new(args []string) int {
	fs := c.flags("new", "Create content/SECTION/titel.md from an archetype (the site's archetypes/ or the theme's),\nwith today's date and draft = true. It never overwrites a file.\n\nUsage: kennisbank new [flags] SECTION \"Titel\"")
	source := fs.String("source", ".", "site folder, holding site.toml")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(c.Stderr, "usage: kennisbank new SECTION \"Titel\"")
		return 2
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	p, err := generator.NewPage(*source, fs.Arg(0), fs.Arg(1), now())
	if err != nil {
		fmt.Fprintf(c.Stderr, "kennisbank new: %v\n", err)
		return 1
	}
	fmt.Fprintf(c.Stdout, "created %s\n", p)
	return 0
}

// defaultMemoryLimit keeps a build of 50,000 pages under 2 GiB of memory,
// and costs nothing on smaller sites: below it the garbage collector runs
// as usual (GOGC), close to it more often. A site whose data alone is
// larger builds too, more slowly; raise the limit for speed.
const defaultMemoryLimit = "1792MiB"

// memoryLimitFlag registers --memory-limit, for build and serve.
func memoryLimitFlag(fs *flag.FlagSet) *string {
	return fs.String("memory-limit", "", "soft limit on the memory kennisbank uses (e.g. 1GiB, 4GiB; off for none): near it\nthe garbage collector works harder (default: GOMEMLIMIT if set, else "+defaultMemoryLimit+")")
}

// setMemoryLimit applies --memory-limit; without the flag a GOMEMLIMIT in
// the environment, which the Go runtime has applied already, stands. It
// sets GOGC to generator.GCPercent, unless the environment sets GOGC.
func (c *CLI) setMemoryLimit(value string) error {
	if c.Getenv("GOGC") == "" {
		debug.SetGCPercent(generator.GCPercent)
	}
	if value == "" {
		if c.Getenv("GOMEMLIMIT") != "" {
			return nil
		}
		value = defaultMemoryLimit
	}
	n, err := parseBytes(value)
	if err != nil {
		return fmt.Errorf("--memory-limit %q: %v", value, err)
	}
	debug.SetMemoryLimit(n)
	return nil
}

// parseBytes reads a size such as 512MiB, 1.5GiB or 2GB; "off" is no limit.
func parseBytes(s string) (int64, error) {
	if s == "off" || s == "0" {
		return math.MaxInt64, nil
	}
	units := []struct {
		suffix string
		n      float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(num, 64)
			if err != nil || f <= 0 || f*u.n > math.MaxInt64/2 {
				break
			}
			return int64(f * u.n), nil
		}
	}
	return 0, fmt.Errorf("not a size: write it as 512MiB, 1.5GiB or 2GB, or off")
}
