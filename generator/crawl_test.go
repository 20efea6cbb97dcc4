package generator

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// repoRoot finds the repository root (the folder with go.mod) from the
// test's working directory.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's working directory")
		}
		dir = parent
	}
}

var example struct {
	once sync.Once
	site *Site
	err  error
}

// exampleSite builds the repository's example site (site.toml and
// content/) once per test binary.
func exampleSite(t testing.TB) *Site {
	t.Helper()
	root := repoRoot(t)
	example.once.Do(func() {
		example.site, example.err = Build(context.Background(), Options{Source: root})
	})
	if example.err != nil {
		t.Fatalf("building the example site: %v", example.err)
	}
	return example.site
}

// htmlPage is one parsed output page.
type htmlPage struct {
	ids      map[string]bool
	dupIDs   []string // IDs that appear more than once
	links    []pageLink
	redirect bool // an alias page: a meta refresh to the real address
}

type pageLink struct {
	ref   string
	click bool // an <a href> a reader can click, as opposed to a stylesheet or script
}

func parsePage(b []byte) (*htmlPage, error) {
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	p := &htmlPage{ids: map[string]bool{}}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			if id, ok := attr["id"]; ok {
				if p.ids[id] {
					p.dupIDs = append(p.dupIDs, id)
				}
				p.ids[id] = true
			}
			switch n.DataAtom {
			case atom.A:
				if href, ok := attr["href"]; ok {
					p.links = append(p.links, pageLink{ref: href, click: true})
				}
				if name, ok := attr["name"]; ok {
					p.ids[name] = true
				}
			case atom.Link:
				p.links = append(p.links, pageLink{ref: attr["href"]})
			case atom.Script, atom.Img, atom.Source, atom.Iframe:
				if src, ok := attr["src"]; ok {
					p.links = append(p.links, pageLink{ref: src})
				}
			case atom.Meta:
				if strings.EqualFold(attr["http-equiv"], "refresh") {
					p.redirect = true
					if _, u, ok := strings.Cut(attr["content"], "url="); ok {
						p.links = append(p.links, pageLink{ref: u, click: true})
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return p, nil
}

// parsePages parses every HTML file of a site except 404.html, which a
// web server shows at any address and so links from the site root.
func parsePages(files map[string][]byte) (map[string]*htmlPage, []string) {
	pages := map[string]*htmlPage{}
	var problems []string
	for name, b := range files {
		if !strings.HasSuffix(name, ".html") || name == "404.html" {
			continue
		}
		p, err := parsePage(b)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		pages[name] = p
	}
	return pages, problems
}

// resolve turns a link on page from into an output file and fragment.
// ok is false for links that leave the site; problem says why a link
// within the site is wrong.
func resolve(files map[string][]byte, from, ref string) (file, frag string, ok bool, problem string) {
	u, err := url.Parse(ref)
	if err != nil {
		return "", "", true, fmt.Sprintf("malformed link %q: %v", ref, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "mailto", "tel":
		return "", "", false, ""
	case "":
	default:
		return "", "", true, fmt.Sprintf("link %q has scheme %s", ref, u.Scheme)
	}
	switch {
	case ref == "" || ref == "#":
		return "", "", true, fmt.Sprintf("link %q goes nowhere", ref)
	case u.Host != "" || strings.HasPrefix(u.Path, "/"):
		return "", "", true, fmt.Sprintf("link %q is absolute: it breaks under a subpath and from disk", ref)
	case u.Path == "":
		return from, u.Fragment, true, ""
	}
	file = path.Join(path.Dir(from), u.Path)
	switch {
	case file == ".." || strings.HasPrefix(file, "../"):
		return "", "", true, fmt.Sprintf("link %q leaves the site root", ref)
	case strings.HasSuffix(u.Path, "/") || isFolder(files, file):
		return "", "", true, fmt.Sprintf("link %q names a folder: name its index.html, so the link works from disk", ref)
	}
	if _, exists := files[file]; !exists {
		return "", "", true, fmt.Sprintf("broken link %q: no file %s", ref, file)
	}
	return file, u.Fragment, true, ""
}

func isFolder(files map[string][]byte, p string) bool {
	if p == "." {
		return true
	}
	for name := range files {
		if strings.HasPrefix(name, p+"/") {
			return true
		}
	}
	return false
}

// checkLinks returns every broken internal link and #anchor of a site,
// and every duplicate ID, sorted: each href and src is resolved against
// its page's path.
func checkLinks(files map[string][]byte) []string {
	pages, problems := parsePages(files)
	for name, p := range pages {
		for _, id := range p.dupIDs {
			problems = append(problems, fmt.Sprintf("%s: id %q appears more than once: links to #%s are ambiguous", name, id, id))
		}
		for _, l := range p.links {
			file, frag, inside, problem := resolve(files, name, l.ref)
			switch {
			case problem != "":
				problems = append(problems, name+": "+problem)
			case !inside || frag == "":
			case pages[file] == nil:
				if strings.HasSuffix(file, ".html") {
					problems = append(problems, fmt.Sprintf("%s: link %q: %s is not a parsed page", name, l.ref, file))
				}
			case !pages[file].ids[frag]:
				problems = append(problems, fmt.Sprintf("%s: link %q: %s has no id %q", name, l.ref, file, frag))
			}
		}
	}
	slices.Sort(problems)
	return slices.Compact(problems)
}

// clicksFromHome returns how many clicks from index.html each page is,
// following only <a href> links, breadth-first.
func clicksFromHome(files map[string][]byte, pages map[string]*htmlPage) map[string]int {
	dist := map[string]int{"index.html": 0}
	queue := []string{"index.html"}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		p := pages[cur]
		if p == nil {
			continue
		}
		for _, l := range p.links {
			if !l.click {
				continue
			}
			file, _, inside, problem := resolve(files, cur, l.ref)
			if !inside || problem != "" || pages[file] == nil {
				continue
			}
			if _, seen := dist[file]; !seen {
				dist[file] = dist[cur] + 1
				queue = append(queue, file)
			}
		}
	}
	return dist
}

// TestCheckLinks shows that the link checker finds each kind of problem.
func TestCheckLinks(t *testing.T) {
	page := func(body string) []byte {
		return []byte(`<!DOCTYPE html><html><head><link rel="stylesheet" href="../css/x.css"></head><body><main id="kb_inhoud">` + body + `</main></body></html>`)
	}
	files := map[string][]byte{
		"index.html": []byte(`<a href="a/index.html">a</a><a href="https://example.org/">ext</a><a href="mailto:x@example.org">m</a>`),
		"css/x.css":  nil,
		"a/index.html": page(`<h2 id="kop">Kop</h2>
			<a href="#kop">ok</a> <a href="../index.html">ok</a> <a href="../b/index.html#deel">ok</a> <img src="../img/x.png">
			<a href="#geen">missing anchor</a>
			<a href="../b/index.html#geen">missing anchor elsewhere</a>
			<a href="../c/index.html">broken</a>
			<a href="../b/">folder</a>
			<a href="../b">folder without slash</a>
			<a href="/b/index.html">absolute</a>
			<a href="../../x.html">outside</a>
			<a href="">nowhere</a>
			<a href="javascript:void(0)">script</a>
			<span id="kop"></span>`),
		"b/index.html": page(`<a name="deel"></a>`),
		"img/x.png":    nil,
	}
	want := []string{
		`a/index.html: broken link "../c/index.html": no file c/index.html`,
		`a/index.html: id "kop" appears more than once: links to #kop are ambiguous`,
		`a/index.html: link "" goes nowhere`,
		`a/index.html: link "#geen": a/index.html has no id "geen"`,
		`a/index.html: link "../../x.html" leaves the site root`,
		`a/index.html: link "../b" names a folder: name its index.html, so the link works from disk`,
		`a/index.html: link "../b/" names a folder: name its index.html, so the link works from disk`,
		`a/index.html: link "../b/index.html#geen": b/index.html has no id "geen"`,
		`a/index.html: link "/b/index.html" is absolute: it breaks under a subpath and from disk`,
		`a/index.html: link "javascript:void(0)" has scheme javascript`,
	}
	if diff := cmp.Diff(want, checkLinks(files)); diff != "" {
		t.Errorf("checkLinks (-want +got):\n%s", diff)
	}
	pages, _ := parsePages(files)
	dist := clicksFromHome(files, pages)
	if diff := cmp.Diff(map[string]int{"index.html": 0, "a/index.html": 1, "b/index.html": 2}, dist); diff != "" {
		t.Errorf("clicksFromHome (-want +got):\n%s", diff)
	}
}

func TestExampleSiteLinks(t *testing.T) {
	site := exampleSite(t)
	pages, _ := parsePages(site.Files)
	if len(pages) < 50 {
		t.Fatalf("got %d HTML pages, want the whole example site", len(pages))
	}
	for _, problem := range checkLinks(site.Files) {
		t.Error(problem)
	}
}

// TestExampleSiteReachable checks that a reader reaches every page from
// the home page within three clicks.
func TestExampleSiteReachable(t *testing.T) {
	const maxClicks = 3
	site := exampleSite(t)
	pages, _ := parsePages(site.Files)
	dist := clicksFromHome(site.Files, pages)
	var names []string
	for name := range pages {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if pages[name].redirect {
			continue
		}
		d, ok := dist[name]
		switch {
		case !ok:
			t.Errorf("%s: got no path of links from index.html, want one of at most %d clicks", name, maxClicks)
		case d > maxClicks:
			t.Errorf("%s: got %d clicks from index.html, want at most %d", name, d, maxClicks)
		}
	}
}

// templateProblems are traces of template or formatting mistakes that a
// reader would see: fmt's %!verb markers, a missing map key, and the
// value html/template puts in place of an unsafe URL or CSS value.
var templateProblems = regexp.MustCompile(`%!|<no value>|ZgotmplZ|\{\{|\}\}`)

func TestExampleSiteNoTemplateProblems(t *testing.T) {
	site := exampleSite(t)
	var names []string
	for name := range site.Files {
		switch path.Ext(name) {
		case ".html", ".xml", ".json", ".txt", ".csv":
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		b := site.Files[name]
		for _, loc := range templateProblems.FindAllIndex(b, 5) {
			start, end := max(0, loc[0]-60), min(len(b), loc[1]+60)
			t.Errorf("%s: got %q in %q, want no template problems", name, b[loc[0]:loc[1]], b[start:end])
		}
	}
}

// entity matches an HTML character reference.
var entity = regexp.MustCompile(`&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);`)

// TestExampleSiteTextNotDoubleEscaped: no text a reader sees, nor any
// attribute, shows an HTML entity as characters ("dilemma&rsquo;s"), which
// happens when escaped HTML is escaped again.
func TestExampleSiteTextNotDoubleEscaped(t *testing.T) {
	site := exampleSite(t)
	var names []string
	for name := range site.Files {
		if strings.HasSuffix(name, ".html") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		doc, err := html.Parse(bytes.NewReader(site.Files[name]))
		if err != nil {
			t.Fatal(err)
		}
		var found []string
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.TextNode && entity.MatchString(n.Data) && (n.Parent == nil || (n.Parent.DataAtom != atom.Code && n.Parent.DataAtom != atom.Pre)) {
				found = append(found, n.Data)
			}
			for _, a := range n.Attr {
				if entity.MatchString(a.Val) {
					found = append(found, a.Key+"="+a.Val)
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		for i, f := range found {
			if i == 3 {
				t.Errorf("%s: … and %d more", name, len(found)-3)
				break
			}
			t.Errorf("%s: got an entity shown as text in %q, want the character", name, f)
		}
	}
}
