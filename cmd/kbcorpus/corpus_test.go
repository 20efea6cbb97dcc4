package main

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/google/go-cmp/cmp"
)

// testPages is the size of the corpora the tests generate; testPerDir
// makes it spread over several subfolders.
const (
	testPages  = 200
	testPerDir = 40
)

// generateFiles returns the files of a corpus by path.
func generateFiles(t *testing.T, pages int, seed uint64, f form) map[string][]byte {
	t.Helper()
	pl, err := newPlan(pages, seed, testPerDir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := pl.generate(context.Background(), f, 4)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string][]byte, len(files))
	for _, fi := range files {
		if _, dup := out[fi.path]; dup {
			t.Fatalf("file %s generated twice", fi.path)
		}
		out[fi.path] = fi.data
	}
	return out
}

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := make(map[string]string)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// splitPage splits a Markdown file into front matter and body.
func splitPage(t *testing.T, name string, data []byte) (front, body string) {
	t.Helper()
	rest, ok := strings.CutPrefix(string(data), "+++\n")
	if !ok {
		t.Fatalf("%s: no +++ at the top", name)
	}
	front, body, ok = strings.Cut(rest, "\n+++\n")
	if !ok {
		t.Fatalf("%s: no closing +++", name)
	}
	return front, body
}

// isPage reports whether name is a regular page (not an _index.md).
func isPage(name string) bool {
	return strings.HasPrefix(name, "content/") && strings.HasSuffix(name, ".md") && path.Base(name) != "_index.md"
}

func TestDeterministic(t *testing.T) {
	tests := []struct {
		name string
		hugo bool
	}{
		{"kennisbank", false},
		{"hugo", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var trees [2]map[string]string
			for i := range trees {
				dir := t.TempDir()
				o := options{pages: testPages, out: dir, seed: 7, hugo: tt.hugo, perDir: testPerDir}
				if _, err := build(context.Background(), o); err != nil {
					t.Fatal(err)
				}
				trees[i] = readTree(t, dir)
			}
			if len(trees[0]) < testPages {
				t.Fatalf("got %d files, want at least %d", len(trees[0]), testPages)
			}
			if diff := cmp.Diff(trees[0], trees[1]); diff != "" {
				t.Errorf("two runs with the same seed differ (-first +second):\n%s", diff)
			}
		})
	}
	a := generateFiles(t, testPages, 1, formKennisbank)
	b := generateFiles(t, testPages, 2, formKennisbank)
	if bytes.Equal(a["content/rollen/beoordelen.md"], b["content/rollen/beoordelen.md"]) &&
		bytes.Equal(a["content/vaardigheden/beoordelen.md"], b["content/vaardigheden/beoordelen.md"]) {
		t.Errorf("seeds 1 and 2 give the same page")
	}
}

func TestPageCounts(t *testing.T) {
	files := generateFiles(t, testPages, 1, formKennisbank)
	count := make(map[string]int)
	for name := range files {
		if isPage(name) {
			count[strings.Split(name, "/")[1]]++
			if n := strings.Count(name, "/"); n > 3 {
				t.Errorf("%s: nested %d deep", name, n)
			}
		}
	}
	want := map[string]int{"rollen": 10, "vaardigheden": 20, "programmatypen": 4}
	bulk := 0
	for _, s := range bulkSections() {
		if count[s.dir] == 0 {
			t.Errorf("section %s has no pages", s.dir)
		}
		bulk += count[s.dir]
		want[s.dir] = count[s.dir]
	}
	if diff := cmp.Diff(want, count); diff != "" {
		t.Errorf("pages per section (-want +got):\n%s", diff)
	}
	if got := bulk + 34; got != testPages {
		t.Errorf("got %d pages, want %d", got, testPages)
	}
	// Every folder with pages has an _index.md, and no folder holds more
	// than testPerDir pages.
	perDir := make(map[string]int)
	for name := range files {
		if isPage(name) {
			perDir[path.Dir(name)]++
		}
	}
	for dir, n := range perDir {
		for d := dir; d != "."; d = path.Dir(d) {
			if _, ok := files[d+"/_index.md"]; !ok {
				t.Errorf("%s has no _index.md", d)
			}
		}
		if n > testPerDir && strings.Count(dir, "/") > 1 {
			t.Errorf("%s holds %d pages, want at most %d", dir, n, testPerDir)
		}
	}
}

