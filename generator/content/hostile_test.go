package content

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// frontBudget is how long parsing one hostile front matter may take. The
// worst shape within the default limits (a 32 KB key above thousands of
// short keys) takes about 0.25 s on a slow machine; without the checks the
// same bytes take from 6 s to a stack overflow.
const frontBudget = 2 * time.Second

// deep builds front matter that nests n levels with the given opener and
// closer around a value.
func deep(key, open, value, close string, n int) string {
	return key + " = " + strings.Repeat(open, n) + value + strings.Repeat(close, n) + "\n"
}

// fill repeats line until the text is at least size bytes.
func fill(size int, line func(i int) string) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		b.WriteString(line(i))
	}
	return b.String()
}

// TestFrontMatterDepth checks that the nesting check sees every way TOML
// nests (arrays, inline tables, dotted keys, table headers), is not fooled
// by brackets in strings and comments, and does not count dots in values.
func TestFrontMatterDepth(t *testing.T) {
	tests := []struct {
		name  string
		front string
		max   int
		deep  bool
	}{
		{"arrays at the limit", deep("x", "[", "1", "]", 4), 4, false},
		{"arrays past the limit", deep("x", "[", "1", "]", 5), 4, true},
		{"inline tables past the limit", deep("x", "{a = ", "1", "}", 5), 4, true},
		{"inline tables at the limit", deep("x", "{a = ", "1", "}", 4), 4, false},
		{"arrays of inline tables", "x = [{a = [{b = [1]}]}]\n", 4, true},
		{"dotted key past the limit", "a.b.c.d.e.f = 1\n", 4, true},
		{"dotted key at the limit", "a.b.c.d.e = 1\n", 4, false},
		{"dotted key with spaces", "a . b . c . d . e . f = 1\n", 4, true},
		{"dotted key inside an inline table", "x = {a.b.c.d.e = 1}\n", 4, true},
		{"dotted key inside an inline table at the limit", "x = {a.b.c.d = 1}\n", 4, false},
		{"table header", "[a.b.c.d.e.f]\nx = 1\n", 4, true},
		{"array of tables", "[[a.b.c.d]]\nx = 1\n", 4, true},
		{"quoted dotted key", `"a.b.c.d.e.f" = 1` + "\n", 4, false},
		{"floats and dates in values", "x = [1.5, 2.5]\ny = {a = 1.5, b = 2026-03-01T10:00:00.123}\nz = 3.25\n", 2, false},
		{"brackets in a string", `title = "[[[[[[[[{{{{{{"` + "\n", 2, false},
		{"brackets in a literal string", `title = '[[[[[[[[{{{{{{'` + "\n", 2, false},
		{"brackets in a comment", "# [[[[[[[[[[[[\ntitle = \"A\" # {{{{{{{{{\n", 2, false},
		{"escaped quote then brackets", `title = "a\"[[[[[[[["` + "\n", 2, false},
		{"brackets in a multi-line string", "x = \"\"\"\n[[[[[[[[\n\"\"\"\n", 2, false},
		{"brackets in a multi-line literal", "x = '''\n[[[[[[[[\n'''\n", 2, false},
		// A multi-line string may hold single quotes and end in up to
		// five; a scanner that toggles on every quote loses its place and
		// misses the arrays after it.
		{"quotes inside a multi-line string", "x = \"\"\"a\"b\"\"\"\ny = [[[[[[[1]]]]]]]\n", 4, true},
		{"five closing quotes", "x = \"\"\"a\"\"\"\"\"\ny = [[[[[[[1]]]]]]]\n", 4, true},
		{"escaped quotes in a multi-line string", "x = \"\"\"a\\\"\"\"\"\ny = [[[[[[[1]]]]]]]\n", 4, true},
		{"literal with a backslash before the quote", "x = 'a\\'\ny = [[[[[[[1]]]]]]]\n", 4, true},
		{"unclosed string stops at its line", "x = \"abc\ny = [[[[[[[1]]]]]]]\n", 4, true},
		{"key path at the limit", "[" + strings.Repeat("a", 1000) + "]\n" + strings.Repeat("b", 24) + " = 1\n", 4, false},
		{"key path past the limit", "[" + strings.Repeat("a", 1000) + "]\n" + strings.Repeat("b", 25) + " = 1\n", 4, true},
		{"key path through inline tables", "x = {" + strings.Repeat("a", 1000) + " = {" + strings.Repeat("b", 30) + " = 1}}\n", 4, true},
		{"key path through arrays of inline tables", "x = [{" + strings.Repeat("a", 1000) + " = [{" + strings.Repeat("b", 30) + " = 1}]}]\n", 4, true},
		{"key path of a later header", "[" + strings.Repeat("a", 1000) + "]\n[b]\n" + strings.Repeat("c", 100) + " = 1\n", 4, false},
		{"key path of the next key", strings.Repeat("a", 1000) + " = 1\n" + strings.Repeat("b", 1000) + " = 1\n", 4, false},
		{"key path of the next inline key", "x = {" + strings.Repeat("a", 1000) + " = 1, " + strings.Repeat("b", 1000) + " = 1}\n", 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problem := frontMatterShape([]byte(tt.front), tt.max)
			if got := problem != ""; got != tt.deep {
				t.Errorf("frontMatterShape(%q, %d): got %q, want too deep %v", tt.front, tt.max, problem, tt.deep)
			}
		})
	}
}

