package generator

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden from the current output")

// fixture is a whole small site from testdata/sites/NAME.txtar. The
// archive's comment describes the site and lists, on a "golden:" line,
// the output files compared with testdata/golden/NAME/; "PATH#main"
// compares only the page's <main> element, to keep golden files small.
// An "options: drafts" line builds with drafts.
type fixture struct {
	name    string
	archive *txtar.Archive
	golden  []string
	opts    Options
}

func loadFixture(t testing.TB, name string) fixture {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", "sites", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	f := fixture{name: name, archive: a}
	for _, l := range strings.Split(string(a.Comment), "\n") {
		if rest, ok := strings.CutPrefix(l, "golden:"); ok {
			f.golden = append(f.golden, strings.Fields(rest)...)
		}
		if rest, ok := strings.CutPrefix(l, "options:"); ok {
			for _, o := range strings.Fields(rest) {
				switch o {
				case "drafts":
					f.opts.Drafts = true
				default:
					t.Fatalf("%s.txtar: unknown option %q", name, o)
				}
			}
		}
	}
	return f
}

// writeSite writes the files of a txtar archive into a new folder and
// returns the folder.
func writeSite(t testing.TB, a *txtar.Archive) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range a.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// build builds the fixture with opts added to its own options.
func (f fixture) build(t testing.TB, opts Options) *Site {
	t.Helper()
	opts.Source = writeSite(t, f.archive)
	opts.Drafts = opts.Drafts || f.opts.Drafts
	site, err := Build(context.Background(), opts)
	if err != nil {
		t.Fatalf("building %s: %v", f.name, err)
	}
	for _, d := range site.Diagnostics {
		t.Errorf("building %s: got diagnostic %v, want none", f.name, d)
	}
	return site
}

func fixtureNames(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "sites", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".txtar"))
	}
	return names
}

// mainElement returns the <main> element of a page.
func mainElement(page []byte) ([]byte, bool) {
	i := bytes.Index(page, []byte("<main"))
	j := bytes.LastIndex(page, []byte("</main>"))
	if i < 0 || j < i {
		return nil, false
	}
	return append(slices.Clone(page[i:j+len("</main>")]), '\n'), true
}

// TestGolden builds every fixture site and compares the selected output
// files with the golden files; go test ./generator -update rewrites them.
func TestGolden(t *testing.T) {
	for _, name := range fixtureNames(t) {
		t.Run(name, func(t *testing.T) {
			f := loadFixture(t, name)
			if len(f.golden) == 0 {
				t.Fatalf("%s.txtar: no golden: line in the comment", name)
			}
			site := f.build(t, Options{})
			for _, g := range f.golden {
				file, part, _ := strings.Cut(g, "#")
				got, ok := site.Files[file]
				if !ok {
					t.Errorf("output %s: got no such file, want one", file)
					continue
				}
				if part == "main" {
					if got, ok = mainElement(got); !ok {
						t.Errorf("output %s: got no <main> element, want one", file)
						continue
					}
				}
				path := filepath.Join("testdata", "golden", name, filepath.FromSlash(file))
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Errorf("%v (run go test ./generator -update to create it)", err)
					continue
				}
				if diff := cmp.Diff(string(want), string(got)); diff != "" {
					t.Errorf("%s differs from %s (-want +got); if the change is intended, run go test ./generator -update and review the diff:\n%s", g, path, diff)
				}
			}
		})
	}
}

// TestFixtureLinks checks every internal link and anchor of each fixture
// site, as TestExampleSiteLinks does for the example site.
func TestFixtureLinks(t *testing.T) {
	for _, name := range fixtureNames(t) {
		t.Run(name, func(t *testing.T) {
			site := loadFixture(t, name).build(t, Options{})
			for _, problem := range checkLinks(site.Files) {
				t.Error(problem)
			}
		})
	}
}

