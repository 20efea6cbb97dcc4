// Package link resolves every reference between pages, wikilinks, links to
// .md files, front-matter relations and answers, through one index, and
// keeps the result as a graph: edges with their source positions,
// backlinks, relations by level, related pages, and the diagnostics for
// every reference that does not resolve.
package link

import (
	"slices"
	"strings"
	"unicode"

	"kennisbank/generator/content"
)

// Normalize is the form in which names are compared: folded case and
// diacritics, and spaces, dashes and underscores made equal.
func Normalize(s string) string {
	switch ascii, normal := scanASCII(s); {
	case normal:
		return s
	case ascii:
		return normalizeASCII(s)
	}
	f := content.Fold(strings.TrimSpace(s))
	var b strings.Builder
	dash := false
	for _, r := range f {
		if r == '-' || r == '_' || unicode.IsSpace(r) {
			dash = true
			continue
		}
		if dash && b.Len() > 0 {
			b.WriteByte('-')
		}
		dash = false
		b.WriteRune(r)
	}
	return b.String()
}

// scanASCII reports, in one pass, whether s is ASCII and whether it is
// already in normal form: no capitals, no separator but single dashes
// between other characters. Paths and URLs usually are, and resolving a
// site's links normalises a name for every link.
func scanASCII(s string) (ascii, normal bool) {
	normal = true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80:
			return false, false
		case 'A' <= c && c <= 'Z', c == '_', c == ' ', '\t' <= c && c <= '\r':
			normal = false
		case c == '-':
			if i == 0 || i == len(s)-1 || s[i-1] == '-' {
				normal = false
			}
		}
	}
	return true, normal
}

// normalizeASCII is Normalize for ASCII text, where folding is only
// lower-casing. It returns a part of s when that is the answer, so a
// name already in normal form costs no allocation.
func normalizeASCII(s string) string {
	var buf [64]byte
	b := buf[:0]
	dash := false
	start := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '-', '_', ' ', '\t', '\n', '\v', '\f', '\r':
			dash = true
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if start < 0 {
			start = i
		}
		if dash && len(b) > 0 {
			b = append(b, '-')
		}
		dash = false
		b = append(b, c)
	}
	if start >= 0 && start+len(b) <= len(s) && s[start:start+len(b)] == string(b) {
		return s[start : start+len(b)]
	}
	return string(b)
}

// Index finds pages by slug, path, title or alias.
type Index struct {
	pages  []*content.Page
	byKey  map[string][]*content.Page
	byPath map[string]*content.Page
	// names lists every name a page can be found by, for suggestions.
	names []name
	// single holds the one-page lists of byKey, most of them, so a rebuild
	// makes one array for them instead of one each.
	single []*content.Page
}

type name struct {
	text string // as shown in a suggestion
	norm string
	page *content.Page
}

// NewIndex indexes pages.
func NewIndex(pages []*content.Page) *Index {
	// A page has about four names and two paths.
	ix := &Index{pages: pages, byKey: make(map[string][]*content.Page, 4*len(pages)), byPath: make(map[string]*content.Page, 2*len(pages)),
		names: make([]name, 0, 4*len(pages)), single: make([]*content.Page, 0, 4*len(pages))}
	for _, p := range pages {
		if p.Kind == content.KindHome {
			// The home page has no path to link by, but its title works.
			ix.add(p.Title, p)
			continue
		}
		pathKey := strings.TrimSuffix(p.URL, "/")
		ix.byPath[Normalize(pathKey)] = p
		if p.Kind == content.KindPage {
			ix.byPath[Normalize(strings.TrimSuffix(p.Path, ".md"))] = p
		}
		keys := []string{p.Title, pathKey}
		if p.Kind == content.KindPage {
			keys = append(keys, p.Slug)
		}
		keys = append(keys, p.Aliases...)
		for _, k := range keys {
			ix.add(k, p)
		}
	}
	return ix
}

func (ix *Index) add(text string, p *content.Page) {
	n := Normalize(text)
	if n == "" {
		return
	}
	switch ps := ix.byKey[n]; {
	case len(ps) == 0 && len(ix.single) < cap(ix.single):
		ix.single = append(ix.single, p)
		ix.byKey[n] = ix.single[len(ix.single)-1 : len(ix.single) : len(ix.single)]
	case !slices.Contains(ps, p):
		ix.byKey[n] = append(ps, p) // copies a list from single: its capacity is 1
	}
	ix.names = append(ix.names, name{text: text, norm: n, page: p})
}

// Lookup returns the pages a name matches, limited to the given sections
// when any are given. A match by full path wins over other matches.
func (ix *Index) Lookup(text string, sections []string) []*content.Page {
	byPath, byKey := ix.match(text, sections)
	if byPath != nil {
		return []*content.Page{byPath}
	}
	var out []*content.Page
	for _, p := range byKey {
		if inSections(p, sections) {
			out = append(out, p)
		}
	}
	return out
}

// one returns the page a name, in normal form, matches when it matches
// exactly one, and how many it matches: Lookup without its slice, for
// resolving.
func (ix *Index) one(key string, sections []string) (*content.Page, int) {
	byPath, byKey := ix.matchKey(key, sections)
	if byPath != nil {
		return byPath, 1
	}
	var found *content.Page
	n := 0
	for _, p := range byKey {
		if inSections(p, sections) {
			found = p
			n++
		}
	}
	return found, n
}

// match returns the page whose full path text is, or else the pages
// that have text as a key, in any section.
func (ix *Index) match(text string, sections []string) (*content.Page, []*content.Page) {
	return ix.matchKey(Normalize(text), sections)
}

// matchKey is match given Normalize(text).
func (ix *Index) matchKey(n string, sections []string) (*content.Page, []*content.Page) {
	if p, ok := ix.byPath[n]; ok && strings.Contains(n, "/") && inSections(p, sections) {
		return p, nil
	}
	return nil, ix.byKey[n]
}

// ByPath returns the page whose source path (without .md) or URL is p.
func (ix *Index) ByPath(p string) *content.Page {
	return ix.byPath[Normalize(p)]
}

func inSections(p *content.Page, sections []string) bool {
	return len(sections) == 0 || slices.Contains(sections, p.Section)
}

// Suggest returns the closest name to text by edit distance, or "".
func (ix *Index) Suggest(text string, sections []string) string {
	n := Normalize(text)
	lower := strings.ToLower(text)
	best, bestD, bestRaw := "", 1<<30, 1<<30
	for _, c := range ix.names {
		if !inSections(c.page, sections) {
			continue
		}
		d := distance(n, c.norm)
		if d > bestD {
			continue
		}
		// Among equally close names, suggest the one written most like
		// the author's text (a slug for a slug, a title for a title).
		raw := distance(lower, strings.ToLower(c.text))
		if d < bestD || raw < bestRaw || (raw == bestRaw && c.text < best) {
			best, bestD, bestRaw = c.text, d, raw
		}
	}
	// A suggestion further away than half the name helps no one.
	if bestD > max(3, len([]rune(n))/2) {
		return ""
	}
	return best
}

// distance is the Levenshtein distance between a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