// TestHostileFrontMatter pushes front matter known to make the TOML
// parser slow or crash through Parse: each must come back as a clear
// diagnostic, or as a page, within frontBudget.
func TestHostileFrontMatter(t *testing.T) {
	long := strings.Repeat("k", 16<<10)
	tests := []struct {
		name  string
		front string
		want  string // part of the diagnostic; "" means the page loads
	}{
		// 32 KB of nested inline tables: about 6 s in the parser.
		{"32 KB of nested inline tables", deep("x", "{a=", "1", "}", 8000), "nests deeper than 32 levels"},
		// Deeply nested arrays overflow the parser's stack.
		{"deeply nested arrays", deep("x", "[", "", "]", 30000), "nests deeper than 32 levels"},
		// A dotted key of 16 KB: about 2 s in the parser.
		{"16 KB dotted key", strings.Repeat("a.", 8000) + "a = 1\n", "nests deeper than 32 levels"},
		{"16 KB dotted key in an inline table", "x = {" + strings.Repeat("a.", 8000) + "a = 1}\n", "nests deeper than 32 levels"},
		{"deep table header", "[" + strings.Repeat("a.", 8000) + "a]\nb = 1\n", "nests deeper than 32 levels"},
		{"deep arrays after a tricky multi-line string", "x = \"\"\"a\"b\"\"\"\n" + deep("y", "[", "", "]", 30000), "nests deeper than 32 levels"},
		// Within the limits: 32 KB of inline tables 30 deep.
		{"32 KB of inline tables within the depth limit", fill(32<<10, func(i int) string {
			return deep(fmt.Sprintf("k%d", i), "{a=", "1", "}", 30)
		}), ""},
		// Within the limits: the parser's work per key grows with the
		// length of the table's name.
		// The parser's work per key grows with the length of the key's
		// tables: 16 KB of table name above 40 KB of keys.
		{"long table name above many keys", "[" + long + "]\n" + fill(40<<10, func(i int) string { return fmt.Sprintf("b%d=1\n", i) }), "a key with its tables is longer than 1024 characters"},
		{"long quoted table name", "[\"" + long + "\"]\n", "a key with its tables is longer than 1024 characters"},
		{"long keys 31 deep", "x = " + strings.Repeat("{"+strings.Repeat("k", 1000)+"=", 31) + "1" + strings.Repeat("}", 31) + "\n", "a key with its tables is longer than 1024 characters"},
		{"long dotted header", "[" + strings.Repeat(strings.Repeat("k", 100)+".", 12) + "a]\n", "a key with its tables is longer than 1024 characters"},
		{"keys 30 deep, 30 characters each", "x = " + strings.Repeat("{"+strings.Repeat("k", 30)+"=", 30) + "1" + strings.Repeat("}", 30) + "\n", ""},
		{"long string values", fill(60<<10, func(i int) string { return fmt.Sprintf("k%d = \"%s\"\n", i, strings.Repeat("v", 2000)) }), ""},
		{"front matter over the size limit", fill(65<<10, func(i int) string { return fmt.Sprintf("k%d = %d\n", i, i) }), "front matter is"},
		{"many array tables", fill(60<<10, func(i int) string { return "[[a.b.c]]\nx = 1\n" }), "front matter has no title"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			front := tt.front
			if tt.want == "" {
				front = "title = \"T\"\n" + front
			}
			src := "+++\n" + front + "+++\nTekst.\n"
			start := time.Now()
			p, diags := Parse("x.md", []byte(src), DefaultLimits)
			if d := time.Since(start); d > frontBudget {
				t.Errorf("Parse took %v, want at most %v", d, frontBudget)
			}
			if tt.want == "" {
				if len(diags) > 0 || p == nil {
					t.Fatalf("got diagnostics %v, want the page", diags)
				}
				return
			}
			if len(diags) == 0 || !strings.Contains(diags.Error(), tt.want) {
				t.Fatalf("got diagnostics %v, want one with %q", diags, tt.want)
			}
			for _, d := range diags {
				if d.Path != "x.md" {
					t.Errorf("got %v, want it on x.md", d)
				}
			}
		})
	}
}

