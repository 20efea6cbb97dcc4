package link

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"

	"kennisbank/generator/config"
	"kennisbank/generator/content"
	"kennisbank/generator/markdown"
)

// EdgeKind says what made an edge.
type EdgeKind string

// Kinds of edge.
const (
	KindLink     EdgeKind = "link"     // a link in the text
	KindRelation EdgeKind = "relation" // a front-matter relation
	KindAnswer   EdgeKind = "answer"   // antwoord_op
)

// Edge is one resolved reference from one page to another.
type Edge struct {
	From, To *content.Page
	Kind     EdgeKind
	Relation string // relation key, for KindRelation
	Level    string // level on the relation's scale, if it has one
	Fragment string // heading ID the link points at
	Line     int
	Col      int
	Context  string // the sentence around a link
	Raw      string // the reference as written
}

// Graph holds every edge of the site and the problems found resolving
// them.
type Graph struct {
	Index *Index
	cfg   *config.Config
	// AllowBroken turns unresolved links into warnings.
	AllowBroken bool
	// BrokenTitle formats the tooltip of a broken link; %s is the target.
	BrokenTitle string

	mu sync.Mutex
	// edges holds each page's edges in the order they were found.
	edges map[*content.Page][]Edge
	diags content.Diagnostics
	// anchors to check once every page's headings are known
	anchors []anchorRef
}

type anchorRef struct {
	edge Edge
	raw  string
}

// NewGraph starts a graph over the pages of a site.
func NewGraph(cfg *config.Config, pages []*content.Page) *Graph {
	return &Graph{Index: NewIndex(pages), cfg: cfg, BrokenTitle: "Pagina ontbreekt: %s"}
}

// Edges returns every edge, in a stable order: by source path, then
// position, kind and target.
func (g *Graph) Edges() []Edge {
	g.mu.Lock()
	defer g.mu.Unlock()
	from := make([]*content.Page, 0, len(g.edges))
	n := 0
	for p, es := range g.edges {
		from = append(from, p)
		n += len(es)
	}
	slices.SortFunc(from, func(a, b *content.Page) int { return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.URL, b.URL)) })
	out := make([]Edge, 0, n)
	for _, p := range from {
		es := g.edges[p]
		slices.SortStableFunc(es, func(a, b Edge) int {
			return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col),
				cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.To.Path, b.To.Path))
		})
		out = append(out, es...)
	}
	return out
}

// Diagnostics returns the problems found so far.
func (g *Graph) Diagnostics() content.Diagnostics {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.diags)
}

func (g *Graph) addEdge(e Edge) {
	g.mu.Lock()
	if g.edges == nil {
		g.edges = map[*content.Page][]Edge{}
	}
	g.edges[e.From] = append(g.edges[e.From], e)
	g.mu.Unlock()
}

func (g *Graph) addDiag(d content.Diagnostic) {
	g.mu.Lock()
	g.diags = append(g.diags, d)
	g.mu.Unlock()
}

// Href is the link from one page to another, relative, so that the site
// works from any folder and from disk.
func Href(from, to *content.Page, fragment string) string {
	h := from.Root() + to.URL + "index.html"
	if fragment != "" {
		h += "#" + fragment
	}
	return h
}

// Resolver returns the markdown.Resolver for one page's links.
func (g *Graph) Resolver(from *content.Page) markdown.Resolver {
	return pageResolver{g: g, from: from}
}

type pageResolver struct {
	g    *Graph
	from *content.Page
}

// Resolve resolves a link and records it as an edge, or as a diagnostic.
func (r pageResolver) Resolve(ref markdown.Ref) markdown.Resolved {
	res, edge, diag := r.resolve(ref)
	r.record(ref, edge, diag)
	return res
}

func (r pageResolver) record(ref markdown.Ref, edge *Edge, diag *content.Diagnostic) {
	g := r.g
	if diag != nil {
		g.addDiag(*diag)
		return
	}
	if edge.To != r.from {
		g.addEdge(*edge)
	}
	if edge.Fragment != "" {
		g.mu.Lock()
		g.anchors = append(g.anchors, anchorRef{edge: *edge, raw: ref.Raw})
		g.mu.Unlock()
	}
}

// ResolveIf resolves refs and, only when every one of them resolves to
// want[i], records them all as Resolve would; it reports whether they
// did. The render cache uses it to reuse a page's HTML exactly when its
// links still go where they went.
func (r pageResolver) ResolveIf(refs []markdown.Ref, want []markdown.Resolved) bool {
	if len(refs) != len(want) {
		return false
	}
	type found struct {
		edge *Edge
		diag *content.Diagnostic
	}
	var buf [16]found
	fs := buf[:0]
	for i, ref := range refs {
		res, edge, diag := r.resolve(ref)
		if res != want[i] {
			return false
		}
		fs = append(fs, found{edge, diag})
	}
	for i, f := range fs {
		r.record(refs[i], f.edge, f.diag)
	}
	return true
}

