package generator

import (
	"context"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"kennisbank/generator/content"
	"kennisbank/generator/link"
)

// hostileBase is the valid part of every hostile site.
var hostileBase = map[string]string{
	"site.toml":               "title = \"Vijandig\"\n",
	"content/_index.md":       "+++\ntitle = \"Start\"\n+++\nWelkom.\n",
	"content/rollen/coach.md": "+++\ntitle = \"Coach\"\n+++\nTekst.\n",
}

// removed as a file's text in buildHostile leaves the file out.
const removed = "\x00removed"

// buildHostile writes hostileBase with files added (the value removed
// leaves a file out) into a new site folder and builds it. It returns the folder, the
// site, the error diagnostics as "path:line: message [code]" and the
// warnings likewise.
func buildHostile(t *testing.T, files map[string]string, setup func(dir string)) (string, *Site, []string, []string) {
	t.Helper()
	all := map[string]string{}
	for k, v := range hostileBase {
		all[k] = v
	}
	for k, v := range files {
		if v == removed {
			delete(all, k)
			continue
		}
		all[k] = v
	}
	dir := t.TempDir()
	writeFiles(t, dir, all)
	if setup != nil {
		setup(dir)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	site, err := Build(ctx, Options{Source: dir})
	var be *BuildError
	if err != nil && !errors.As(err, &be) {
		t.Fatalf("got error %v, want a *BuildError or none", err)
	}
	var errs, warns []string
	if site != nil {
		for _, d := range site.Diagnostics {
			s := d.String() + " [" + d.Code + "]"
			if d.Severity == content.Error {
				errs = append(errs, s)
			} else {
				warns = append(warns, s)
			}
		}
		for name := range site.Files {
			if !localPath(name) {
				t.Errorf("output %q is not a path inside the output folder", name)
			}
		}
	}
	return dir, site, errs, warns
}

// wantOnly checks that errs holds exactly one diagnostic per want, each
// containing it.
func wantOnly(t *testing.T, errs []string, want ...string) {
	t.Helper()
	if len(errs) != len(want) {
		t.Errorf("got %d errors, want %d:\n  %s", len(errs), len(want), strings.Join(errs, "\n  "))
		return
	}
	for _, w := range want {
		if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, w) }) {
			t.Errorf("no error with %q in:\n  %s", w, strings.Join(errs, "\n  "))
		}
	}
}

