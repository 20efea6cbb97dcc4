package link

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"kennisbank/generator/config"
	"kennisbank/generator/content"
)

// ResolveFrontMatter resolves the relations declared in site.toml and
// antwoord_op for every page, adding edges and diagnostics at the exact
// line of each key. Pages are resolved on every core: a dev server does
// this on every save.
func (g *Graph) ResolveFrontMatter() {
	pages := g.Index.pages
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(1, len(pages))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var f found
			for {
				i := int(next.Add(1)) - 1
				if i >= len(pages) {
					return
				}
				g.frontMatter(pages[i], &f)
				g.add(pages[i], &f)
			}
		}()
	}
	wg.Wait()
}

// found collects one page's edges and diagnostics, to add them under one
// lock.
type found struct {
	edges []Edge
	diags content.Diagnostics
}

// add records what f holds for page p, and empties f.
func (g *Graph) add(p *content.Page, f *found) {
	if len(f.edges) == 0 && len(f.diags) == 0 {
		return
	}
	g.mu.Lock()
	if len(f.edges) > 0 {
		if g.edges == nil {
			g.edges = map[*content.Page][]Edge{}
		}
		g.edges[p] = append(g.edges[p], f.edges...)
	}
	g.diags = append(g.diags, f.diags...)
	g.mu.Unlock()
	f.edges, f.diags = f.edges[:0], f.diags[:0]
}

func (g *Graph) frontMatter(p *content.Page, f *found) {
	if p.Kind != content.KindPage {
		return
	}
	for _, rel := range g.cfg.RelationsFrom(p.Section) {
		v, ok := p.Params[rel.Key]
		if !ok {
			continue
		}
		g.relation(p, rel, v, f)
	}
	if v, ok := p.Params["antwoord_op"]; ok {
		s, isStr := v.(string)
		line := p.KeyLine("antwoord_op")
		if !isStr {
			f.diags = append(f.diags, content.Diagnostic{Path: p.Path, Line: line, Col: 1, Severity: content.Error, Code: "front-matter", Message: "antwoord_op must be the title or slug of the question, in quotes"})
			return
		}
		to, problem := g.lookup(s, nil, s, "%s")
		if to == nil {
			f.diags = append(f.diags, content.Diagnostic{Path: p.Path, Line: line, Col: 1, Severity: content.Error, Code: "unresolved-answer", Message: "antwoord_op: " + problem})
			return
		}
		f.edges = append(f.edges, Edge{From: p, To: to, Kind: KindAnswer, Line: line, Col: 1, Raw: s})
	}
}

