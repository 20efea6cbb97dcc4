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
	// A page is reached when something points at it, or when it answers
	// a question (the question's thread lists it).
	reached := map[*content.Page]bool{}
	for _, e := range site.Edges {
		if e.From != e.To {
			reached[e.To] = true
		}
		if e.Kind == link.KindAnswer {
			reached[e.From] = true
		}
	}
	for _, p := range site.Pages {
		if p.Kind != content.KindPage {
			continue
		}
		if !reached[p] {
			diags.Warnf(path.Join(dir, p.Path), 1, 1, "orphan", "no page links to %q: link it from a related article", p.Title)
		}
	}
	for _, rel := range site.Config.Relations {
		if !rel.Expected {
			continue
		}
		for _, p := range site.Pages {
			if p.Kind != content.KindPage || !rel.From(p.Section) {
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
