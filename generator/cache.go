package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"math"
	"runtime/debug"
	"slices"
	"sync"

	"kennisbank/generator/content"
	"kennisbank/generator/markdown"
	"kennisbank/generator/search"
	"kennisbank/generator/theme"
)

// Cache memoises the pure steps of a build across builds (see "Rebuilds:
// memoise, don't track" in DESIGN.md):
//
//   - a page's Markdown turned into HTML, keyed by its body and the
//     options that shape it, and reused only when every link in it still
//     resolves to the same URL and title;
//   - a page's output, keyed by a hash of everything its layout is given
//     (its PageData, the theme and the layout's name);
//   - the search index and other site-wide files, keyed by all of their
//     input.
//
// Nothing is tracked: every build recomputes every key, and an entry is
// used only when its key matches, so the cache cannot serve a stale page.
// Entries that a build did not use are dropped when it ends, so the cache
// holds about one site.
//
// The zero value is an empty cache in memory, ready to use; a nil *Cache
// caches nothing. OpenCache gives one kept in a folder between runs. A
// Cache may be shared by builds that run one after the other or at once.
type Cache struct {
	mu      sync.Mutex
	md      map[string]*mdEntry // by page path
	pages   map[dataKey]*pageEntry
	extras  map[string]*extraEntry // by name: "search", "graph", …
	gen     uint64                 // the last build's number
	active  map[uint64]bool        // builds running now
	changed bool                   // entries added or dropped since the last save
	keys    keyer
	search  search.Memo  // the terms of each page, for the search index
	parsed  content.Memo // the pages of the files a build read
	themes  theme.Cache  // the last theme loaded

	// size is about how many bytes the entries hold; budget, when not
	// zero, bounds it (see diskBudget), and so does fitted, when not
	// zero, for a big site (see fit).
	size, budget, fitted int64

	// dir is the folder of a persistent cache; "" keeps it in memory.
	dir      string
	loadOnce sync.Once
	loadErr  error

	// Hits counts the pages whose Markdown came from the cache.
	Hits int
}

// diskBudget bounds the entries of a cache kept on disk. Such a cache
// is read whole at the start of a build and held to its end, beside the
// build's own data: without a bound, a 50,000-page site's cache (1.7 GB)
// doubled the build's memory. What does not fit is not kept: those pages
// are rendered again next time. A site of 10,000 pages fits (about
// 350 MB). The dev server's cache, in memory, holds one site as it is.
const diskBudget = 512 << 20

// buildBytesPerPage is about what a build itself holds per page under
// the default memory limit (a 50,000-page build peaks near 1.8 GB).
const buildBytesPerPage = 36 << 10

// fit makes a cache kept on disk fit beside a build of n pages within
// the memory limit (runtime/debug.SetMemoryLimit, which kennisbank build
// sets): the budget is at most half of what the build leaves.
// A site too big for that builds as with --no-cache instead of holding
// a cache and the build in more memory than the limit; entries already
// read beyond the budget are dropped before the build renders.
func (c *Cache) fit(n int) {
	if c == nil || c.dir == "" {
		return
	}
	left := debug.SetMemoryLimit(-1) - int64(n)*buildBytesPerPage
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fitted = max(left/2, 1) // 1: nothing fits; 0 would be no bound
	if !c.room(0) {
		c.md, c.pages, c.extras = nil, nil, nil
		c.size = 0
		c.changed = true
	}
}