// TestGoldenFilesUsed fails on golden files no fixture compares, so
// renamed outputs do not leave stale files behind.
func TestGoldenFilesUsed(t *testing.T) {
	used := map[string]bool{}
	for _, name := range fixtureNames(t) {
		for _, g := range loadFixture(t, name).golden {
			file, _, _ := strings.Cut(g, "#")
			used[filepath.Join("testdata", "golden", name, filepath.FromSlash(file))] = true
		}
	}
	err := filepath.WalkDir(filepath.Join("testdata", "golden"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !used[p] {
			if *update {
				return os.Remove(p)
			}
			t.Errorf("golden file %s: got no fixture comparing it, want it removed (go test ./generator -update removes it)", p)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if *update {
		removeEmptyDirs(filepath.Join("testdata", "golden"))
	}
}

// removeEmptyDirs removes the folders under dir that hold no files.
func removeEmptyDirs(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	empty := true
	for _, e := range entries {
		if !e.IsDir() || !removeEmptyDirs(filepath.Join(dir, e.Name())) {
			empty = false
		}
	}
	return empty && os.Remove(dir) == nil
}

// inOrder checks that s holds each of subs, in the order given.
func inOrder(t *testing.T, name string, s []byte, subs ...string) {
	t.Helper()
	last, prev := -1, ""
	for _, sub := range subs {
		i := bytes.Index(s, []byte(sub))
		switch {
		case i < 0:
			t.Errorf("%s: got no %q, want it", name, sub)
			return
		case i < last:
			t.Errorf("%s: got %q before %q, want it after", name, sub, prev)
		}
		last, prev = i, sub
	}
}

func contains(t *testing.T, site *Site, file string, subs ...string) {
	t.Helper()
	b, ok := site.Files[file]
	if !ok {
		t.Errorf("%s: got no such output file, want one", file)
		return
	}
	for _, s := range subs {
		if !bytes.Contains(b, []byte(s)) {
			t.Errorf("%s: got no %q, want it", file, s)
		}
	}
}

func lacks(t *testing.T, site *Site, file string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if bytes.Contains(site.Files[file], []byte(s)) {
			t.Errorf("%s: got %q, want it absent", file, s)
		}
	}
}

// The tests below state what each fixture's golden files show, so a
// regenerated golden file cannot silently accept a regression.

func TestDutchSortOrder(t *testing.T) {
	site := loadFixture(t, "dutch-sort").build(t, Options{})
	main, _ := mainElement(site.Files["woorden/index.html"])
	inOrder(t, "woorden/index.html", main, ">aap<", ">appel<", ">Appel<", ">Één<", ">Ezel<", ">Icoon<", ">IJsselmeer<", ">ijver<", ">Zebra<")
	az, _ := mainElement(site.Files["a-z/index.html"])
	inOrder(t, "a-z/index.html", az, `id="kb_letter_A"`, ">aap<", ">appel<", ">Appel<", `id="kb_letter_E"`, ">Één<", ">Ezel<",
		`id="kb_letter_I"`, ">Icoon<", ">IJsselmeer<", ">ijver<", `id="kb_letter_Z"`, ">Zebra<")
	tags, _ := mainElement(site.Files["tags/index.html"])
	inOrder(t, "tags/index.html", tags, ">ambacht (1)<", ">Één (1)<", ">Zorg (2)<")
	contains(t, site, "tags/index.html", `href="een/index.html"`)
	contains(t, site, "tags/een/index.html", ">Één<")
}

func TestHeadingIDs(t *testing.T) {
	site := loadFixture(t, "heading-ids").build(t, Options{})
	page, _ := mainElement(site.Files["kop/index.html"])
	inOrder(t, "kop/index.html", page,
		`<h2 id="eigenaarschap-vertrouwen">Eigenaarschap &amp; vertrouwen`,
		`<h2 id="eigenaarschap-vertrouwen-2">Eigenaarschap &amp; vertrouwen`,
		`<h2 id="eigenaarschap-vertrouwen-3">Eigenaarschap-vertrouwen`,
		`<h2 id="een-stap-terug">`,
		`<h3 id="kop">`,
		`<a class="wikilink" href="#eigenaarschap-vertrouwen"`)
	// The table of contents links to the same IDs.
	inOrder(t, "kop/index.html table of contents", page, `<a href="#eigenaarschap-vertrouwen">`, `<a href="#eigenaarschap-vertrouwen-2">`, `<a href="#eigenaarschap-vertrouwen-3">`, `<a href="#een-stap-terug">`)
	contains(t, site, "index.html", `href="kop/index.html#een-stap-terug"`, `href="kop/index.html#eigenaarschap-vertrouwen-2"`)
}

func TestRawHTML(t *testing.T) {
	tests := []struct {
		fixture     string
		want, avoid []string
	}{
		{"raw-html-escaped",
			[]string{`&lt;b&gt;vet&lt;/b&gt;`, `&lt;script&gt;alert(`, `&lt;span onclick=`, `&lt;!-- notitie --&gt;`, `<code>&lt;code&gt;</code>`},
			[]string{`<b>`, `<script>alert`, `<span onclick`, `<div class="kader">`}},
		{"raw-html-unsafe",
			[]string{`<b>vet</b>`, `<script>alert("x")</script>`, `<span onclick="x()">klik</span>`, `<div class="kader">`, `<code>&lt;code&gt;</code>`},
			[]string{`&lt;b&gt;`, `&lt;script&gt;`}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			site := loadFixture(t, tt.fixture).build(t, Options{})
			contains(t, site, "pagina/index.html", tt.want...)
			lacks(t, site, "pagina/index.html", tt.avoid...)
		})
	}
}

func TestRelativeLinks(t *testing.T) {
	site := loadFixture(t, "relative-links").build(t, Options{})
	tests := []struct {
		file string
		want []string
	}{
		{"index.html", []string{`href="index.html">Relatief</a>`, `href="css/main.css"`, `href="rollen/index.html">Rollen</a>`, `href="over/index.html">Over</a>`, `href="rollen/coach/index.html" title="Coach">Coach</a>`}},
		{"rollen/index.html", []string{`href="../index.html">Relatief</a>`, `href="../css/main.css"`, `href="../rollen/index.html" aria-current="page">Rollen</a>`}},
		{"rollen/coach/index.html", []string{
			`href="../../index.html">Relatief</a>`, `href="../../css/main.css"`, `src="../../js/search.js"`, `href="../../feed.xml"`,
			`href="../../index.html">Start</a>`, `href="../../rollen/index.html" aria-current="page">Rollen</a>`,
			`href="../../rollen/team/lid/index.html" title="Lid">Lid</a>`, `href="../../over/index.html">over</a>`,
			`href="../../rollen/index.html">de rollen</a>`, `href="../../over/index.html" title="Over">over de site</a>`, `href="#kop"`, `href="../../tags/coaching/index.html">coaching</a>`,
		}},
		{"rollen/team/lid/index.html", []string{`href="../../../index.html">Relatief</a>`, `href="../../../css/main.css"`, `href="../../../rollen/coach/index.html#kop"`}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			contains(t, site, tt.file, tt.want...)
			// No page links to the server root or by absolute address.
			lacks(t, site, tt.file, `href="/`, `src="/`, `href="http`)
		})
	}
}

