package generator

import (
	"crypto/sha256"
	"sync"

	"kennisbank/generator/content"
	"kennisbank/generator/markdown"
)

// Cache memoises rendered Markdown across builds (see "Rebuilds: memoise,
// don't track" in DESIGN.md). An entry is keyed by the page's path and the
// hash of its body, and is reused only when every link in it still
// resolves to the same URL and title; so it can never be stale. The zero
// value is ready; a nil *Cache caches nothing.
type Cache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
	Hits    int
}

type cacheEntry struct {
	sum      [32]byte
	bodyLine int
	result   *markdown.Result
	resolved []markdown.Resolved
}

// peeker resolves a link without recording it.
type peeker interface {
	Peek(markdown.Ref) markdown.Resolved
}

func (c *Cache) lookup(p *content.Page, res markdown.Resolver) *markdown.Result {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	e, ok := c.entries[p.Path]
	c.mu.Unlock()
	if !ok || e.sum != sha256.Sum256(p.Body) || e.bodyLine != p.BodyLine {
		return nil
	}
	pk, ok := res.(peeker)
	if !ok {
		return nil
	}
	for i, ref := range e.result.Refs {
		if pk.Peek(ref) != e.resolved[i] {
			return nil
		}
	}
	// A hit: record the links as a render would.
	for _, ref := range e.result.Refs {
		res.Resolve(ref)
	}
	c.mu.Lock()
	c.Hits++
	c.mu.Unlock()
	return e.result
}

func (c *Cache) store(p *content.Page, r *markdown.Result, res markdown.Resolver) {
	if c == nil {
		return
	}
	pk, ok := res.(peeker)
	if !ok {
		return
	}
	resolved := make([]markdown.Resolved, len(r.Refs))
	for i, ref := range r.Refs {
		resolved[i] = pk.Peek(ref)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[string]cacheEntry{}
	}
	c.entries[p.Path] = cacheEntry{sum: sha256.Sum256(p.Body), bodyLine: p.BodyLine, result: r, resolved: resolved}
}