// TestHostilePaths checks that slugs, aliases and file names that would
// write outside the output folder are errors naming the file and line,
// and that nothing outside the output folder is ever in the site.
func TestHostilePaths(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"slug with ..", map[string]string{"content/rollen/x.md": "+++\ntitle = \"X\"\nslug = \"../../etc\"\n+++\n"},
			[]string{`content/rollen/x.md:3:1: slug "../../etc" may not contain slashes`}},
		{"absolute slug", map[string]string{"content/rollen/x.md": "+++\ntitle = \"X\"\nslug = \"/etc/passwd\"\n+++\n"},
			[]string{`content/rollen/x.md:3:1: slug "/etc/passwd"`}},
		{"slug with %2e%2e", map[string]string{"content/rollen/x.md": "+++\ntitle = \"X\"\nslug = \"%2e%2e\"\n+++\n"},
			[]string{`content/rollen/x.md:3:1: slug "%2e%2e"`}},
		{"slug with a backslash", map[string]string{"content/rollen/x.md": "+++\ntitle = \"X\"\nslug = '..\\..\\x'\n+++\n"},
			[]string{`content/rollen/x.md:3:1: slug "..\\..\\x"`}},
		{"slug with NUL", map[string]string{"content/rollen/x.md": "+++\ntitle = \"X\"\nslug = \"a\\u0000b\"\n+++\n"},
			[]string{`content/rollen/x.md:3:1: slug "a\x00b"`}},
		{"slug with a scheme", map[string]string{"content/x.md": "+++\ntitle = \"X\"\nslug = \"javascript:alert(1)\"\n+++\n"},
			[]string{`content/x.md:3:1: slug "javascript:alert(1)" may not contain :, ? or #`}},
		{"alias with ..", map[string]string{"content/rollen/x.md": "+++\ntitle = \"X\"\naliases = [\"../../../tmp/x\"]\n+++\n"},
			[]string{`content/rollen/x.md:3:1: alias "../../../tmp/x" would write outside the site`}},
		{"alias with %2e%2e", map[string]string{"content/rollen/x.md": "+++\ntitle = \"X\"\naliases = [\"%2e%2e/%2e%2e/x\"]\n+++\n"},
			[]string{`content/rollen/x.md:3:1: alias "%2e%2e/%2e%2e/x" would write outside the site`}},
		{"alias with backslashes", map[string]string{"content/rollen/x.md": "+++\ntitle = \"X\"\naliases = ['..\\..\\x']\n+++\n"},
			[]string{`content/rollen/x.md:3:1: alias "..\\..\\x" would write outside the site`}},
		{"alias with NUL", map[string]string{"content/rollen/x.md": "+++\ntitle = \"X\"\naliases = [\"x\\u0000\"]\n+++\n"},
			[]string{`content/rollen/x.md:3:1: alias "x\x00" would write outside the site`}},
		{"file name with a backslash", map[string]string{`content/rollen/a\..\..\x.md`: "+++\ntitle = \"X\"\n+++\n"},
			[]string{`content/rollen/a\..\..\x.md: the name "a\\..\\..\\x.md" holds a backslash`}},
		{"folder named %2e%2e", map[string]string{"content/%2e%2e/x.md": "+++\ntitle = \"X\"\n+++\n"},
			[]string{`content/%2e%2e: the name "%2e%2e" holds %, :, ? or #`}},
		{"file name with a scheme", map[string]string{"content/javascript:alert(1).md": "+++\ntitle = \"X\"\n+++\n"},
			[]string{`content/javascript:alert(1).md: the name "javascript:alert(1).md" holds %, :, ? or #`}},
		{"file name with a newline", map[string]string{"content/a\nb.md": "+++\ntitle = \"X\"\n+++\n"},
			[]string{`the name "a\nb.md" holds a backslash or a control character`}},
		{"asset with a backslash", map[string]string{`content/rollen/a\..\x.pdf`: "%PDF"},
			[]string{`content/rollen/a\..\x.pdf: the name "a\\..\\x.pdf" holds a backslash`}},
		// A name that starts with a dot is hidden, so never part of the site.
		{"hidden name with a backslash", map[string]string{`content/rollen/..\..\x.md`: "+++\ntitle = \"X\"\n+++\n"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, errs, _ := buildHostile(t, tt.files, nil)
			wantOnly(t, errs, tt.want...)
		})
	}
}

