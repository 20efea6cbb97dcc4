package generator

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"kennisbank/generator/content"
	"kennisbank/generator/link"
)

// The benchmarks build a corpus made by cmd/kbcorpus. KB_BENCH_PAGES sets
// its size (default 1000); the corpus is generated once into the temp
// folder and reused while its stamp matches.

func benchPages() int {
	if n, err := strconv.Atoi(os.Getenv("KB_BENCH_PAGES")); err == nil && n > 0 {
		return n
	}
	return 1000
}

// benchCorpus returns the folder of a kbcorpus site with n pages.
func benchCorpus(b testing.TB, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "kennisbank-bench", "c"+strconv.Itoa(n))
	want := fmt.Sprintf("kbcorpus -pages %d -seed 1 -perdir 500\n", n)
	if got, err := os.ReadFile(filepath.Join(dir, ".kbcorpus")); err == nil && string(got) == want {
		return dir
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command("go", "run", "kennisbank/cmd/kbcorpus", "-pages", strconv.Itoa(n), "-out", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("kbcorpus: %v\n%s", err, out)
	}
	return dir
}

// phases runs the pipeline of Build step by step, so each benchmark can
// time one step with the earlier ones done outside the timer.
type phases struct {
	opts Options
	st   *state
}

func newPhases(b testing.TB, opts Options) *phases {
	b.Helper()
	st, err := begin(context.Background(), opts)
	if err != nil {
		b.Fatal(err)
	}
	return &phases{opts: opts, st: st}
}

func BenchmarkLoad(b *testing.B) {
	dir := benchCorpus(b, benchPages())
	fsys := os.DirFS(filepath.Join(dir, "content"))
	for b.Loop() {
		set, diags := content.Load(context.Background(), fsys, content.Options{})
		if diags.HasErrors() || len(set.Pages) == 0 {
			b.Fatalf("load: %v", diags)
		}
	}
}

func BenchmarkLink(b *testing.B) {
	ph := newPhases(b, Options{Source: benchCorpus(b, benchPages())})
	for b.Loop() {
		g := link.NewGraph(ph.st.cfg, ph.st.set.Pages)
		g.ResolveFrontMatter()
	}
}

func BenchmarkMarkdown(b *testing.B) {
	ph := newPhases(b, Options{Source: benchCorpus(b, benchPages())})
	for b.Loop() {
		ph.st.link()
		if err := ph.st.render(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTemplates(b *testing.B) {
	ph := newPhases(b, Options{Source: benchCorpus(b, benchPages())})
	ph.st.link()
	if err := ph.st.render(context.Background()); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		out := ph.st.output()
		out.siteData = out.newSiteData()
		if err := out.renderPages(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSearchIndex(b *testing.B) {
	ph := newPhases(b, Options{Source: benchCorpus(b, benchPages())})
	ph.st.link()
	if err := ph.st.render(context.Background()); err != nil {
		b.Fatal(err)
	}
	out := ph.st.output()
	for b.Loop() {
		if err := out.searchIndex(map[string][]byte{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWrite(b *testing.B) {
	site, err := Build(context.Background(), Options{Source: benchCorpus(b, benchPages())})
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "public")
	for b.Loop() {
		if err := Write(context.Background(), site.Files, out, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild is a whole build in memory without a cache.
func BenchmarkBuild(b *testing.B) {
	dir := benchCorpus(b, benchPages())
	for b.Loop() {
		if _, err := Build(context.Background(), Options{Source: dir}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRebuild is a build with the cache of the previous one, after
// an edit; lazy=true is what the dev server does (it renders pages when
// they are asked for, one page here).
func BenchmarkRebuild(b *testing.B) {
	for _, lazy := range []bool{false, true} {
		for _, edit := range []string{"none", "body", "title"} {
			b.Run(fmt.Sprintf("lazy=%v/edit=%s", lazy, edit), func(b *testing.B) { benchRebuild(b, edit, lazy) })
		}
	}
}

func benchRebuild(b *testing.B, edit string, lazy bool) {
	src := copySite(b, benchCorpus(b, benchPages()))
	cache := &Cache{}
	// The second build finds the files old enough to be trusted by
	// their stat (content.Memo), as an author's files are.
	for i := range 2 {
		if i > 0 {
			time.Sleep(3100 * time.Millisecond)
		}
		if _, err := Build(context.Background(), Options{Source: src, Cache: cache, Lazy: lazy}); err != nil {
			b.Fatal(err)
		}
	}
	page := firstArticle(b, filepath.Join(src, "content", "artikelen"))
	orig, err := os.ReadFile(page)
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	cpu := cpuTime()
	for b.Loop() {
		i++
		text := string(orig)
		switch edit {
		case "body":
			text += fmt.Sprintf("\nEen extra zin %d.\n", i)
		case "title":
			text = strings.Replace(text, "title = \"", fmt.Sprintf("title = \"T%d ", i), 1)
		}
		if err := os.WriteFile(page, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		// The label lets a profile show the rebuilds alone:
		// go tool pprof -tagfocus rebuild=.
		pprof.Do(context.Background(), pprof.Labels("rebuild", edit), func(ctx context.Context) {
			site, err := Build(ctx, Options{Source: src, Cache: cache, Lazy: lazy})
			if err != nil {
				b.Fatal(err)
			}
			if lazy {
				if _, ok, err := site.File(pageURL(b, src, page) + "index.html"); !ok || err != nil {
					b.Fatalf("the edited page: %v, %v", ok, err)
				}
			}
		})
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
}

// pageURL is the address of the page file path under src/content.
func pageURL(b *testing.B, src, path string) string {
	rel, err := filepath.Rel(filepath.Join(src, "content"), path)
	if err != nil {
		b.Fatal(err)
	}
	return strings.TrimSuffix(filepath.ToSlash(rel), ".md") + "/"
}

// firstArticle returns the first page file under dir, in path order.
func firstArticle(b testing.TB, dir string) string {
	b.Helper()
	var found string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || found != "" {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".md") && d.Name() != "_index.md" {
			found = p
		}
		return nil
	})
	if err != nil || found == "" {
		b.Fatalf("no article under %s: %v", dir, err)
	}
	return found
}

// copySite copies a site folder, so a benchmark can edit it.
func copySite(b testing.TB, src string) string {
	b.Helper()
	dst := filepath.Join(b.TempDir(), "site")
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		b.Fatal(err)
	}
	return dst
}
