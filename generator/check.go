package generator

import (
	"context"
	"errors"
	"net/url"
	"path"
	"strings"

	"kennisbank/generator/content"
	"kennisbank/generator/link"
)

// Check runs a build without writing anything and adds the checks that
// only concern authors: pages nothing links to, entity pages without the
// relations their section expects, and malformed external URLs. It returns
// every diagnostic, sorted.
func Check(ctx context.Context, opts Options) (content.Diagnostics, error) {
	site, err := Build(ctx, opts)
	var be *BuildError
	if err != nil && !errors.As(err, &be) {
		return nil, err
	}
	if site == nil {
		return be.Diagnostics, nil
	}
	diags := site.Diagnostics
	if site.Graph == nil {
		return diags, nil
	}
	dir := site.Config.ContentDir
	linked := map[*content.Page]bool{}
	for _, e := range site.Edges {
		if e.From != e.To {
			linked[e.To] = true
		}
	}
	for _, p := range site.Pages {
		if p.Kind != content.KindPage {
			continue
		}
		if !linked[p] && !site.listed(p) {
			diags.Warnf(path.Join(dir, p.Path), 1, 1, "orphan", "no page links to %q: link it from a related article", p.Title)
		}
	}
	for _, rel := range site.Config.Relations {
		if !rel.Expected {
			continue
		}
		for _, p := range site.Pages {
			if p.Kind != content.KindPage || !inList(rel.Sections, p.Section) {
				continue
			}
			if _, ok := p.Params[rel.Key]; !ok {
				diags.Warnf(path.Join(dir, p.Path), 1, 1, "missing-relation", "%s pages are expected to have %s: add it to the front matter", p.Section, rel.Key)
			}
		}
	}
	for p, r := range site.rendered {
		if r == nil || r.result == nil {
			continue
		}
		for _, ext := range r.result.External {
			if msg := badURL(ext.Target); msg != "" {
				diags.Warnf(path.Join(dir, p.Path), ext.Line, ext.Col, "bad-url", "%s: %q", msg, ext.Target)
			}
		}
	}
	diags.Sort()
	return diags, nil
}

// listed reports whether a page is reachable without a link in the text:
// through a relation, an answer, or the author pages.
func (s *Site) listed(p *content.Page) bool {
	for _, e := range s.Edges {
		if e.From == p && (e.Kind == link.KindAnswer) {
			return true
		}
	}
	return false
}

func inList(list []string, s string) bool {
	if len(list) == 0 {
		return true
	}
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// badURL explains what is wrong with an external URL, or returns "".
func badURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "malformed URL"
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" || strings.ContainsAny(u.Host, " _") || (!strings.Contains(u.Host, ".") && u.Hostname() != "localhost") {
			return "URL has no valid host"
		}
	case "mailto", "tel":
	default:
		return "URL scheme " + u.Scheme + " is not http, https or mailto"
	}
	return ""
}