// TestTwoSourcesOneOutput checks that two sources for one output path are
// an error listing both.
func TestTwoSourcesOneOutput(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"two pages", map[string]string{"content/rollen/trainer.md": "+++\ntitle = \"T\"\nslug = \"coach\"\n+++\n"},
			[]string{"content/rollen/trainer.md:3:1: rollen/coach.md and rollen/trainer.md both become /rollen/coach/"}},
		{"pages differing in case", map[string]string{"content/rollen/Coach.md": "+++\ntitle = \"C\"\n+++\n"},
			[]string{"rollen/Coach.md (/rollen/Coach/) and rollen/coach.md (/rollen/coach/) differ only in case"}},
		{"alias on a page", map[string]string{"content/rollen/trainer.md": "+++\ntitle = \"T\"\naliases = [\"rollen/coach\"]\n+++\n"},
			[]string{`content/rollen/trainer.md:3:1: alias "rollen/coach" is the address of rollen/coach.md`}},
		{"two aliases", map[string]string{
			"content/rollen/a.md": "+++\ntitle = \"A\"\naliases = [\"oud\"]\n+++\n",
			"content/rollen/b.md": "+++\ntitle = \"B\"\naliases = [\"oud\"]\n+++\n"},
			[]string{`content/rollen/b.md:3:1: rollen/a.md and rollen/b.md both have the alias "oud"`}},
		// The file's folder makes a section in the page's place, too.
		{"a file beside the articles and a page", map[string]string{"content/rollen/coach/index.html": "<p>eigen</p>"},
			[]string{"rollen/coach and rollen/coach.md both become /rollen/coach/",
				"content/rollen/coach/index.html: content/rollen/coach/index.html and the section page of content/rollen/coach both become rollen/coach/index.html"}},
		{"a file beside the articles and a generated page", map[string]string{"content/404.html": "<p>eigen</p>"},
			[]string{"content/404.html: content/404.html and the generated page /404/ both become 404.html"}},
		{"a file beside the articles and a static file", map[string]string{"content/logo.svg": "<svg/>", "static/logo.svg": "<svg/>"},
			[]string{"content/logo.svg: content/logo.svg and static/logo.svg both become logo.svg"}},
		{"a file beside the articles and a generated file", map[string]string{"content/feed.xml": "<feed/>"},
			[]string{"content/feed.xml: content/feed.xml and a file of the theme or a generated file both become feed.xml"}},
		{"a file beside the articles in the search index's folder", map[string]string{"content/search/meta.js": "x"},
			[]string{"content/search/meta.js: content/search/meta.js is in the folder search, which holds the search index: move it to another folder"}},
		{"a static file and the home page", map[string]string{"static/index.html": "<p>eigen</p>"},
			[]string{"static/index.html: static/index.html and content/_index.md both become index.html"}},
		{"a static file and a section", map[string]string{"static/rollen/index.html": "<p>eigen</p>"},
			[]string{"static/rollen/index.html: static/rollen/index.html and the section page of content/rollen both become rollen/index.html"}},
		{"a static file and an alias", map[string]string{"content/rollen/a.md": "+++\ntitle = \"A\"\naliases = [\"oud\"]\n+++\n", "static/oud/index.html": "x"},
			[]string{`static/oud/index.html: static/oud/index.html and the alias "oud" of content/rollen/a.md both become oud/index.html`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, errs, _ := buildHostile(t, tt.files, nil)
			wantOnly(t, errs, tt.want...)
		})
	}
	// A static file may replace a theme file of the same name, as the
	// README says.
	_, site, errs, _ := buildHostile(t, map[string]string{"static/css/main.css": "body{}"}, nil)
	if len(errs) > 0 || string(site.Files["css/main.css"]) != "body{}" {
		t.Errorf("static/css/main.css: got errors %v and %q, want it to replace the theme's", errs, site.Files["css/main.css"])
	}
}

// TestHostileSymlinks checks that symbolic links in content/ and static/
// are refused with a message, that links out of the site never bring a
// file in, and that link loops end.
func TestHostileSymlinks(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "geheim.md")
	if err := os.WriteFile(secret, []byte("+++\ntitle = \"GEHEIM\"\n+++\nGEHEIM\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Dir(secret)
	link := func(target, name string) func(dir string) {
		return func(dir string) {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, p); err != nil {
				t.Skipf("symlink: %v", err)
			}
		}
	}
	tests := []struct {
		name  string
		setup func(dir string)
		want  string
	}{
		{"a page linking out of the site", link(secret, "content/rollen/geheim.md"), "content/rollen/geheim.md: symbolic links are not followed in content"},
		{"a folder linking out of the site", link(outside, "content/buiten"), "content/buiten: symbolic links are not followed in content"},
		{"a link to itself", link("lus", "content/lus"), "content/lus: symbolic links are not followed in content"},
		{"a folder linking to its parent", link("..", "content/rollen/terug"), "content/rollen/terug: symbolic links are not followed in content"},
		{"a static file linking out of the site", link(secret, "static/geheim.txt"), "symbolic links are refused"},
		{"static/ linking out of the site", link(outside, "static"), "static/ is a symbolic link to " + outside + ", outside the site folder"},
		{"static/ linking to itself", link("static", "static"), "static: static/ is a symbolic link that leads nowhere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan struct{})
			var errs []string
			var site *Site
			go func() {
				defer close(done)
				_, site, errs, _ = buildHostile(t, nil, tt.setup)
			}()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("the build did not end within 30 s")
			}
			if tt.want == "" {
				wantOnly(t, errs)
			} else {
				wantOnly(t, errs, tt.want)
			}
			if site == nil {
				return
			}
			for name, b := range site.Files {
				if strings.Contains(string(b), "GEHEIM") {
					t.Errorf("%s: holds the file from outside the site", name)
				}
			}
		})
	}
}