func TestBaseURL(t *testing.T) {
	const base = "https://voorbeeld.nl/kb/"
	site := loadFixture(t, "base-url").build(t, Options{})
	contains(t, site, "feed.xml", `<link href="`+base+`feed.xml" rel="self">`, `<id>`+base+`stukken/tweede/</id>`, `<updated>2026-03-04T00:00:00Z</updated>`, `<name>Marieke de Vries</name>`, `Het eerste stuk &amp; meer.`)
	inOrder(t, "feed.xml", site.Files["feed.xml"], ">Tweede<", ">Eerste<")
	contains(t, site, "sitemap.xml", `<loc>`+base+`</loc>`, `<loc>`+base+`stukken/eerste/</loc><lastmod>2026-02-01</lastmod>`, `<loc>`+base+`stukken/tweede/</loc><lastmod>2026-03-04</lastmod>`)
	contains(t, site, "robots.txt", "Sitemap: "+base+"sitemap.xml")
	// Pages use base_url only for their canonical link.
	for name, b := range site.Files {
		if !strings.HasSuffix(name, ".html") || name == "404.html" {
			continue
		}
		rest := strings.ReplaceAll(string(b), `<link rel="canonical" href="`+base, "")
		if strings.Contains(rest, "voorbeeld.nl") {
			t.Errorf("%s: got base_url outside the canonical link, want relative links only", name)
		}
	}
	contains(t, site, "stukken/eerste/index.html", `<link rel="canonical" href="`+base+`stukken/eerste/">`)
}

func TestDrafts(t *testing.T) {
	f := loadFixture(t, "drafts")
	t.Run("left out", func(t *testing.T) {
		site := f.build(t, Options{})
		if _, ok := site.Files["notities/concept/index.html"]; ok {
			t.Errorf("notities/concept/index.html: got the draft's page, want none")
		}
		if _, ok := site.Files["tags/geheim/index.html"]; ok {
			t.Errorf("tags/geheim/index.html: got a tag page only the draft has, want none")
		}
		for name, b := range site.Files {
			if bytes.Contains(b, []byte("Halfbakken")) || bytes.Contains(b, []byte("notities/concept")) {
				t.Errorf("%s: got the draft's title or address, want the draft left out everywhere", name)
			}
		}
	})
	t.Run("included", func(t *testing.T) {
		site := f.build(t, Options{Drafts: true})
		contains(t, site, "notities/concept/index.html", "Halfbakken idee")
		contains(t, site, "notities/index.html", `href="../notities/concept/index.html"`)
		contains(t, site, "feed.xml", "Halfbakken idee")
		contains(t, site, "tags/geheim/index.html", "Halfbakken idee")
	})
}