// wikilink matches [[target]] and [[target|text]].
var wikilink = regexp.MustCompile(`\[\[([^\]|]+)(?:\|([^\]]+))?\]\]`)

func TestWikilinksResolve(t *testing.T) {
	files := generateFiles(t, testPages, 1, formKennisbank)
	titles := make(map[string]string) // folded title → file
	paths := make(map[string]bool)    // "dir/slug"
	for name, data := range files {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		front, _ := splitPage(t, name, data)
		var fm struct{ Title string }
		if _, err := toml.Decode(front, &fm); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		key := slugify(fm.Title)
		if other, dup := titles[key]; dup {
			t.Errorf("title %q of %s is also the title of %s", fm.Title, name, other)
		}
		titles[key] = name
		titles[fm.Title] = name
		if isPage(name) {
			paths[strings.TrimSuffix(strings.TrimPrefix(name, "content/"), ".md")] = true
		}
	}
	styles := make(map[string]int)
	for name, data := range files {
		if !isPage(name) {
			continue
		}
		_, body := splitPage(t, name, data)
		links := wikilink.FindAllStringSubmatch(body, -1)
		if len(links) < 3 || len(links) > 8 {
			t.Errorf("%s: got %d wikilinks, want 3 to 8", name, len(links))
		}
		for _, l := range links {
			target := l[1]
			switch {
			case l[2] != "":
				styles["custom"]++
			case strings.Contains(target, "/"):
				styles["path"]++
			default:
				styles["title"]++
			}
			if strings.Contains(target, "/") {
				if !paths[target] {
					t.Errorf("%s: [[%s]]: no page at that path", name, target)
				}
				continue
			}
			if _, ok := titles[target]; !ok {
				t.Errorf("%s: [[%s]]: no page with that exact title", name, target)
			}
		}
	}
	for _, s := range []string{"title", "path", "custom"} {
		if styles[s] == 0 {
			t.Errorf("no wikilink in style %s", s)
		}
	}
}

func TestWordCounts(t *testing.T) {
	// More pages than elsewhere, to reach the tails of the distribution.
	files := generateFiles(t, 1500, 3, formKennisbank)
	lo, hi := 1<<30, 0
	for name, data := range files {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		_, body := splitPage(t, name, data)
		n := countWords(body)
		want := [2]int{300, 1500}
		if !isPage(name) {
			want = [2]int{80, 200}
		} else {
			lo, hi = min(lo, n), max(hi, n)
		}
		if n < want[0] || n > want[1] {
			t.Errorf("%s: got %d words, want %d to %d", name, n, want[0], want[1])
		}
	}
	t.Logf("pages have %d to %d words", lo, hi)
}

// frontMatter is every key a generated page may have.
type frontMatter struct {
	Title        string
	Summary      string
	Date         time.Time
	Weight       int
	Tags         []string
	Over         []string
	Auteurs      []string
	AntwoordOp   string `toml:"antwoord_op"`
	Vaardigheden map[string]string
	Criteria     map[string]string
}

