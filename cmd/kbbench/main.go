// Command kbbench compares a whole kennisbank build with Hugo and with the
// limit, goldmark alone (cmd/kbgoldmark), on the same generated corpus.
//
// Usage:
//
//	go run ./cmd/kbbench [-sizes 1000,10000] [-runs 5] [-work DIR] [-rebuilds 7] [-big 50000]
//
// It builds kennisbank, kbcorpus and kbgoldmark into the work folder,
// generates each corpus twice with kbcorpus (kennisbank form and Hugo form,
// the same text), and then runs every tool -runs times, alternating, the
// order rotating from run to run so that none always goes first:
//
//   - kennisbank build --no-cache: the cold build, all pages rendered and
//     written, into an output folder removed before each run;
//   - kennisbank build with an empty cache folder (first), then again with
//     the same cache and unchanged content (second);
//   - hugo, into an output folder removed before each run;
//   - kbgoldmark over the same Markdown files.
//
// For each it prints the median wall time, CPU time (user + system) and
// peak resident memory (getrusage of the child), and the ratios measured in
// the same run. Then, in this process, it measures what the dev server
// does on every save: a lazy Build with the Cache of the previous build and
// the edited page rendered, after a one-line body edit and after a title
// edit, -rebuilds times each. With -big N it also builds N pages with
// kennisbank alone, -runs times, and compares the peak memory with 2 GiB.
//
// The machine's load average is printed before and after: on a shared
// machine, run it again when the load was high.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"kennisbank/generator"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := (&cli{Stdout: os.Stdout, Stderr: os.Stderr}).Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// cli is the command with its output streams.
type cli struct {
	Stdout, Stderr io.Writer
}

type options struct {
	sizes    []int
	runs     int
	rebuilds int
	big      int // pages of the memory measurement; 0: skip
	work     string
	hugo     string
}

// bigLimit is the memory target of a build of -big pages.
const bigLimit = 2 << 30

// Run runs the benchmark and returns the exit code.
func (c *cli) Run(ctx context.Context, args []string) int {
	fl := flag.NewFlagSet("kbbench", flag.ContinueOnError)
	fl.SetOutput(c.Stderr)
	sizes := fl.String("sizes", "1000,10000", "corpus sizes in pages, comma-separated")
	var o options
	fl.IntVar(&o.runs, "runs", 5, "runs of each tool per size (medians are reported)")
	fl.IntVar(&o.rebuilds, "rebuilds", 7, "in-process rebuilds per edit for the dev-server measurement (0: skip)")
	fl.IntVar(&o.big, "big", 0, "also build a corpus of this many pages with kennisbank alone (cold, -runs times) and\ncompare its peak memory with 2 GiB (0: skip)")
	fl.StringVar(&o.work, "work", "", "work folder for binaries, corpora and output (default: a new temporary folder, removed after)")
	fl.StringVar(&o.hugo, "hugo", "hugo", "the hugo command")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			fmt.Fprintf(c.Stderr, "kbbench: bad size %q\n", s)
			return 2
		}
		o.sizes = append(o.sizes, n)
	}
	if o.runs < 1 {
		fmt.Fprintln(c.Stderr, "kbbench: -runs must be at least 1")
		return 2
	}
	if err := c.run(ctx, o); err != nil {
		fmt.Fprintf(c.Stderr, "kbbench: %v\n", err)
		return 1
	}
	return 0
}

// sample is one run of one tool.
type sample struct {
	wall, cpu time.Duration
	rss       int64 // bytes
}

