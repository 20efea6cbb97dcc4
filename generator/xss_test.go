package generator

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"kennisbank/themes"
)

// xssBody are Markdown bodies known to smuggle script into HTML. Each goes
// on a page of its own, so a failure names the vector.
var xssBody = []struct{ name, md string }{
	{"script block", "<script>alert(1)</script>"},
	{"inline img onerror", "a <img src=x onerror=alert(1)> b"},
	{"svg onload", "<svg onload=alert(1)>"},
	{"style block", "<style>body{display:none}</style>"},
	{"iframe javascript", "<iframe src=javascript:alert(1)>"},
	{"raw anchor javascript", `<a href="javascript:alert(1)">x</a>`},
	{"mXSS math style", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"},
	{"noscript title", `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`},
	{"comment breakout", "<!-- --><script>alert(1)</script><!-- -->"},
	{"CDATA", "<![CDATA[<script>alert(1)</script>]]>"},
	{"link javascript", "[x](javascript:alert(1))"},
	{"link upper case", "[x](JaVaScRiPt:alert(1))"},
	{"link entity colon", "[x](javascript&#58;alert(1))"},
	{"link entity letter", "[x](&#106;avascript:alert(1))"},
	{"link hex entity", "[x](&#x6A;&#x61;vascript:alert(1))"},
	{"link percent-encoded", "[x](java%73cript:alert(1))"},
	{"link in angle brackets", "[x](<javascript:alert(1)>)"},
	{"link leading space", "[x](< javascript:alert(1)>)"},
	{"link tab", "[x](<java\tscript:alert(1)>)"},
	{"link entity tab", "[x](java&#9;script:alert(1))"},
	{"link vbscript", "[x](vbscript:msgbox(1))"},
	{"link data html", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"},
	{"link data html upper", "[x](DATA:text/html,<script>alert(1)</script>)"},
	{"link title breakout", `[x](https://example.org "a\" onmouseover=\"alert(1)")`},
	{"link quote in destination", `[x](https://example.org/" onclick="alert(1))`},
	{"link fragment breakout", `[x](#" onclick="alert(1))`},
	{"link to a page with a hostile fragment", `[x](doel.md#"onmouseover="alert(1))`},
	{"image javascript", "![x](javascript:alert(1))"},
	{"image svg data", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"},
	{"image quote breakout", `![x](x.png" onerror="alert(1))`},
	{"image alt breakout", `![a" onerror="alert(1)](x.png)`},
	{"autolink javascript", "<javascript:alert(1)>"},
	{"autolink vbscript", "<vbscript:msgbox(1)>"},
	{"autolink data", "<data:text/html,<script>alert(1)</script>>"},
	{"bare autolink", "www.example.org/<script>alert(1)</script>"},
	{"reference link javascript", "[x][r]\n\n[r]: javascript:alert(1)"},
	{"reference link title breakout", "[x][r]\n\n[r]: /x \"a\\\" onclick=\\\"alert(1)\""},
	{"fence info breakout", "```\"><script>alert(1)</script>\nx\n```"},
	{"fence info attributes", "```js onclick=alert(1)\nx\n```"},
	{"fence info quotes", "```a\"onmouseover=\"alert(1)\nx\n```"},
	{"code span", "`<script>alert(1)</script>`"},
	{"heading raw html", "# <script>alert(1)</script>"},
	{"heading attributes", "# Kop {onclick=alert(1)}"},
	{"table cell", "| a |\n|---|\n| <script>alert(1)</script> |"},
	{"definition term", "<img src=x onerror=alert(1)>\n: uitleg"},
	{"footnote label", "x[^<script>]\n\n[^<script>]: y"},
	{"wikilink label", "[[Doel|<script>alert(1)</script>]]"},
	{"wikilink label attribute", `[[Doel|" onmouseover="alert(1)]]`},
	{"wikilink target javascript", "[[javascript:alert(1)]]"},
	{"wikilink target html", "[[<img src=x onerror=alert(1)>]]"},
	{"wikilink fragment", `[[Doel#"><script>alert(1)</script>]]`},
	{"wikilink to a page whose title is script", "[[Gevaarlijke titel]] en [[vaardigheden/b]]"},
	{"entity script", "&lt;script&gt;alert(1)&lt;/script&gt;"},
	{"html block in list", "- <div onclick=alert(1)>x</div>"},
	{"html in blockquote", "> <object data=javascript:alert(1)>"},
	{"base element", `<base href="javascript:alert(1)//">`},
	{"meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`},
	{"form action", `<form action=javascript:alert(1)><button>x</button></form>`},
}

// xssFrontMatter are front matter values that templates print: title,
// summary, tags, authors, aliases, relation targets and criteria values.
var xssFrontMatter = []struct{ name, fm string }{
	{"title script", `title = "<script>alert(1)</script>"`},
	{"title attribute breakout", `title = "\" onmouseover=\"alert(1)"`},
	{"summary in meta description", "title = \"S\"\nsummary = \"\\\"><script>alert(1)</script>\""},
	{"summary javascript", "title = \"S2\"\nsummary = \"javascript:alert(1)\""},
	{"tags", "title = \"T\"\ntags = [\"<img src=x onerror=alert(1)>\", \"javascript:alert(1)\", \"\\\" onclick=\\\"alert(1)\"]"},
	{"authors", "title = \"A\"\nauteurs = [\"<script>alert(1)</script>\", \"javascript:alert(1)\"]"},
	{"alias page with a hostile title", "title = \"<img src=x onerror=alert(1)>\"\naliases = [\"oud\"]"},
	{"relation targets and criteria", "title = \"Coach\"\n\n[vaardigheden]\n\"Gevaarlijke titel\" = \"kern\"\n\"vaardigheden/b\" = \"steun\"\n\n[criteria]\nfocus = \"<script>alert(1)</script>\"\nduur = \"javascript:alert(1)\""},
	{"date and weight beside a script title", "title = \"</title><script>alert(1)</script>\"\ndate = 2026-01-02\nweight = 1"},
}

// xssConfig is a site.toml whose every printed value is hostile too.
const xssConfig = `title = "XSS <script>alert('site')</script>"
description = "\"><script>alert(1)</script>"
base_url = "https://example.org/"

[[menu]]
title = "<img src=x onerror=alert(1)>"
url = "javascript:alert(1)"

[[entities]]
section = "rollen"
type = "rol"
label = "<b onmouseover=alert(1)>Rol</b>"
plural = "Rollen"

[[entities]]
section = "vaardigheden"
type = "vaardigheid"

[[relations]]
key = "vaardigheden"
sections = ["rollen"]
targets = ["vaardigheden"]
levels = ["kern", "steun"]
label = "<script>alert('label')</script>"
inverse = "<svg onload=alert(1)>"

[[matrices]]
slug = "matrix"
title = "<script>alert('matrix')</script>"
intro = "<img src=x onerror=alert(1)>"
relation = "vaardigheden"
rows = "rollen"

[[comparisons]]
slug = "vergelijking"
title = "<script>alert('cmp')</script>"
intro = "\" onclick=\"alert(1)"
section = "rollen"
key = "criteria"
criteria = [{key = "focus", label = "<script>alert('crit')</script>"}, {key = "duur", label = "javascript:alert(1)"}]
`

// writeFiles writes slash path → text under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
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

// xssSite writes the hostile site and returns its folder.
func xssSite(t *testing.T) string {
	files := map[string]string{
		"site.toml":                 xssConfig,
		"content/_index.md":         "+++\ntitle = \"Start\"\n+++\n",
		"content/rollen/doel.md":    "+++\ntitle = \"Doel\"\n+++\n## Kop\n",
		"content/vaardigheden/a.md": "+++\ntitle = \"Gevaarlijke titel\"\nsummary = \"<script>alert(1)</script>\"\n+++\n",
		"content/vaardigheden/b.md": "+++\ntitle = \"\\\"><img src=x onerror=alert(1)>\"\nsummary = \"javascript:alert(1)\"\n+++\n",
	}
	for i, v := range xssBody {
		files[fmt.Sprintf("content/rollen/body%02d.md", i)] = fmt.Sprintf("+++\ntitle = \"Body %d\"\n+++\n%s\n", i, v.md)
	}
	for i, v := range xssFrontMatter {
		files[fmt.Sprintf("content/rollen/fm%02d.md", i)] = "+++\n" + v.fm + "\n+++\nTekst.\n"
	}
	dir := t.TempDir()
	writeFiles(t, dir, files)
	return dir
}

// themeScripts returns the script sources and style texts the theme's
// layouts hold, which the output may hold too.
func themeScripts(t *testing.T) (srcs, styles []string) {
	t.Helper()
	scriptRE := regexp.MustCompile(`<script[^>]*\bsrc="[^"]*?([\w./-]+\.js)"`)
	styleRE := regexp.MustCompile(`(?s)<style[^>]*>(.*?)</style>`)
	err := fs.WalkDir(themes.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := fs.ReadFile(themes.FS, p)
		if err != nil {
			return err
		}
		for _, m := range scriptRE.FindAllSubmatch(b, -1) {
			srcs = append(srcs, string(m[1]))
		}
		for _, m := range styleRE.FindAllSubmatch(b, -1) {
			styles = append(styles, strings.TrimSpace(string(m[1])))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) == 0 {
		t.Fatal("found no scripts in the theme's layouts; the pattern needs updating")
	}
	return srcs, styles
}

// urlAttrs are attributes whose value a browser may load or follow.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "data": true, "poster": true,
	"background": true, "cite": true, "xlink:href": true, "srcset": true, "longdesc": true, "manifest": true,
}

// dangerousURL reports whether a browser would run u as script, after the
// clean-up browsers do (leading and trailing spaces and controls dropped,
// tabs and newlines removed anywhere, any case).
func dangerousURL(u string) bool {
	u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' })
	u = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, u)
	u = strings.ToLower(u)
	return strings.HasPrefix(u, "javascript:") || strings.HasPrefix(u, "vbscript:") || strings.HasPrefix(u, "data:text/html")
}

// checkNoScript reports every way doc could run script the theme did not
// put there.
func checkNoScript(doc *html.Node, srcs, styles []string) []string {
	var problems []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(key, "on"):
					problems = append(problems, fmt.Sprintf("<%s %s=%q>", n.Data, a.Key, a.Val))
				case urlAttrs[key] && dangerousURL(a.Val):
					problems = append(problems, fmt.Sprintf("<%s %s=%q>", n.Data, a.Key, a.Val))
				case key == "content" && n.Data == "meta":
					if _, u, ok := strings.Cut(strings.ToLower(a.Val), "url="); ok && dangerousURL(u) {
						problems = append(problems, fmt.Sprintf("<meta content=%q>", a.Val))
					}
				}
			}
			switch n.Data {
			case "script":
				src := ""
				for _, a := range n.Attr {
					if a.Key == "src" {
						src = a.Val
					}
				}
				ok := n.FirstChild == nil && src != ""
				if ok {
					ok = slices.ContainsFunc(srcs, func(s string) bool { return strings.HasSuffix(src, s) })
				}
				if !ok {
					problems = append(problems, fmt.Sprintf("a script the theme does not have (src %q)", src))
				}
			case "style":
				var b strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					b.WriteString(c.Data)
				}
				if !slices.Contains(styles, strings.TrimSpace(b.String())) {
					problems = append(problems, fmt.Sprintf("a style element the theme does not have: %q", b.String()))
				}
			case "iframe", "object", "embed", "base", "frame", "frameset", "applet":
				problems = append(problems, fmt.Sprintf("a <%s> element", n.Data))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return problems
}

// TestXSS builds a site whose Markdown, front matter and site.toml are
// full of known script-injection vectors, with raw HTML off (the default),
// and checks every page of the output, parsed as a browser parses it: no
// on* attribute, no javascript:, vbscript: or data:text/html URL, and no
// script or style element but the theme's.
func TestXSS(t *testing.T) {
	if n := len(xssBody) + len(xssFrontMatter); n < 40 {
		t.Fatalf("the corpus has %d vectors, want at least 40", n)
	}
	src := xssSite(t)
	site, err := Build(context.Background(), Options{Source: src, AllowBrokenLinks: true})
	if err != nil {
		t.Fatalf("building the hostile site: %v", err)
	}
	srcs, styles := themeScripts(t)
	var pages int
	for name, b := range site.Files {
		switch {
		case strings.HasSuffix(name, ".html"):
			pages++
			doc, err := html.Parse(bytes.NewReader(b))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			for _, p := range checkNoScript(doc, srcs, styles) {
				t.Errorf("%s: %s", name, p)
			}
		case name == "feed.xml":
			// Feed readers follow links and show summaries.
			var f struct {
				Links []struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
				Entries []struct {
					Link struct {
						Href string `xml:"href,attr"`
					} `xml:"link"`
					Summary struct {
						Type string `xml:"type,attr"`
					} `xml:"summary"`
				} `xml:"entry"`
			}
			if err := xml.Unmarshal(b, &f); err != nil {
				t.Errorf("feed.xml: %v", err)
			}
			for _, e := range f.Entries {
				if dangerousURL(e.Link.Href) || e.Summary.Type == "html" || e.Summary.Type == "xhtml" {
					t.Errorf("feed.xml: entry link %q, summary type %q", e.Link.Href, e.Summary.Type)
				}
			}
		}
	}
	// Every vector's page was written.
	for i := range xssBody {
		if _, ok := site.Files[fmt.Sprintf("rollen/body%02d/index.html", i)]; !ok {
			t.Errorf("rollen/body%02d/index.html (%s): not written", i, xssBody[i].name)
		}
	}
	for _, want := range []string{"matrix/index.html", "vergelijking/index.html", "oud/index.html", "tags/index.html", "auteurs/index.html"} {
		if _, ok := site.Files[want]; !ok {
			t.Errorf("%s: not written, want the page that prints the hostile values", want)
		}
	}
	t.Logf("%d vectors, %d HTML files checked", len(xssBody)+len(xssFrontMatter), pages)
}

// TestXSSCheckerSees checks the checker itself: each of these must be
// caught, or TestXSS proves nothing.
func TestXSSCheckerSees(t *testing.T) {
	srcs, styles := themeScripts(t)
	for _, page := range []string{
		`<p onclick="x">`,
		`<a href=" JaVa&#x09;ScRiPt:alert(1)">`,
		`<img src="vbscript:x">`,
		`<a href="data:text/html,x">`,
		`<script>alert(1)</script>`,
		`<script src="evil.js"></script>`,
		`<style>body{}</style>`,
		`<meta http-equiv="refresh" content="0; url=javascript:alert(1)">`,
		`<iframe src="x"></iframe>`,
		`<svg><a xlink:href="javascript:alert(1)">x</a></svg>`,
	} {
		doc, err := html.Parse(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		if len(checkNoScript(doc, srcs, styles)) == 0 {
			t.Errorf("%s: not caught", page)
		}
	}
}

// TestXSSVectorsAreLive builds the hostile site with raw HTML on: then the
// vectors that are raw HTML must get through, which shows that the corpus
// reaches the output and the checker finds what it meets.
func TestXSSVectorsAreLive(t *testing.T) {
	src := xssSite(t)
	cfg := filepath.Join(src, "site.toml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, append(b, "\n[markup]\nunsafe_html = true\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	site, err := Build(context.Background(), Options{Source: src, AllowBrokenLinks: true})
	if err != nil {
		t.Fatalf("building the hostile site: %v", err)
	}
	srcs, styles := themeScripts(t)
	caught := map[string]bool{}
	for i, v := range xssBody {
		doc, err := html.Parse(bytes.NewReader(site.Files[fmt.Sprintf("rollen/body%02d/index.html", i)]))
		if err != nil {
			t.Fatal(err)
		}
		if len(checkNoScript(doc, srcs, styles)) > 0 {
			caught[v.name] = true
		}
	}
	for _, want := range []string{"script block", "inline img onerror", "svg onload", "style block", "iframe javascript", "raw anchor javascript", "form action"} {
		if !caught[want] {
			t.Errorf("%s: with raw HTML on, got nothing caught, want the vector to reach the page", want)
		}
	}
	t.Logf("with raw HTML on, %d of %d body vectors get through", len(caught), len(xssBody))
}