// fitBudget returns the budget fit set for the build, or a bound larger
// than any when it set none.
func (c *Cache) fitBudget() int64 {
	if c == nil {
		return math.MaxInt64
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fitted == 0 {
		return math.MaxInt64
	}
	return c.fitted
}

// room reports whether n more bytes of entries may be kept; under c.mu.
func (c *Cache) room(n int64) bool {
	b := c.budget
	if c.fitted > 0 && (b == 0 || c.fitted < b) {
		b = c.fitted
	}
	return b == 0 || c.size+n <= b
}

// mdEntry is one page's rendered Markdown.
type mdEntry struct {
	sum      [32]byte // of mdInputs and the body
	htmlSum  [32]byte // of result.HTML
	textSum  [32]byte // of result.Text
	in       mdInputs
	body     []byte // the body it was made from; nil when loaded from disk
	result   *markdown.Result
	resolved []markdown.Resolved // what each of result.Refs resolved to
	keys     []string            // what each of result.Refs looks up (resolveIfer.Keys); nil until known
	html     string              // result.HTML, made once
	used     uint64
}

// bytes is about what the entry holds.
func (e *mdEntry) bytes() int64 {
	n := len(e.html) + len(e.body)
	if e.result != nil {
		n += len(e.result.Text) + len(e.result.Lead) + 128*len(e.result.Refs) + 64*len(e.result.Headings)
	}
	return int64(n)
}

func (e *extraEntry) bytes() int64 {
	var n int
	for name, b := range e.files {
		n += len(name) + len(b)
	}
	return int64(n)
}

// mdInputs is what shapes a page's HTML besides its body and its links.
type mdInputs struct {
	options  [32]byte // of the Markdown options
	bodyLine int
	prefix   string // asset prefix
}

func (in mdInputs) sum(body []byte) [32]byte {
	h := sha256.New()
	h.Write(in.options[:])
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(in.bodyLine))
	h.Write(n[:])
	binary.LittleEndian.PutUint64(n[:], uint64(len(in.prefix)))
	h.Write(n[:])
	h.Write([]byte(in.prefix))
	h.Write(body)
	var s [32]byte
	h.Sum(s[:0])
	return s
}

// pageEntry is one page's output.
type pageEntry struct {
	out  []byte
	used uint64
}

// extraEntry is a site-wide output: files keyed by all of their input.
type extraEntry struct {
	key   dataKey
	files map[string][]byte
	used  uint64
}

// resolveIfer resolves a page's links only if they all resolve as they
// did before (link's page resolver does). Keys are what the links look up
// in the index, a function of the links alone: an entry keeps them, so a
// rebuild that checks every page's links does not work them out again.
type resolveIfer interface {
	ResolveIf(refs []markdown.Ref, keys []string, want []markdown.Resolved) bool
	Keys(refs []markdown.Ref) []string
}

// peeker resolves a link without recording it.
type peeker interface {
	Peek(markdown.Ref) markdown.Resolved
}

// themeCache returns the cache of loaded themes, or nil without a cache.
func (c *Cache) themeCache() *theme.Cache {
	if c == nil {
		return nil
	}
	return &c.themes
}

// parseMemo returns the memo of parsed files, or nil. Only a cache in
// memory keeps one: it serves the next build in the same process (the
// dev server's); a cache on disk serves the next run, and a memo would
// only hold every page's source until the build ends.
func (c *Cache) parseMemo() *content.Memo {
	if c == nil || c.dir != "" {
		return nil
	}
	return &c.parsed
}

// searchMemo returns the memo of each page's search terms, or nil; as
// parseMemo, only in memory.
func (c *Cache) searchMemo() *search.Memo {
	if c == nil || c.dir != "" {
		return nil
	}
	return &c.search
}

// begin starts a build and returns its number.
func (c *Cache) begin() uint64 {
	if c == nil {
		return 0
	}
	c.load()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if c.active == nil {
		c.active = map[uint64]bool{}
	}
	c.active[c.gen] = true
	return c.gen
}

// end finishes build gen. When it completed, entries that no build has
// used since it began are dropped, unless an older build still runs.
func (c *Cache) end(gen uint64, completed bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.active, gen)
	for g := range c.active {
		if g < gen {
			return
		}
	}
	if !completed {
		return
	}
	for k, e := range c.md {
		if e.used < gen {
			c.size -= e.bytes()
			delete(c.md, k)
			c.changed = true
		}
	}
	for k, e := range c.pages {
		if e.used < gen {
			c.size -= int64(len(e.out))
			delete(c.pages, k)
			c.changed = true
		}
	}
	// Extras are not dropped: there is one per name, replaced when its
	// key changes, and a lazy build (the dev server) makes the search
	// index after it ended, so no build would ever find it in use.
}

// load reads a persistent cache from its folder, once.
func (c *Cache) load() {
	if c == nil || c.dir == "" {
		return
	}
	c.loadOnce.Do(func() { c.loadErr = c.readDir() })
}