func TestFilesBesideArticles(t *testing.T) {
	f := loadFixture(t, "files-beside")
	site := f.build(t, Options{})
	for _, af := range f.archive.Files {
		name, ok := strings.CutPrefix(af.Name, "content/")
		if !ok {
			name, ok = strings.CutPrefix(af.Name, "static/")
		}
		if !ok || strings.HasSuffix(name, ".md") {
			continue
		}
		got, copied := site.Files[name]
		ignored := strings.HasPrefix(filepath.Base(name), ".") || strings.HasSuffix(name, "~")
		switch {
		case ignored && copied:
			t.Errorf("%s: got it copied, want editor and system files left out", name)
		case !ignored && !copied:
			t.Errorf("%s: got it missing from the output, want it copied", name)
		case !ignored && !bytes.Equal(got, af.Data):
			t.Errorf("%s: got %q, want the source bytes %q", name, got, af.Data)
		}
	}
	contains(t, site, "rollen/coach/index.html", `src="../schema.svg"`, `href="../handout.pdf"`, `href="../bijlagen/verslag.txt"`)
	contains(t, site, "rollen/index.html", `src="schema.svg"`)
}

func TestLayoutOverride(t *testing.T) {
	site := loadFixture(t, "layout-override").build(t, Options{})
	contains(t, site, "pagina/index.html", `<main id="kb_inhoud" class="eigen"`, "Eigen sjabloon voor artikelen.", "Inhoud van de pagina.", "Eigen voettekst van Eigen")
	// The theme's home.html stays, with the site's footer partial.
	contains(t, site, "index.html", `<main id="kb_inhoud" class="wrap home"`, "Eigen voettekst van Eigen")
	lacks(t, site, "index.html", `<footer class="site-footer">`)
	// A site i18n file replaces single strings; the others stay.
	contains(t, site, "index.html", `>Direct naar de tekst</a>`, `>In deze sectie</h2>`)
	if got, want := string(site.Files["css/main.css"]), "body { font-family: serif; }\n"; got != want {
		t.Errorf("css/main.css: got %q, want the site's file %q", got, want)
	}
	if _, ok := site.Files["css/search.css"]; !ok {
		t.Errorf("css/search.css: got no file, want the theme's")
	}
}

// TestTagsIndexListsEachTagOnce: tags/index.html lists every tag once,
// with its number of pages.
func TestTagsIndexListsEachTagOnce(t *testing.T) {
	site := loadFixture(t, "dutch-sort").build(t, Options{})
	main, _ := mainElement(site.Files["tags/index.html"])
	for _, tag := range []string{"ambacht", "een", "zorg"} {
		if n := bytes.Count(main, []byte(tag+`/index.html"`)); n != 1 {
			t.Errorf("tags/index.html: got %d links to tag %s, want 1 in:\n%s", n, tag, main)
		}
	}
}

// TestAZLettersOnce: in the A-Z index every letter heads one group, also
// when IJ words sort between I words ("Icoon", "IJsselmeer", "Ik").
func TestAZLettersOnce(t *testing.T) {
	f := loadFixture(t, "dutch-sort")
	f.archive.Files = append(f.archive.Files, txtar.File{Name: "content/woorden/ik.md", Data: []byte("+++\ntitle = \"Ik\"\n+++\n")})
	site := f.build(t, Options{})
	pages, _ := parsePages(site.Files)
	if p := pages["a-z/index.html"]; p == nil || len(p.dupIDs) > 0 {
		main, _ := mainElement(site.Files["a-z/index.html"])
		t.Errorf("a-z/index.html: got repeated letter groups %v, want each letter once:\n%s", p.dupIDs, main)
	}
}

// TestHeadingIDsAvoidThemeIDs: a heading whose slug is an ID the theme
// uses ("Inhoud" → the skip link's target main#inhoud) gets another ID,
// so the page has no duplicate IDs and links to the heading work.
func TestHeadingIDsAvoidThemeIDs(t *testing.T) {
	f := loadFixture(t, "heading-ids")
	f.archive.Files = append(f.archive.Files, txtar.File{Name: "content/inhoud.md", Data: []byte("+++\ntitle = \"Inhoud\"\n+++\n## Inhoud\n\nTekst.\n\n## Verder\n\nNaar [[#Inhoud]].\n")})
	site := f.build(t, Options{})
	for _, problem := range checkLinks(site.Files) {
		t.Error(problem)
	}
}

// TestSitemapWithoutBaseURL: sitemap locations must be absolute URLs
// (sitemaps.org); without base_url there are none to give, so no
// location may be empty or relative.
func TestSitemapWithoutBaseURL(t *testing.T) {
	site := loadFixture(t, "drafts").build(t, Options{})
	sm, ok := site.Files["sitemap.xml"]
	if !ok {
		return
	}
	for _, loc := range regexp.MustCompile(`<loc>([^<]*)</loc>`).FindAllSubmatch(sm, -1) {
		if !bytes.HasPrefix(loc[1], []byte("http://")) && !bytes.HasPrefix(loc[1], []byte("https://")) {
			t.Errorf("sitemap.xml: got <loc>%s</loc>, want absolute URLs only (or no sitemap without base_url)", loc[1])
		}
	}
}