// TestHostileText builds pages of strange text: each builds, or fails
// alone with a message at its file and line, and the build ends in time.
func TestHostileText(t *testing.T) {
	page := func(body string) string { return "+++\ntitle = \"P\"\n+++\n" + body }
	files := map[string]string{
		"content/bom.md":        "\uFEFF" + page("Met BOM.\n"),
		"content/crlf.md":       strings.ReplaceAll(page("Regel een.\nRegel twee.\n"), "\n", "\r\n"),
		"content/cr.md":         strings.ReplaceAll(page("Oude Mac.\n"), "\n", "\r"),
		"content/utf8.md":       page("Goed.\nFout: \xff hier.\n"),
		"content/leeg.md":       "",
		"content/zonder.md":     "# Geen front matter\n",
		"content/plaatje.md":    "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
		"content/lang.md":       page(strings.Repeat("woord ", 200000) + "\n"),
		"content/citaten.md":    page(strings.Repeat(">", 10000) + " diep\n"),
		"content/lijst.md":      page(strings.Repeat("- ", 10000) + "diep\n"),
		"content/genummerd.md":  page(strings.Repeat("1. ", 10000) + "diep\n"),
		"content/diep.md":       "+++\ntitle = \"D\"\nx = " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n+++\n",
		"content/inline.md":     "+++\ntitle = \"I\"\nx = " + strings.Repeat("{a=", 8000) + "1" + strings.Repeat("}", 8000) + "\n+++\n",
		"content/punten.md":     "+++\ntitle = \"P\"\n" + strings.Repeat("a.", 8000) + "a = 1\n+++\n",
		"content/commentaar.md": page(strings.Repeat("<!--", 20000) + "\n"),
	}
	start := time.Now()
	_, site, errs, _ := buildHostile(t, files, nil)
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the build took %v, want it bounded", d)
	}
	wantOnly(t, errs,
		"content/utf8.md:5:7: invalid UTF-8: save the file as UTF-8 [utf8]",
		"content/leeg.md:1:1: file is empty: add front matter with at least a title [empty]",
		"content/zonder.md:1:1: no front matter: start the file with a +++ line",
		"content/plaatje.md:3:1: file contains a NUL byte: it is not a text file; give it another extension than .md [binary]",
		"content/diep.md:3:37: front matter nests deeper than 32 levels (limits.max_front_matter_depth in site.toml) [front-matter]",
		"content/inline.md:3:101: front matter nests deeper than 32 levels",
		"content/punten.md:3:66: front matter nests deeper than 32 levels",
	)
	for _, p := range []string{"bom", "crlf", "cr", "lang", "citaten", "lijst", "genummerd", "commentaar"} {
		if _, ok := site.Files[p+"/index.html"]; !ok {
			t.Errorf("%s/index.html: not built, want the page", p)
		}
	}
	if b := string(site.Files["crlf/index.html"]); !strings.Contains(b, "Regel een.\nRegel twee.") {
		t.Errorf("crlf/index.html: want the lines joined with LF")
	}
}

