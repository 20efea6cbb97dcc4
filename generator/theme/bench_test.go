package theme

import (
	"fmt"
	"html/template"
	"os"
	"strings"
	"testing"
	"time"

	"kennisbank/generator/content"
)

// BenchmarkLoadAndPrepare is what a build pays once for its theme: load
// the default theme and prepare its layouts (each run without data).
func BenchmarkLoadAndPrepare(b *testing.B) {
	fsys := os.DirFS("../../themes/default")
	layouts := []string{"home.html", "section.html", "page.html", "tag.html", "tags.html", "az.html", "matrix.html", "comparison.html", "404.html", "alias.html"}
	for b.Loop() {
		th, err := Load("nl", Source{FS: fsys, Name: "themes/default"})
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range layouts {
			th.Render(name, nil) //nolint:errcheck // without data a layout stops at its first field
		}
	}
}

// benchLink, benchGroup and benchPage have the fields the default
// layouts read from generator.PageData, which this package cannot import.
type benchLink struct {
	Title, URL, Summary, Section, Anchor, Context string
	Current                                       bool
	Date                                          time.Time
	Authors                                       []benchLink
}

type benchGroup struct {
	Key, Label, Level, Section string
	Rank                       int
	Leveled, Inverse           bool
	Groups                     []benchGroup
	Items                      []benchLink
	Matrices                   []benchLink
}

type benchPage struct {
	Site struct {
		Title, Description string
		HasTags            bool
	}
	Page                                               *content.Page
	Kind, Title, Summary, Root, Canonical, EntityLabel string
	Content                                            template.HTML
	TOC                                                []struct {
		Level    int
		Text, ID string
	}
	Menu, Breadcrumbs, Tags, Authors, Works, Related []benchLink
	Answers                                          []benchLink
	Prev, Next, Question                             *benchLink
	Relations, Inverse, Backlinks                    []benchGroup
}

// benchPageData is a page like those of cmd/kbcorpus: links, relations
// with levels, backlinks, a thread, a table of contents.
func benchPageData() *benchPage {
	date := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	links := func(n int, prefix string) []benchLink {
		var out []benchLink
		for i := range n {
			out = append(out, benchLink{Title: fmt.Sprintf("%s %d & co", prefix, i), URL: fmt.Sprintf("../../%s/p%d/index.html", prefix, i),
				Summary: "Een korte samenvatting met 'quotes'.", Section: prefix, Anchor: fmt.Sprintf("r-%d", i), Context: "…zie de pagina…", Date: date})
		}
		return out
	}
	p := &benchPage{
		Page: &content.Page{Title: "Coach", Section: "rollen", Date: date, Lastmod: date}, Kind: "page", Title: "Coach & mentor",
		Summary: "Wat een coach doet.", Root: "../../", Content: template.HTML(strings.Repeat("<p>Tekst van de pagina.</p>\n", 40)),
		Menu: links(6, "menu"), Breadcrumbs: links(3, "kruimel"), Tags: links(4, "tags"), Authors: links(2, "auteurs"),
		Related: links(5, "verwant"), Answers: links(3, "antwoord"), Prev: &links(1, "vorige")[0], Next: &links(1, "volgende")[0],
		EntityLabel: "Rol",
	}
	p.Site.Title, p.Site.Description, p.Site.HasTags = "Kennisbank", "Alles over rollen", true
	for i := range 8 {
		p.TOC = append(p.TOC, struct {
			Level    int
			Text, ID string
		}{2 + i%2, fmt.Sprintf("Kop %d", i), fmt.Sprintf("kop-%d", i)})
	}
	for i, leveled := range []bool{true, false, true} {
		g := benchGroup{Key: fmt.Sprintf("rel%d", i), Label: "Relatie", Leveled: leveled, Matrices: links(1, "matrix")}
		for r := 1; r <= 3; r++ {
			g.Groups = append(g.Groups, benchGroup{Level: "kern", Rank: r, Items: links(4, "vaardigheden")})
		}
		p.Relations = append(p.Relations, g)
		g.Inverse = true
		p.Inverse = append(p.Inverse, g)
	}
	for range 3 {
		p.Backlinks = append(p.Backlinks, benchGroup{Section: "begrippen", Items: links(5, "begrippen")})
	}
	return p
}

// BenchmarkExecute renders the default theme's page.html: what a build
// pays per page for templates.
func BenchmarkExecute(b *testing.B) {
	th, err := Load("nl", Source{FS: os.DirFS("../../themes/default"), Name: "themes/default"})
	if err != nil {
		b.Fatal(err)
	}
	data := benchPageData()
	for b.Loop() {
		if _, err := th.Render("page.html", data); err != nil {
			b.Fatal(err)
		}
	}
}
