package generator_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/BurntSushi/toml"
	"golang.org/x/net/html"

	"kennisbank/generator"
	"kennisbank/generator/content"
)

var (
	exampleOnce sync.Once
	exampleSite *generator.Site
	exampleErr  error
)

// repoRoot is the folder holding site.toml, two levels up from here.
func repoRoot(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join("..", "site.toml"))
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(abs)
}

// example builds the example site once for all tests in this file.
func example(t *testing.T) *generator.Site {
	t.Helper()
	exampleOnce.Do(func() {
		exampleSite, exampleErr = generator.Build(context.Background(), generator.Options{Source: repoRoot(t)})
	})
	if exampleErr != nil {
		t.Fatalf("building the example site: %v", exampleErr)
	}
	return exampleSite
}

// TestExampleCounts keeps the knowledge base from shrinking silently.
func TestExampleCounts(t *testing.T) {
	site := example(t)
	count := map[string]int{}
	for _, p := range site.Pages {
		if p.Kind == content.KindPage {
			count[p.Section]++
		}
	}
	want := map[string]int{"rollen": 10, "vaardigheden": 20, "programmatypen": 4, "begrippen": 6, "reflecties": 4}
	for sec, n := range want {
		if count[sec] < n {
			t.Errorf("section %s has %d articles, want at least %d", sec, count[sec], n)
		}
	}
	questions, answers := 0, 0
	answered := map[string]map[string]bool{}
	for _, p := range site.Pages {
		if p.Section != "dialoog" || p.Kind != content.KindPage {
			continue
		}
		if q := p.Param("antwoord_op"); q != "" {
			answers++
			if answered[q] == nil {
				answered[q] = map[string]bool{}
			}
			for _, a := range p.Strings("auteurs") {
				answered[q][a] = true
			}
		} else if strings.HasPrefix(p.Slug, "vraag-") {
			questions++
		}
	}
	if questions < 3 {
		t.Errorf("%d dialogue questions, want at least 3", questions)
	}
	for q, authors := range answered {
		if len(authors) < 2 {
			t.Errorf("question %s has answers from %d authors, want at least 2", q, len(authors))
		}
	}
	if site.Files["begrippenlijst/index.html"] == nil {
		t.Error("no begrippenlijst page")
	}
	// Articles of 300 to 900 words (section pages, author pages and the
	// glossary excepted).
	for _, p := range site.Pages {
		if p.Kind != content.KindPage || p.Section == "auteurs" || p.Slug == "begrippenlijst" {
			continue
		}
		if n := len(strings.Fields(string(p.Body))); n < 300 || n > 900 {
			t.Errorf("%s has %d words, want 300 to 900", p.Path, n)
		}
		if p.Summary == "" {
			t.Errorf("%s has no summary", p.Path)
		}
	}
}

var wikilinkRe = regexp.MustCompile(`\[\[([^\[\]\n|#]*)(?:#[^\[\]\n|]*)?(?:\|[^\[\]\n]*)?\]\]`)

// TestBacklinksProperty checks that the backlinks on every page are
// exactly the wikilinks written in the sources: nothing missing, nothing
// invented. The expectation is computed from the raw Markdown, not from the
// generator's graph.
func TestBacklinksProperty(t *testing.T) {
	site := example(t)
	want := map[string][]string{} // target URL → source URLs
	for _, p := range site.Pages {
		body := stripCode(string(p.Body))
		for _, m := range wikilinkRe.FindAllStringSubmatch(body, -1) {
			target := strings.TrimSpace(m[1])
			if target == "" {
				continue
			}
			found := site.Graph.Index.Lookup(target, nil)
			if len(found) != 1 {
				t.Fatalf("%s: [[%s]] matches %d pages", p.Path, target, len(found))
			}
			if found[0] != p && !slices.Contains(want[found[0].URL], p.URL) {
				want[found[0].URL] = append(want[found[0].URL], p.URL)
			}
		}
		for _, m := range regexp.MustCompile(`\]\(([^)\s]+\.md)(#[^)]*)?\)`).FindAllStringSubmatch(body, -1) {
			target := strings.TrimSuffix(filepath.ToSlash(filepath.Join(p.Dir, m[1])), ".md")
			target = strings.TrimSuffix(target, "/_index")
			q := site.Graph.Index.ByPath(target)
			if q != nil && q != p && !slices.Contains(want[q.URL], p.URL) {
				want[q.URL] = append(want[q.URL], p.URL)
			}
		}
	}
	for _, p := range site.Pages {
		doc := parseHTML(t, site.Files[p.OutputPath()])
		var got []string
		for _, href := range hrefsIn(doc, "backlinks") {
			got = append(got, resolveHref(p.URL, href))
		}
		w := want[p.URL]
		slices.Sort(got)
		slices.Sort(w)
		if !slices.Equal(got, w) {
			t.Errorf("%s: backlinks %v, want %v", p.Path, got, w)
		}
	}
}