// TestLimitsFromSiteToml checks that each limit in site.toml applies: a
// page past one fails alone with a message naming the setting, and the
// build goes on to report the other pages' errors.
func TestLimitsFromSiteToml(t *testing.T) {
	files := map[string]string{
		"site.toml": `title = "Grenzen"
[limits]
max_file_size = 2000
max_front_matter_size = 300
max_front_matter_depth = 3
render_timeout = "200ms"
highlight_timeout = "100ms"
`,
		"content/groot.md":    "+++\ntitle = \"G\"\n+++\n" + strings.Repeat("x", 3000),
		"content/voorkant.md": "+++\ntitle = \"V\"\n" + strings.Repeat("# opmerking\n", 30) + "+++\n",
		"content/diep.md":     "+++\ntitle = \"D\"\nx = [[[[1]]]]\n+++\n",
		// About 0.5 s in goldmark, however fast the machine: every "["
		// opens a link whose destination never closes.
		"content/traag.md": "+++\ntitle = \"T\"\n+++\n" + strings.Repeat("[a](", 1900/4) + "\n",
		// 20 KB of letters take the makefile lexer seconds.
		"content/code.md": "+++\ntitle = \"C\"\n+++\n```makefile\n" + strings.Repeat("a", 1900) + "\n```\n",
		"content/fout.md": "+++\nsummary = \"geen titel\"\n+++\n",
	}
	_, site, errs, warns := buildHostile(t, files, nil)
	want := []string{
		"content/groot.md: file is 3020 bytes, more than the limit of 2000 (limits.max_file_size in site.toml) [too-large]",
		"content/voorkant.md:2:1: front matter is 372 bytes, more than the limit of 300 (limits.max_front_matter_size in site.toml)",
		"content/diep.md:3:8: front matter nests deeper than 3 levels",
		`content/fout.md:1:1: front matter has no title`,
	}
	// The slow page fails only where goldmark is slower than the limit.
	if slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, "traag.md") }) {
		want = append(want, "content/traag.md:4:1: rendering took longer than 200ms (limits.render_timeout): split the page or simplify its structure [render]")
	}
	wantOnly(t, errs, want...)
	if site != nil {
		if _, ok := site.Files["code/index.html"]; !ok {
			t.Errorf("code/index.html: not built, want the page with its code plain")
		}
	}
	_ = warns
}

// TestRenderTimeoutReportsAndGoesOn checks the render limit with a page
// goldmark takes seconds over: that page fails with its path and line and
// the limit's name, and the other pages' errors are still reported.
func TestRenderTimeoutReportsAndGoesOn(t *testing.T) {
	files := map[string]string{
		"site.toml":        "title = \"Traag\"\n[limits]\nrender_timeout = \"100ms\"\n",
		"content/traag.md": "+++\ntitle = \"T\"\n+++\nTekst.\n\n" + strings.Repeat("[a](", 20000) + "\n",
		"content/fout.md":  "+++\nsummary = \"geen titel\"\n+++\n",
		"content/kapot.md": "+++\ntitle = \"K\"\nweight = = 1\n+++\n",
	}
	start := time.Now()
	_, _, errs, _ := buildHostile(t, files, nil)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the build took %v, want it to give up on the slow page after its limit", d)
	}
	wantOnly(t, errs,
		"content/traag.md:4:1: rendering took longer than 100ms (limits.render_timeout): split the page or simplify its structure [render]",
		"content/fout.md:1:1: front matter has no title",
		"content/kapot.md:3:10: invalid TOML front matter",
	)
}

// TestSlowHighlightWarns checks the highlighting limit through a build: the
// page is built with its code plain, and a warning names the block.
func TestSlowHighlightWarns(t *testing.T) {
	files := map[string]string{
		"site.toml":       "title = \"Code\"\n[limits]\nhighlight_timeout = \"100ms\"\n",
		"content/code.md": "+++\ntitle = \"C\"\n+++\nVoor.\n\n```makefile\n" + strings.Repeat("a", 20<<10) + "\n```\n",
	}
	start := time.Now()
	_, site, errs, warns := buildHostile(t, files, nil)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the build took %v, want the block given up after its limit", d)
	}
	wantOnly(t, errs)
	if len(warns) != 1 || !strings.Contains(warns[0], `content/code.md:4:1: warning: code block (makefile) starting "aaaa`) || !strings.Contains(warns[0], "highlighting took longer than 100ms (limits.highlight_timeout)") {
		t.Errorf("got warnings %q, want one about the makefile block", warns)
	}
	if !strings.Contains(string(site.Files["code/index.html"]), `<code class="language-makefile">aaaa`) {
		t.Errorf("code/index.html: want the code plain")
	}
}