func (g *Graph) relation(p *content.Page, rel config.Relation, v any, f *found) {
	line := p.KeyLine(rel.Key)
	errorf := func(line int, code, format string, args ...any) {
		f.diags = append(f.diags, content.Diagnostic{Path: p.Path, Line: line, Col: 1, Severity: content.Error, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	add := func(name, level string, line int) {
		to, problem := g.lookup(name, rel.Targets, name, "%s")
		if to == nil {
			// A page that exists but in the wrong section deserves its own
			// message.
			if any := g.Index.Lookup(name, nil); len(any) == 1 && len(rel.Targets) > 0 {
				problem = fmt.Sprintf("%q is in section %s, but %s may only name pages in %s", name, any[0].Section, rel.Key, strings.Join(rel.Targets, ", "))
			}
			errorf(line, "unresolved-relation", "%s", problem)
			return
		}
		f.edges = append(f.edges, Edge{From: p, To: to, Kind: KindRelation, Relation: rel.Key, Level: level, Line: line, Col: 1, Raw: name})
	}
	if len(rel.Levels) > 0 {
		table, ok := v.(map[string]any)
		if !ok {
			errorf(line, "front-matter", "%s must be a table of page = level, like [%s] followed by lines such as \"Titel\" = %q", rel.Key, rel.Key, rel.Levels[0])
			return
		}
		keys := make([]string, 0, len(table))
		for k := range table {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			kl := p.KeyLine(rel.Key + "." + k)
			level, ok := table[k].(string)
			if !ok || !slices.Contains(rel.Levels, level) {
				msg := fmt.Sprintf("level %v for %q is not on the scale of %s: use one of %s", table[k], k, rel.Key, quoteList(rel.Levels))
				if s := closest(fmt.Sprint(table[k]), rel.Levels); ok && s != "" {
					msg += fmt.Sprintf(" (did you mean %q?)", s)
				}
				errorf(kl, "bad-level", "%s", msg)
				continue
			}
			add(k, level, kl)
		}
		return
	}
	var names []string
	switch v := v.(type) {
	case string:
		names = []string{v}
	case []any:
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				errorf(line, "front-matter", "%s must be a list of titles or slugs in quotes", rel.Key)
				return
			}
			names = append(names, s)
		}
	default:
		errorf(line, "front-matter", "%s must be a list of titles or slugs, like %s = [\"a\", \"b\"]", rel.Key, rel.Key)
		return
	}
	for _, n := range names {
		add(n, "", line)
	}
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, e := range s {
		q[i] = fmt.Sprintf("%q", e)
	}
	return strings.Join(q, ", ")
}

// Neighbours indexes edges by page, so each page's lists cost its own
// edges and not the whole site's.
type Neighbours struct {
	edges []Edge
	// out and in hold each page's edges (indexes into edges), by the
	// page's number.
	out, in [][]int32
	byTag   map[string][]*content.Page
	// number numbers the pages, so scores can be kept in a slice.
	number  map[*content.Page]int32
	pages   []*content.Page
	scratch sync.Pool // of *scratch
}

// scratch is the working memory of one Related or In call.
type scratch struct {
	score   []int32
	touched []int32
	mark    []uint32
	gen     uint32
}

// maxShared is the size from which a tag or relation target is too common
// to say two pages are related (and too costly to pair on a large site).
const maxShared = 500

// NewNeighbours indexes the edges and the pages' tags. It keeps edges, which
// must not change afterwards.
func NewNeighbours(edges []Edge, pages []*content.Page) *Neighbours {
	nb := &Neighbours{edges: edges, byTag: map[string][]*content.Page{}, number: make(map[*content.Page]int32, len(pages))}
	num := func(p *content.Page) int32 {
		n, ok := nb.number[p]
		if !ok {
			n = int32(len(nb.pages))
			nb.number[p] = n
			nb.pages = append(nb.pages, p)
		}
		return n
	}
	for _, p := range pages {
		num(p)
	}
	// Each page's lists are parts of two arrays, sized by a first count:
	// a site's worth of small slices, grown edge by edge, was most of the
	// cost of this on every rebuild.
	from := make([]int32, len(edges)) // the number of each edge's source
	to := make([]int32, len(edges))
	for i, e := range edges {
		from[i], to[i] = num(e.From), num(e.To)
	}
	nb.out = lists(len(nb.pages), from)
	for _, p := range pages {
		for _, t := range p.Tags {
			nb.byTag[t] = append(nb.byTag[t], p)
		}
	}
	// In lists edges by the rank of their source, then in source order:
	// filtering keeps that order. The pages are ranked once; visiting
	// them in rank order and each one's edges in order fills every list
	// sorted, without sorting it.
	ranked := make([]int32, len(nb.pages))
	for i := range ranked {
		ranked[i] = int32(i)
	}
	slices.SortFunc(ranked, func(a, b int32) int {
		x, y := nb.pages[a], nb.pages[b]
		return cmp.Or(cmp.Compare(x.Section, y.Section), content.Compare(x, y))
	})
	order := make([]int32, 0, len(edges))
	for _, n := range ranked {
		order = append(order, nb.out[n]...)
	}
	nb.in = lists(len(nb.pages), to) // the sizes are right; the order is made here
	fill := make([]int32, len(nb.pages))
	for _, i := range order {
		t := to[i]
		nb.in[t][fill[t]] = i
		fill[t]++
	}
	return nb
}

// lists returns, for each of n pages, the indexes i whose page[i] is it,
// in order, all in one array.
func lists(n int, page []int32) [][]int32 {
	start := make([]int32, n+1)
	for _, p := range page {
		start[p+1]++
	}
	for i := range n {
		start[i+1] += start[i]
	}
	all := make([]int32, len(page))
	fill := slices.Clone(start[:n])
	for i, p := range page {
		all[fill[p]] = int32(i)
		fill[p]++
	}
	out := make([][]int32, n)
	for i := range n {
		out[i] = all[start[i]:start[i+1]:start[i+1]]
	}
	return out
}

// outOf and inOf return the edges that start and end at p.
func (nb *Neighbours) outOf(p *content.Page) []int32 {
	if n, ok := nb.number[p]; ok {
		return nb.out[n]
	}
	return nil
}

func (nb *Neighbours) inOf(p *content.Page) []int32 {
	if n, ok := nb.number[p]; ok {
		return nb.in[n]
	}
	return nil
}

func (nb *Neighbours) getScratch() *scratch {
	sc, _ := nb.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{score: make([]int32, len(nb.pages)), mark: make([]uint32, len(nb.pages))}
	}
	sc.gen++
	if sc.gen == 0 { // wrapped: forget every old mark
		clear(sc.mark)
		sc.gen = 1
	}
	return sc
}