func (c *cli) run(ctx context.Context, o options) error {
	if o.work == "" {
		dir, err := os.MkdirTemp("", "kbbench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.work = dir
	}
	work, err := filepath.Abs(o.work)
	if err != nil {
		return err
	}
	bin := filepath.Join(work, "bin")
	fmt.Fprintf(c.Stdout, "# kbbench\n\n")
	fmt.Fprintf(c.Stdout, "- load before: %s\n", loadAverage())
	fmt.Fprintf(c.Stdout, "- %s, GOMAXPROCS %d, %s\n", runtime.Version(), runtime.GOMAXPROCS(0), cpuModel())
	hv, err := exec.CommandContext(ctx, o.hugo, "version").Output()
	if err != nil {
		return fmt.Errorf("%s version: %v (install Hugo, e.g. apt-get install hugo)", o.hugo, err)
	}
	fmt.Fprintf(c.Stdout, "- %s", hv)
	for _, cmd := range []string{"kennisbank", "kbcorpus", "kbgoldmark"} {
		if err := goBuild(ctx, filepath.Join(bin, cmd), "kennisbank/cmd/"+cmd); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.Stdout, "- %d runs per tool and size, alternating; medians\n\n", o.runs)
	fmt.Fprintln(c.Stdout, "| pages | run | wall | CPU (user+sys) | peak RSS |")
	fmt.Fprintln(c.Stdout, "| ---: | --- | ---: | ---: | ---: |")
	type result struct {
		pages   int
		medians map[string]sample
	}
	var results []result
	for _, n := range o.sizes {
		meds, err := c.size(ctx, o, work, bin, n)
		if err != nil {
			return err
		}
		results = append(results, result{n, meds})
	}
	fmt.Fprintln(c.Stdout)
	fmt.Fprintln(c.Stdout, "| pages | ratio | wall | CPU | peak RSS |")
	fmt.Fprintln(c.Stdout, "| ---: | --- | ---: | ---: | ---: |")
	for _, r := range results {
		m := r.medians
		ratio := func(name, a, b string) {
			x, y := m[a], m[b]
			fmt.Fprintf(c.Stdout, "| %d | %s | %.2f× | %.2f× | %.2f× |\n", r.pages, name,
				x.wall.Seconds()/y.wall.Seconds(), x.cpu.Seconds()/y.cpu.Seconds(), float64(x.rss)/float64(y.rss))
		}
		ratio("kennisbank cold / Hugo", runCold, runHugo)
		ratio("kennisbank cold / goldmark limit", runCold, runLimit)
		ratio("kennisbank second / first", runSecond, runFirst)
	}
	if o.rebuilds > 0 {
		fmt.Fprintln(c.Stdout)
		fmt.Fprintln(c.Stdout, "Dev-server rebuild in process: a lazy Build with the Cache of the previous build, from the file written to the edited page's new HTML in memory.")
		fmt.Fprintln(c.Stdout)
		fmt.Fprintln(c.Stdout, "| pages | edit | median | min | max |")
		fmt.Fprintln(c.Stdout, "| ---: | --- | ---: | ---: | ---: |")
		for _, n := range o.sizes {
			if err := c.rebuilds(ctx, o, work, n); err != nil {
				return err
			}
		}
	}
	if o.big > 0 {
		if err := c.bigBuild(ctx, o, work, bin); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.Stdout, "\n- load after: %s\n", loadAverage())
	return nil
}

// bigBuild measures a cold build of o.big pages, kennisbank alone (Hugo
// would take minutes and many gigabytes), against the memory target.
func (c *cli) bigBuild(ctx context.Context, o options, work, bin string) error {
	kb := filepath.Join(work, fmt.Sprintf("kb%d", o.big))
	args := []string{"-pages", strconv.Itoa(o.big), "-out", kb}
	if out, err := exec.CommandContext(ctx, filepath.Join(bin, "kbcorpus"), args...).CombinedOutput(); err != nil {
		return fmt.Errorf("kbcorpus %v: %v\n%s", args, err, out)
	}
	out := filepath.Join(work, "out")
	var samples []sample
	for range o.runs {
		if err := os.RemoveAll(out); err != nil {
			return err
		}
		syscall.Sync()
		s, err := measure(ctx, filepath.Join(bin, "kennisbank"), "build", "--quiet", "--no-cache", "--source", kb, "--out", out)
		if err != nil {
			return err
		}
		samples = append(samples, s)
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	m := median(samples)
	verdict := "under"
	if m.rss >= bigLimit {
		verdict = "OVER"
	}
	fmt.Fprintf(c.Stdout, "\nMemory at scale: kennisbank build --no-cache of %d pages, %d runs, medians (default --memory-limit).\n\n", o.big, o.runs)
	fmt.Fprintln(c.Stdout, "| pages | wall | CPU (user+sys) | peak RSS | target |")
	fmt.Fprintln(c.Stdout, "| ---: | ---: | ---: | ---: | --- |")
	fmt.Fprintf(c.Stdout, "| %d | %.2f s | %.2f s | %.0f MiB | %s 2 GiB |\n", o.big, m.wall.Seconds(), m.cpu.Seconds(), float64(m.rss)/(1<<20), verdict)
	return nil
}

// Names of the runs in the table.
const (
	runCold   = "kennisbank build --no-cache (cold)"
	runFirst  = "kennisbank build, empty cache (first)"
	runSecond = "kennisbank build, unchanged (second)"
	runHugo   = "hugo"
	runLimit  = "kbgoldmark (limit)"
)

// size generates the corpora of n pages and measures every tool on them.
func (c *cli) size(ctx context.Context, o options, work, bin string, n int) (map[string]sample, error) {
	kb := filepath.Join(work, fmt.Sprintf("kb%d", n))
	hu := filepath.Join(work, fmt.Sprintf("hugo%d", n))
	for _, gen := range [][]string{{"-out", kb}, {"-out", hu, "-hugo"}} {
		args := append([]string{"-pages", strconv.Itoa(n)}, gen...)
		if out, err := exec.CommandContext(ctx, filepath.Join(bin, "kbcorpus"), args...).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("kbcorpus %v: %v\n%s", args, err, out)
		}
	}
	out := filepath.Join(work, "out")
	cache := filepath.Join(work, "cache")
	kennisbank := filepath.Join(bin, "kennisbank")
	type tool struct {
		name string
		run  func() (map[string]sample, error)
	}
	one := func(name string, prepare func() error, cmd string, args ...string) func() (map[string]sample, error) {
		return func() (map[string]sample, error) {
			if prepare != nil {
				if err := prepare(); err != nil {
					return nil, err
				}
			}
			syscall.Sync()
			s, err := measure(ctx, cmd, args...)
			return map[string]sample{name: s}, err
		}
	}
	clean := func(dirs ...string) func() error {
		return func() error {
			for _, d := range dirs {
				if err := os.RemoveAll(d); err != nil {
					return err
				}
			}
			return nil
		}
	}
	tools := []tool{
		{runCold, one(runCold, clean(out), kennisbank, "build", "--quiet", "--no-cache", "--source", kb, "--out", out)},
		{"cached", func() (map[string]sample, error) {
			if err := clean(out, cache)(); err != nil {
				return nil, err
			}
			args := []string{"build", "--quiet", "--cache", cache, "--source", kb, "--out", out}
			syscall.Sync()
			first, err := measure(ctx, kennisbank, args...)
			if err != nil {
				return nil, err
			}
			syscall.Sync()
			second, err := measure(ctx, kennisbank, args...)
			return map[string]sample{runFirst: first, runSecond: second}, err
		}},
		{runHugo, one(runHugo, clean(out), o.hugo, "--quiet", "--source", hu, "--destination", out)},
		{runLimit, one(runLimit, nil, filepath.Join(bin, "kbgoldmark"), filepath.Join(kb, "content"))},
	}
	samples := map[string][]sample{}
	for i := range o.runs {
		for j := range tools {
			t := tools[(i+j)%len(tools)]
			got, err := t.run()
			if err != nil {
				return nil, fmt.Errorf("%d pages, %s: %w", n, t.name, err)
			}
			for name, s := range got {
				samples[name] = append(samples[name], s)
			}
		}
	}
	if err := clean(out, cache)(); err != nil {
		return nil, err
	}
	meds := map[string]sample{}
	for _, name := range []string{runCold, runFirst, runSecond, runHugo, runLimit} {
		m := median(samples[name])
		meds[name] = m
		fmt.Fprintf(c.Stdout, "| %d | %s | %.2f s | %.2f s | %.0f MiB |\n", n, name, m.wall.Seconds(), m.cpu.Seconds(), float64(m.rss)/(1<<20))
	}
	return meds, nil
}

// measure runs a command and returns its wall time, CPU time and peak
// memory.
func measure(ctx context.Context, name string, args ...string) (sample, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr strings.Builder
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	st := cmd.ProcessState
	s := sample{wall: wall, cpu: st.UserTime() + st.SystemTime()}
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		s.rss = int64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	return s, nil
}

// median returns the median of each measure separately.
func median(ss []sample) sample {
	if len(ss) == 0 {
		return sample{}
	}
	pick := func(f func(sample) int64) int64 {
		v := make([]int64, len(ss))
		for i, s := range ss {
			v[i] = f(s)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return sample{
		wall: time.Duration(pick(func(s sample) int64 { return int64(s.wall) })),
		cpu:  time.Duration(pick(func(s sample) int64 { return int64(s.cpu) })),
		rss:  pick(func(s sample) int64 { return s.rss }),
	}
}

// rebuilds measures, in this process, Build with a kept Cache after a
// body edit and after a title edit of one article, as the dev server runs
// it.
func (c *cli) rebuilds(ctx context.Context, o options, work string, n int) error {
	src := filepath.Join(work, fmt.Sprintf("kb%d", n))
	site := filepath.Join(work, fmt.Sprintf("edit%d", n))
	if err := os.RemoveAll(site); err != nil {
		return err
	}
	if err := os.CopyFS(site, os.DirFS(src)); err != nil {
		return err
	}
	defer os.RemoveAll(site)
	page, err := firstArticle(filepath.Join(site, "content", "artikelen"))
	if err != nil {
		return err
	}
	orig, err := os.ReadFile(page)
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(filepath.Join(site, "content"), page)
	if err != nil {
		return err
	}
	html := strings.TrimSuffix(filepath.ToSlash(rel), ".md") + "/index.html"
	cache := &generator.Cache{}
	// As the dev server does: a lazy build, then the edited page, which is
	// what the browser asks for.
	build := func() error {
		s, err := generator.Build(ctx, generator.Options{Source: site, Cache: cache, Lazy: true})
		if err != nil {
			return err
		}
		if _, ok, err := s.File(html); !ok || err != nil {
			return fmt.Errorf("%s after the edit: %v, %v", html, ok, err)
		}
		return nil
	}
	if err := build(); err != nil {
		return err
	}
	edits := []struct {
		name string
		edit func(i int) string
	}{
		{"one-line body edit", func(i int) string { return string(orig) + fmt.Sprintf("\nEen zin erbij, keer %d.\n", i) }},
		{"title edit", func(i int) string {
			return strings.Replace(string(orig), `title = "`, fmt.Sprintf(`title = "Versie %d van `, i), 1)
		}},
	}
	for _, e := range edits {
		var times []time.Duration
		for i := range o.rebuilds {
			if err := os.WriteFile(page, []byte(e.edit(i)), 0o644); err != nil {
				return err
			}
			start := time.Now()
			if err := build(); err != nil {
				return err
			}
			times = append(times, time.Since(start))
		}
		slices.Sort(times)
		fmt.Fprintf(c.Stdout, "| %d | %s | %v | %v | %v |\n", n, e.name, times[len(times)/2].Round(time.Millisecond),
			times[0].Round(time.Millisecond), times[len(times)-1].Round(time.Millisecond))
	}
	return nil
}

// firstArticle returns the first page file under dir in path order.
func firstArticle(dir string) (string, error) {
	var found string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || found != "" {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") && d.Name() != "_index.md" {
			found = p
		}
		return nil
	})
	if err == nil && found == "" {
		err = fmt.Errorf("no article under %s", dir)
	}
	return found, err
}

func goBuild(ctx context.Context, out, pkg string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ") + " (1, 5, 15 min)"
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}
