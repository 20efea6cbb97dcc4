package generator

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"maps"
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
	type edge struct {
		From, To, Kind, Relation, Level string
	}
	// The same bytes json.MarshalIndent(…, "", "  ") gives for
	// {"nodes": […], "edges": […]}, written directly: the file is large
	// and made on every build.
	b := make([]byte, 0, 256*(len(o.site.Pages)+len(o.site.Edges)))
	b = append(b, "{\n  \"nodes\": ["...)
	for i, p := range o.site.Pages {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    {\n      \"id\": "...)
		b = appendJSONString(b, strings.TrimSuffix(p.URL, "/"))
		b = append(b, ",\n      \"title\": "...)
		b = appendJSONString(b, p.Title)
		b = append(b, ",\n      \"url\": "...)
		b = appendJSONString(b, p.URL)
		b = append(b, ",\n      \"section\": "...)
		b = appendJSONString(b, p.Section)
		if e := o.cfg.EntityFor(p.Section); e != nil && p.Kind == content.KindPage && e.Type != "" {
			b = append(b, ",\n      \"type\": "...)
			b = appendJSONString(b, e.Type)
		}
		b = append(b, "\n    }"...)
	}
	if len(o.site.Pages) > 0 {
		b = append(b, "\n  "...)
	}
	b = append(b, "],\n  \"edges\": ["...)
	seen := make(map[edge]bool, len(o.site.Edges))
	n := 0
	for _, e := range o.site.Edges {
		ge := edge{From: strings.TrimSuffix(e.From.URL, "/"), To: strings.TrimSuffix(e.To.URL, "/"), Kind: string(e.Kind), Relation: e.Relation, Level: e.Level}
		if seen[ge] {
			continue
		}
		seen[ge] = true
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = append(b, "\n    {\n      \"from\": "...)
		b = appendJSONString(b, ge.From)
		b = append(b, ",\n      \"to\": "...)
		b = appendJSONString(b, ge.To)
		b = append(b, ",\n      \"kind\": "...)
		b = appendJSONString(b, ge.Kind)
		if ge.Relation != "" {
			b = append(b, ",\n      \"relation\": "...)
			b = appendJSONString(b, ge.Relation)
		}
		if ge.Level != "" {
			b = append(b, ",\n      \"level\": "...)
			b = appendJSONString(b, ge.Level)
		}
		b = append(b, "\n    }"...)
	}
	if n > 0 {
		b = append(b, "\n  "...)
	}
	b = append(b, "]\n}\n"...)
	return slices.Clip(b)
}

// appendJSONString appends s as encoding/json writes it.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// searchDocs returns the search document of every page but home, and the
// page of each.
func (o *output) searchDocs() (docs []search.Doc, pageOf []*content.Page) {
	for _, p := range o.site.Pages {
		if p.Kind == content.KindHome {
			continue
		}
		pageOf = append(pageOf, p)
		d := search.Doc{URL: p.URL, Title: p.Title, Section: o.sectionTitle(p), Aliases: p.Aliases, Tags: p.Tags, Summary: p.Summary}
		if e := o.cfg.EntityFor(p.Section); e != nil && p.Kind == content.KindPage {
			d.Type = e.Type
			d.Entity = true
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
	return docs, pageOf
}

// searchIndex adds the search index files.
func (o *output) searchIndex(dst map[string][]byte) error {
	docs, pageOf := o.searchDocs()
	// The index depends on every document; its key stands for each
	// page's text by the sum its render computed.
	cache := o.opts.Cache
	var key dataKey
	if cache != nil {
		view := slices.Clone(docs)
		var sums []byte
		for i, d := range docs {
			if r := o.rendered[pageOf[i]]; r != nil && r.result != nil && r.textSum != ([32]byte{}) && d.Body == r.result.Text {
				view[i].Body = ""
				sums = append(sums, r.textSum[:]...)
			} else {
				sums = append(sums, make([]byte, 32)...)
			}
		}
		key = cache.key(view, sums)
		if files := cache.extra(o.gen, "search", key); files != nil {
			maps.Copy(dst, files)
			return nil
		}
	}
	build := search.Build
	if m := cache.searchMemo(); m != nil {
		build = m.Build
	}
	files, err := build(docs)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	maps.Copy(dst, files)
	cache.storeExtra(o.gen, "search", key, files)
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
