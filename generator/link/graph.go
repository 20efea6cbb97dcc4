package link

import (
	"cmp"
	"fmt"
	"path"
	"runtime"
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
	// The index lists the pages in path order already (content.Load
	// sorts them); a page outside it needs the sort.
	from := make([]*content.Page, 0, len(g.edges))
	lists := make([][]Edge, 0, len(g.edges))
	for _, p := range g.Index.pages {
		if es, ok := g.edges[p]; ok {
			from, lists = append(from, p), append(lists, es)
		}
	}
	if len(from) != len(g.edges) || !slices.IsSortedFunc(from, byPath) {
		from = from[:0]
		for p := range g.edges {
			from = append(from, p)
		}
		slices.SortFunc(from, byPath)
		lists = lists[:0]
		for _, p := range from {
			lists = append(lists, g.edges[p])
		}
	}
	start := make([]int, len(lists)+1)
	for i, es := range lists {
		start[i+1] = start[i] + len(es)
	}
	// Each page's edges are sorted and copied into place on every core:
	// a dev server does this for the whole site on every save.
	out := make([]Edge, start[len(lists)])
	workers := max(1, min(runtime.GOMAXPROCS(0), len(lists)))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w * len(lists) / workers; i < (w+1)*len(lists)/workers; i++ {
				es := lists[i]
				slices.SortStableFunc(es, func(a, b Edge) int {
					return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col),
						cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.To.Path, b.To.Path))
				})
				copy(out[start[i]:], es)
			}
		})
	}
	wg.Wait()
	return out
}

func byPath(a, b *content.Page) int {
	return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.URL, b.URL))
}

// Diagnostics returns the problems found so far.
func (g *Graph) Diagnostics() content.Diagnostics {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.diags)
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
	t := r.target(ref)
	r.record([]markdown.Ref{ref}, []target{t})
	return r.resolved(ref, t)
}

// target is where a link goes: a page and a heading, or a problem.
type target struct {
	to      *content.Page
	frag    string // heading ID
	problem string // why to is nil
}