func TestFrontMatter(t *testing.T) {
	files := generateFiles(t, testPages, 1, formKennisbank)
	entityNames := make(map[string]bool)
	skillSlugs := make(map[string]bool)
	slugs := make(map[string]bool)
	for _, list := range [][]entity{roles(), skills(), programmeTypes()} {
		for _, e := range list {
			entityNames[e.title], entityNames[e.slug] = true, true
		}
	}
	for _, e := range skills() {
		skillSlugs[e.slug] = true
	}
	for name := range files {
		if isPage(name) {
			slugs[strings.TrimSuffix(path.Base(name), ".md")] = true
		}
	}
	features := make(map[string]int)
	for name, data := range files {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		front, body := splitPage(t, name, data)
		var fm frontMatter
		md, err := toml.Decode(front, &fm)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if u := md.Undecoded(); len(u) > 0 {
			t.Errorf("%s: unexpected keys %v", name, u)
		}
		if fm.Title == "" || fm.Summary == "" || len(fm.Summary) > 200 {
			t.Errorf("%s: got title %q, summary %q; want both, summary at most 200 bytes", name, fm.Title, fm.Summary)
		}
		if !isPage(name) {
			continue
		}
		section := strings.Split(name, "/")[1]
		if section == "dialoog" || section == "reflecties" {
			if fm.Date.IsZero() || len(fm.Auteurs) == 0 {
				t.Errorf("%s: got date %v, auteurs %v; want both", name, fm.Date, fm.Auteurs)
			}
		}
		if len(fm.Over) < 1 || len(fm.Over) > 3 {
			t.Errorf("%s: got over %v, want 1 to 3 entries", name, fm.Over)
		}
		for _, o := range fm.Over {
			if !entityNames[o] {
				t.Errorf("%s: over %q is no role, skill or programme type", name, o)
			}
		}
		if fm.AntwoordOp != "" && !slugs[fm.AntwoordOp] {
			t.Errorf("%s: antwoord_op %q is no page", name, fm.AntwoordOp)
		}
		wantSkills := section == "rollen" || section == "programmatypen"
		if got := len(fm.Vaardigheden) > 0; got != wantSkills {
			t.Errorf("%s: got [vaardigheden] %v, want one: %v", name, fm.Vaardigheden, wantSkills)
		}
		for k, v := range fm.Vaardigheden {
			if !skillSlugs[k] || !slices.Contains(levels(), v) {
				t.Errorf("%s: [vaardigheden] %s = %q: want a skill slug and a level", name, k, v)
			}
		}
		var gotCriteria []string
		for k := range fm.Criteria {
			gotCriteria = append(gotCriteria, k)
		}
		var wantCriteria []string
		if section == "programmatypen" {
			wantCriteria = criteriaKeys()
		}
		slices.Sort(gotCriteria)
		slices.Sort(wantCriteria)
		if diff := cmp.Diff(wantCriteria, gotCriteria); diff != "" {
			t.Errorf("%s: [criteria] keys (-want +got):\n%s", name, diff)
		}
		for feature, marker := range map[string]string{
			"heading": "\n## ", "bullet list": "\n- ", "numbered list": "\n1. ", "table": "\n| ",
			"code": "\n```", "footnote": "\n[^1]: ", "quote": "\n> ", "definition list": "\n: ",
		} {
			if strings.Contains(body, marker) {
				features[feature]++
			}
		}
	}
	t.Logf("pages per feature: %v", features)
	for _, f := range []string{"heading", "bullet list", "numbered list", "table", "code", "footnote", "quote", "definition list"} {
		if features[f] == 0 {
			t.Errorf("no page has a %s", f)
		}
	}
	var site struct {
		Title     string
		Relations []struct{ Key string }
	}
	if _, err := toml.Decode(string(files["site.toml"]), &site); err != nil || site.Title == "" || len(site.Relations) != 2 {
		t.Errorf("site.toml: got %+v, %v; want a title and two relations", site, err)
	}
}

// mdLink matches an inline Markdown link to a site path.
var mdLink = regexp.MustCompile(`\]\((/[^)\s]*)\)`)