// TestOutputFolderRefusals checks the folders Write refuses beyond the
// ones errors_test covers: inside a folder the build reads, and a file.
func TestOutputFolderRefusals(t *testing.T) {
	site := t.TempDir()
	writeFiles(t, site, map[string]string{"site.toml": "title = \"X\"\n", "static/logo.svg": "<svg/>", "uit": "een bestand"})
	files := map[string][]byte{"index.html": []byte("x")}
	for _, tt := range []struct{ out, want string }{
		{filepath.Join(site, "static", "public"), "it lies inside the site's static/ folder"},
		{filepath.Join(site, "layouts"), "it lies inside the site's layouts/ folder"},
		{filepath.Join(site, "themes", "eigen", "public"), "it lies inside the site's themes/ folder"},
		{filepath.Join(site, "uit"), "it is a file, not a folder"},
	} {
		err := Write(context.Background(), files, tt.out, WriteOptions{Source: site, ContentDir: "content"})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Write to %s: got %v, want %q", tt.out, err, tt.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(site, "uit")); string(b) != "een bestand" {
		t.Errorf("uit: got %q, want the file left as it was", b)
	}
}

// FuzzURLJoin checks the links between pages: from any page to any other
// the relative href, resolved as a browser resolves it against the page's
// address, reaches the other page, and never reads as a scheme.
func FuzzURLJoin(f *testing.F) {
	for _, s := range [][3]string{
		{"rollen/coach.md", "vaardigheden/luisteren.md", "kop"},
		{"_index.md", "over.md", ""},
		{"rollen/team/_index.md", "_index.md", "a b"},
		{"a/b/c/d.md", "a/b/c/d.md", "x#y"},
		{"één/twee.md", "mijn notitie.md", "é"},
		{"x.md", "javascript:alert(1).md", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, fromPath, toPath, fragment string) {
		// The pages as Load makes them, with its checks of file names.
		// MapFS loops on names no file system has ("/a/"), so those go.
		if !fs.ValidPath(fromPath) || !fs.ValidPath(toPath) {
			return
		}
		src := &fstest.MapFile{Data: []byte("+++\ntitle = \"T\"\n+++\n")}
		set, _ := content.Load(context.Background(), fstest.MapFS{fromPath: src, toPath: src}, content.Options{})
		var from, to *content.Page
		for _, p := range set.Pages {
			if p.Path == fromPath {
				from = p
			}
			if p.Path == toPath {
				to = p
			}
		}
		if from == nil || to == nil {
			return
		}
		frag := content.Slugify(fragment)
		href := link.Href(from, to, frag)
		base := &url.URL{Scheme: "https", Host: "kb.example", Path: "/" + from.URL}
		rel, err := url.Parse(href)
		if err != nil {
			// A name with characters a URL may not hold unescaped; the
			// browser escapes them, the check cannot.
			return
		}
		if rel.Scheme != "" || rel.Host != "" {
			t.Fatalf("Href(%q, %q) = %q reads as scheme %q, host %q", fromPath, toPath, href, rel.Scheme, rel.Host)
		}
		got := base.ResolveReference(rel)
		if want := "/" + to.URL + "index.html"; got.Path != want || got.Fragment != frag {
			t.Fatalf("Href(%q, %q, %q) = %q resolves to %q#%s, want %q#%s", fromPath, toPath, frag, href, got.Path, got.Fragment, want, frag)
		}
		if !localPath(to.OutputPath()) {
			t.Fatalf("%q writes to %q, outside the output folder", toPath, to.OutputPath())
		}
	})
}