// markdown returns the cached render of p, recording its links with res,
// or nil when the page must be rendered.
func (c *Cache) markdown(gen uint64, p *content.Page, in mdInputs, res markdown.Resolver) *mdEntry {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	e := c.md[p.Path]
	var keys []string
	if e != nil {
		keys = e.keys
	}
	c.mu.Unlock()
	if e == nil || e.in != in {
		return nil
	}
	if e.body != nil {
		if !bytes.Equal(e.body, p.Body) {
			return nil
		}
	} else if e.sum != in.sum(p.Body) {
		return nil
	}
	ri, ok := res.(resolveIfer)
	if !ok {
		return nil
	}
	newKeys := keys == nil
	if newKeys {
		keys = ri.Keys(e.result.Refs)
	}
	if !ri.ResolveIf(e.result.Refs, keys, e.resolved) {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if newKeys {
		e.keys = keys
	}
	if e.body == nil && c.dir == "" {
		e.body = p.Body
	}
	e.used = max(e.used, gen)
	c.Hits++
	return e
}

// storeMarkdown keeps a fresh render of p and returns its entry. Renders
// with warnings are not kept: a highlighter that ran out of time must get
// another chance.
func (c *Cache) storeMarkdown(gen uint64, p *content.Page, in mdInputs, r *markdown.Result, res markdown.Resolver) *mdEntry {
	// The HTML is kept once, as a string of its exact size; the render's
	// buffer, twice the source's size, goes.
	kept := *r
	kept.HTML = nil
	e := &mdEntry{in: in, result: &kept, html: string(r.HTML), used: gen}
	if c == nil {
		return e
	}
	if c.dir == "" {
		// A cache in memory serves many builds (the dev server): keep
		// the body, to compare bytes instead of hashing. A cache on disk
		// serves the next run, which compares sums; one build needs no
		// second copy of every body.
		e.body = p.Body
	}
	e.sum = in.sum(p.Body)
	e.htmlSum = sha256.Sum256(r.HTML)
	e.textSum = sha256.Sum256([]byte(r.Text))
	if len(r.Warnings) > 0 {
		return e
	}
	pk, ok := res.(peeker)
	if !ok {
		return e
	}
	e.resolved = make([]markdown.Resolved, len(r.Refs))
	for i, ref := range r.Refs {
		e.resolved[i] = pk.Peek(ref)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.md == nil {
		c.md = map[string]*mdEntry{}
	}
	var old int64
	if o := c.md[p.Path]; o != nil {
		old = o.bytes()
	}
	if !c.room(e.bytes() - old) {
		return e
	}
	c.size += e.bytes() - old
	c.md[p.Path] = e
	c.changed = true
	return e
}

// page returns the output stored under key, or nil.
func (c *Cache) page(gen uint64, key dataKey) []byte {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.pages[key]
	if e == nil {
		return nil
	}
	e.used = max(e.used, gen)
	return e.out
}

func (c *Cache) storePage(gen uint64, key dataKey, out []byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pages == nil {
		c.pages = map[dataKey]*pageEntry{}
	}
	if c.pages[key] != nil || !c.room(int64(len(out))) {
		return
	}
	c.size += int64(len(out))
	c.pages[key] = &pageEntry{out: out, used: gen}
	c.changed = true
}

// extra returns the files stored as name under key, or nil.
func (c *Cache) extra(gen uint64, name string, key dataKey) map[string][]byte {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.extras[name]
	if e == nil || e.key != key {
		return nil
	}
	e.used = max(e.used, gen)
	return e.files
}

func (c *Cache) storeExtra(gen uint64, name string, key dataKey, files map[string][]byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.extras == nil {
		c.extras = map[string]*extraEntry{}
	}
	e := &extraEntry{key: key, files: files, used: gen}
	var old int64
	if o := c.extras[name]; o != nil {
		old = o.bytes()
	}
	if !c.room(e.bytes() - old) {
		return
	}
	c.size += e.bytes() - old
	c.extras[name] = e
	c.changed = true
}

// key returns the data key of v after the prefix parts; with a nil cache
// it returns the zero key without doing the work.
func (c *Cache) key(v any, prefix ...[]byte) dataKey {
	if c == nil {
		return dataKey{}
	}
	return c.keys.key(v, prefix...)
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
