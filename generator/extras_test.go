package generator

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"kennisbank/generator/config"
	"kennisbank/generator/content"
	"kennisbank/generator/link"
)

// graphMarshal is graph.json as encoding/json writes it, the form graph
// writes by hand.
func graphMarshal(o *output) []byte {
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

func TestGraphJSON(t *testing.T) {
	page := func(url, title, section string) *content.Page {
		return &content.Page{Kind: content.KindPage, URL: url, Title: title, Section: section}
	}
	a, b := page("rollen/coach/", `Coach <"één"> & co`+"\u2028\x01\xff", "rollen"), page("x/", "X", "")
	cfg := &config.Config{Entities: []config.Entity{{Section: "rollen", Type: "rol"}}}
	for _, tt := range []struct {
		name  string
		pages []*content.Page
		edges []link.Edge
	}{
		{"empty", nil, nil},
		{"nodes", []*content.Page{a, b}, nil},
		{"edges", []*content.Page{a, b}, []link.Edge{
			{From: a, To: b, Kind: link.KindLink},
			{From: a, To: b, Kind: link.KindLink},
			{From: b, To: a, Kind: link.KindRelation, Relation: "over", Level: "kern"},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := &output{cfg: cfg, site: &Site{Pages: tt.pages, Edges: tt.edges}}
			if got, want := o.graph(), graphMarshal(o); !bytes.Equal(got, want) {
				t.Errorf("graph.json:\ngot  %s\nwant %s", got, want)
			}
		})
	}
}

// TestSearchDocsEntity: the search index gets to know which pages are
// about an entity of site.toml (they rank first for their own name), and
// only those.
func TestSearchDocsEntity(t *testing.T) {
	site, err := Build(context.Background(), Options{Source: repoRoot(t), Lazy: true})
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := site.lazy.o.searchDocs()
	want := map[string]bool{
		"vaardigheden/psychologisch-contracteren/": true,
		"rollen/":                                false, // a section page
		"reflecties/contract-met-drie-partijen/": false,
	}
	for _, d := range docs {
		if w, ok := want[d.URL]; ok {
			if d.Entity != w {
				t.Errorf("%s: Entity = %v, want %v", d.URL, d.Entity, w)
			}
			delete(want, d.URL)
		}
	}
	for url := range want {
		t.Errorf("no search document for %s", url)
	}
}