// TestRelationsProperty checks that each page's relation lists hold exactly
// the relations in its front matter, and every matrix cell one entry.
func TestRelationsProperty(t *testing.T) {
	site := example(t)
	cells := 0
	for _, p := range site.Pages {
		table, ok := p.Params["vaardigheden"].(map[string]any)
		if !ok {
			continue
		}
		var want []string
		for k := range table {
			found := site.Graph.Index.Lookup(k, []string{"vaardigheden"})
			if len(found) != 1 {
				t.Fatalf("%s: %q matches %d skills", p.Path, k, len(found))
			}
			want = append(want, found[0].URL)
		}
		doc := parseHTML(t, site.Files[p.OutputPath()])
		var got []string
		for _, href := range hrefsIn(doc, "data-relation=vaardigheden") {
			if u := resolveHref(p.URL, href); strings.HasPrefix(u, "vaardigheden/") {
				got = append(got, u)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: relation list %v, want %v", p.Path, got, want)
		}
		if p.Section == "rollen" {
			cells += len(table)
		}
	}
	// Every filled cell of the role matrix is one front-matter entry.
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(site.Files["matrix/matrix.csv"], []byte("\uFEFF"))))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("matrix.csv does not parse: %v", err)
	}
	filled := 0
	for _, row := range rows[1:] {
		for _, c := range row[1:] {
			if c != "" {
				filled++
			}
		}
	}
	if filled != cells {
		t.Errorf("matrix.csv has %d filled cells, front matter has %d entries", filled, cells)
	}
	if len(rows) != 21 || len(rows[0]) != 11 {
		t.Errorf("matrix.csv is %d×%d, want 21×11 (header + 20 skills, label + 10 roles)", len(rows), len(rows[0]))
	}
	if !bytes.HasPrefix(site.Files["matrix/matrix.csv"], []byte("\uFEFF")) {
		t.Error("matrix.csv lacks the UTF-8 byte-order mark")
	}
}

// TestExampleFrontMatterParses checks every source with the TOML parser
// directly, apart from the generator's loader.
func TestExampleFrontMatterParses(t *testing.T) {
	root := repoRoot(t)
	err := filepath.WalkDir(filepath.Join(root, "content"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		front, _, _, err := content.SplitFrontMatter(b)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		var m map[string]any
		if _, err := toml.Decode(string(front), &m); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func stripCode(s string) string {
	s = regexp.MustCompile("(?s)```.*?```").ReplaceAllString(s, "")
	return regexp.MustCompile("`[^`\n]*`").ReplaceAllString(s, "")
}

func parseHTML(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// hrefsIn returns the hrefs of links inside elements with the given class
// (or, as "attr=value", the given attribute value).
func hrefsIn(n *html.Node, class string) []string {
	key, val, isAttr := strings.Cut(class, "=")
	var out []string
	var walk func(n *html.Node, inside bool)
	walk = func(n *html.Node, inside bool) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if (!isAttr && a.Key == "class" && slices.Contains(strings.Fields(a.Val), class)) || (isAttr && a.Key == key && a.Val == val) {
					inside = true
				}
				if inside && n.Data == "a" && a.Key == "href" {
					out = append(out, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inside)
		}
	}
	walk(n, false)
	return out
}

// resolveHref turns a relative href on the page at url into a page URL.
func resolveHref(url, href string) string {
	href, _, _ = strings.Cut(href, "#")
	p := filepath.ToSlash(filepath.Join(url, href))
	p = strings.TrimSuffix(p, "index.html")
	p = strings.TrimSuffix(p, "/")
	if p == "." || p == "" {
		return ""
	}
	return p + "/"
}