// Peek resolves a link without recording anything; the render cache uses
// it to tell whether a page's links still go where they went.
func (r pageResolver) Peek(ref markdown.Ref) markdown.Resolved {
	res, _, _ := r.resolve(ref)
	return res
}

func (r pageResolver) resolve(ref markdown.Ref) (markdown.Resolved, *Edge, *content.Diagnostic) {
	g := r.g
	var to *content.Page
	var problem string
	switch {
	case ref.Target == "":
		to = r.from
	case ref.Wiki:
		to, problem = g.lookup(ref.Target, nil, ref.Raw, "[[%s]]")
	default:
		target := strings.TrimSuffix(path.Join(r.from.Dir, ref.Target), ".md")
		target = strings.TrimSuffix(target, "/_index")
		if target == "_index" || target == "." {
			target = ""
		}
		if strings.HasPrefix(target, "../") || target == ".." {
			problem = fmt.Sprintf("link %q points outside the content folder", ref.Raw)
		} else if target == "" {
			to = g.homePage()
		} else if to = g.Index.ByPath(target); to == nil {
			problem = fmt.Sprintf("unresolved link %q: there is no content/%s.md", ref.Raw, target)
			if s := g.Index.Suggest(path.Base(target), nil); s != "" {
				problem += fmt.Sprintf(" (did you mean %q?)", s)
			}
		}
	}
	if to == nil {
		sev := content.Error
		if g.AllowBroken {
			sev = content.Warning
		}
		d := &content.Diagnostic{Path: r.from.Path, Line: ref.Line, Col: ref.Col, Severity: sev, Code: "unresolved-link", Message: problem}
		return markdown.Resolved{Title: fmt.Sprintf(g.BrokenTitle, ref.Target)}, nil, d
	}
	frag := ""
	if ref.Fragment != "" {
		frag = content.Slugify(ref.Fragment)
	}
	e := &Edge{From: r.from, To: to, Kind: KindLink, Fragment: frag, Line: ref.Line, Col: ref.Col, Context: ref.Context, Raw: ref.Raw}
	if to == r.from && frag != "" {
		return markdown.Resolved{Href: "#" + frag, Title: to.Title}, e, nil
	}
	return markdown.Resolved{Href: Href(r.from, to, frag), Title: to.Title}, e, nil
}

func (g *Graph) homePage() *content.Page {
	for _, p := range g.Index.pages {
		if p.Kind == content.KindHome {
			return p
		}
	}
	return nil
}

// lookup resolves a name to exactly one page; otherwise it explains why
// not, formatting the name with form for the suggestion.
func (g *Graph) lookup(text string, sections []string, raw, form string) (*content.Page, string) {
	found := g.Index.Lookup(text, sections)
	switch len(found) {
	case 1:
		return found[0], ""
	case 0:
		msg := fmt.Sprintf("unresolved link %q", raw)
		if len(sections) > 0 {
			msg = fmt.Sprintf("%q is not a page in %s", text, strings.Join(sections, " or "))
		}
		if s := g.Index.Suggest(text, sections); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", fmt.Sprintf(form, s))
		}
		return nil, msg
	}
	var names []string
	for _, p := range found {
		names = append(names, fmt.Sprintf(form, strings.TrimSuffix(p.URL, "/")))
	}
	slices.Sort(names)
	return nil, fmt.Sprintf("ambiguous link %q: it matches %s; write one of those instead", raw, strings.Join(names, ", "))
}

// CheckAnchors reports links to #fragments that the target page lacks.
// ids maps each page to the heading IDs it rendered.
func (g *Graph) CheckAnchors(ids map[*content.Page][]string) {
	g.mu.Lock()
	anchors := slices.Clone(g.anchors)
	g.mu.Unlock()
	for _, a := range anchors {
		if slices.Contains(ids[a.edge.To], a.edge.Fragment) {
			continue
		}
		msg := fmt.Sprintf("unresolved link %q: %s has no heading #%s", a.raw, a.edge.To.Path, a.edge.Fragment)
		if best := closest(a.edge.Fragment, ids[a.edge.To]); best != "" {
			msg += fmt.Sprintf(" (did you mean #%s?)", best)
		}
		sev := content.Error
		if g.AllowBroken {
			sev = content.Warning
		}
		g.addDiag(content.Diagnostic{Path: a.edge.From.Path, Line: a.edge.Line, Col: a.edge.Col, Severity: sev, Code: "missing-anchor", Message: msg})
	}
}

func closest(s string, options []string) string {
	best, bestD := "", 1<<30
	for _, o := range options {
		if d := distance(s, o); d < bestD {
			best, bestD = o, d
		}
	}
	if bestD > max(3, len(s)/2) {
		return ""
	}
	return best
}
