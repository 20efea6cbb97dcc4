package generator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tree is an output folder: slash path → SHA-256 of the file.
type tree map[string]string

// readTree hashes every file under dir.
func readTree(t *testing.T, dir string) tree {
	t.Helper()
	out := tree{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sum := sha256.Sum256(b)
		out[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// diffTrees says how got differs from want, in a few words.
func diffTrees(got, want tree) string {
	var missing, extra, changed int
	var example string
	for name, sum := range want {
		switch g, ok := got[name]; {
		case !ok:
			missing++
			example = name
		case g != sum:
			changed++
			example = name
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			extra++
			example = name
		}
	}
	if missing+extra+changed == 0 {
		return ""
	}
	return fmt.Sprintf("%d missing, %d extra, %d changed (e.g. %s)", missing, extra, changed, example)
}

// leftovers lists the staging and old folders beside dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	base := filepath.Base(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+base+".staging-") || strings.HasPrefix(e.Name(), "."+base+".old-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// goTool runs the go command in the module.
func goTool(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// crashSite builds the kennisbank binary and generates a site of a few
// hundred pages with cmd/kbcorpus, in two versions whose every page
// differs (the site title is on each), and builds each once as the
// reference. It returns the binary, the site folder, a function that
// switches the site to version v (0 or 1), the two reference trees and
// the time one build takes.
func crashSite(t *testing.T) (bin, site string, use func(v int), refs [2]tree, took time.Duration) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary and a site of 300 pages")
	}
	if runtime.GOOS != "linux" {
		t.Skip("kill -9 and RENAME_EXCHANGE are tested on Linux")
	}
	tmp := t.TempDir()
	bin = filepath.Join(tmp, "kennisbank")
	site = filepath.Join(tmp, "site")
	goTool(t, "build", "-o", bin, "kennisbank/cmd/kennisbank")
	goTool(t, "run", "kennisbank/cmd/kbcorpus", "-pages", "300", "-out", site)
	cfg, err := os.ReadFile(filepath.Join(site, "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	use = func(v int) {
		c := strings.Replace(string(cfg), `title = "Benchmark-kennisbank"`, fmt.Sprintf(`title = "Versie %d"`, v), 1)
		if c == string(cfg) {
			t.Fatal("site.toml from kbcorpus has no title line to change")
		}
		if err := os.WriteFile(filepath.Join(site, "site.toml"), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for v := range 2 {
		use(v)
		ref := filepath.Join(tmp, fmt.Sprintf("ref%d", v))
		start := time.Now()
		buildSite(t, bin, site, ref)
		if d := time.Since(start); took == 0 || d < took {
			took = d
		}
		refs[v] = readTree(t, ref)
	}
	if len(refs[0]) < 300 || diffTrees(refs[0], refs[1]) == "" {
		t.Fatalf("reference builds: got %d and %d files, want two different sites of 300 pages", len(refs[0]), len(refs[1]))
	}
	return bin, site, use, refs, took
}

// buildCmd returns the command that builds site into out. The build
// keeps its cache beside the binary, not in the user's cache folder, so
// kills also land while the cache is saved.
func buildCmd(bin, site, out string) *exec.Cmd {
	cmd := exec.Command(bin, "build", "--source", site, "--out", out, "--quiet")
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1767225600", "XDG_CACHE_HOME="+filepath.Join(filepath.Dir(bin), "cache"))
	return cmd
}

func buildSite(t *testing.T, bin, site, out string) {
	t.Helper()
	if b, err := buildCmd(bin, site, out).CombinedOutput(); err != nil {
		t.Fatalf("kennisbank build: %v\n%s", err, b)
	}
}

// whichTree says which reference tree got is, or -1.
func whichTree(got tree, refs [2]tree) (int, string) {
	d0, d1 := diffTrees(got, refs[0]), diffTrees(got, refs[1])
	switch {
	case d0 == "":
		return 0, ""
	case d1 == "":
		return 1, ""
	}
	return -1, fmt.Sprintf("old site: %s; new site: %s", d0, d1)
}

// TestCrashSafety kills kennisbank build with SIGKILL at random
// moments, 20 times, switching the site between two versions so that
// every build replaces the output. After each kill the output folder must
// be exactly one of the two complete sites, and after the last the next
// build must succeed and leave no staging folders behind.
//
// Then it starts two builds of one output folder at the same moment, from
// two versions of the site, a few times: both must succeed, and the
// output must be one complete site, never a mixture.
func TestCrashSafety(t *testing.T) {
	bin, site, use, refs, took := crashSite(t)
	t.Run("kill -9", func(t *testing.T) { killDuringBuild(t, bin, site, use, refs, took) })
	t.Run("two builds at once", func(t *testing.T) { twoBuildsAtOnce(t, bin, site, refs) })
}

func killDuringBuild(t *testing.T, bin, site string, use func(int), refs [2]tree, took time.Duration) {
	out := filepath.Join(t.TempDir(), "public")
	use(0)
	buildSite(t, bin, site, out)
	// How long the writing takes, from the staging folder's first
	// appearance to the end of the process.
	use(1)
	cmd := buildCmd(bin, site, out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	writing := waitStaging(t, out, nil)
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	write := max(time.Since(writing), time.Millisecond)
	current := 1
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d; a build takes %v, of which writing %v", seed, took, write)
	rng := rand.New(rand.NewPCG(seed, 0))
	var killedWriting, swapped int
	for i := range 20 {
		next := 1 - current
		use(next)
		before := leftovers(t, out)
		cmd := buildCmd(bin, site, out)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Most of a build is in memory: kill anywhere in it, and every
		// other time while the output folder is written and swapped.
		var delay time.Duration
		if i%2 == 0 {
			delay = time.Duration(rng.Int64N(int64(took)))
			time.Sleep(delay)
		} else {
			start := waitStaging(t, out, before)
			time.Sleep(time.Duration(rng.Int64N(int64(write) * 6 / 5)))
			delay = time.Since(start)
		}
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		for _, l := range leftovers(t, out) {
			if !slices.Contains(before, l) {
				killedWriting++
				break
			}
		}
		got, diff := whichTree(readTree(t, out), refs)
		if got < 0 {
			t.Fatalf("kill %d after %v: the output folder is neither site: %s", i+1, delay, diff)
		}
		if got == next {
			swapped++
		}
		current = got
	}
	t.Logf("20 kills: %d while the output was written, %d after the new site was in place", killedWriting, swapped)
	use(1 - current)
	buildSite(t, bin, site, out)
	if got, diff := whichTree(readTree(t, out), refs); got != 1-current {
		t.Errorf("the build after the kills: got site %d (%s), want site %d", got, diff, 1-current)
	}
	if l := leftovers(t, out); len(l) > 0 {
		t.Errorf("after the next build: got leftovers %v beside the output, want none", l)
	}
}

// waitStaging waits until a staging folder not in before appears beside
// out, and returns when it did.
func waitStaging(t *testing.T, out string, before []string) time.Time {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, l := range leftovers(t, out) {
			if strings.Contains(l, ".staging-") && !slices.Contains(before, l) {
				return time.Now()
			}
		}
		time.Sleep(time.Millisecond)
	}
	// On a loaded machine the build may have finished between two looks,
	// or be stalled: the kill still lands, and the output is checked the
	// same way, so this is worth a log line, not a failure.
	t.Log("no staging folder seen within 30 s; killing anyway")
	return time.Now()
}

func twoBuildsAtOnce(t *testing.T, bin, site string, refs [2]tree) {
	// Each version in a folder of its own.
	var sites [2]string
	for v := range 2 {
		sites[v] = filepath.Join(t.TempDir(), "site")
		if err := os.CopyFS(sites[v], os.DirFS(site)); err != nil {
			t.Fatal(err)
		}
		cfg, _ := os.ReadFile(filepath.Join(sites[v], "site.toml"))
		c := strings.NewReplacer(`"Versie 0"`, fmt.Sprintf(`"Versie %d"`, v), `"Versie 1"`, fmt.Sprintf(`"Versie %d"`, v)).Replace(string(cfg))
		if err := os.WriteFile(filepath.Join(sites[v], "site.toml"), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "public")
	for round := range 2 {
		a, b := buildCmd(bin, sites[0], out), buildCmd(bin, sites[1], out)
		var outA, outB strings.Builder
		a.Stderr, b.Stderr = &outA, &outB
		if err := a.Start(); err != nil {
			t.Fatal(err)
		}
		if err := b.Start(); err != nil {
			t.Fatal(err)
		}
		errA, errB := a.Wait(), b.Wait()
		if errA != nil || errB != nil {
			t.Fatalf("round %d: got %v (%s) and %v (%s), want both builds to succeed", round, errA, outA.String(), errB, outB.String())
		}
		if got, diff := whichTree(readTree(t, out), refs); got < 0 {
			t.Fatalf("round %d: the output is a mixture: %s", round, diff)
		}
	}
}

// TestSecondBuildWaits holds the output folder's lock as a running build
// would: a build started meanwhile must wait, and write once the lock is
// free; a build whose context ends while it waits must say why.
func TestSecondBuildWaits(t *testing.T) {
	tmp := t.TempDir()
	out := filepath.Join(tmp, "public")
	src := filepath.Join(tmp, "site")
	unlock, err := lock(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- Write(context.Background(), map[string][]byte{"index.html": []byte("nieuw")}, out, WriteOptions{Source: src, ContentDir: "content"})
	}()
	select {
	case err := <-done:
		t.Fatalf("Write returned %v while another build held the lock, want it to wait", err)
	case <-time.After(300 * time.Millisecond):
	}
	unlock()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Write after the lock was freed: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Write still waiting 10 s after the lock was freed")
	}
	if b, err := os.ReadFile(filepath.Join(out, "index.html")); err != nil || string(b) != "nieuw" {
		t.Errorf("got %q, %v, want the new site", b, err)
	}

	unlock, err = lock(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	err = Write(ctx, map[string][]byte{"index.html": []byte("later")}, out, WriteOptions{Source: src, ContentDir: "content"})
	if err == nil || !strings.Contains(err.Error(), "stopped waiting for another kennisbank build writing") {
		t.Errorf("got %v, want a message about the other build", err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "index.html")); string(b) != "nieuw" {
		t.Errorf("got %q, want the output left as it was", b)
	}
}

// TestLeftoversOfAKilledWrite lays out what a build killed at each step of
// Write leaves behind, and checks that the next Write removes it and
// leaves only the new site.
func TestLeftoversOfAKilledWrite(t *testing.T) {
	steps := []struct {
		name  string
		setup func(t *testing.T, parent, out string)
	}{
		{"killed while writing the staging folder", func(t *testing.T, parent, out string) {
			writeTree(t, filepath.Join(parent, ".public.staging-123"), map[string]string{"index.html": "half"})
		}},
		{"killed after the exchange, before the rename", func(t *testing.T, parent, out string) {
			// The exchange put the old site where the staging folder was.
			writeTree(t, filepath.Join(parent, ".public.staging-456"), map[string]string{"index.html": "oud", manifestName: "index.html\n"})
		}},
		{"killed while removing the old site", func(t *testing.T, parent, out string) {
			writeTree(t, filepath.Join(parent, ".public.old-789"), map[string]string{"a/b.html": "oud"})
		}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			parent := t.TempDir()
			out := filepath.Join(parent, "public")
			writeTree(t, out, map[string]string{"index.html": "huidig", manifestName: "index.html\n"})
			st.setup(t, parent, out)
			if err := Write(context.Background(), map[string][]byte{"index.html": []byte("nieuw")}, out, WriteOptions{Source: filepath.Join(parent, "site"), ContentDir: "content"}); err != nil {
				t.Fatal(err)
			}
			if l := leftovers(t, out); len(l) > 0 {
				t.Errorf("got leftovers %v, want none", l)
			}
			want := tree{"index.html": sha("nieuw"), manifestName: sha("index.html\n")}
			if d := diffTrees(readTree(t, out), want); d != "" {
				t.Errorf("output: %s", d)
			}
			// Other folders beside the output are not touched.
			if _, err := os.Stat(filepath.Join(parent, "public.staging-keep")); err != nil && !os.IsNotExist(err) {
				t.Error(err)
			}
		})
	}
}

func sha(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