// Out returns the edges of a kind that start at p, in source order.
func (nb *Neighbours) Out(p *content.Page, kind EdgeKind) []Edge {
	var out []Edge
	for _, i := range nb.outOf(p) {
		if e := &nb.edges[i]; e.Kind == kind {
			out = append(out, *e)
		}
	}
	return out
}

// In returns the edges of a kind that point at p from other pages, one per
// source page for links, ordered by the source's section, weight and
// title.
func (nb *Neighbours) In(p *content.Page, kind EdgeKind) []Edge {
	var out []Edge
	var sc *scratch
	if kind == KindLink {
		sc = nb.getScratch()
		defer nb.scratch.Put(sc)
	}
	for _, k := range nb.inOf(p) {
		e := &nb.edges[k]
		if e.Kind != kind || e.From == p {
			continue
		}
		if sc != nil {
			i := nb.number[e.From]
			if sc.mark[i] == sc.gen {
				continue
			}
			sc.mark[i] = sc.gen
		}
		out = append(out, *e)
	}
	return out
}

// Related returns up to n pages that share the most relations and tags
// with p, or link to or from it; ties go by title in Dutch order.
func (nb *Neighbours) Related(p *content.Page, n int) []*content.Page {
	if n <= 0 {
		return nil
	}
	sc := nb.getScratch()
	defer nb.scratch.Put(sc)
	sc.touched = sc.touched[:0]
	add := func(q *content.Page, s int32) {
		i, ok := nb.number[q]
		if !ok {
			return
		}
		if sc.mark[i] != sc.gen {
			sc.mark[i] = sc.gen
			sc.score[i] = 0
			sc.touched = append(sc.touched, i)
		}
		sc.score[i] += s
	}
	for _, i := range nb.outOf(p) {
		e := &nb.edges[i]
		switch e.Kind {
		case KindRelation:
			add(e.To, 2)
			if in := nb.inOf(e.To); len(in) <= maxShared {
				for _, j := range in {
					if f := &nb.edges[j]; f.Kind == KindRelation && f.From != p {
						add(f.From, 2)
					}
				}
			}
		case KindLink:
			add(e.To, 1)
		}
	}
	for _, i := range nb.inOf(p) {
		e := &nb.edges[i]
		switch e.Kind {
		case KindRelation:
			add(e.From, 2)
		case KindLink:
			add(e.From, 1)
		}
	}
	for _, t := range p.Tags {
		if ps := nb.byTag[t]; len(ps) <= maxShared {
			for _, q := range ps {
				add(q, 1)
			}
		}
	}
	// The n best by score, then title: a short sorted list, since n is
	// small and the candidates many.
	type cand struct {
		p *content.Page
		s int32
	}
	better := func(a, b cand) bool {
		if a.s != b.s {
			return a.s > b.s
		}
		return content.CompareTitles(a.p, b.p) < 0
	}
	best := make([]cand, 0, n+1)
	for _, i := range sc.touched {
		q, s := nb.pages[i], sc.score[i]
		if q == p || s <= 0 || q.Kind != content.KindPage {
			continue
		}
		c := cand{q, s}
		if len(best) == n && !better(c, best[n-1]) {
			continue
		}
		k := len(best)
		for k > 0 && better(c, best[k-1]) {
			k--
		}
		best = slices.Insert(best, k, c)
		if len(best) > n {
			best = best[:n]
		}
	}
	out := make([]*content.Page, len(best))
	for i, c := range best {
		out[i] = c.p
	}
	return out
}