// record adds the edges, anchors and diagnostics of refs, resolved to ts,
// under one lock, each page's edges in one slice of the right size.
func (r pageResolver) record(refs []markdown.Ref, ts []target) {
	g := r.g
	n := 0
	for _, t := range ts {
		if t.to != nil && t.to != r.from {
			n++
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.edges == nil {
		g.edges = map[*content.Page][]Edge{}
	}
	edges := g.edges[r.from]
	if n > 0 {
		edges = slices.Grow(edges, n)
	}
	for i, t := range ts {
		ref := refs[i]
		if t.to == nil {
			g.diags = append(g.diags, r.diagnostic(ref, t))
			continue
		}
		e := Edge{From: r.from, To: t.to, Kind: KindLink, Fragment: t.frag, Line: ref.Line, Col: ref.Col, Context: ref.Context, Raw: ref.Raw}
		if t.to != r.from {
			edges = append(edges, e)
		}
		if t.frag != "" {
			g.anchors = append(g.anchors, anchorRef{edge: e, raw: ref.Raw})
		}
	}
	if n > 0 {
		g.edges[r.from] = edges
	}
}

func (r pageResolver) diagnostic(ref markdown.Ref, t target) content.Diagnostic {
	sev := content.Error
	if r.g.AllowBroken {
		sev = content.Warning
	}
	return content.Diagnostic{Path: r.from.Path, Line: ref.Line, Col: ref.Col, Severity: sev, Code: "unresolved-link", Message: t.problem}
}

// ResolveIf resolves refs and, only when every one of them resolves to
// want[i], records them all as Resolve would; it reports whether they
// did. The render cache uses it to reuse a page's HTML exactly when its
// links still go where they went; a dev server does this for every page
// on every save, so it compares without building the hrefs. keys, when
// not nil, are Keys(refs), kept with the render so the names need not be
// folded again.
func (r pageResolver) ResolveIf(refs []markdown.Ref, keys []string, want []markdown.Resolved) bool {
	if len(refs) != len(want) || keys != nil && len(keys) != len(refs) {
		return false
	}
	var buf [16]target
	ts := buf[:0]
	for i, ref := range refs {
		var t target
		if keys != nil {
			t = r.targetByKey(ref, keys[i])
		} else {
			t = r.target(ref)
		}
		if !r.same(ref, t, want[i]) {
			return false
		}
		ts = append(ts, t)
	}
	r.record(refs, ts)
	return true
}

// Keys returns what resolving each of refs looks up in the index: a
// function of the link and the page's folder alone, so a render cache
// may keep it with the page's render.
func (r pageResolver) Keys(refs []markdown.Ref) []string {
	keys := make([]string, len(refs))
	for i, ref := range refs {
		switch {
		case ref.Target == "":
		case ref.Wiki:
			keys[i] = Normalize(ref.Target)
		default:
			if dest, ok := r.dest(ref); ok && dest != "" {
				keys[i] = Normalize(dest)
			}
		}
	}
	return keys
}

// Peek resolves a link without recording anything; the render cache uses
// it to tell whether a page's links still go where they went.
func (r pageResolver) Peek(ref markdown.Ref) markdown.Resolved {
	return r.resolved(ref, r.target(ref))
}

// resolved is what the Markdown renderer is told of a link to t.
func (r pageResolver) resolved(ref markdown.Ref, t target) markdown.Resolved {
	switch {
	case t.to == nil:
		return markdown.Resolved{Title: fmt.Sprintf(r.g.BrokenTitle, ref.Target)}
	case t.to == r.from && t.frag != "":
		return markdown.Resolved{Href: "#" + t.frag, Title: t.to.Title}
	}
	return markdown.Resolved{Href: Href(r.from, t.to, t.frag), Title: t.to.Title}
}

// same reports whether resolved(ref, t) == want, without allocating for
// a link that resolves.
func (r pageResolver) same(ref markdown.Ref, t target, want markdown.Resolved) bool {
	switch {
	case t.to == nil:
		return want == r.resolved(ref, t)
	case want.Title != t.to.Title:
		return false
	case t.to == r.from && t.frag != "":
		h := want.Href
		return len(h) == 1+len(t.frag) && h[0] == '#' && h[1:] == t.frag
	}
	// want.Href == Href(r.from, t.to, t.frag), piece by piece.
	h := want.Href
	for range r.from.Depth() {
		if !strings.HasPrefix(h, "../") {
			return false
		}
		h = h[len("../"):]
	}
	if !strings.HasPrefix(h, t.to.URL) {
		return false
	}
	h = h[len(t.to.URL):]
	if !strings.HasPrefix(h, "index.html") {
		return false
	}
	h = h[len("index.html"):]
	if t.frag == "" {
		return h == ""
	}
	return len(h) == 1+len(t.frag) && h[0] == '#' && h[1:] == t.frag
}

// target finds the page a link goes to.
func (r pageResolver) target(ref markdown.Ref) target {
	return r.targetByKey(ref, "")
}

// targetByKey is target, given the link's key (see Keys) or "" to work
// it out.
func (r pageResolver) targetByKey(ref markdown.Ref, key string) target {
	g := r.g
	var to *content.Page
	var problem string
	switch {
	case ref.Target == "":
		to = r.from
	case ref.Wiki:
		if key != "" {
			to, problem = g.lookupKey(key, ref.Target, nil, ref.Raw, "[[%s]]")
		} else {
			to, problem = g.lookup(ref.Target, nil, ref.Raw, "[[%s]]")
		}
	default:
		dest, ok := r.dest(ref)
		switch {
		case !ok:
			problem = fmt.Sprintf("link %q points outside the content folder", ref.Raw)
		case dest == "":
			to = g.homePage()
		default:
			if key != "" {
				to = g.Index.byPath[key]
			} else {
				to = g.Index.ByPath(dest)
			}
			if to == nil {
				problem = fmt.Sprintf("unresolved link %q: there is no content/%s.md", ref.Raw, dest)
				if s := g.Index.Suggest(path.Base(dest), nil); s != "" {
					problem += fmt.Sprintf(" (did you mean %q?)", s)
				}
			}
		}
	}
	if to == nil {
		return target{problem: problem}
	}
	frag := ""
	if ref.Fragment != "" {
		frag = content.Slugify(ref.Fragment)
	}
	return target{to: to, frag: frag}
}

// dest is the page path a Markdown link to a .md file names, relative to
// the content folder ("" for the home page); not ok when it leaves the
// content folder.
func (r pageResolver) dest(ref markdown.Ref) (string, bool) {
	dest := strings.TrimSuffix(path.Join(r.from.Dir, ref.Target), ".md")
	dest = strings.TrimSuffix(dest, "/_index")
	if dest == "_index" || dest == "." {
		dest = ""
	}
	if strings.HasPrefix(dest, "../") || dest == ".." {
		return "", false
	}
	return dest, true
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
	return g.lookupKey(Normalize(text), text, sections, raw, form)
}

// lookupKey is lookup given Normalize(text).
func (g *Graph) lookupKey(key, text string, sections []string, raw, form string) (*content.Page, string) {
	one, n := g.Index.one(key, sections)
	switch n {
	case 1:
		return one, ""
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
	for _, p := range g.Index.Lookup(text, sections) {
		names = append(names, fmt.Sprintf(form, strings.TrimSuffix(p.URL, "/")))
	}
	slices.Sort(names)
	return nil, fmt.Sprintf("ambiguous link %q: it matches %s; write one of those instead", raw, strings.Join(names, ", "))
}

// CheckAnchors reports links to #fragments that the target page lacks.
// ids returns the heading IDs a page rendered; it is asked only about
// pages that links with a fragment point at.
func (g *Graph) CheckAnchors(ids func(*content.Page) []string) {
	g.mu.Lock()
	anchors := slices.Clone(g.anchors)
	g.mu.Unlock()
	for _, a := range anchors {
		have := ids(a.edge.To)
		if slices.Contains(have, a.edge.Fragment) {
			continue
		}
		msg := fmt.Sprintf("unresolved link %q: %s has no heading #%s", a.raw, a.edge.To.Path, a.edge.Fragment)
		if best := closest(a.edge.Fragment, have); best != "" {
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
