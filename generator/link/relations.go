package link

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"kennisbank/generator/config"
	"kennisbank/generator/content"
)

// ResolveFrontMatter resolves the relations declared in site.toml and
// antwoord_op for every page, adding edges and diagnostics at the exact
// line of each key.
func (g *Graph) ResolveFrontMatter() {
	for _, p := range g.Index.pages {
		if p.Kind != content.KindPage {
			continue
		}
		for _, rel := range g.cfg.RelationsFrom(p.Section) {
			v, ok := p.Params[rel.Key]
			if !ok {
				continue
			}
			g.relation(p, rel, v)
		}
		if v, ok := p.Params["antwoord_op"]; ok {
			s, isStr := v.(string)
			line := p.KeyLine("antwoord_op")
			if !isStr {
				g.addDiag(content.Diagnostic{Path: p.Path, Line: line, Col: 1, Severity: content.Error, Code: "front-matter", Message: "antwoord_op must be the title or slug of the question, in quotes"})
				continue
			}
			to, problem := g.lookup(s, nil, s, "%s")
			if to == nil {
				g.addDiag(content.Diagnostic{Path: p.Path, Line: line, Col: 1, Severity: content.Error, Code: "unresolved-answer", Message: "antwoord_op: " + problem})
				continue
			}
			g.addEdge(Edge{From: p, To: to, Kind: KindAnswer, Line: line, Col: 1, Raw: s})
		}
	}
}

func (g *Graph) relation(p *content.Page, rel config.Relation, v any) {
	line := p.KeyLine(rel.Key)
	errorf := func(line int, code, format string, args ...any) {
		g.addDiag(content.Diagnostic{Path: p.Path, Line: line, Col: 1, Severity: content.Error, Code: code, Message: fmt.Sprintf(format, args...)})
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
		g.addEdge(Edge{From: p, To: to, Kind: KindRelation, Relation: rel.Key, Level: level, Line: line, Col: 1, Raw: name})
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

// Incoming returns the edges of a kind that point at p, ordered by the
// source's section, then its title in Dutch order.
func Incoming(edges []Edge, p *content.Page, kind EdgeKind) []Edge {
	var out []Edge
	seen := map[*content.Page]bool{}
	for _, e := range edges {
		if e.To != p || e.Kind != kind || e.From == p {
			continue
		}
		if kind == KindLink && seen[e.From] {
			continue
		}
		seen[e.From] = true
		out = append(out, e)
	}
	sortEdgesBySource(out)
	return out
}

// Outgoing returns the edges of a kind that start at p, in source order.
func Outgoing(edges []Edge, p *content.Page, kind EdgeKind) []Edge {
	var out []Edge
	for _, e := range edges {
		if e.From == p && e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func sortEdgesBySource(es []Edge) {
	slices.SortStableFunc(es, func(a, b Edge) int {
		return cmp.Or(cmp.Compare(a.From.Section, b.From.Section), cmp.Compare(a.From.Weight, b.From.Weight),
			cmp.Compare(content.SortKey(a.From.Title), content.SortKey(b.From.Title)), cmp.Compare(a.From.Path, b.From.Path))
	})
}

// Related returns up to n pages that share the most relations and tags
// with p, or link to or from it; ties go by title in Dutch order.
func Related(edges []Edge, pages []*content.Page, p *content.Page, n int) []*content.Page {
	targets := map[*content.Page]bool{}
	for _, e := range edges {
		if e.From == p && e.Kind == KindRelation {
			targets[e.To] = true
		}
	}
	score := map[*content.Page]int{}
	for _, e := range edges {
		switch {
		case e.Kind == KindRelation && e.From != p && targets[e.To]:
			score[e.From] += 2
		case e.Kind == KindRelation && e.From == p:
			score[e.To] += 2
		case e.Kind == KindRelation && e.To == p:
			score[e.From] += 2
		case e.Kind == KindLink && e.From == p:
			score[e.To]++
		case e.Kind == KindLink && e.To == p:
			score[e.From]++
		}
	}
	for _, q := range pages {
		for _, t := range q.Tags {
			if slices.Contains(p.Tags, t) {
				score[q]++
			}
		}
	}
	var out []*content.Page
	for q, s := range score {
		if q != p && s > 0 && q.Kind == content.KindPage {
			out = append(out, q)
		}
	}
	slices.SortFunc(out, func(a, b *content.Page) int {
		return cmp.Or(cmp.Compare(score[b], score[a]), cmp.Compare(content.SortKey(a.Title), content.SortKey(b.Title)), cmp.Compare(a.Path, b.Path))
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
