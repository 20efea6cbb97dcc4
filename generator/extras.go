package generator

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"time"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"

	"kennisbank/generator/config"
	"kennisbank/generator/content"
	"kennisbank/generator/link"
	"kennisbank/generator/search"
)

// absURL is the address of a page for the feed and sitemap: absolute with
// base_url, else relative to the site root.
func (o *output) absURL(p *content.Page) string {
	return o.cfg.BaseURL + p.URL
}

// feed writes an Atom feed of the dated articles, newest first.
func (o *output) feed() []byte {
	var ps []*content.Page
	for _, p := range o.site.Pages {
		if p.Kind == content.KindPage && !p.Date.IsZero() {
			ps = append(ps, p)
		}
	}
	slices.SortFunc(ps, func(a, b *content.Page) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(a.Path, b.Path))
	})
	if len(ps) > 50 {
		ps = ps[:50]
	}
	type alink struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr,omitempty"`
	}
	type author struct {
		Name string `xml:"name"`
	}
	type entry struct {
		Title   string   `xml:"title"`
		Link    alink    `xml:"link"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Authors []author `xml:"author"`
		Summary string   `xml:"summary,omitempty"`
	}
	type feed struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Title   string   `xml:"title"`
		Links   []alink  `xml:"link"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Entries []entry  `xml:"entry"`
	}
	f := feed{Title: o.cfg.Title, ID: o.cfg.BaseURL + "feed.xml", Updated: atomDate(o.siteData.BuildDate),
		Links: []alink{{Href: o.cfg.BaseURL + "feed.xml", Rel: "self"}, {Href: o.cfg.BaseURL}}}
	if o.cfg.BaseURL == "" {
		f.ID = "urn:kennisbank:" + content.Slugify(o.cfg.Title)
	}
	for _, p := range ps {
		upd := p.Date
		if p.Lastmod.After(upd) {
			upd = p.Lastmod
		}
		e := entry{Title: p.Title, Link: alink{Href: o.absURL(p)}, ID: o.absURL(p), Updated: atomDate(upd), Summary: p.Summary}
		if o.cfg.BaseURL == "" {
			e.ID = "urn:kennisbank:" + p.URL
		}
		for _, a := range p.Strings("auteurs") {
			e.Authors = append(e.Authors, author{Name: a})
		}
		if len(e.Authors) == 0 {
			e.Authors = []author{{Name: o.cfg.Title}}
		}
		f.Entries = append(f.Entries, e)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	_ = enc.Encode(f)
	b.WriteByte('\n')
	return b.Bytes()
}

func atomDate(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339)
}

// sitemap lists every page. Sitemaps need absolute URLs, so a site
// without base_url gets none.
func (o *output) sitemap() []byte {
	if o.cfg.BaseURL == "" {
		return nil
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	ps := slices.Clone(o.pages)
	slices.SortFunc(ps, func(a, b *content.Page) int { return cmp.Compare(a.URL, b.URL) })
	for _, p := range ps {
		if p.Kind == kind404 {
			continue
		}
		b.WriteString("  <url><loc>")
		_ = xml.EscapeText(&b, []byte(o.absURL(p)))
		b.WriteString("</loc>")
		if d := cmp.Or(p.Lastmod, p.Date); !d.IsZero() {
			fmt.Fprintf(&b, "<lastmod>%s</lastmod>", d.Format("2006-01-02"))
		}
		b.WriteString("</url>\n")
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

func (o *output) robots() []byte {
	s := "User-agent: *\nAllow: /\n"
	if o.cfg.BaseURL != "" {
		s += "Sitemap: " + o.cfg.BaseURL + "sitemap.xml\n"
	}
	return []byte(s)
}

// graph writes graph.json: every page as a node and every edge, typed.
func (o *output) graph() []byte {
	type node struct {
		ID      string `json:"id"`
		Title   string `json:"title"`
		URL     string `json:"url"`
		Section string `json:"section"`
		Type    string `json:"type,omitempty"`
	}
	type edge struct {
		From     string `json:"from"`
		To       string `json:"to"`
		Kind     string `json:"kind"`
		Relation string `json:"relation,omitempty"`
		Level    string `json:"level,omitempty"`
	}
	g := struct {
		Nodes []node `json:"nodes"`
		Edges []edge `json:"edges"`
	}{Nodes: []node{}, Edges: []edge{}}
	for _, p := range o.site.Pages {
		n := node{ID: strings.TrimSuffix(p.URL, "/"), Title: p.Title, URL: p.URL, Section: p.Section}
		if e := o.cfg.EntityFor(p.Section); e != nil && p.Kind == content.KindPage {
			n.Type = e.Type
		}
		g.Nodes = append(g.Nodes, n)
	}
	seen := map[edge]bool{}
	for _, e := range o.site.Edges {
		ge := edge{From: strings.TrimSuffix(e.From.URL, "/"), To: strings.TrimSuffix(e.To.URL, "/"), Kind: string(e.Kind), Relation: e.Relation, Level: e.Level}
		if !seen[ge] {
			seen[ge] = true
			g.Edges = append(g.Edges, ge)
		}
	}
	b, _ := json.MarshalIndent(g, "", "  ")
	return append(b, '\n')
}

// searchIndex adds the search index files.
func (o *output) searchIndex() error {
	var docs []search.Doc
	for _, p := range o.site.Pages {
		if p.Kind == content.KindHome {
			continue
		}
		d := search.Doc{URL: p.URL, Title: p.Title, Section: o.sectionTitle(p), Aliases: p.Aliases, Tags: p.Tags, Summary: p.Summary}
		if e := o.cfg.EntityFor(p.Section); e != nil && p.Kind == content.KindPage {
			d.Type = e.Type
		} else if p.Kind == content.KindPage {
			d.Type = p.Section
		}
		if r := o.rendered[p]; r != nil && r.result != nil {
			d.Body = r.result.Text
			for _, h := range r.result.Headings {
				d.Headings = append(d.Headings, h.Text)
			}
			if d.Summary == "" {
				d.Summary = truncate(r.result.Lead, 200)
			}
		}
		for _, e := range o.nb.Out(p, link.KindRelation) {
			d.Relations = append(d.Relations, e.To.Title)
		}
		docs = append(docs, d)
	}
	files, err := search.Build(docs)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	for name, b := range files {
		o.site.Files[name] = b
	}
	return nil
}

// chromaCSS returns the highlighting stylesheets: light, and dark for
// prefers-color-scheme: dark.
func chromaCSS(cfg *config.Config) map[string][]byte {
	f := chromahtml.New(chromahtml.WithClasses(true))
	out := map[string][]byte{}
	for name, style := range map[string]string{"chroma-light.css": cfg.Markup.HighlightStyle, "chroma-dark.css": cfg.Markup.HighlightStyleDark} {
		s := styles.Get(style)
		if s == nil {
			s = styles.Fallback
		}
		var b bytes.Buffer
		_ = f.WriteCSS(&b, s)
		out[name] = b.Bytes()
	}
	return out
}