// TestLimitsDefaultEach checks that setting one limit keeps the others:
// a site.toml with only max_file_size must not switch off the depth check.
func TestLimitsDefaultEach(t *testing.T) {
	src := "+++\ntitle = \"A\"\n" + deep("x", "[", "", "]", 100) + "+++\n"
	_, diags := Parse("x.md", []byte(src), Limits{MaxFileSize: 1 << 20})
	if !strings.Contains(diags.Error(), "nests deeper than 32 levels") {
		t.Errorf("got %v, want the default depth limit of 32", diags)
	}
	fsys := fstest.MapFS{"x.md": {Data: []byte(src)}}
	_, diags = Load(context.Background(), fsys, Options{Limits: Limits{MaxFrontMatterSize: 1 << 20}})
	if !strings.Contains(diags.Error(), "nests deeper than 32 levels") {
		t.Errorf("Load: got %v, want the default depth limit of 32", diags)
	}
}

// TestHostileText checks each kind of strange text a .md file can hold:
// it loads, or fails with a diagnostic at the right place.
func TestHostileText(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // diagnostic; "" means the page loads
		body string // with want "", the body Parse must return
	}{
		{name: "BOM", src: "\uFEFF+++\ntitle = \"A\"\n+++\nTekst\n", body: "Tekst\n"},
		{name: "CRLF", src: "+++\r\ntitle = \"A\"\r\n+++\r\nTekst\r\nmeer\r\n", body: "Tekst\nmeer\n"},
		{name: "BOM and CRLF", src: "\uFEFF+++\r\ntitle = \"A\"\r\n+++\r\nTekst\r\n", body: "Tekst\n"},
		{name: "two BOMs", src: "\uFEFF\uFEFF+++\ntitle = \"A\"\n+++\n", want: "x.md:1:1: " + ErrNoFrontMatter.Error()},
		{name: "zero bytes", src: "", want: "x.md:1:1: file is empty: add front matter with at least a title"},
		{name: "only a BOM", src: "\uFEFF", want: "x.md:1:1: file is empty: add front matter with at least a title"},
		{name: "no front matter", src: "# Kop\n\nTekst.\n", want: "x.md:1:1: " + ErrNoFrontMatter.Error()},
		{name: "invalid UTF-8 in the body", src: "+++\ntitle = \"A\"\n+++\nregel\nab\xc3(\n", want: "x.md:5:3: invalid UTF-8: save the file as UTF-8"},
		{name: "invalid UTF-8 in front matter", src: "+++\ntitle = \"\xff\"\n+++\n", want: "x.md:2:10: invalid UTF-8: save the file as UTF-8"},
		{name: "Latin-1 file", src: "+++\ntitle = \"Caf\xe9\"\n+++\n", want: "x.md:2:13: invalid UTF-8: save the file as UTF-8"},
		{name: "UTF-16 file", src: "\xff\xfe+\x00+\x00+\x00\n\x00", want: "x.md:1:4: file contains a NUL byte: it is not a text file; give it another extension than .md"},
		{name: "PNG with a .md name", src: "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", want: "x.md:3:1: file contains a NUL byte: it is not a text file; give it another extension than .md"},
		{name: "NUL in front matter", src: "+++\ntitle = \"A\x00\"\n+++\n", want: "x.md:2:11: file contains a NUL byte: it is not a text file; give it another extension than .md"},
		// CommonMark reads a lone CR as a line ending, and so do editors.
		{name: "CR line endings", src: "+++\rtitle = \"A\"\r+++\rTekst\r", body: "Tekst\n"},
		{name: "CR line endings, error line", src: "+++\rtitle = \"A\"\rx = = 1\r+++\r", want: "x.md:3:5: invalid TOML front matter"},
		{name: "1 MB line", src: "+++\ntitle = \"A\"\n+++\n" + strings.Repeat("woord ", 1<<20/6) + "\n", body: strings.Repeat("woord ", 1<<20/6) + "\n"},
		{name: "1 MB title", src: "+++\ntitle = \"" + strings.Repeat("a", 1<<20) + "\"\n+++\n", want: "x.md:2:1: front matter is 1048587 bytes, more than the limit of 65536"},
		{name: "control characters in the title", src: "+++\ntitle = \"a\\u0007b\"\n+++\n", body: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := Parse("x.md", []byte(tt.src), DefaultLimits)
			if tt.want == "" {
				if len(diags) > 0 || p == nil {
					t.Fatalf("got diagnostics %v, want the page", diags)
				}
				if string(p.Body) != tt.body {
					t.Errorf("body: got %.40q, want %.40q", p.Body, tt.body)
				}
				return
			}
			if len(diags) == 0 || !strings.Contains(diags.Error(), tt.want) {
				t.Errorf("got %q, want %q", diags.Error(), tt.want)
			}
		})
	}
}