func TestHugoForm(t *testing.T) {
	files := generateFiles(t, testPages, 1, formHugo)
	for _, want := range []string{"hugo.toml", "layouts/_default/baseof.html", "layouts/_default/single.html",
		"layouts/_default/list.html", "layouts/_default/index.html"} {
		if len(files[want]) == 0 {
			t.Errorf("no %s", want)
		}
	}
	if _, ok := files["site.toml"]; ok {
		t.Errorf("the Hugo form has a site.toml")
	}
	var cfg map[string]any
	if _, err := toml.Decode(string(files["hugo.toml"]), &cfg); err != nil {
		t.Errorf("hugo.toml: %v", err)
	}
	links := 0
	for name, data := range files {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		if bytes.Contains(data, []byte("[[")) || bytes.Contains(data, []byte("]]")) {
			t.Errorf("%s: still has [[ or ]]", name)
		}
		for _, m := range mdLink.FindAllSubmatch(data, -1) {
			links++
			url := string(m[1])
			target := "content" + strings.TrimSuffix(url, "/") + ".md"
			if !strings.HasSuffix(url, "/") || files[target] == nil {
				t.Errorf("%s: link %s: no page %s", name, url, target)
			}
		}
	}
	if links < 3*testPages {
		t.Errorf("got %d links, want at least %d", links, 3*testPages)
	}
	// Apart from the links, both forms hold the same text.
	kb := generateFiles(t, testPages, 1, formKennisbank)
	name := "content/rollen/coach-en-beoordelaar.md"
	stripLinks := func(b []byte) string {
		s := wikilink.ReplaceAllString(string(b), "LINK")
		return regexp.MustCompile(`\[[^\]]*\]\(/[^)]*\)`).ReplaceAllString(s, "LINK")
	}
	if diff := cmp.Diff(stripLinks(kb[name]), stripLinks(files[name])); diff != "" {
		t.Errorf("%s differs between the forms apart from links (-kennisbank +hugo):\n%s", name, diff)
	}
}

// TestHugoBuilds builds the Hugo form with hugo, when it is installed.
func TestHugoBuilds(t *testing.T) {
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("hugo is not installed: .ci/run installs it with apt-get install -y hugo")
		}
		t.Skip("hugo is not installed (apt-get install -y hugo); with CI=true this fails")
	}
	dir := t.TempDir()
	if _, err := build(context.Background(), options{pages: minPages, out: dir, seed: 1, hugo: true, perDir: 10}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(hugo, "--quiet", "--source", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("hugo: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "public/rollen/coach-en-beoordelaar/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Coach én beoordelaar", `class="breadcrumbs"`, `class="section-nav"`, `id="TableOfContents"`, `class="tags"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("rollen/coach-en-beoordelaar/index.html lacks %q", want)
		}
	}
}

func TestRun(t *testing.T) {
	foreign := t.TempDir()
	if err := os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	ours := t.TempDir()
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"no out", []string{"-pages", "50"}, 2},
		{"bad flag", []string{"-nope"}, 2},
		{"too few pages", []string{"-pages", "10", "-out", ours}, 1},
		{"foreign folder", []string{"-pages", "50", "-out", foreign}, 1},
		{"new folder", []string{"-pages", "50", "-out", ours}, 0},
		{"build output", []string{"-pages", "50", "-out", filepath.Join(ours, "public")}, 0},
		{"own folder again", []string{"-pages", "40", "-out", ours, "-hugo"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			c := &cli{Stdout: io.Discard, Stderr: &stderr}
			if got := c.Run(context.Background(), tt.args); got != tt.want {
				t.Errorf("Run(%q) = %d, want %d; stderr:\n%s", tt.args, got, tt.want, stderr.String())
			}
		})
	}
	if _, err := os.Stat(filepath.Join(foreign, "notes.txt")); err != nil {
		t.Errorf("foreign folder was touched: %v", err)
	}
	// The second run into ours replaced the first corpus, and left alone
	// what it did not write.
	if _, err := os.Stat(filepath.Join(ours, "public", "site.toml")); err != nil {
		t.Errorf("a folder kbcorpus did not write was removed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(ours, "site.toml")); err == nil {
		t.Errorf("site.toml of the first run is still there")
	}
}

// BenchmarkGenerate measures planning and rendering in memory, without
// writing files.
func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		pl, err := newPlan(2000, 1, 500)
		if err != nil {
			b.Fatal(err)
		}
		files, err := pl.generate(context.Background(), formKennisbank, 2)
		if err != nil {
			b.Fatal(err)
		}
		size := 0
		for _, f := range files {
			size += len(f.data)
		}
		b.SetBytes(int64(size))
	}
}
