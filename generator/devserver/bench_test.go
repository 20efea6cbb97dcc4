package devserver

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"kennisbank/generator"
)

// BenchmarkEditLatency measures edit-to-visible latency: from writing a
// file until a GET of its page returns the new text, through the whole dev
// server (watch, debounce, build, serve). Each iteration is one edit; run
// it with a fixed count, e.g.
//
//	go test -run '^$' -bench EditLatency -benchtime 50x ./generator/devserver/
//
// It reports the median and 95th percentile in milliseconds, for a body
// edit and for a title edit (which changes every page that lists or links
// the page), on the example site of this repository and on a generated
// site of 10,000 pages (skipped with -short).
func BenchmarkEditLatency(b *testing.B) {
	// The garbage collector as kennisbank serve sets it.
	defer debug.SetGCPercent(debug.SetGCPercent(generator.GCPercent))
	b.Run("site=example", func(b *testing.B) {
		dir := b.TempDir()
		copyDir(b, "../../content", filepath.Join(dir, "content"))
		data, err := os.ReadFile("../../site.toml")
		check(b, err)
		writeFile(b, filepath.Join(dir, "site.toml"), string(data))
		benchEdits(b, dir, "content/begrippen/systeemdynamiek.md", "/begrippen/systeemdynamiek/")
	})
	b.Run("site=10000pages", func(b *testing.B) {
		if testing.Short() {
			b.Skip("the 10,000-page site takes minutes; run without -short")
		}
		dir := filepath.Join(b.TempDir(), "site")
		file, url := corpus(b, dir, 10000)
		benchEdits(b, dir, file, url)
	})
}

// benchEdits serves dir and measures body and title edits of file, served
// at url.
func benchEdits(b *testing.B, dir, file, url string) {
	h := startServer(b, dir)
	h.waitFor(url, "")
	orig, err := os.ReadFile(h.path(file))
	check(b, err)
	m := regexp.MustCompile(`(?m)^title = "([^"]+)"`).FindSubmatchIndex(orig)
	if m == nil {
		b.Fatalf("%s has no title", file)
	}
	title := string(orig[m[2]:m[3]])
	var letters []int // positions of ASCII letters: their case can change without breaking links by title
	for i, r := range title {
		if i > 0 && r < 128 && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			letters = append(letters, i)
		}
	}
	edits := 0
	b.Run("edit=body", func(b *testing.B) {
		measure(b, h, file, url, func() (string, string) {
			edits++
			want := fmt.Sprintf("Meetpunt %d.", edits)
			return string(orig) + "\n" + want + "\n", want
		})
	})
	b.Run("edit=title", func(b *testing.B) {
		if len(letters) == 0 {
			b.Skipf("title %q has no letter to change", title)
		}
		measure(b, h, file, url, func() (string, string) {
			edits++
			// The title in lower case but its first letter, with one
			// more capital that moves along it.
			j := letters[edits%len(letters)]
			base := title[:1] + strings.ToLower(title[1:])
			variant := base[:j] + strings.ToUpper(base[j:j+1]) + base[j+1:]
			// Links by title still resolve: the index ignores case.
			src := string(orig[:m[2]]) + variant + string(orig[m[3]:])
			return src, ">" + variant + "<"
		})
	})
	check(b, os.WriteFile(h.path(file), orig, 0o644))
}

// measure makes b.N edits, each once the previous one is served and the
// server is quiet, and reports the median and p95 latency.
func measure(b *testing.B, h *harness, file, url string, next func() (src, want string)) {
	var lat []time.Duration
	logged := len(h.stdout.String())
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		// Let the previous build and its follow-up settle.
		time.Sleep(settle + 2*stormQuiet)
		src, want := next()
		b.StartTimer()
		start := time.Now()
		check(b, os.WriteFile(h.path(file), []byte(src), 0o644))
		for {
			resp, err := h.client.Get(h.url + url)
			check(b, err)
			body := make([]byte, 0, 64<<10)
			buf := make([]byte, 32<<10)
			for {
				n, err := resp.Body.Read(buf)
				body = append(body, buf[:n]...)
				if err != nil {
					break
				}
			}
			resp.Body.Close()
			if strings.Contains(string(body), want) {
				break
			}
			if time.Since(start) > 5*time.Minute {
				b.Fatalf("%q not served 5 minutes after the edit", want)
			}
			time.Sleep(time.Millisecond)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	median := func(ds []time.Duration) time.Duration { slices.Sort(ds); return ds[len(ds)/2] }
	p95 := func(ds []time.Duration) time.Duration {
		slices.Sort(ds)
		return ds[min(len(ds)-1, (len(ds)*95+99)/100-1)]
	}
	b.ReportMetric(ms(median(lat)), "median-ms")
	b.ReportMetric(ms(p95(lat)), "p95-ms")
	// The server's own account of its builds ("rebuilt in 182ms"): the
	// rest of the latency is the debounce, reading the inputs, comparing
	// the output and the GET.
	var builds []time.Duration
	for _, m := range rebuilt.FindAllStringSubmatch(h.stdout.String()[logged:], -1) {
		if d, err := time.ParseDuration(m[1]); err == nil {
			builds = append(builds, d)
		}
	}
	if len(builds) > 0 {
		b.ReportMetric(ms(median(builds)), "build-median-ms")
		b.ReportMetric(float64(len(builds))/float64(b.N), "builds/op")
	}
}

var rebuilt = regexp.MustCompile(`rebuilt in ([0-9.]+[mµn]?s)`)

// corpus writes a site of n pages into dir, with cmd/kbcorpus when it is
// there, and returns a page to edit and its URL.
func corpus(b *testing.B, dir string, n int) (file, url string) {
	if _, err := os.Stat("../../cmd/kbcorpus/main.go"); err == nil {
		cmd := exec.Command("go", "run", "./cmd/kbcorpus", "-pages", fmt.Sprint(n), "-out", dir)
		cmd.Dir = "../.."
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("kbcorpus: %v\n%s", err, out)
		}
	} else {
		synthetic(b, dir, n)
	}
	// The first regular page of the first article folder.
	var pages []string
	filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") && d.Name() != "_index.md" {
			pages = append(pages, p)
		}
		return nil
	})
	if len(pages) == 0 {
		b.Fatal("the corpus has no pages")
	}
	slices.Sort(pages)
	rel, _ := filepath.Rel(dir, pages[len(pages)/2])
	rel = filepath.ToSlash(rel)
	return rel, "/" + strings.TrimSuffix(strings.TrimPrefix(rel, "content/"), ".md") + "/"
}

// synthetic writes n plain pages in folders of 500, linking each other by
// slug, for when cmd/kbcorpus is not there.
func synthetic(b *testing.B, dir string, n int) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("leren groep rol vaardigheid dialoog reflectie begeleider systeem contract opdracht deelnemer praktijk theorie intake module")
	writeFile(b, filepath.Join(dir, "site.toml"), "title = \"Synthetisch\"\nlanguage = \"nl\"\n")
	for i := range n {
		var body strings.Builder
		for p := range 8 {
			for range 60 {
				body.WriteString(words[rng.IntN(len(words))] + " ")
			}
			if p%3 == 0 {
				fmt.Fprintf(&body, "Zie [[p%05d]].", rng.IntN(n))
			}
			body.WriteString("\n\n")
		}
		writeFile(b, filepath.Join(dir, "content", fmt.Sprintf("map%02d", i/500), fmt.Sprintf("p%05d.md", i)), page(fmt.Sprintf("Pagina %d", i), body.String()))
	}
}

// copyDir copies a folder tree.
func copyDir(b *testing.B, from, to string) {
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	check(b, err)
}