// TestHostileNames checks that file and folder names which would write
// outside the output folder, or change what a link means, are errors
// naming the file, and that ordinary odd names still load.
func TestHostileNames(t *testing.T) {
	fsys := fstest.MapFS{
		"_index.md":              page(`title = "Start"`),
		`a\..\..\evil.md`:        page(`title = "Backslash"`),
		"%2e%2e/x.md":            page(`title = "Escaped dots"`),
		"javascript:alert(1).md": page(`title = "Scheme"`),
		"vraag?.md":              page(`title = "Query"`),
		"kop#1.md":               page(`title = "Fragment"`),
		"bel\a.md":               page(`title = "Control"`),
		"nieuw\nregel.md":        page(`title = "Newline"`),
		"map\\x/y.md":            page(`title = "In a bad folder"`),
		"rollen/50%-korting.pdf": {Data: []byte("%PDF")},
		"rollen/a\\b.pdf":        {Data: []byte("%PDF")},
		"rollen/mijn notitie.md": page(`title = "Spaties"`),
		"rollen/één.md":          page(`title = "Diakrieten"`),
		"één/x.md":               page(`title = "In een folder met diakrieten"`),
	}
	set, diags := Load(context.Background(), fsys, Options{})
	diags.Sort()
	var got []string
	for _, d := range diags {
		got = append(got, d.Path+" ["+d.Code+"]")
		if d.Line != 0 || !strings.Contains(d.Message, "rename it") {
			t.Errorf("%v: want a message without a line that says to rename it", d)
		}
	}
	want := []string{
		"%2e%2e [bad-name]",
		"bel\a.md [bad-name]",
		"javascript:alert(1).md [bad-name]",
		"kop#1.md [bad-name]",
		`map\x [bad-name]`,
		`nieuw` + "\n" + `regel.md [bad-name]`,
		`rollen/a\b.pdf [bad-name]`,
		"vraag?.md [bad-name]",
		`a\..\..\evil.md [bad-name]`,
	}
	slicesSort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	var urls []string
	for _, p := range set.Pages {
		urls = append(urls, p.URL)
		if !filepath.IsLocal(filepath.FromSlash(p.OutputPath())) {
			t.Errorf("%s: output %q is not inside the output folder", p.Path, p.OutputPath())
		}
	}
	wantURLs := []string{"", "rollen/", "rollen/mijn notitie/", "rollen/één/", "één/", "één/x/"}
	if diff := cmp.Diff(wantURLs, urls); diff != "" {
		t.Errorf("page URLs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"rollen/50%-korting.pdf"}, set.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if p := set.ByURL("één/"); p == nil || p.Title != "Één" {
		t.Errorf("section één/: got %+v, want the title Één", p)
	}
}

func slicesSort(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// TestHostileSlugsAndAliases checks every way a slug or alias could name
// a place outside the site, or another page's place.
func TestHostileSlugsAndAliases(t *testing.T) {
	bad := []struct {
		key, value string
	}{
		{"slug", "../x"}, {"slug", ".."}, {"slug", "."}, {"slug", "/etc"}, {"slug", `..\..\x`}, {"slug", "%2e%2e"},
		{"slug", "a\x00b"}, {"slug", "a\nb"}, {"slug", "javascript:alert(1)"}, {"slug", "a?b"}, {"slug", "a#b"},
		{"aliases", "../../etc"}, {"aliases", "/../x"}, {"aliases", "a/../../x"}, {"aliases", `a\..\x`}, {"aliases", "%2e%2e/%2e%2e/x"},
		{"aliases", "/"}, {"aliases", ""}, {"aliases", "a//b"}, {"aliases", "a/./b"}, {"aliases", "a\x00"}, {"aliases", "javascript:alert(1)"},
		{"aliases", "x?y"}, {"aliases", "x#y"},
	}
	for _, b := range bad {
		t.Run(b.key+"="+b.value, func(t *testing.T) {
			v := fmt.Sprintf("%q", b.value)
			if b.key == "aliases" {
				v = "[" + v + "]"
			}
			src := "+++\ntitle = \"A\"\n" + b.key + " = " + strings.ReplaceAll(v, `\x00`, `\u0000`) + "\n+++\n"
			p, diags := Parse("rollen/x.md", []byte(src), DefaultLimits)
			if len(diags) != 1 || diags[0].Line != 3 || !strings.HasPrefix(diags[0].Code, "bad-") {
				t.Fatalf("got %v, want one bad-slug or bad-alias error on line 3", diags)
			}
			if p == nil {
				t.Fatal("got no page, want the page with the bad value left out")
			}
			for _, out := range append([]string{p.OutputPath()}, aliasOutputs(p)...) {
				if !filepath.IsLocal(filepath.FromSlash(out)) || strings.ContainsAny(out, `\:?#%`) {
					t.Errorf("output %q: want a plain path inside the output folder", out)
				}
			}
		})
	}
}

func aliasOutputs(p *Page) []string {
	var out []string
	for _, a := range p.Aliases {
		out = append(out, AliasURL(a)+"index.html")
	}
	return out
}

// TestOneOutputTwoSources checks that two sources writing one output
// path is an error listing both: pages, aliases, and addresses that differ
// only in case.
func TestOneOutputTwoSources(t *testing.T) {
	fsys := fstest.MapFS{
		"rollen/coach.md":      page(`title = "Coach"`),
		"rollen/Coach.md":      page(`title = "Coach met hoofdletter"`),
		"rollen/trainer.md":    page("title = \"Trainer\"\naliases = [\"Oud/Mentor\", \"rollen/coach\"]"),
		"rollen/mentor.md":     page("title = \"Mentor\"\naliases = [\"rollen/mentor/\", \"oud/mentor\"]"),
		"rollen/begeleider.md": page("title = \"Begeleider\"\naliases = [\"rollen\", \"oud/b\", \"/oud/b/\"]"),
	}
	set, diags := Load(context.Background(), fsys, Options{})
	diags.Sort()
	var got []string
	for _, d := range diags {
		got = append(got, d.String())
	}
	want := []string{
		`rollen/begeleider.md:3:1: alias "rollen" is the address of rollen: remove the alias`,
		`rollen/coach.md:1:1: rollen/Coach.md (/rollen/Coach/) and rollen/coach.md (/rollen/coach/) differ only in case: macOS and Windows keep them as one folder, so one would overwrite the other; give one of them another file name or slug`,
		`rollen/mentor.md:3:1: alias "rollen/mentor/" is the page's own address: remove the alias`,
		`rollen/trainer.md:3:1: alias "rollen/coach" is the address of rollen/Coach.md: remove the alias`,
		`rollen/trainer.md:3:1: rollen/mentor.md and rollen/trainer.md both have the alias "Oud/Mentor": keep it on one of them`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	outputs := map[string]string{}
	for _, p := range set.Pages {
		for _, out := range append([]string{p.OutputPath()}, aliasOutputs(p)...) {
			k := strings.ToLower(out)
			if q, ok := outputs[k]; ok {
				t.Errorf("%s and %s both still write %s", q, p.Path, out)
			}
			outputs[k] = p.Path
		}
	}
}

// FuzzParse pushes any bytes through Parse, the wrapper around the front
// matter splitter and the TOML parser: no panic, bounded time, and a page
// that comes back writes only inside the output folder.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"+++\ntitle = \"A\"\nslug = \"b\"\naliases = [\"c\", \"d/e\"]\ntags = [\"x\"]\n+++\nTekst\n",
		"\uFEFF+++\r\ntitle = \"A\"\r\n+++\r\n",
		"+++\ntitle = \"A\"\n[vaardigheden]\ncoachen = \"kern\"\n+++\n",
		"+++\nx = [[[[1]]]]\n+++\n",
		"+++\nx = {a = {b = {c = 1}}}\n+++\n",
		"+++\na.b.c = 1\n+++\n",
		"+++\nx = \"\"\"a\"b\"\"\"\ny = [[1]]\n+++\n",
		"+++\ntitle = 'a'''\n+++\n",
		"+++\ntitle = \"A\"\nslug = \"../x\"\n+++\n",
		"+++\ntitle = \"A\"\naliases = [\"/../x\"]\n+++\n",
		"+++\ntitle = \"A\"\ndate = 2026-13-45\n+++\n",
		"",
		"\x00",
		"+++",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		start := time.Now()
		p, diags := Parse("rollen/x.md", src, DefaultLimits)
		if d := time.Since(start); d > frontBudget {
			t.Fatalf("Parse took %v for %q", d, src)
		}
		for _, d := range diags {
			if d.Path != "rollen/x.md" || d.Message == "" || !utf8.ValidString(d.Message) && utf8.Valid(src) {
				t.Fatalf("bad diagnostic %+v", d)
			}
		}
		if p == nil {
			if !diags.HasErrors() {
				t.Fatalf("no page and no error for %q", src)
			}
			return
		}
		outs := append([]string{p.OutputPath()}, aliasOutputs(p)...)
		for _, out := range outs {
			if !filepath.IsLocal(filepath.FromSlash(out)) || path.Clean(out) != strings.TrimSuffix(out, "/") || strings.ContainsAny(out, "\\\x00") {
				t.Fatalf("output %q of %q is not a clean path inside the output folder", out, src)
			}
		}
	})
}
